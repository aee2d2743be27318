// The subcommands of the lifeboat binary. Each src/cli/<name>.cc adds its CLI11
// subcommand (flags and help) to the root app and returns the function that runs it once
// the command line is parsed; RunCli (cli.cc) holds the table of them.
#ifndef LIFEBOAT_CLI_COMMANDS_H_
#define LIFEBOAT_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <functional>

namespace lifeboat {

// Runs the parsed subcommand; returns the process exit status.
using CommandRunner = std::function<int()>;

struct Subcommand {
  CLI::App* app;
  CommandRunner run;
};

Subcommand AddEvacuateCommand(CLI::App& root);  // evacuate.cc
Subcommand AddVerifyCommand(CLI::App& root);    // verify.cc
Subcommand AddCatCommand(CLI::App& root);       // cat.cc
Subcommand AddLsCommand(CLI::App& root);        // ls.cc
Subcommand AddGrepCommand(CLI::App& root);      // grep.cc
Subcommand AddAgentCommand(CLI::App& root);     // agent.cc
Subcommand AddControllerCommand(CLI::App& root);  // controller.cc
Subcommand AddDemoCommand(CLI::App& root);      // demo.cc
Subcommand AddLocalCommand(CLI::App& root);     // local.cc
Subcommand AddInstanceInitCommand(CLI::App& root);  // instance_init.cc (hidden)
Subcommand AddInstanceExecCommand(CLI::App& root);  // instance_exec.cc (hidden)

int RunCli(int argc, char** argv);

// Started as `bootstrap` (the handler file of a Lambda custom runtime), the binary runs
// `lifeboat --log-level info controller --lambda`, configured by the function's environment.
bool StartedAsLambdaBootstrap(const char* argv0);
int RunLambdaBootstrap();

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_COMMANDS_H_
