// What both executables' command lines share: a table of subcommands, each added by one
// function (flags and help) that returns how to run it once parsed; the unknown-command
// hint; the exit statuses. `lifeboat` (cli.cc) and `lifeboat-local` (local_cli/main.cc)
// differ only in their tables.
#ifndef LIFEBOAT_CLI_COMMAND_LINE_H_
#define LIFEBOAT_CLI_COMMAND_LINE_H_

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

// CLI11 costs seconds per file that includes it: only the files that add flags do.
namespace CLI {
class App;
}  // namespace CLI

namespace lifeboat {

// Runs the parsed subcommand; returns the process exit status.
using CommandRunner = std::function<int()>;

struct Subcommand {
  CLI::App* app;
  CommandRunner run;
};

using AddCommand = Subcommand (*)(CLI::App& root);

// A command that another executable runs: listed in --help (unless hidden) and known to the
// closest-command hint, never parsed here (the caller hands it over before parsing).
struct ListedCommand {
  const char* name;
  const char* summary;
  bool hidden;
};

struct CommandLine {
  const char* program;      // in --version
  const char* description;  // the first line of --help
  std::span<const AddCommand> commands;
  std::span<const ListedCommand> listed = {};
};

// Parses argv against `line` and runs the chosen command; returns the exit status.
int RunCommandLine(int argc, char** argv, const CommandLine& line);

// The first word of argv that is not an option (nor --log-level's value): the command.
std::optional<std::string_view> CommandWord(int argc, char** argv);

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_COMMAND_LINE_H_
