// lifeboat's two executables. `lifeboat` is what runs in production (on an instance, in
// the Lambda zip, on an operator's machine); `lifeboat-local` holds the AWS emulator and
// what runs on it (local, demo, and the simulated instances' helpers), so that the binary
// next to a customer's application carries no emulator code or library. Both are
// installed in one directory, and `lifeboat local ...` keeps working: lifeboat runs
// lifeboat-local from its own directory with the same arguments, as git runs git-foo.
#ifndef LIFEBOAT_CLI_EXECUTABLES_H_
#define LIFEBOAT_CLI_EXECUTABLES_H_

#include <span>
#include <string>
#include <string_view>

#include "cli/command_line.h"
#include "common/status.h"

namespace lifeboat {

inline constexpr char kProductionExecutable[] = "lifeboat";
inline constexpr char kLocalExecutable[] = "lifeboat-local";

// The commands lifeboat-local runs, as `lifeboat --help` lists them; their summaries are
// lifeboat-local's help too.
std::span<const ListedCommand> LocalCommands();
const char* LocalCommandSummary(std::string_view name);  // "" for no such command

// Replaces this process with lifeboat-local, argv unchanged. Returns only
// when it cannot: after one line on stderr, with the usage status (2).
int RunLifeboatLocal(char** argv, std::string_view command);

// This process's executable (/proc/self/exe resolved; "" when unreadable), and the path of
// `name` in the same directory.
std::string SelfExecutable();
std::string SiblingExecutable(std::string_view name);

// The production lifeboat beside this executable, which lifeboat-local's instances and
// the demo's controller function run; an error naming where it was looked for.
Result<std::string> ProductionExecutable();

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_EXECUTABLES_H_
