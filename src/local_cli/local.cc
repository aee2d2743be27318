// `lifeboat local`: the seed's AWS pieces on 127.0.0.1, speaking the real wire protocols,
// so the unmodified aws CLI, boto3 and lifeboat's own clients work against it.
#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/cli_support.h"
#include "cli/executables.h"
#include "common/logging.h"
#include "local/local_cloud.h"
#include "local_cli/local_commands.h"

namespace lifeboat {
namespace {

struct LocalFlags {
  std::string dir = "./lifeboat-local";
  int port = 4566;
  double time_scale = 1.0;
  std::string access_key = "test";
  std::string secret_key = "test";
  std::string log_level = "info";
};

int RunLocal(const LocalFlags& flags) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts
  if (!InitLogging(flags.log_level)) {
    return Fail(Status::InvalidArgument("--log-level " + flags.log_level + ": unknown level"), kExitUsage);
  }
  if (flags.time_scale <= 0) {
    return Fail(Status::InvalidArgument("--time-scale must be greater than 0"), kExitUsage);
  }
  Env* env = Env::Default();
  std::string dir = flags.dir;
  if (dir.empty() || dir[0] != '/') {
    auto cwd = env->CurrentDirectory();
    if (!cwd.ok()) return Fail(cwd.status());
    dir = JoinPath(*cwd, dir);
  }
  LocalCloudOptions options;
  options.dir = dir;
  options.port = flags.port;
  options.time_scale = flags.time_scale;
  options.credentials = {{flags.access_key, flags.secret_key}};
  options.local_binary = SelfExecutable();
  auto lifeboat = ProductionExecutable();
  if (!lifeboat.ok()) return Fail(lifeboat.status());
  options.lifeboat_binary = *lifeboat;
  auto cloud = LocalCloud::Start(env, options);
  if (!cloud.ok()) return Fail(cloud.status());
  std::fprintf(stderr, "lifeboat local: listening on %s (state in %s, time scale %g)\n",
               (*cloud)->endpoint().c_str(), dir.c_str(), flags.time_scale);
  int received = 0;
  ::sigwait(&signals, &received);
  spdlog::info("lifeboat local: {} received, stopping", strsignal(received));
  (*cloud)->Stop();
  return kExitOk;
}

}  // namespace

Subcommand AddLocalCommand(CLI::App& root) {
  auto flags = std::make_shared<LocalFlags>();
  CLI::App* cmd = root.add_subcommand("local", LocalCommandSummary("local"));
  cmd->add_option("--dir", flags->dir, "Where state (S3 objects) is kept")->capture_default_str();
  cmd->add_option("--port", flags->port, "Port on 127.0.0.1 (0: any free port)")->capture_default_str();
  cmd->add_option("--time-scale", flags->time_scale,
                  "Run lifecycle timers this many times faster")->capture_default_str();
  cmd->add_option("--access-key", flags->access_key, "Access key id clients sign with")->capture_default_str();
  cmd->add_option("--secret-key", flags->secret_key, "Its secret")->capture_default_str();
  cmd->add_option("--log-level", flags->log_level, "trace|debug|info|warn|error|off")->capture_default_str();
  return {cmd, [flags] { return RunLocal(*flags); }};
}

}  // namespace lifeboat
