// InstanceFleet: the simulated EC2 instances of `lifeboat local`. Each instance has
//   <root_dir>/<instance-id>/            its root (LIFEBOAT_INSTANCE_ROOT), the working directory
//     var/log/                           its /var/log (cloud-init-output.log: user data output)
//     tmp/                               its /tmp
//     home/                              HOME
//     bin/ec2-metadata, bin/lifeboat     first on PATH (bin/lifeboat: the production binary)
//     bin/aws                            runs the aws CLI lifeboat local itself finds (when
//                                        it finds one), as Amazon Linux has it installed
//     var/lib/cloud/instance/            user-data.txt and scripts/part-001, as cloud-init keeps
//     them
// its own metadata service (ImdsServer) on a free 127.0.0.1 port, and its own init process,
// `<local_binary> instance-init` (instance_init.h), which gives it its own mount and pid
// namespaces when it can (as root) and otherwise runs it unisolated (documented there and
// in the instance's cloud-init-output.log).
//
// At launch the user data runs once, as cloud-init runs it: a script, executed directly when
// it starts with "#!", else with /bin/sh; with a clean environment:
//   AWS_EC2_METADATA_SERVICE_ENDPOINT  http://127.0.0.1:<imds port>/
//   AWS_ENDPOINT_URL                   the local cloud
//   AWS_REGION, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (the local
//                                      credentials, as the instance role supplies them)
//   PATH (<root>/bin first), HOME, LIFEBOAT_INSTANCE_ID, LIFEBOAT_INSTANCE_ROOT,
//   LIFEBOAT_INSTANCE_ISOLATION        namespaces | none (set by instance-init)
// Terminate ends every process of the instance (SIGTERM, a grace period, SIGKILL) and its
// metadata service; the root directory stays, with the logs the instance wrote.
//
// RunCommand runs a script inside a running instance, as Run Command's agent would: in
// its namespaces when it has them (through `lifeboat instance-exec`, instance_exec.h),
// with the same environment as its user data, through bash. The script and its output
// are kept where the SSM agent keeps them:
//   <root>/var/lib/amazon/ssm/<instance-id>/document/orchestration/<run name>/
//     _script.sh, stdout, stderr
// Terminate ends running commands with the instance (also without namespaces).
//
// Thread-safe. Launch and Terminate block (Terminate up to the grace period); they never
// call back into the caller, so the Auto Scaling engine can drive the fleet through a thin
// adapter to its InstanceHost.
#ifndef LIFEBOAT_LOCAL_INSTANCES_INSTANCE_FLEET_H_
#define LIFEBOAT_LOCAL_INSTANCES_INSTANCE_FLEET_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"
#include "common/status.h"

namespace lifeboat {

// What every instance is told about the cloud around it.
struct InstanceCloudInfo {
  std::string cloud_endpoint;  // http://127.0.0.1:PORT of lifeboat local
  std::string region = "us-east-1";
  std::string access_key = "test";
  std::string secret_key = "test";
  std::string account_id = "000000000000";
  // lifeboat-local, which runs `instance-init` and `instance-exec`.
  std::string local_binary;
  // The production lifeboat, the instance's bin/lifeboat: user data runs its agent and
  // evacuate as an instance in production would, not the emulator's binary.
  std::string lifeboat_binary;
  double time_scale = 1.0;      // scales a spot notice's two minutes
  // Between SIGTERM and SIGKILL when an instance ends (not scaled: programs need real time).
  std::chrono::milliseconds terminate_grace{2000};
  bool use_namespaces = true;  // false: the unisolated fallback even as root (tests)
  // User data still running after this long (divided by time_scale) no longer keeps the
  // instance from counting as booted: AWS's default health check grace period.
  std::chrono::milliseconds boot_limit{300'000};
  // The aws CLI that bin/aws runs; empty: the first `aws` on lifeboat local's PATH.
  std::string aws_cli;
};

struct InstanceLaunchSpec {
  std::string instance_id;        // "i-" and hex digits
  std::string group_name;         // empty: no autoscaling/ metadata
  std::string user_data;          // decoded; empty: nothing runs
  std::string availability_zone;  // default: region + "a"
  std::string instance_type = "t3.micro";
  std::string role_name = "lifeboat-local-instance";  // empty: no instance profile
  std::string image_id = "ami-0123456789abcdef0";
  std::string private_ip;            // default: 10.0.x.y derived from the instance id
  bool imds_tokens_required = true;  // false: HttpTokens=optional (IMDSv1 allowed)
  // Its EC2 tags; a group's instances also get aws:autoscaling:groupName = group_name.
  std::map<std::string, std::string> tags;
  // Called once, on a thread of the fleet, when the instance has booted: its user data has
  // exited (or run for InstanceCloudInfo::boot_limit). Not called for an instance that
  // ends first.
  std::function<void()> on_booted;
};

struct RunningInstance {
  std::string instance_id;
  std::map<std::string, std::string> tags;
};

// A script for RunCommand.
struct InstanceCommand {
  // Its directory under the instance's orchestration directory (see the class comment):
  // letters, digits, '.', '-', '_' and '/', no "..".
  std::string run_name;
  std::string script;             // _script.sh; "#!" names its interpreter, else bash runs it
  std::string working_directory;  // empty: the instance's root directory
  std::chrono::milliseconds timeout{3600 * 1000};
  const std::atomic<bool>* cancel = nullptr;  // set: kill it
};

struct InstanceCommandResult {
  int exit_code = 0;  // 128+N for a signal N; 137 when killed for its timeout or a cancel
  bool timed_out = false;
  bool cancelled = false;
  std::string stdout_path;  // the whole output, on the host
  std::string stderr_path;
};

class InstanceFleet {
 public:
  InstanceFleet(Env* env, std::string root_dir, InstanceCloudInfo info);
  ~InstanceFleet();  // terminates every instance still running
  InstanceFleet(const InstanceFleet&) = delete;
  InstanceFleet& operator=(const InstanceFleet&) = delete;

  // Creates the instance's directories, starts its metadata service and its init process,
  // and returns once the init reported it is set up (the user data then runs on its own).
  // kAlreadyExists for an id launched before; the error names the instance and, when the
  // init failed, its log.
  Status Launch(const InstanceLaunchSpec& spec);
  // Ends every process of the instance and stops its metadata service. Idempotent; unknown
  // ids are ignored.
  void Terminate(const std::string& instance_id);
  // What autoscaling/target-lifecycle-state answers ("InService", "Terminated", ...).
  void SetTargetLifecycleState(const std::string& instance_id, std::string_view state);
  // action: terminate | stop | hibernate. kNotFound unless the instance is running.
  Status InjectSpotNotice(const std::string& instance_id, std::string_view action);
  Status InjectRebalance(const std::string& instance_id);

  // "http://127.0.0.1:PORT/" while the instance runs, else empty.
  std::string ImdsEndpoint(const std::string& instance_id);
  // <root_dir>/<instance-id> for any instance launched, running or not; else empty.
  std::string RootOf(const std::string& instance_id);
  // Whether the instance's init process is still alive.
  bool Running(const std::string& instance_id);
  // Whether the instance got its own namespaces (false: the unisolated fallback).
  bool Isolated(const std::string& instance_id);
  // Every instance whose init is alive, with its tags, by id.
  std::vector<RunningInstance> RunningInstances();

  // Runs a script inside a running instance and waits for it (see the class comment):
  // until it exits, its timeout (it is killed: exit code 137, timed_out) or *cancel.
  // kNotFound when the instance is not running; an error when its files cannot be written
  // or instance-exec cannot start.
  Result<InstanceCommandResult> RunCommand(const std::string& instance_id,
                                           const InstanceCommand& command);

 private:
  struct Instance;
  std::shared_ptr<Instance> Find(const std::string& instance_id);
  Result<std::shared_ptr<Instance>> Start(const InstanceLaunchSpec& spec, const std::string& root);
  // Signals the process groups of the instance's running commands; needs instance.mu.
  static void SignalCommands(Instance& instance, int sig);

  Env* env_;
  const std::string root_dir_;
  const InstanceCloudInfo info_;

  std::mutex mu_;  // guards instances_ (each Instance guards itself)
  std::map<std::string, std::shared_ptr<Instance>> instances_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_INSTANCE_FLEET_H_
