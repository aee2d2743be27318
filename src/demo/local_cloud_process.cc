#include "demo/local_cloud_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <regex>
#include <thread>
#include <vector>

#include "common/spawn_setup.h"

extern char** environ;

namespace lifeboat {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Result<std::unique_ptr<LocalCloudProcess>> LocalCloudProcess::Start(
    const std::string& local_binary, const std::string& dir, double time_scale,
    const std::string& log_path) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return PosixError("pipe", errno);
  SpawnSetup setup;
  setup.CleanSignalsNewGroup();
  // stderr carries the "listening on" line: a pipe first, then the log file.
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, 1, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&setup.actions, pipe_fds[1], 2);
  char scale[32];
  std::snprintf(scale, sizeof(scale), "%g", time_scale);
  std::vector<std::string> argv = {local_binary,    "--log-level", "warn",   "local",
                                   "--dir",         dir,           "--port", "0",
                                   "--time-scale",  scale};
  std::vector<char*> args = CStrings(argv);
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, args[0], &setup.actions, &setup.attr, args.data(), environ);
  ::close(pipe_fds[1]);
  if (err != 0) {
    ::close(pipe_fds[0]);
    return PosixError("cannot start " + local_binary + " local", err);
  }
  auto cloud = std::unique_ptr<LocalCloudProcess>(new LocalCloudProcess(pid, ""));

  std::string seen;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  static const std::regex kListening("listening on (http://[^ ]+)");
  std::smatch m;
  while (!std::regex_search(seen, m, kListening)) {
    pollfd p{pipe_fds[0], POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[4096];
    const ssize_t n = ::read(pipe_fds[0], buf, sizeof(buf));
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
  }
  if (!std::regex_search(seen, m, kListening)) {
    ::close(pipe_fds[0]);
    return Status::Unavailable("lifeboat local did not start: " + seen);
  }
  cloud->url_ = m[1];
  // Its further stderr goes to the log, from a thread that lives as long as the pipe.
  std::thread([fd = pipe_fds[0], log_path] {
    int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof(buf))) > 0) {
      if (out >= 0) (void)!::write(out, buf, static_cast<size_t>(n));
    }
    if (out >= 0) ::close(out);
    ::close(fd);
  }).detach();
  return cloud;
}

LocalCloudProcess::~LocalCloudProcess() { Stop(); }

void LocalCloudProcess::Stop(int grace_ms) {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

}  // namespace lifeboat
