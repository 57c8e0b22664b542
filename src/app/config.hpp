// Configuration of `roster serve` from three sources with one precedence rule: command-line flag
// > ROSTER_* environment variable > TOML file (`--config FILE`, or ROSTER_CONFIG) > default.
// Generic over the command's options: every long option `--some-name` is also ROSTER_SOME_NAME
// and the key `some_name` of the file, so an option added later is configurable the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace roster::app {

// Options that are not settings (help, --config itself, --print-config).
bool IsSetting(const CLI::Option& option);

// The environment variable of a setting: `--invite-ttl-days` → ROSTER_INVITE_TTL_DAYS.
std::string EnvNameOf(const CLI::Option& option);

// Gives every setting of `command` its ROSTER_* variable (CLI11 then applies flag > env).
void BindEnvironment(CLI::App& command);

// After parsing: sets each setting of `command` that neither a flag nor the environment gave
// from the TOML file at `path`, through the option's own validators. Returns the names of the
// settings taken from the file. Throws CommandError (usage) for an unreadable file, a TOML
// error, an unknown key, a value of the wrong kind or one the option refuses.
std::vector<std::string> ApplyConfigFile(CLI::App& command, const std::string& path);

// `roster serve --print-config`: the effective settings as TOML (a valid config file), each with
// its source as a comment, secrets masked. `argv` tells flags from environment variables;
// `from_file` is what ApplyConfigFile returned.
std::string RenderEffectiveConfig(const CLI::App& command, int argc, char** argv,
                                  const std::string& config_path,
                                  const std::vector<std::string>& from_file);

// A secret made printable: key-like values keep their first 8 characters, URL passwords become
// `****`. Other values are returned unchanged.
std::string MaskSecret(const std::string& name, const std::string& value);

}  // namespace roster::app
