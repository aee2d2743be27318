// The subcommands of lifeboat-local: the AWS emulator and what runs on it. Each
// src/local_cli/<name>.cc adds its CLI11 subcommand as src/cli/commands.h describes;
// main.cc holds the table. `lifeboat local ...` reaches these through lifeboat
// (cli/executables.h).
#ifndef LIFEBOAT_LOCAL_CLI_LOCAL_COMMANDS_H_
#define LIFEBOAT_LOCAL_CLI_LOCAL_COMMANDS_H_

#include "cli/command_line.h"

namespace lifeboat {

Subcommand AddDemoCommand(CLI::App& root);          // demo.cc
Subcommand AddLocalCommand(CLI::App& root);         // local.cc
Subcommand AddInstanceInitCommand(CLI::App& root);  // instance_init.cc (hidden)
Subcommand AddInstanceExecCommand(CLI::App& root);  // instance_exec.cc (hidden)

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_CLI_LOCAL_COMMANDS_H_
