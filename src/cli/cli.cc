#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/executables.h"
#include "common/env.h"

namespace lifeboat {
namespace {

// Every subcommand, in the order `lifeboat --help` lists them (lifeboat-local's after).
constexpr AddCommand kCommands[] = {
    AddEvacuateCommand, AddVerifyCommand, AddCatCommand,        AddLsCommand,
    AddGrepCommand,     AddAgentCommand,  AddControllerCommand,
};

}  // namespace

bool StartedAsLambdaBootstrap(const char* argv0) {
  const std::string_view name = argv0 == nullptr ? "" : argv0;
  const size_t slash = name.rfind('/');
  return name.substr(slash == std::string_view::npos ? 0 : slash + 1) == "bootstrap";
}

int RunLambdaBootstrap() {
  std::vector<std::string> args = {"bootstrap", "--log-level", "info", "controller", "--lambda"};
  if (auto level = Env::Default()->GetNonEmptyVar("LIFEBOAT_LOG_LEVEL")) args[2] = *level;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return RunCli(static_cast<int>(args.size()), argv.data());
}

int RunCli(int argc, char** argv) {
  if (auto word = CommandWord(argc, argv)) {
    for (const ListedCommand& local : LocalCommands()) {
      if (*word == local.name) return RunLifeboatLocal(argv, *word);
    }
  }
  const CommandLine line{
      .program = kProductionExecutable,
      .description = "lifeboat: get every log line off an EC2 instance before it is terminated",
      .commands = kCommands,
      .listed = LocalCommands(),
  };
  return RunCommandLine(argc, argv, line);
}

}  // namespace lifeboat
