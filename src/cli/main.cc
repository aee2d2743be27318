// lifeboat: one binary, one CLI11 subcommand per file under src/cli/.
#include <cstdio>

#include "cli/commands.h"

int main(int argc, char** argv) { return lifeboat::RunCli(argc, argv); }
