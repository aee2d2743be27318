#include "lifecycle/pre_stop.h"

#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "common/spawn_setup.h"

extern char** environ;

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

// After SIGTERM, the group has this long to end before SIGKILL.
constexpr milliseconds kKillGrace{3000};

// Waits for `pid` until `deadline`; its exit code, or nullopt if it still runs.
std::optional<int> WaitUntil(Env& env, pid_t pid, SteadyTime deadline) {
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return 1;
    }
    if (r < 0 && errno != EINTR) return 127;  // not our child any more: nothing to wait for
    if (env.SteadyNow() >= deadline) return std::nullopt;
    env.SleepFor(milliseconds(10));
  }
}

PreStopResult RunOne(Env& env, const std::string& command, milliseconds timeout) {
  PreStopResult result;
  result.command = command;
  const SteadyTime start = env.SteadyNow();
  SpawnSetup setup;
  setup.CleanSignalsNewGroup();
  std::vector<std::string> argv = {"/bin/sh", "-c", command};
  std::vector<char*> args = CStrings(argv);
  pid_t pid = 0;
  int err = ::posix_spawn(&pid, "/bin/sh", &setup.actions, &setup.attr, args.data(), environ);
  if (err != 0) {
    result.exit_code = 127;
    spdlog::error("pre-stop command '{}' could not start: {}", command, std::strerror(err));
    return result;
  }
  std::optional<int> code = WaitUntil(env, pid, start + timeout);
  if (!code) {
    result.timed_out = true;
    ::kill(-pid, SIGTERM);
    code = WaitUntil(env, pid, env.SteadyNow() + kKillGrace);
    if (!code) {
      ::kill(-pid, SIGKILL);
      code = WaitUntil(env, pid, SteadyTime::max());
    }
  }
  result.exit_code = *code;
  result.took = std::chrono::duration_cast<milliseconds>(env.SteadyNow() - start);
  if (result.timed_out) {
    spdlog::error("pre-stop command '{}' still ran after {} ms and was stopped", command,
                  timeout.count());
  } else if (result.exit_code != 0) {
    spdlog::error("pre-stop command '{}' exited {} after {} ms; shipping the logs anyway", command,
                  result.exit_code, result.took.count());
  } else {
    spdlog::info("pre-stop command '{}' done in {} ms", command, result.took.count());
  }
  return result;
}

}  // namespace

std::vector<PreStopResult> RunPreStopCommands(Env& env, const std::vector<std::string>& commands,
                                              milliseconds timeout) {
  std::vector<PreStopResult> results;
  for (const auto& command : commands) {
    if (command.empty()) continue;
    results.push_back(RunOne(env, command, timeout));
  }
  return results;
}

}  // namespace lifeboat
