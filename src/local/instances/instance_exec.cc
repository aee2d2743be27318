#include "local/instances/instance_exec.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lifeboat {
namespace {

int Fail(const char* what, const std::string& detail, int err) {
  std::fprintf(stderr, "lifeboat instance-exec: %s %s: %s\n", what, detail.c_str(),
               std::strerror(err));
  return 1;
}

// Joins one namespace of `pid`, named as under /proc/<pid>/ns/.
int Enter(pid_t pid, const char* name, int type) {
  const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail("cannot open", path, errno);
  int rc = ::setns(fd, type);
  int err = errno;
  ::close(fd);
  return rc == 0 ? 0 : Fail("cannot enter", path, err);
}

int ExitStatusOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

[[noreturn]] void Exec(const std::vector<std::string>& program) {
  std::vector<char*> argv;
  for (const auto& arg : program) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  std::fprintf(stderr, "lifeboat instance-exec: cannot run %s: %s\n", argv[0],
               std::strerror(errno));
  ::_exit(127);
}

}  // namespace

int RunInstanceExec(const InstanceExecOptions& options) {
  // Descriptors the server leaked into us (sockets other threads opened while we were
  // spawned) would keep its ports alive in whatever the script leaves running.
  ::close_range(3, ~0U, 0);
  if (options.program.empty()) {
    std::fprintf(stderr, "lifeboat instance-exec: no program to run\n");
    return 1;
  }
  if (options.namespaces_of > 0) {
    // The pid namespace applies to children only; the mount namespace resets the root and
    // the working directory to the namespace's.
    if (int rc = Enter(options.namespaces_of, "pid_for_children", CLONE_NEWPID); rc != 0) {
      return rc;
    }
    if (int rc = Enter(options.namespaces_of, "mnt", CLONE_NEWNS); rc != 0) return rc;
  }
  if (!options.working_directory.empty() && ::chdir(options.working_directory.c_str()) != 0) {
    return Fail("cannot change to the working directory", options.working_directory, errno);
  }
  if (options.namespaces_of <= 0) Exec(options.program);

  // SIGCHLD wakes the wait below; SIGTERM/SIGINT/SIGHUP sent to us alone go on to the
  // program (the server stops a run by killing the whole process group).
  sigset_t waited;
  sigemptyset(&waited);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&waited, sig);
  sigset_t before;
  ::sigprocmask(SIG_BLOCK, &waited, &before);
  pid_t child = ::fork();
  if (child < 0) {
    // ENOMEM here: the namespace's init is gone, the instance is shutting down.
    return Fail("cannot start a process in the instance of",
                "pid " + std::to_string(options.namespaces_of), errno);
  }
  if (child == 0) {
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    Exec(options.program);
  }
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) return ExitStatusOf(status);
    if (done < 0 && errno != EINTR) return Fail("lost the program", options.program[0], errno);
    timespec tick{1, 0};
    int sig = ::sigtimedwait(&waited, nullptr, &tick);
    if (sig > 0 && sig != SIGCHLD) ::kill(child, sig);
  }
}

}  // namespace lifeboat
