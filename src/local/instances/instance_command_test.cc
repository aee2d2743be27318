// InstanceFleet::RunCommand with real instances: lifeboat-local built next to this
// test runs `instance-init` and `instance-exec`, scripts run in real bash processes.
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "fakes/temp_dir.h"
#include "local/instances/instance_fleet.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// lifeboat-local (instance-init, instance-exec) and the production lifeboat (bin/lifeboat),
// built beside this test.
std::string BuiltBinary(const char* name) {
  return (fs::read_symlink("/proc/self/exe").parent_path() / name).string();
}

std::string NewInstanceId() {
  static std::mt19937_64 random{std::random_device{}()};
  char buf[32];
  std::snprintf(buf, sizeof buf, "i-%016llx", static_cast<unsigned long long>(random()));
  return buf;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

bool NamespacesAvailable() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(::unshare(CLONE_NEWNS | CLONE_NEWPID) == 0 ? 0 : 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return ::geteuid() == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

class InstanceCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"lifeboat", "lifeboat-local"}) {
      ASSERT_TRUE(fs::exists(BuiltBinary(name))) << BuiltBinary(name) << " is missing";
    }
  }
  std::unique_ptr<InstanceFleet> Fleet(bool namespaces) {
    InstanceCloudInfo info;
    info.cloud_endpoint = "http://127.0.0.1:4566";
    info.local_binary = BuiltBinary("lifeboat-local");
    info.lifeboat_binary = BuiltBinary("lifeboat");
    info.terminate_grace = milliseconds(300);
    info.use_namespaces = namespaces;
    return std::make_unique<InstanceFleet>(Env::Default(), dir_.Join("instances"), info);
  }
  // Launches an instance whose user data writes `user_data` and then marks itself ready.
  std::string Launch(InstanceFleet& fleet, const std::string& user_data) {
    InstanceLaunchSpec spec;
    spec.instance_id = NewInstanceId();
    spec.group_name = "web";
    spec.tags = {{"Name", "app"}};
    spec.user_data = "#!/bin/bash\n" + user_data + "\ntouch \"$LIFEBOAT_INSTANCE_ROOT/ready\"\n";
    EXPECT_TRUE(fleet.Launch(spec).ok());
    const std::string ready = fleet.RootOf(spec.instance_id) + "/ready";
    for (int i = 0; i < 800 && !fs::exists(ready); ++i)
      std::this_thread::sleep_for(milliseconds(5));
    EXPECT_TRUE(fs::exists(ready));
    return spec.instance_id;
  }
  InstanceCommandResult Run(InstanceFleet& fleet, const std::string& id, const std::string& script,
                            milliseconds timeout = milliseconds(20000),
                            const std::atomic<bool>* cancel = nullptr) {
    InstanceCommand command;
    command.run_name = "cmd-" + std::to_string(++runs_) + "/step";
    command.script = script;
    command.timeout = timeout;
    command.cancel = cancel;
    auto result = fleet.RunCommand(id, command);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? *result : InstanceCommandResult{};
  }
  TempDir dir_;
  int runs_ = 0;
};

TEST_F(InstanceCommandTest, RunsInsideTheIsolatedInstanceLikeTheSeedsDocument) {
  if (!NamespacesAvailable()) GTEST_SKIP() << "namespaces need root; the fallback test runs here";
  auto fleet = Fleet(true);
  const std::string id = Launch(*fleet,
                                "mkdir -p /var/log/php-fpm\n"
                                "echo \"error from $LIFEBOAT_INSTANCE_ID\" > "
                                "/var/log/php-fpm/error.log");
  // The seed's bash array syntax, the instance's own /var/log, its metadata, its pid
  // namespace (a few processes, not the host's hundreds).
  InstanceCommandResult r = Run(*fleet, id,
                                "instanceid=(`ec2-metadata -i | cut -d ' ' -f 2`)\n"
                                "echo \"id=$instanceid\"\n"
                                "cat /var/log/php-fpm/error.log\n"
                                "echo \"isolation=$LIFEBOAT_INSTANCE_ISOLATION\"\n"
                                "echo \"endpoint=${AWS_ENDPOINT_URL}\"\n"
                                "echo \"cwd=$(pwd)\"\n"
                                "echo \"bash=${BASH_VERSION:+yes}\"\n"
                                "ls /proc | grep -c '^[0-9]' > /tmp/count\n"
                                "echo oops >&2\n"
                                "exit 4\n");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_FALSE(r.timed_out);
  const std::string root = fleet->RootOf(id);
  EXPECT_EQ(ReadFile(r.stdout_path), "id=" + id + "\nerror from " + id +
                                         "\nisolation=namespaces\nendpoint=http://127.0.0.1:4566\n"
                                         "cwd=" +
                                         root + "\nbash=yes\n");
  EXPECT_EQ(ReadFile(r.stderr_path), "oops\n");
  EXPECT_TRUE(r.stdout_path.starts_with(root + "/var/lib/amazon/ssm/" + id +
                                        "/document/orchestration/cmd-1/step/"));
  EXPECT_TRUE(fs::exists(fs::path(r.stdout_path).parent_path() / "_script.sh"));
  EXPECT_LT(std::stoi(ReadFile(root + "/tmp/count")), 20);
  EXPECT_FALSE(fs::exists("/var/log/php-fpm/error.log") &&
               ReadFile("/var/log/php-fpm/error.log").find(id) != std::string::npos);
}

TEST_F(InstanceCommandTest, FallbackRunsWithTheInstanceEnvironment) {
  auto fleet = Fleet(false);
  const std::string id = Launch(*fleet,
                                "mkdir -p \"$LIFEBOAT_INSTANCE_ROOT/var/log/app\"\n"
                                "echo hi > \"$LIFEBOAT_INSTANCE_ROOT/var/log/app/x.log\"");
  InstanceCommandResult r = Run(*fleet, id,
                                "cat var/log/app/x.log\n"  // the root is the working directory
                                "echo \"$LIFEBOAT_INSTANCE_ID $LIFEBOAT_INSTANCE_ISOLATION\"\n"
                                "ec2-metadata -i\n"
                                "arr=(a b c); echo ${#arr[@]}\n");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(ReadFile(r.stdout_path), "hi\n" + id + " none\ninstance-id: " + id + "\n3\n");

  auto running = fleet->RunningInstances();
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0].instance_id, id);
  EXPECT_EQ(running[0].tags.at("aws:autoscaling:groupName"), "web");
  EXPECT_EQ(running[0].tags.at("Name"), "app");
}

TEST_F(InstanceCommandTest, TimeoutAndCancelKillEverythingTheScriptStarted) {
  auto fleet = Fleet(NamespacesAvailable());
  const std::string id = Launch(*fleet, "true");
  const std::string root = fleet->RootOf(id);
  const auto start = std::chrono::steady_clock::now();
  InstanceCommandResult r =
      Run(*fleet, id, "sleep 1000 & echo $! > \"$LIFEBOAT_INSTANCE_ROOT/child\"; wait\n",
          milliseconds(500));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 137);

  std::atomic<bool> cancel{false};
  auto running = std::async(std::launch::async, [&] {
    return Run(*fleet, id, "sleep 1000\n", milliseconds(60000), &cancel);
  });
  std::this_thread::sleep_for(milliseconds(300));
  cancel = true;
  InstanceCommandResult cancelled = running.get();
  EXPECT_TRUE(cancelled.cancelled);
  EXPECT_EQ(cancelled.exit_code, 137);
}

TEST_F(InstanceCommandTest, TerminateEndsRunningCommands) {
  for (bool namespaces : {false, NamespacesAvailable()}) {
    auto fleet = Fleet(namespaces);
    const std::string id = Launch(*fleet, "true");
    auto running = std::async(std::launch::async,
                              [&] { return Run(*fleet, id, "sleep 1000\n", milliseconds(60000)); });
    std::this_thread::sleep_for(milliseconds(300));
    const auto start = std::chrono::steady_clock::now();
    fleet->Terminate(id);
    InstanceCommandResult r = running.get();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
    EXPECT_NE(r.exit_code, 0) << "namespaces=" << namespaces;
    EXPECT_FALSE(r.timed_out);

    InstanceCommand after;
    after.run_name = "late/step";
    after.script = "true\n";
    auto refused = fleet->RunCommand(id, after);
    EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  }
}

TEST_F(InstanceCommandTest, RejectsRunNamesOutsideTheOrchestrationDirectory) {
  auto fleet = Fleet(false);
  const std::string id = Launch(*fleet, "true");
  InstanceCommand command;
  command.script = "true\n";
  for (const char* name : {"../escape", "/abs", "a/../../b", "sp ace"}) {
    command.run_name = name;
    EXPECT_EQ(fleet->RunCommand(id, command).status().code(), StatusCode::kInvalidArgument) << name;
  }
  command.run_name = "ok";
  EXPECT_EQ(fleet->RunCommand("i-00000000", command).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace lifeboat
