// Command-line definitions and dispatch. Every command takes --db (default ./roster.db).
#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "app/admin_commands.hpp"
#include "app/backup_commands.hpp"
#include "app/command_support.hpp"
#include "app/config.hpp"
#include "app/export_commands.hpp"
#include "app/invite_commands.hpp"
#include "app/key_commands.hpp"
#include "app/seed.hpp"
#include "app/serve.hpp"
#include "app/version.hpp"
#include "core/error.hpp"
#include "transport/listen_address.hpp"

namespace roster::app {
namespace {

constexpr const char* kDbHelp =
    "SQLite database file (created if missing), or postgres://USER@HOST:PORT/DB";

CLI::Option* AddDbOption(CLI::App& command, std::string& db) {
  return command.add_option("--db", db, kDbHelp)->capture_default_str();
}

// An optional string flag: the value when given, nullopt otherwise.
std::optional<std::string> ValueIfGiven(const CLI::Option* option, const std::string& value) {
  return option->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
}

// Empty description: the option's type name already says HOST:PORT in --help.
const CLI::Validator kListenAddress(
    [](std::string& text) -> std::string {
      if (transport::ParseListenAddress(text)) return {};
      return "expected HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080; port 0 = any free port), got '" +
             text + "'";
    },
    "");

// A plausibility check only (one '@', something on each side, no spaces): the store decides the
// rest, and the shell should catch typos such as a missing argument swallowing the next flag.
const CLI::Validator kEmailAddress(
    [](std::string& text) -> std::string {
      const std::size_t at = text.find('@');
      const bool plausible = at != std::string::npos && at > 0 && at + 1 < text.size() &&
                             text.find('@', at + 1) == std::string::npos &&
                             text.find_first_of(" \t\r\n") == std::string::npos;
      return plausible ? std::string() : "expected an email address, got '" + text + "'";
    },
    "");

// CLI11's require_subcommand() would answer `roster bogus` with "A subcommand is required"; an
// explicit check after parsing lets CLI11 report the unexpected argument instead.
int MissingSubcommand(CLI::App& command) {
  std::string names;
  for (const CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  std::cerr << "A subcommand is required: " << names << "\nRun with --help for more information.\n";
  return kExitUsage;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app("Roster: an OpenAI-compatible Admin API server for organization users and roles.",
               "roster");
  app.set_version_flag("--version", "roster " + std::string(kVersion));

  // --- serve ---------------------------------------------------------------------------------
  ServeOptions serve_options;
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP server");
  serve->footer(
      "On an empty database, serve first creates an organization with an owner and an admin key\n"
      "and prints the key once (set ROSTER_BOOTSTRAP_ADMIN_KEY=sk-admin-... to choose the key;\n"
      "it is then not printed). When ready it prints `roster listening on http://HOST:PORT`.\n"
      "SIGINT or SIGTERM stop it gracefully: requests in flight are answered first.");
  serve
      ->add_option("--listen", serve_options.listen, "Address to listen on; port 0 = any free port")
      ->check(kListenAddress)
      ->type_name("HOST:PORT")
      ->capture_default_str();
  AddDbOption(*serve, serve_options.db);
  serve->add_option("--io-threads", serve_options.io_threads, "Threads doing network I/O")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve
      ->add_option("--workers", serve_options.workers,
                   "Threads running requests against the database (also its connection count)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_flag("--accept-unknown-permissions", serve_options.accept_unknown_permissions,
                  "Accept role permissions outside the known catalogue");
  serve
      ->add_option("--invite-ttl-days", serve_options.invite_ttl_days,
                   "Days a new invite stays pending before it expires")
      ->check(CLI::Range(1, 365))
      ->capture_default_str();
  // Kept as text (not transformed) so --print-config shows what was given; converted below.
  std::string log_level = "info";
  serve
      ->add_option("--log-level", log_level,
                   "Request log threshold: info logs every request, warn only 4xx and 5xx")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  std::string log_format = "json";
  serve
      ->add_option("--log-format", log_format,
                   "Request log lines on stderr: one JSON object per line, or text")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  serve
      ->add_option("--max-connections", serve_options.max_connections,
                   "Client connections served at once; more are answered 503 and closed")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  serve
      ->add_option("--tls-cert", serve_options.tls_cert_file,
                   "Serve HTTPS with this PEM certificate chain (needs --tls-key)")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  serve
      ->add_option("--tls-key", serve_options.tls_key_file,
                   "PEM private key (unencrypted) of --tls-cert")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  serve
      ->add_option("--auth-failure-limit", serve_options.auth_failure_limit,
                   "Failed authentications (unknown, revoked or expired key) allowed per client "
                   "address and window before it is answered 429; 0 = no throttle")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  serve
      ->add_option("--auth-failure-window", serve_options.auth_failure_window,
                   "Seconds of the failed-authentication window")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  serve
      ->add_option("--rate-limit-rps", serve_options.rate_limit_rps,
                   "Requests per second allowed per admin key (token bucket); 0 = no limit")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  serve
      ->add_option("--rate-limit-burst", serve_options.rate_limit_burst,
                   "Requests a key may send at once (bucket size); 0 = the rate")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  serve
      ->add_option("--inline-reads", serve_options.inline_reads,
                   "SQLite file databases: answer GET requests on the IO threads (true/false)")
      ->capture_default_str();
  serve->add_flag("--ephemeral", serve_options.ephemeral,
                  "Stand-in mode: an in-memory store for one test run (--db is not used)");
  serve
      ->add_option("--seed", serve_options.seed,
                   "Start from this JSON fixture (organizations, members, roles, groups, "
                   "invites, keys with fixed ids) instead of a bootstrap organization")
      ->check(CLI::ExistingFile);
  serve->add_flag("--test-controls", serve_options.test_controls,
                  "With --ephemeral: enable /roster/test/ (reset, snapshots, clock, faults)");
  // Every setting above is also ROSTER_<NAME> and `name = …` in the config file (app/config.hpp).
  BindEnvironment(*serve);
  std::string serve_config;
  serve
      ->add_option("--config", serve_config,
                   "TOML file of settings (keys as the flags, with '_'); flags and ROSTER_* "
                   "variables override it")
      ->envname("ROSTER_CONFIG")
      ->check(CLI::ExistingFile);
  bool print_config = false;
  serve->add_flag("--print-config", print_config,
                  "Print the effective settings (secrets masked) and their sources, then exit");

  // --- backup / restore ----------------------------------------------------------------------
  std::string backup_db = kDefaultDbPath;
  std::string backup_to;
  CLI::App* backup = app.add_subcommand(
      "backup", "Copy a live database to a file (consistent while a server keeps writing)");
  backup->add_option("--to", backup_to, "Backup file to write (replaced)")->required();
  AddDbOption(*backup, backup_db);
  std::string restore_db = kDefaultDbPath;
  std::string restore_from;
  CLI::App* restore = app.add_subcommand(
      "restore", "Replace a database with a backup (stop the server that uses it first)");
  restore->add_option("--from", restore_from, "Backup file made by `roster backup`")
      ->required()
      ->check(CLI::ExistingFile);
  AddDbOption(*restore, restore_db);

  // --- export / import -----------------------------------------------------------------------
  std::string export_db = kDefaultDbPath;
  std::string export_out;
  CLI::App* export_command = app.add_subcommand(
      "export", "Write every row of a database as JSON Lines (to move it to another backend)");
  CLI::Option* export_out_option =
      export_command->add_option("--out", export_out, "File to write (replaced); default stdout");
  AddDbOption(*export_command, export_db);
  std::string import_db = kDefaultDbPath;
  std::string import_in;
  CLI::App* import_command = app.add_subcommand(
      "import", "Load a `roster export` file into a new, empty database (all or nothing)");
  import_command->add_option("--in", import_in, "File made by `roster export`")
      ->required()
      ->check(CLI::ExistingFile);
  AddDbOption(*import_command, import_db);

  // --- users ---------------------------------------------------------------------------------
  CLI::App* users = app.add_subcommand("users", "Manage members from the shell");
  AddUserOptions add_user;
  std::string add_user_name;
  std::string add_user_org;
  CLI::App* users_add =
      users->add_subcommand("add", "Add a member to the organization and print the new user id");
  users_add->add_option("--email", add_user.email, "Email of the member")
      ->required()
      ->check(kEmailAddress);
  const CLI::Option* add_user_name_option = users_add->add_option(
      "--name", add_user_name, "Display name (default: the part of the email before '@')");
  users_add->add_option("--role", add_user.role, "Base role")
      ->check(CLI::IsMember({"owner", "reader"}))
      ->capture_default_str();
  const CLI::Option* add_user_org_option = users_add->add_option(
      "--org", add_user_org, "Organization id (required when the database has several)");
  AddDbOption(*users_add, add_user.db);

  // --- orgs ----------------------------------------------------------------------------------
  CLI::App* orgs = app.add_subcommand("orgs", "Manage organizations from the shell");
  CreateOrgOptions create_org;
  std::string owner_email;
  std::string owner_name;
  CLI::App* orgs_create =
      orgs->add_subcommand("create", "Create an organization with its owner and an admin key");
  orgs_create->footer(
      "Prints one JSON line: "
      R"({"organization_id":"org-...","user_id":"user-...","admin_key":"sk-admin-..."})");
  orgs_create->add_option("--name", create_org.name, "Organization name")->required();
  const CLI::Option* owner_email_option =
      orgs_create
          ->add_option("--owner-email", owner_email,
                       "Owner's email (default: a new owner.<name>.<random>@roster.local)")
          ->check(kEmailAddress);
  const CLI::Option* owner_name_option = orgs_create->add_option(
      "--owner-name", owner_name, "Owner's name (default: \"<NAME> Owner\")");
  AddDbOption(*orgs_create, create_org.db);
  std::string list_db = kDefaultDbPath;
  CLI::App* orgs_list = orgs->add_subcommand("list", "Print each organization: id, tab, name");
  AddDbOption(*orgs_list, list_db);

  // --- seed ----------------------------------------------------------------------------------
  SeedOptions seed_options;
  std::string seed_org;
  CLI::App* seed = app.add_subcommand("seed", "Add synthetic members for demos and benchmarks");
  seed->footer(
      "Members get realistic names and emails first.last.<n>@example.com, numbered on from\n"
      "earlier seeds so they stay unique. Prints how many were added and the time taken.");
  seed->add_option("--users", seed_options.users, "How many members to add")
      ->required()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  const CLI::Option* seed_org_option = seed->add_option(
      "--org", seed_org, "Organization id (required when the database has several)");
  AddDbOption(*seed, seed_options.db);

  // --- keys ----------------------------------------------------------------------------------
  CLI::App* keys = app.add_subcommand("keys", "Issue admin API keys from the shell");
  CreateKeyOptions create_key;
  std::string key_name;
  std::string key_org;
  CLI::App* keys_create = keys->add_subcommand(
      "create", "Issue an admin key for a member and print it once (first setup, recovery)");
  keys_create->footer("Prints the key alone on stdout; it cannot be shown again.");
  keys_create->add_option("--user", create_key.user_id, "User id of the member who owns the key")
      ->required();
  const CLI::Option* key_name_option =
      keys_create->add_option("--name", key_name, "Name of the key (default: cli)");
  const CLI::Option* key_org_option = keys_create->add_option(
      "--org", key_org, "Organization id (required when the database has several)");
  AddDbOption(*keys_create, create_key.db);

  // --- invites -------------------------------------------------------------------------------
  CLI::App* invites = app.add_subcommand("invites", "Invite links and acceptance from the shell");
  InviteLinkOptions invite_link;
  std::string invite_link_org;
  CLI::App* invites_link = invites->add_subcommand(
      "link", "Issue a new acceptance link for a pending invite (the previous one stops working)");
  invites_link->footer("Prints BASE_URL/invite/TOKEN alone on stdout; send it to the invitee.");
  invites_link->add_option("invite_id", invite_link.invite_id, "Invite id (invite-...)")
      ->required();
  invites_link
      ->add_option("--base-url", invite_link.base_url, "Where the acceptance page is served")
      ->check([](const std::string& url) -> std::string {
        const bool web = url.starts_with("http://") || url.starts_with("https://");
        return web ? std::string() : "expected an http:// or https:// URL, got '" + url + "'";
      })
      ->capture_default_str();
  const CLI::Option* invite_link_org_option = invites_link->add_option(
      "--org", invite_link_org, "Organization id (default: the one that has the invite)");
  AddDbOption(*invites_link, invite_link.db);
  AcceptInviteOptions invite_accept;
  std::string invite_accept_name;
  std::string invite_accept_org;
  CLI::App* invites_accept = invites->add_subcommand(
      "accept", "Accept a pending invite for its invitee and print the new member's user id");
  invites_accept->add_option("invite_id", invite_accept.invite_id, "Invite id (invite-...)")
      ->required();
  const CLI::Option* invite_accept_name_option = invites_accept->add_option(
      "--name", invite_accept_name,
      "Name of a new account (default: the part of the email before '@')");
  const CLI::Option* invite_accept_org_option = invites_accept->add_option(
      "--org", invite_accept_org, "Organization id (default: the one that has the invite)");
  AddDbOption(*invites_accept, invite_accept.db);

  app.footer("Run `roster COMMAND --help` for the options of a command.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help/version) and returns its own codes (100+); the
    // convention for bad usage is 2.
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  try {
    if (*serve) {
      const std::vector<std::string> from_file =
          serve_config.empty() ? std::vector<std::string>{} : ApplyConfigFile(*serve, serve_config);
      if (print_config) {
        std::cout << RenderEffectiveConfig(*serve, argc, argv, serve_config, from_file);
        if (const char* key = std::getenv(kBootstrapKeyEnv); key != nullptr) {
          std::cout << "# " << kBootstrapKeyEnv << " = " << MaskSecret(kBootstrapKeyEnv, key)
                    << "  # env\n";
        }
        return kExitOk;
      }
      serve_options.log_level = api::ParseLogLevel(log_level).value_or(api::LogLevel::kInfo);
      serve_options.log_format = log_format == "text" ? LogFormat::kText : LogFormat::kJson;
      return Serve(serve_options);
    }
    if (*backup) return Backup(backup_db, backup_to);
    if (*restore) return Restore(restore_db, restore_from);
    if (*export_command) return Export(export_db, ValueIfGiven(export_out_option, export_out));
    if (*import_command) return Import(import_db, import_in);
    if (*users_add) {
      add_user.name = ValueIfGiven(add_user_name_option, add_user_name);
      add_user.org_id = ValueIfGiven(add_user_org_option, add_user_org);
      return AddUser(add_user);
    }
    if (*orgs_create) {
      create_org.owner_email = ValueIfGiven(owner_email_option, owner_email);
      create_org.owner_name = ValueIfGiven(owner_name_option, owner_name);
      return CreateOrg(create_org);
    }
    if (*orgs_list) return ListOrgs(list_db);
    if (*seed) {
      seed_options.org_id = ValueIfGiven(seed_org_option, seed_org);
      return Seed(seed_options);
    }
    if (*keys_create) {
      create_key.name = ValueIfGiven(key_name_option, key_name);
      create_key.org_id = ValueIfGiven(key_org_option, key_org);
      return CreateKey(create_key);
    }
    if (*invites_link) {
      invite_link.org_id = ValueIfGiven(invite_link_org_option, invite_link_org);
      return InviteLink(invite_link);
    }
    if (*invites_accept) {
      invite_accept.name = ValueIfGiven(invite_accept_name_option, invite_accept_name);
      invite_accept.org_id = ValueIfGiven(invite_accept_org_option, invite_accept_org);
      return AcceptInvite(invite_accept);
    }
    if (*invites) return MissingSubcommand(*invites);
    if (*keys) return MissingSubcommand(*keys);
    if (*users) return MissingSubcommand(*users);
    if (*orgs) return MissingSubcommand(*orgs);
    return MissingSubcommand(app);
  } catch (const CommandError& e) {
    std::cerr << "roster: " << e.what() << '\n';
    return e.exit_code();
  } catch (const core::Error& e) {
    // stderr is the operator's log: the internal detail (driver message) belongs there.
    std::cerr << "roster: " << e.message();
    if (!e.detail().empty()) std::cerr << " (" << e.detail() << ")";
    std::cerr << '\n';
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "roster: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace roster::app
