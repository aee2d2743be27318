#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/env.h"
#include "common/logging.h"

namespace lifeboat {
namespace {

// Every subcommand, in the order `lifeboat --help` lists them.
constexpr Subcommand (*kCommands[])(CLI::App&) = {
    AddEvacuateCommand,
    AddVerifyCommand,
    AddCatCommand,
    AddAgentCommand,
    AddControllerCommand,
    AddDemoCommand,
    AddLocalCommand,
    AddInstanceInitCommand,
    AddInstanceExecCommand,
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
  return RunCli(static_cast<int>(argv.size()), argv.data());
}

int RunCli(int argc, char** argv) {
  CLI::App app{"lifeboat: get every log line off an EC2 instance before it is terminated"};
  app.set_version_flag("--version", std::string("lifeboat ") + LIFEBOAT_VERSION);
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|off")->capture_default_str();

  std::vector<Subcommand> subcommands;
  for (auto add : kCommands) subcommands.push_back(add(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help and version on stdout, errors as one line on stderr.
    if (e.get_exit_code() != 0) {
      std::fprintf(stderr, "lifeboat: %s\n", e.what());
      std::fprintf(stderr, "Run 'lifeboat --help' (or 'lifeboat COMMAND --help') for usage.\n");
      return kExitUsage;
    }
    return app.exit(e);
  }
  if (!InitLogging(log_level)) {
    return Fail(Status::InvalidArgument("--log-level " + log_level +
                                        ": not one of trace|debug|info|warn|error|off"),
                kExitUsage);
  }
  for (auto& sub : subcommands) {
    if (sub.app->parsed()) return sub.run();
  }
  return kExitUsage;
}

}  // namespace lifeboat
