// lifeboat-local instance-exec (hidden): runs a program inside a running instance of
// `lifeboat local`, started by the instance fleet for Run Command, never by hand. See
// local/instances/instance_exec.h for what it does.
#include "local/instances/instance_exec.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cli/executables.h"
#include "local_cli/local_commands.h"

namespace lifeboat {

Subcommand AddInstanceExecCommand(CLI::App& root) {
  struct Flags {
    int namespaces_of = -1;
    std::string cwd;
    std::vector<std::string> program;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = root.add_subcommand("instance-exec", LocalCommandSummary("instance-exec"));
  cmd->group("");  // internal: not listed in --help
  cmd->add_option("--namespaces-of", flags->namespaces_of,
                  "PID of the instance's init whose namespaces to enter");
  cmd->add_option("--cwd", flags->cwd, "Working directory inside the instance");
  cmd->add_option("program", flags->program, "PROGRAM ARGS... (after --)")->required();
  return {cmd, [flags] {
            InstanceExecOptions options;
            options.namespaces_of = flags->namespaces_of;
            options.working_directory = flags->cwd;
            options.program = flags->program;
            return RunInstanceExec(options);
          }};
}

}  // namespace lifeboat
