#include "cli/executables.h"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "cli/cli_support.h"

namespace lifeboat {
namespace {

constexpr ListedCommand kLocalCommands[] = {
    {"demo",
     "Run the whole architecture on lifeboat local, scale in, and show every line stored "
     "and each instance released (timeline in DIR/timeline.svg and .html)",
     false},
    {"local", "Run S3, SQS, EC2 and Auto Scaling on 127.0.0.1 with AWS's wire protocols", false},
    // Started by lifeboat local only: not listed by --help.
    {"instance-init", "Init process of a lifeboat local instance (started by lifeboat local)",
     true},
    {"instance-exec", "Run a program inside a lifeboat local instance (started by lifeboat local)",
     true},
};

}  // namespace

std::span<const ListedCommand> LocalCommands() { return kLocalCommands; }

const char* LocalCommandSummary(std::string_view name) {
  for (const ListedCommand& c : kLocalCommands) {
    if (name == c.name) return c.summary;
  }
  return "";
}

std::string SelfExecutable() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::string SiblingExecutable(std::string_view name) {
  const std::string self = SelfExecutable();
  const size_t slash = self.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : self.substr(0, slash);
  return dir + "/" + std::string(name);
}

Result<std::string> ProductionExecutable() {
  std::string path = SiblingExecutable(kProductionExecutable);
  if (::access(path.c_str(), X_OK) != 0) {
    return Status::NotFound(std::string(kLocalExecutable) +
                            " needs the lifeboat binary beside it: " + path + ": " +
                            std::strerror(errno));
  }
  return path;
}

int RunLifeboatLocal(char** argv, std::string_view command) {
  const std::string path = SiblingExecutable(kLocalExecutable);
  // argv[0] stays as typed, so that usage lines read `lifeboat local ...` as documented;
  // lifeboat-local finds itself through /proc/self/exe, not argv[0].
  ::execv(path.c_str(), argv);
  const int err = errno;
  std::fprintf(stderr,
               "lifeboat: '%.*s' runs %s, which is not installed beside lifeboat (%s: %s); "
               "install the lifeboat-local package, or build it (make build)\n",
               static_cast<int>(command.size()), command.data(), kLocalExecutable, path.c_str(),
               std::strerror(err));
  return kExitUsage;
}

}  // namespace lifeboat
