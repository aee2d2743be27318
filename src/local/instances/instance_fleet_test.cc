// Real instances: lifeboat-local built next to this test runs `instance-init`, user
// data runs in real shells, and processes are checked through /proc.
#include "local/instances/instance_fleet.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <thread>

#include "aws/imds_client.h"
#include "fakes/temp_dir.h"
#include "http/curl_http_client.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// lifeboat-local (instance-init) and the production lifeboat (bin/lifeboat), built beside
// this test.
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

bool WaitFor(const std::function<bool()>& done, milliseconds timeout = milliseconds(4000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

// Whether this machine lets us create mount and pid namespaces (root with CAP_SYS_ADMIN).
bool NamespacesAvailable() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(::unshare(CLONE_NEWNS | CLONE_NEWPID) == 0 ? 0 : 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Every live process (host pids) whose environment names the instance: all its processes
// inherit LIFEBOAT_INSTANCE_ID, whatever pid namespace they are in.
std::vector<pid_t> ProcessesOf(const std::string& instance_id) {
  const std::string marker = "LIFEBOAT_INSTANCE_ID=" + instance_id;
  std::vector<pid_t> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string environ = ReadFile(entry.path().string() + "/environ");
    size_t at = environ.find(marker);
    if (at != std::string::npos && (at == 0 || environ[at - 1] == '\0') &&
        (at + marker.size() == environ.size() || environ[at + marker.size()] == '\0')) {
      found.push_back(std::stoi(name));
    }
  }
  return found;
}

std::string CommandOf(pid_t pid) {
  std::string comm = ReadFile("/proc/" + std::to_string(pid) + "/comm");
  return comm.substr(0, comm.find('\n'));
}

bool Alive(pid_t pid) { return ::kill(pid, 0) == 0; }

// How many of the instance's processes are `sleep` (its daemons, once they have exec'd).
int SleepsOf(const std::string& instance_id) {
  int sleeps = 0;
  for (pid_t pid : ProcessesOf(instance_id)) sleeps += CommandOf(pid) == "sleep";
  return sleeps;
}

// Points lifeboat's IMDS client at one instance's metadata service.
class EndpointEnv : public EnvWrapper {
 public:
  explicit EndpointEnv(std::string endpoint)
      : EnvWrapper(Env::Default()), endpoint_(std::move(endpoint)) {}
  std::optional<std::string> GetVar(const std::string& name) override {
    if (name == "AWS_EC2_METADATA_SERVICE_ENDPOINT") return endpoint_;
    if (name == "AWS_EC2_METADATA_DISABLED") return std::nullopt;
    return target()->GetVar(name);
  }

 private:
  std::string endpoint_;
};

class InstanceFleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"lifeboat", "lifeboat-local"}) {
      ASSERT_TRUE(fs::exists(BuiltBinary(name)))
          << BuiltBinary(name) << " is missing: build the " << name << " target too";
    }
  }
  InstanceCloudInfo Info(bool namespaces) {
    InstanceCloudInfo info;
    info.cloud_endpoint = "http://127.0.0.1:4566";
    info.local_binary = BuiltBinary("lifeboat-local");
    info.lifeboat_binary = BuiltBinary("lifeboat");
    info.terminate_grace = milliseconds(300);
    info.use_namespaces = namespaces;
    return info;
  }
  TempDir dir_;
};

TEST_F(InstanceFleetTest, ALifeboatBinaryUnderTmpIsStillRunnableInsideTheInstance) {
  // A build tree (a fresh clone in CI) may live under /tmp, which the instance's own /tmp
  // covers: bin/lifeboat must still lead to the production binary (lifeboat-local, which
  // runs instance-init, is there too).
  if (::geteuid() != 0 || !NamespacesAvailable()) {
    GTEST_SKIP() << "mount and pid namespaces need root";
  }
  ASSERT_EQ(dir_.path().rfind("/tmp/", 0), 0u) << "the test needs its directory under /tmp";
  fs::create_directories(dir_.Join("build"));
  InstanceCloudInfo info = Info(true);
  info.lifeboat_binary = dir_.Join("build/lifeboat");
  info.local_binary = dir_.Join("build/lifeboat-local");
  fs::copy_file(BuiltBinary("lifeboat"), info.lifeboat_binary);
  fs::copy_file(BuiltBinary("lifeboat-local"), info.local_binary);
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), info);
  InstanceLaunchSpec spec;
  spec.instance_id = NewInstanceId();
  spec.user_data = "lifeboat --version > /var/log/version 2>&1; touch /var/log/ready\n";
  ASSERT_TRUE(fleet.Launch(spec).ok());
  const std::string root = fleet.RootOf(spec.instance_id);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(root + "/var/log/ready"); }))
      << ReadFile(root + "/var/log/cloud-init-output.log");
  EXPECT_EQ(ReadFile(root + "/var/log/version").rfind("lifeboat ", 0), 0u)
      << ReadFile(root + "/var/log/version");
}

TEST_F(InstanceFleetTest, IsolatedInstanceHasItsOwnVarLogTmpAndProcesses) {
  if (::geteuid() != 0 || !NamespacesAvailable()) {
    GTEST_SKIP() << "mount and pid namespaces need root; the fallback test covers this machine";
  }
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), Info(true));
  InstanceLaunchSpec spec;
  spec.instance_id = NewInstanceId();
  spec.group_name = "web";
  const std::string log_name = "/var/log/app/" + spec.instance_id + ".log";
  // No "#!": run by /bin/sh, as cloud-init would. Plain absolute paths, as on EC2.
  spec.user_data =
      "mkdir -p /var/log/app\n"
      "echo \"hello from $LIFEBOAT_INSTANCE_ID\" > " +
      log_name +
      "\n"
      "ec2-metadata -i >> " +
      log_name +
      "\n"
      "ec2-metadata -i > /tmp/id.txt\n"
      "echo \"$LIFEBOAT_INSTANCE_ISOLATION $$ ${BASH_VERSION:-no-bash}\" > /tmp/info\n"
      "setsid sleep 1000 > /dev/null 2>&1 &\n"
      "(sleep 1001 > /dev/null 2>&1 &)\n"
      "touch /var/log/ready\n";
  ASSERT_TRUE(fleet.Launch(spec).ok());
  const std::string root = fleet.RootOf(spec.instance_id);
  EXPECT_EQ(root, dir_.Join("instances") + "/" + spec.instance_id);
  EXPECT_TRUE(fleet.Isolated(spec.instance_id));
  ASSERT_TRUE(WaitFor([&] { return fs::exists(root + "/var/log/ready"); }))
      << ReadFile(root + "/var/log/cloud-init-output.log");

  EXPECT_EQ(ReadFile(root + log_name),
            "hello from " + spec.instance_id + "\ninstance-id: " + spec.instance_id + "\n");
  EXPECT_EQ(ReadFile(root + "/tmp/id.txt"), "instance-id: " + spec.instance_id + "\n");
  EXPECT_FALSE(fs::exists(log_name)) << "the instance wrote the host's /var/log";
  // In its own pid namespace the user data's shell is a child of PID 1.
  EXPECT_EQ(ReadFile(root + "/tmp/info"), "namespaces 2 no-bash\n");
  EXPECT_NE(ReadFile(root + "/var/log/cloud-init-output.log").find("instance isolated"),
            std::string::npos);

  EXPECT_TRUE(WaitFor([&] { return SleepsOf(spec.instance_id) == 2; }))
      << "both daemons run after the user data ended";
  std::vector<pid_t> processes = ProcessesOf(spec.instance_id);
  EXPECT_TRUE(fleet.Running(spec.instance_id));

  fleet.Terminate(spec.instance_id);
  EXPECT_FALSE(fleet.Running(spec.instance_id));
  for (pid_t pid : processes) EXPECT_FALSE(Alive(pid)) << "pid " << pid << " survived";
  EXPECT_TRUE(ProcessesOf(spec.instance_id).empty());
  EXPECT_EQ(fleet.ImdsEndpoint(spec.instance_id), "");
  EXPECT_EQ(fleet.RootOf(spec.instance_id), root) << "the root and its logs stay";
}

TEST_F(InstanceFleetTest, FallbackWithoutNamespacesStillEndsEveryProcess) {
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), Info(false));
  InstanceLaunchSpec spec;
  spec.instance_id = NewInstanceId();
  spec.availability_zone = "us-east-1c";
  // "#!" is honoured: bash runs this. Without namespaces, programs write under the prefix.
  spec.user_data =
      "#!/bin/bash\n"
      "P=\"$LIFEBOAT_INSTANCE_ROOT\"\n"
      "mkdir -p \"$P/var/log/app\"\n"
      "ec2-metadata -z -t > \"$P/var/log/app/meta.txt\"\n"
      "echo \"$LIFEBOAT_INSTANCE_ISOLATION ${BASH_VERSION:+bash}\" > \"$P/tmp/info\"\n"
      "setsid sleep 1000 > /dev/null 2>&1 &\n"
      "echo $! > \"$P/var/log/daemon.pid\"\n"
      "(setsid sleep 1001 > /dev/null 2>&1 &)\n"
      "touch \"$P/var/log/ready\"\n";
  ASSERT_TRUE(fleet.Launch(spec).ok());
  const std::string root = fleet.RootOf(spec.instance_id);
  EXPECT_FALSE(fleet.Isolated(spec.instance_id));
  ASSERT_TRUE(WaitFor([&] { return fs::exists(root + "/var/log/ready"); }))
      << ReadFile(root + "/var/log/cloud-init-output.log");
  EXPECT_EQ(ReadFile(root + "/var/log/app/meta.txt"),
            "placement: us-east-1c\ninstance-type: t3.micro\n");
  EXPECT_EQ(ReadFile(root + "/tmp/info"), "none bash\n");
  EXPECT_NE(ReadFile(root + "/var/log/cloud-init-output.log").find("NOT isolated"),
            std::string::npos);

  pid_t daemon = std::stoi(ReadFile(root + "/var/log/daemon.pid"));
  EXPECT_TRUE(Alive(daemon));
  EXPECT_TRUE(WaitFor([&] { return SleepsOf(spec.instance_id) == 2; }));
  std::vector<pid_t> processes = ProcessesOf(spec.instance_id);  // with instance-init

  fleet.Terminate(spec.instance_id);
  EXPECT_FALSE(Alive(daemon)) << "the setsid daemon survived";
  for (pid_t pid : processes) EXPECT_FALSE(Alive(pid)) << "pid " << pid << " survived";
  EXPECT_TRUE(ProcessesOf(spec.instance_id).empty());
}

TEST_F(InstanceFleetTest, BootedIsReportedOnceTheUserDataHasRunNotBefore) {
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), Info(NamespacesAvailable()));
  InstanceLaunchSpec spec;
  spec.instance_id = NewInstanceId();
  // A daemon in the background stays; the script itself ends after its last line.
  spec.user_data =
      "P=\"$LIFEBOAT_INSTANCE_ROOT\"\n"
      "(setsid sleep 1000 > /dev/null 2>&1 &)\n"
      "while [ ! -e \"$P/tmp/go\" ]; do sleep 0.02; done\n"
      "touch \"$P/tmp/user-data-done\"\n";
  std::atomic<int> booted{0};
  std::atomic<bool> done_when_booted{false};
  const std::string root = dir_.Join("instances/" + spec.instance_id);
  spec.on_booted = [&] {
    done_when_booted = fs::exists(root + "/tmp/user-data-done");
    ++booted;
  };
  ASSERT_TRUE(fleet.Launch(spec).ok());
  ASSERT_EQ(fleet.RootOf(spec.instance_id), root);
  ASSERT_TRUE(WaitFor([&] { return SleepsOf(spec.instance_id) >= 1; }));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(booted.load(), 0) << "the user data is still waiting for tmp/go";
  std::ofstream(root + "/tmp/go").close();
  ASSERT_TRUE(WaitFor([&] { return booted.load() == 1; }, milliseconds(20000)));
  EXPECT_TRUE(done_when_booted.load()) << "reported before the user data's last line ran";
  fleet.Terminate(spec.instance_id);
  EXPECT_EQ(booted.load(), 1);
}

TEST_F(InstanceFleetTest, UserDataThatNeverEndsCountsAsBootedAfterTheLimit) {
  InstanceCloudInfo info = Info(NamespacesAvailable());
  info.boot_limit = milliseconds(400);
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), info);
  InstanceLaunchSpec spec;
  spec.instance_id = NewInstanceId();
  spec.user_data = "exec sleep 1000\n";  // a service run in the foreground
  std::atomic<int> booted{0};
  spec.on_booted = [&] { ++booted; };
  ASSERT_TRUE(fleet.Launch(spec).ok());
  ASSERT_TRUE(WaitFor([&] { return booted.load() == 1; }, milliseconds(20000)));
  EXPECT_EQ(SleepsOf(spec.instance_id), 1) << "the user data still runs";

  // An instance that ends while it boots is never reported.
  InstanceLaunchSpec other;
  other.instance_id = NewInstanceId();
  other.user_data = "exec sleep 1000\n";
  std::atomic<int> other_booted{0};
  other.on_booted = [&] { ++other_booted; };
  InstanceFleet slow(Env::Default(), dir_.Join("slow"), Info(NamespacesAvailable()));
  ASSERT_TRUE(slow.Launch(other).ok());
  slow.Terminate(other.instance_id);
  EXPECT_EQ(other_booted.load(), 0);
}

TEST_F(InstanceFleetTest, MetadataServiceFollowsTheFleet) {
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), Info(NamespacesAvailable()));
  InstanceLaunchSpec spec;
  spec.instance_id = NewInstanceId();
  spec.group_name = "web";
  ASSERT_TRUE(fleet.Launch(spec).ok());  // no user data: the instance just runs
  EXPECT_TRUE(fleet.Running(spec.instance_id));

  EndpointEnv env(fleet.ImdsEndpoint(spec.instance_id));
  CurlHttpClient http;
  ImdsClient imds(env, http);
  EXPECT_EQ(*imds.InstanceId(), spec.instance_id);
  EXPECT_EQ(*imds.Region(), "us-east-1");
  const char* kState = "meta-data/autoscaling/target-lifecycle-state";
  EXPECT_EQ(*imds.Get(kState), "InService");
  fleet.SetTargetLifecycleState(spec.instance_id, "Terminated");
  EXPECT_EQ(*imds.Get(kState), "Terminated");
  EXPECT_EQ(imds.Get("meta-data/spot/instance-action").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(fleet.InjectSpotNotice(spec.instance_id, "stop").ok());
  EXPECT_NE(imds.Get("meta-data/spot/instance-action")->find("\"action\": \"stop\""),
            std::string::npos);
  ASSERT_TRUE(fleet.InjectRebalance(spec.instance_id).ok());
  EXPECT_TRUE(imds.Get("meta-data/events/recommendations/rebalance").ok());

  fleet.Terminate(spec.instance_id);
  fleet.Terminate(spec.instance_id);  // idempotent
  EXPECT_EQ(fleet.InjectSpotNotice(spec.instance_id, "terminate").code(), StatusCode::kNotFound);
  EXPECT_EQ(fleet.Launch(spec).code(), StatusCode::kAlreadyExists);
}

TEST_F(InstanceFleetTest, AProcessIgnoringSigtermIsKilledAfterTheGracePeriod) {
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), Info(NamespacesAvailable()));
  InstanceLaunchSpec spec;
  spec.instance_id = NewInstanceId();
  spec.user_data =
      "trap '' TERM\ntouch \"$LIFEBOAT_INSTANCE_ROOT/started\"\n"
      "while :; do sleep 0.05; done\n";
  ASSERT_TRUE(fleet.Launch(spec).ok());
  const std::string root = fleet.RootOf(spec.instance_id);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(root + "/started"); }));
  std::vector<pid_t> processes = ProcessesOf(spec.instance_id);
  auto start = std::chrono::steady_clock::now();
  fleet.Terminate(spec.instance_id);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, milliseconds(300)) << "the grace period was not given";
  EXPECT_LT(took, milliseconds(1500));
  for (pid_t pid : processes) EXPECT_FALSE(Alive(pid)) << "pid " << pid << " survived";
  EXPECT_NE(ReadFile(root + "/var/log/cloud-init-output.log").find("killing them"),
            std::string::npos);
}

TEST_F(InstanceFleetTest, DestructionEndsEveryInstance) {
  std::vector<std::string> ids = {NewInstanceId(), NewInstanceId()};
  std::vector<pid_t> processes;
  {
    InstanceFleet fleet(Env::Default(), dir_.Join("instances"), Info(NamespacesAvailable()));
    for (const auto& id : ids) {
      InstanceLaunchSpec spec;
      spec.instance_id = id;
      spec.user_data = "setsid sleep 1000 &\ntouch \"$LIFEBOAT_INSTANCE_ROOT/started\"\n";
      ASSERT_TRUE(fleet.Launch(spec).ok());
      ASSERT_TRUE(WaitFor([&] { return SleepsOf(id) == 1; }));
      for (pid_t pid : ProcessesOf(id)) processes.push_back(pid);
    }
  }
  EXPECT_GE(processes.size(), 4u);
  for (pid_t pid : processes) EXPECT_FALSE(Alive(pid)) << "pid " << pid << " survived";
}

TEST_F(InstanceFleetTest, LaunchErrorsAreOneClearLine) {
  InstanceFleet fleet(Env::Default(), dir_.Join("instances"), Info(false));
  InstanceLaunchSpec spec;
  spec.instance_id = "../escape";
  EXPECT_EQ(fleet.Launch(spec).code(), StatusCode::kInvalidArgument);

  InstanceCloudInfo broken = Info(false);
  broken.local_binary = dir_.Join("no-such-lifeboat-local");
  InstanceFleet bad(Env::Default(), dir_.Join("bad"), broken);
  spec.instance_id = NewInstanceId();
  Status s = bad.Launch(spec);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(spec.instance_id), std::string::npos) << s.ToString();
  EXPECT_FALSE(bad.Running(spec.instance_id));
  EXPECT_EQ(bad.RootOf(spec.instance_id), "") << "a failed launch leaves no instance";
  bad.Terminate("i-unknown");  // ignored
}

}  // namespace
}  // namespace lifeboat
