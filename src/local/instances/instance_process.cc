#include "local/instances/instance_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <thread>

#include "common/spawn_setup.h"

namespace lifeboat {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kReadyFd = 3;

// The last non-empty line of a log, to say why an init gave up.
std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

// Takes the first line out of `buffer`, reading `fd` until a newline, end of file or the
// deadline (none: no limit); what follows the newline stays in `buffer`. nullopt when no
// whole line came.
std::optional<std::string> ReadLine(int fd, std::string& buffer,
                                    std::optional<Steady::time_point> deadline) {
  for (;;) {
    if (size_t nl = buffer.find('\n'); nl != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      return line;
    }
    int timeout = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Steady::now());
      if (left.count() <= 0) return std::nullopt;
      timeout = static_cast<int>(left.count());
    }
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    char buf[64];
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return std::nullopt;
    buffer.append(buf, static_cast<size_t>(got));
  }
}

}  // namespace

BootReport::~BootReport() {
  if (fd_ >= 0) ::close(fd_);
}

bool BootReport::Wait() {
  if (fd_ < 0) return false;
  std::optional<std::string> line = ReadLine(fd_, buffer_, std::nullopt);
  ::close(fd_);
  fd_ = -1;
  return line == "booted";
}

Result<std::unique_ptr<InstanceProcess>> InstanceProcess::Spawn(const InstanceSpawn& spawn) {
  if (spawn.argv.empty()) return Status::InvalidArgument("instance-init: no program to run");
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return PosixError("instance-init: pipe", errno);
  int read_fd = pipe_fds[0];
  int write_fd = pipe_fds[1];
  if (write_fd == kReadyFd) {
    // dup2 onto itself would leave close-on-exec set: move it out of the way first.
    write_fd = ::fcntl(pipe_fds[1], F_DUPFD_CLOEXEC, kReadyFd + 1);
    ::close(pipe_fds[1]);
  }

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, 1, spawn.log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&setup.actions, 1, 2);
  posix_spawn_file_actions_adddup2(&setup.actions, write_fd, kReadyFd);
  setup.CleanSignalsNewGroup();

  std::vector<char*> argv = CStrings(spawn.argv);
  std::vector<char*> envp = CStrings(spawn.env);
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data());
  ::close(write_fd);
  if (err != 0) {
    ::close(read_fd);
    return PosixError("cannot start " + spawn.argv[0], err);
  }
  std::unique_ptr<InstanceProcess> process(new InstanceProcess(pid));
  std::string buffer;
  std::string ready =
      ReadLine(read_fd, buffer, Steady::now() + spawn.ready_timeout).value_or("");
  if (ready != "namespaces" && ready != "none") {
    ::close(read_fd);
    process->WaitOrKill(Steady::now());
    std::string why = LastLine(spawn.log_path);
    return Status::Internal("instance-init did not start" + (why.empty() ? "" : ": " + why) +
                            " (log: " + spawn.log_path + ")");
  }
  process->isolated_ = ready == "namespaces";
  process->boot_report_ = std::make_unique<BootReport>(read_fd, std::move(buffer));
  return process;
}

InstanceProcess::~InstanceProcess() {
  if (!reaped_) WaitOrKill(Steady::now());
}

bool InstanceProcess::Exited() {
  siginfo_t info{};
  // WNOWAIT: a zombie keeps its pid (and process group id) reserved until Reap().
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    lost_ = errno == ECHILD;  // reaped behind our back (someone waited for any child)
    return lost_;
  }
  return info.si_pid == pid_;
}

void InstanceProcess::Reap() {
  reaped_ = true;
  if (lost_) return;  // its pid and group id may already belong to someone else
  // Anything still in its process group escaped the init (only possible without
  // namespaces); the group id cannot have been reused while the init is unreaped.
  ::kill(-pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

bool InstanceProcess::Running() {
  if (reaped_) return false;
  if (!Exited()) return true;
  Reap();
  return false;
}

void InstanceProcess::SendTerm() {
  if (!reaped_) ::kill(pid_, SIGTERM);
}

void InstanceProcess::WaitOrKill(Steady::time_point deadline) {
  if (reaped_) return;
  while (!Exited() && Steady::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!Exited()) ::kill(pid_, SIGKILL);
  Reap();
}

}  // namespace lifeboat
