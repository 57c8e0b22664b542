// Layered configuration of `roster serve` (flags, ROSTER_* environment, TOML file, defaults).
#include "app/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>
#include <toml.hpp>

#include "app/command_support.hpp"

namespace roster::app {
namespace {

// `--invite-ttl-days` → `invite_ttl_days`.
std::string KeyOf(const CLI::Option& option) {
  std::string name = option.get_single_name();
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

bool LooksSecret(const std::string& name) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // These name a file, not a secret: the path is what an operator needs to see.
  if (lower == "tls_key" || lower == "tls_cert") return false;
  for (const char* word : {"key", "password", "secret", "token"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

// True when `argv` names `option` (`--name`, `--name=value`).
bool GivenAsFlag(const CLI::Option& option, int argc, char** argv) {
  const std::string flag = "--" + option.get_single_name();
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == flag || arg.starts_with(flag + "=")) return true;
  }
  return false;
}

// The value as TOML: integers and booleans bare, everything else a quoted string.
std::string TomlValue(const std::string& text) {
  if (text == "true" || text == "false") return text;
  if (!text.empty() && text.size() < 19 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return text;
  }
  return toml::format(toml::value(text));
}

}  // namespace

bool IsSetting(const CLI::Option& option) {
  if (option.get_lnames().empty()) return false;
  const std::string name = option.get_single_name();
  return name != "help" && name != "config" && name != "print-config";
}

std::string EnvNameOf(const CLI::Option& option) {
  std::string env = "ROSTER_" + KeyOf(option);
  for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

void BindEnvironment(CLI::App& command) {
  for (CLI::Option* option : command.get_options()) {
    if (IsSetting(*option)) option->envname(EnvNameOf(*option));
  }
}

std::vector<std::string> ApplyConfigFile(CLI::App& command, const std::string& path) {
  const auto fail = [&path](const std::string& what) {
    return CommandError("config file " + path + ": " + what, kExitUsage);
  };
  toml::value data;
  try {
    data = toml::parse(path);
  } catch (const std::exception& e) {
    throw fail(e.what());
  }
  if (!data.is_table()) throw fail("expected a table of settings");
  std::vector<std::string> applied;
  for (const auto& [key, value] : data.as_table()) {
    std::string flag = key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    CLI::Option* option = nullptr;
    try {
      option = command.get_option("--" + flag);
    } catch (const CLI::OptionNotFound&) {
    }
    if (option == nullptr || !IsSetting(*option)) throw fail("unknown setting '" + key + "'");
    if (option->count() > 0) continue;  // a flag or a ROSTER_* variable wins over the file
    std::string text;
    if (value.is_string()) {
      text = value.as_string().str;
    } else if (value.is_integer()) {
      text = std::to_string(value.as_integer());
    } else if (value.is_boolean()) {
      text = value.as_boolean() ? "true" : "false";
    } else {
      throw fail("'" + key + "' must be a string, an integer or a boolean");
    }
    option->add_result(text);
    try {
      option->run_callback();
    } catch (const CLI::Error& e) {
      throw fail("'" + key + "': " + e.what());
    }
    applied.push_back(key);
  }
  return applied;
}

std::string MaskSecret(const std::string& name, const std::string& value) {
  if (value.empty()) return value;
  // scheme://user:password@host → scheme://user:****@host
  const std::size_t scheme = value.find("://");
  if (scheme != std::string::npos) {
    const std::size_t at = value.find('@', scheme + 3);
    const std::size_t colon = value.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      return value.substr(0, colon + 1) + "****" + value.substr(at);
    }
  }
  if (LooksSecret(name) || value.starts_with("sk-")) {
    return value.substr(0, std::min<std::size_t>(8, value.size() / 2)) + "…(masked)";
  }
  return value;
}

std::string RenderEffectiveConfig(const CLI::App& command, int argc, char** argv,
                                  const std::string& config_path,
                                  const std::vector<std::string>& from_file) {
  const std::set<std::string> file_keys(from_file.begin(), from_file.end());
  std::ostringstream out;
  out << "# roster serve: effective configuration (flag > ROSTER_* environment > config file > "
         "default)\n";
  out << "# config file: " << (config_path.empty() ? "none" : config_path) << "\n";
  for (const CLI::Option* option : command.get_options()) {
    if (!IsSetting(*option)) continue;
    const std::string key = KeyOf(*option);
    std::string source;
    std::string value;
    if (option->count() > 0) {
      const auto& results = option->results();
      value = results.empty() ? "" : results.back();
      if (file_keys.contains(key)) {
        source = "config file";
      } else if (GivenAsFlag(*option, argc, argv)) {
        source = "flag";
      } else {
        source = "env " + EnvNameOf(*option);
      }
    } else {
      value = option->get_default_str();
      source = "default";
      if (value.empty() && option->get_expected_max() == 0) value = "false";  // a flag not given
    }
    if (option->get_expected_max() == 0 && value.empty()) value = "true";  // a flag given bare
    if (value.empty()) {
      out << "# " << key << " = (not set)\n";
      continue;
    }
    out << key << " = " << TomlValue(MaskSecret(key, value)) << "  # " << source << "\n";
  }
  return out.str();
}

}  // namespace roster::app
