// The subcommands of the lifeboat binary (the production one). Each src/cli/<name>.cc adds
// its CLI11 subcommand (flags and help) to the root app and returns the function that runs
// it once the command line is parsed; RunCli (cli.cc) holds the table of them. The
// emulator's commands are lifeboat-local's (src/local_cli/).
#ifndef LIFEBOAT_CLI_COMMANDS_H_
#define LIFEBOAT_CLI_COMMANDS_H_

#include "cli/command_line.h"

namespace lifeboat {

Subcommand AddEvacuateCommand(CLI::App& root);    // evacuate.cc
Subcommand AddVerifyCommand(CLI::App& root);      // verify.cc
Subcommand AddCatCommand(CLI::App& root);         // cat.cc
Subcommand AddLsCommand(CLI::App& root);          // ls.cc
Subcommand AddGrepCommand(CLI::App& root);        // grep.cc
Subcommand AddAgentCommand(CLI::App& root);       // agent.cc
Subcommand AddControllerCommand(CLI::App& root);  // controller.cc

// lifeboat's command line; a command of lifeboat-local's is handed over to it.
int RunCli(int argc, char** argv);

// Started as `bootstrap` (the handler file of a Lambda custom runtime), the binary runs
// `lifeboat --log-level info controller --lambda`, configured by the function's environment.
bool StartedAsLambdaBootstrap(const char* argv0);
int RunLambdaBootstrap();

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_COMMANDS_H_
