// The command line of the roster binary (CLI11): serve, users add, orgs create|list, seed.
#pragma once

namespace roster::app {

// Parses the command line, runs the chosen command and returns the process exit code: 0 on
// success (and for --help/--version), 1 when the command failed or was refused, 2 for bad usage.
int RunCli(int argc, char** argv);

}  // namespace roster::app
