#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "cli/cli_support.h"
#include "common/logging.h"
#include "common/version.h"

namespace lifeboat {
namespace {

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

// The command word, when it names no command: CLI11 would call it a missing subcommand,
// and `lifeboat foo --help` would print the top-level help and exit 0, telling a script
// that checks for a command that it exists.
std::optional<std::string> UnknownCommand(int argc, char** argv, const CLI::App& app) {
  const std::optional<std::string_view> word = CommandWord(argc, argv);
  if (!word) return std::nullopt;
  const std::string arg(*word);
  const auto commands = app.get_subcommands({});
  for (const CLI::App* sub : commands) {
    if (sub->check_name(arg)) return std::nullopt;
  }
  std::string message = "unknown command '" + arg + "'";
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

}  // namespace

std::optional<std::string_view> CommandWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--log-level") {
      ++i;  // its value
      continue;
    }
    if (!arg.starts_with("-")) return arg;
  }
  return std::nullopt;
}

int RunCommandLine(int argc, char** argv, const CommandLine& line) {
  CLI::App app{line.description};
  app.set_version_flag("--version", std::string(line.program) + " " + LifeboatVersion());
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|off")
      ->capture_default_str();

  std::vector<Subcommand> subcommands;
  for (AddCommand add : line.commands) subcommands.push_back(add(app));
  for (const ListedCommand& listed : line.listed) {
    CLI::App* cmd = app.add_subcommand(listed.name, listed.summary);
    if (listed.hidden) cmd->group("");
  }

  if (auto unknown = UnknownCommand(argc, argv, app)) {
    std::fprintf(stderr, "%s: %s\n", line.program, unknown->c_str());
    std::fprintf(stderr, "Run '%s --help' for the commands.\n", line.program);
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help and version on stdout, errors as one line on stderr.
    if (e.get_exit_code() != 0) {
      std::fprintf(stderr, "%s: %s\n", line.program, e.what());
      std::fprintf(stderr, "Run '%s --help' (or '%s COMMAND --help') for usage.\n", line.program,
                   line.program);
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
