// lifeboat-local: the AWS emulator and what runs on it, beside the production lifeboat
// binary (cli/executables.h says why they are two).
#include "cli/executables.h"
#include "local_cli/local_commands.h"

namespace {

// In the order lifeboat-local --help lists them, which is lifeboat's order too.
constexpr lifeboat::AddCommand kCommands[] = {
    lifeboat::AddDemoCommand,
    lifeboat::AddLocalCommand,
    lifeboat::AddInstanceInitCommand,
    lifeboat::AddInstanceExecCommand,
};

}  // namespace

int main(int argc, char** argv) {
  const lifeboat::CommandLine line{
      .program = lifeboat::kLocalExecutable,
      .description = "lifeboat-local: AWS on 127.0.0.1 for trying lifeboat without an account",
      .commands = kCommands,
  };
  return lifeboat::RunCommandLine(argc, argv, line);
}
