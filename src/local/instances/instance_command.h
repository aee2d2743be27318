// InstanceCommandProcess: one program run inside a simulated instance through
// `lifeboat instance-exec` (instance_exec.h), started with posix_spawn (safe from the
// multi-threaded server) in a process group of its own, so that a timeout or a cancel
// kills everything it started (SIGKILL to the group, as the SSM agent does). stdin is
// /dev/null; stdout and stderr go to files (as the agent keeps them), so a background
// process the script leaves behind does not hold the run open.
//
// Not thread-safe: one owner. The destructor kills and reaps what is left.
#ifndef LIFEBOAT_LOCAL_INSTANCES_INSTANCE_COMMAND_H_
#define LIFEBOAT_LOCAL_INSTANCES_INSTANCE_COMMAND_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct InstanceCommandSpawn {
  std::string local_binary;     // lifeboat-local: runs `instance-exec`
  pid_t namespaces_of = -1;     // the instance's init when isolated, else <= 0
  std::string working_directory;
  std::vector<std::string> program;      // inside the instance: {"bash", "-c", "/path/_script.sh"}
  std::vector<std::string> env;          // "NAME=value", the whole environment
  std::string stdout_path, stderr_path;  // created or truncated
};

class InstanceCommandProcess {
 public:
  enum class Ending { kExited, kDeadline, kCancelled };

  static Result<std::unique_ptr<InstanceCommandProcess>> Start(const InstanceCommandSpawn& spawn);
  ~InstanceCommandProcess();
  InstanceCommandProcess(const InstanceCommandProcess&) = delete;
  InstanceCommandProcess& operator=(const InstanceCommandProcess&) = delete;

  // Its pid, which is also its process group's id (valid until Reap()).
  pid_t pid() const { return pid_; }

  // Waits until it exits (without reaping it), `deadline` passes or *cancel turns true.
  Ending Wait(std::chrono::steady_clock::time_point deadline, const std::atomic<bool>* cancel);
  // SIGKILL to its whole process group.
  void KillGroup();
  // Waits for it to exit and reaps it: its exit status (128+N for a signal N).
  int Reap();

 private:
  InstanceCommandProcess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  bool Exited();

  pid_t pid_;
  int pidfd_;  // -1 when the kernel has no pidfd_open: Wait() then polls
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_INSTANCE_COMMAND_H_
