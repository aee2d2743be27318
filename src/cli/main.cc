// lifeboat: one binary, one CLI11 subcommand per file under src/cli/.
#include <cstdio>

#include "cli/commands.h"

int main(int argc, char** argv) {
  if (argc == 1 && lifeboat::StartedAsLambdaBootstrap(argv[0])) {
    return lifeboat::RunLambdaBootstrap();
  }
  return lifeboat::RunCli(argc, argv);
}
