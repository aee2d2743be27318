#include "local/instances/instance_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "common/spawn_setup.h"

namespace lifeboat {
namespace {

using Steady = std::chrono::steady_clock;
// How often a cancel flag is looked at while waiting.
constexpr std::chrono::milliseconds kCancelPoll{50};

int ExitStatusOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

}  // namespace

Result<std::unique_ptr<InstanceCommandProcess>> InstanceCommandProcess::Start(
    const InstanceCommandSpawn& spawn) {
  std::vector<std::string> argv = {spawn.local_binary, "instance-exec"};
  if (spawn.namespaces_of > 0) {
    argv.push_back("--namespaces-of");
    argv.push_back(std::to_string(spawn.namespaces_of));
  }
  if (!spawn.working_directory.empty()) {
    argv.push_back("--cwd");
    argv.push_back(spawn.working_directory);
  }
  argv.push_back("--");
  argv.insert(argv.end(), spawn.program.begin(), spawn.program.end());

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, 1, spawn.stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&setup.actions, 2, spawn.stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The server blocks signals in its threads and libraries ignore SIGPIPE: a script must
  // start with defaults.
  setup.CleanSignalsNewGroup();
  std::vector<char*> args = CStrings(argv);
  std::vector<char*> envp = CStrings(spawn.env);
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, args[0], &setup.actions, &setup.attr, args.data(), envp.data());
  if (err != 0) return PosixError("cannot start " + spawn.local_binary + " instance-exec", err);
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  return std::unique_ptr<InstanceCommandProcess>(new InstanceCommandProcess(pid, pidfd));
}

InstanceCommandProcess::~InstanceCommandProcess() {
  if (!reaped_) {
    KillGroup();
    Reap();
  }
  if (pidfd_ >= 0) ::close(pidfd_);
}

bool InstanceCommandProcess::Exited() {
  siginfo_t info{};
  // WNOWAIT: unreaped, its pid (and group id) stays reserved, so KillGroup stays safe.
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD;
  }
  return info.si_pid == pid_;
}

InstanceCommandProcess::Ending InstanceCommandProcess::Wait(Steady::time_point deadline,
                                                            const std::atomic<bool>* cancel) {
  for (;;) {
    if (reaped_ || Exited()) return Ending::kExited;
    if (cancel != nullptr && cancel->load()) return Ending::kCancelled;
    const Steady::time_point now = Steady::now();
    if (now >= deadline) return Ending::kDeadline;
    auto slice = std::min<Steady::duration>(deadline - now, kCancelPoll);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(slice).count() + 1;
    if (pidfd_ >= 0) {
      pollfd p{pidfd_, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(ms));  // readable once it exits
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long long>(ms, 10)));
    }
  }
}

void InstanceCommandProcess::KillGroup() {
  if (!reaped_) ::kill(-pid_, SIGKILL);
}

int InstanceCommandProcess::Reap() {
  if (reaped_) return status_;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  status_ = ExitStatusOf(status);
  return status_;
}

}  // namespace lifeboat
