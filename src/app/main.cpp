// Entry point of the roster binary.
#include "app/cli.hpp"

int main(int argc, char** argv) { return roster::app::RunCli(argc, argv); }
