// FunctionProcess: one Lambda runtime process (a `bootstrap`, or python3 running lifeboat's
// runtime client), started with posix_spawn, which is safe from a multi-threaded server
// where fork followed by C++ is not.
//
// The child gets: stdin /dev/null; stdout and stderr appended to the function's log file;
// the working directory given (LAMBDA_TASK_ROOT, as on AWS); only the environment given;
// no other inherited descriptors; its own process group, so ending it ends whatever it
// started; default signal dispositions and no blocked signals (the server blocks
// SIGTERM/SIGINT in every thread and libraries ignore SIGPIPE: neither must leak).
//
// A watcher thread waits for the exit without reaping (so the pid and process group id stay
// reserved until the destructor reaps) and reports it once through `on_exit`, worded as
// Lambda words it: "exit status 1", "signal: killed".
#ifndef LIFEBOAT_LOCAL_LAMBDA_FUNCTION_PROCESS_H_
#define LIFEBOAT_LOCAL_LAMBDA_FUNCTION_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct FunctionSpawn {
  std::vector<std::string> argv;  // argv[0]: a path, or a bare name looked up in PATH
  std::vector<std::string> env;   // "NAME=value": the whole environment
  std::string cwd;
  std::string log_path;  // stdout and stderr, appended
};

class FunctionProcess {
 public:
  // Fails (kNotFound, kPermissionDenied, ...) when the program cannot be started; the
  // message is Go-style, as Lambda reports it: "fork/exec /var/task/bootstrap: permission
  // denied". `on_exit` runs on the watcher thread and must not destroy this object.
  static Result<std::unique_ptr<FunctionProcess>> Spawn(
      const FunctionSpawn& spawn, std::function<void(std::string reason)> on_exit);
  // Kills the process group, waits for the watcher and reaps the process.
  ~FunctionProcess();
  FunctionProcess(const FunctionProcess&) = delete;
  FunctionProcess& operator=(const FunctionProcess&) = delete;

  pid_t pid() const { return pid_; }
  // SIGKILL to the whole process group. Thread-safe; harmless after the exit (the process
  // is not reaped before the destructor, so its ids cannot belong to anyone else).
  void Kill();

 private:
  explicit FunctionProcess(pid_t pid) : pid_(pid) {}

  const pid_t pid_;
  std::thread watcher_;
};

// How Lambda words a wait status: "exit status 2", "signal: killed".
std::string ExitReason(int code, int status);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_FUNCTION_PROCESS_H_
