#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
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
    AddLsCommand,
    AddGrepCommand,
    AddAgentCommand,
    AddControllerCommand,
    AddDemoCommand,
    AddLocalCommand,
    AddInstanceInitCommand,
    AddInstanceExecCommand,
};

// Edits (insert, delete, replace) that turn `a` into `b`.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The first word that is not an option, when it names no command: CLI11 would call it a
// missing subcommand, and `lifeboat foo --help` would print the top-level help and exit
// 0, telling a script that checks for a command that it exists.
std::optional<std::string> UnknownCommand(int argc, char** argv, const CLI::App& app) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--log-level") {
      ++i;  // its value
      continue;
    }
    if (arg.starts_with("-")) continue;
    const auto commands = app.get_subcommands({});
    for (const CLI::App* sub : commands) {
      if (sub->check_name(std::string(arg))) return std::nullopt;
    }
    std::string message = "unknown command '" + std::string(arg) + "'";
    std::string closest;
    size_t best = 3;  // more edits than two is a different word, as git judges
    for (const CLI::App* sub : commands) {
      const size_t d = EditDistance(arg, sub->get_name());
      if (d < best) {
        best = d;
        closest = sub->get_name();
      }
    }
    if (!closest.empty()) message += "; did you mean '" + closest + "'?";
    return message;
  }
  return std::nullopt;
}

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

  if (auto unknown = UnknownCommand(argc, argv, app)) {
    std::fprintf(stderr, "lifeboat: %s\n", unknown->c_str());
    std::fprintf(stderr, "Run 'lifeboat --help' for the commands.\n");
    return kExitUsage;
  }
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
