#include "local/lambda/function_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "common/spawn_setup.h"

namespace lifeboat {
namespace {

std::string Lowercased(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string ExitReason(int code, int status) {
  if (code == CLD_EXITED) return "exit status " + std::to_string(status);
  const char* description = ::sigdescr_np(status);
  return "signal: " + (description ? Lowercased(description) : "signal " + std::to_string(status));
}

Result<std::unique_ptr<FunctionProcess>> FunctionProcess::Spawn(
    const FunctionSpawn& spawn, std::function<void(std::string reason)> on_exit) {
  if (spawn.argv.empty()) return Status::InvalidArgument("no program to run");
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, 1, spawn.log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&setup.actions, 1, 2);
  // The server's sockets (and other functions' pipes) must not stay open in the function.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
  if (!spawn.cwd.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, spawn.cwd.c_str());
  setup.CleanSignalsNewGroup();

  std::vector<char*> argv = CStrings(spawn.argv);
  std::vector<char*> envp = CStrings(spawn.env);
  pid_t pid = 0;
  // A bare name is looked up in this process's PATH, which functions inherit.
  bool search = spawn.argv[0].find('/') == std::string::npos;
  int err =
      search ? ::posix_spawnp(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data())
             : ::posix_spawn(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data());
  if (err != 0) {
    std::string why = ::strerrordesc_np(err) ? Lowercased(::strerrordesc_np(err)) : "error";
    return Status(PosixError(spawn.argv[0], err).code(), "fork/exec " + spawn.argv[0] + ": " + why);
  }
  std::unique_ptr<FunctionProcess> process(new FunctionProcess(pid));
  process->watcher_ = std::thread([pid, on_exit = std::move(on_exit)] {
    siginfo_t info{};
    int rc;
    // WNOWAIT: the zombie keeps its pid and process group id until the destructor reaps.
    while ((rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT)) != 0 &&
           errno == EINTR) {
    }
    on_exit(rc == 0 ? ExitReason(info.si_code, info.si_status) : std::string("exit status -1"));
  });
  return process;
}

void FunctionProcess::Kill() { ::kill(-pid_, SIGKILL); }

FunctionProcess::~FunctionProcess() {
  Kill();
  if (watcher_.joinable()) watcher_.join();
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace lifeboat
