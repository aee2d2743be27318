// lifeboat-local instance-init (hidden): the init process of one simulated instance of
// `lifeboat local`, started by the instance fleet, never by hand. See
// local/instances/instance_init.h for what it does.
#include "local/instances/instance_init.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_support.h"
#include "cli/executables.h"
#include "local_cli/local_commands.h"

namespace lifeboat {

Subcommand AddInstanceInitCommand(CLI::App& root) {
  struct Flags {
    std::string root;
    int64_t grace_ms = 2000;
    bool no_namespaces = false;
    int ready_fd = -1;
    int64_t boot_limit_ms = 0;
    std::vector<std::string> program;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = root.add_subcommand("instance-init", LocalCommandSummary("instance-init"));
  cmd->group("");  // internal: not listed in --help
  cmd->add_option("--root", flags->root, "The instance's root directory")->required();
  cmd->add_option("--grace-ms", flags->grace_ms, "Milliseconds between SIGTERM and SIGKILL")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-namespaces", flags->no_namespaces, "Run without mount and pid namespaces");
  cmd->add_option("--ready-fd", flags->ready_fd, "Descriptor to report readiness on");
  cmd->add_option("--boot-limit-ms", flags->boot_limit_ms,
                  "Report the instance booted after this long even if its user data still runs")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("program", flags->program, "PROGRAM ARGS... (after --)");
  return {cmd, [flags] {
            InstanceInitOptions options;
            options.root = flags->root;
            options.grace = std::chrono::milliseconds(flags->grace_ms);
            options.namespaces = !flags->no_namespaces;
            options.ready_fd = flags->ready_fd;
            options.boot_limit = std::chrono::milliseconds(flags->boot_limit_ms);
            options.program = flags->program;
            return RunInstanceInit(options);
          }};
}

}  // namespace lifeboat
