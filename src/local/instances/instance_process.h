// InstanceProcess: one running `lifeboat instance-init` (instance_init.h), started with
// posix_spawn (safe from a multi-threaded server, unlike fork followed by C++) and ended
// with SIGTERM, a grace period and SIGKILL.
//
// The child gets: stdin /dev/null; stdout and stderr appended to a log file; a pipe on
// descriptor 3 on which it reports readiness; its own process group; default signal
// dispositions and no blocked signals (the server blocks SIGTERM/SIGINT in every thread and
// libraries ignore SIGPIPE: neither must leak into instance processes).
//
// Not thread-safe: the owner serializes calls. The destructor kills and reaps the process
// if it is still there.
#ifndef LIFEBOAT_LOCAL_INSTANCES_INSTANCE_PROCESS_H_
#define LIFEBOAT_LOCAL_INSTANCES_INSTANCE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace lifeboat {

// The rest of what the init reports on its ready pipe: "booted" once the user data has run.
// Owns the pipe's read end.
class BootReport {
 public:
  BootReport(int fd, std::string already_read) : fd_(fd), buffer_(std::move(already_read)) {}
  ~BootReport();
  BootReport(const BootReport&) = delete;
  BootReport& operator=(const BootReport&) = delete;
  // Blocks until the init reports "booted" (true) or the pipe closes without it (false:
  // the instance ended first).
  bool Wait();

 private:
  int fd_;
  std::string buffer_;
};

struct InstanceSpawn {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  std::vector<std::string> env;   // "NAME=value", the whole environment
  std::string log_path;           // stdout and stderr, appended
  std::chrono::milliseconds ready_timeout{5000};
};

class InstanceProcess {
 public:
  // Starts the process and waits for its ready line ("namespaces" or "none"). When it exits
  // or stays silent instead, it is killed and the error quotes the last line of its log.
  static Result<std::unique_ptr<InstanceProcess>> Spawn(const InstanceSpawn& spawn);
  ~InstanceProcess();
  InstanceProcess(const InstanceProcess&) = delete;
  InstanceProcess& operator=(const InstanceProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The ready line: true for "namespaces".
  bool isolated() const { return isolated_; }
  // What the init reports after the ready line; once (later calls: nullptr).
  std::unique_ptr<BootReport> TakeBootReport() { return std::move(boot_report_); }

  // Whether it has not exited (one that has is reaped here).
  bool Running();
  // SIGTERM: the init starts its shutdown.
  void SendTerm();
  // Waits for it to exit until `deadline`, then SIGKILLs it; either way kills whatever is
  // left in its process group and reaps it. Afterwards Running() is false.
  void WaitOrKill(std::chrono::steady_clock::time_point deadline);

 private:
  explicit InstanceProcess(pid_t pid) : pid_(pid) {}
  bool Exited();  // without reaping
  void Reap();    // kills the rest of its process group, then waits for it

  pid_t pid_;
  std::unique_ptr<BootReport> boot_report_;
  bool reaped_ = false;
  bool lost_ = false;  // someone else reaped it
  bool isolated_ = false;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_INSTANCE_PROCESS_H_
