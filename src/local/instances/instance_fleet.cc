#include "local/instances/instance_fleet.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <set>
#include <thread>
#include <vector>

#include "common/hash.h"
#include "local/instances/ec2_metadata_script.h"
#include "local/instances/imds_server.h"
#include "local/instances/instance_command.h"
#include "local/instances/instance_process.h"

namespace lifeboat {
namespace {

using Steady = std::chrono::steady_clock;

// Room for the init's own SIGKILL round after its grace period, before we kill it.
constexpr std::chrono::milliseconds kKillMargin{2000};

bool ValidInstanceId(const std::string& id) {
  if (id.empty() || id.size() > 64 || id == "." || id == "..") return false;
  for (char c : id) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A stable private address for an instance that was given none: 10.0.x.y.
std::string DerivedPrivateIp(const std::string& instance_id) {
  uint32_t h = Crc32c(instance_id);
  return "10.0." + std::to_string((h >> 8) & 0xff) + "." + std::to_string(h % 250 + 4);
}

Status WriteFile(Env* env, const std::string& path, std::string_view data, mode_t mode) {
  LIFEBOAT_RETURN_IF_ERROR(env->WriteFileAtomically(path, data));
  if (::chmod(path.c_str(), mode) != 0) return PosixError("chmod " + path, errno);
  return Status::Ok();
}

// The directories and files of a new instance root (see the header's layout).
Status PrepareRoot(Env* env, const std::string& root, const InstanceLaunchSpec& spec,
                   const std::string& lifeboat_binary, const std::string& aws_cli) {
  for (const char* dir : {"var/log", "tmp", "home", "bin", "var/lib/cloud/instance/scripts"}) {
    LIFEBOAT_RETURN_IF_ERROR(env->CreateDirs(JoinPath(root, dir)));
  }
  const std::string tmp = JoinPath(root, "tmp");
  if (::chmod(tmp.c_str(), 01777) != 0) return PosixError("chmod " + tmp, errno);
  LIFEBOAT_RETURN_IF_ERROR(
      WriteFile(env, JoinPath(root, "bin/ec2-metadata"), Ec2MetadataScript(), 0755));
  // The agent and evacuate commands are what user data runs: the production binary.
  if (!aws_cli.empty()) {
    // A wrapper, not a symlink: version managers' shims (pyenv) find themselves by $0.
    std::string quoted = "'";
    for (char c : aws_cli) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    LIFEBOAT_RETURN_IF_ERROR(WriteFile(env, JoinPath(root, "bin/aws"),
                                       "#!/bin/sh\nexec " + quoted + "' \"$@\"\n", 0755));
  }
  const std::string link = JoinPath(root, "bin/lifeboat");
  ::unlink(link.c_str());
  if (!lifeboat_binary.empty() && ::symlink(lifeboat_binary.c_str(), link.c_str()) != 0) {
    return PosixError("symlink " + link, errno);
  }
  LIFEBOAT_RETURN_IF_ERROR(
      WriteFile(env, JoinPath(root, "var/lib/cloud/instance/user-data.txt"), spec.user_data, 0600));
  return WriteFile(env, JoinPath(root, "var/lib/cloud/instance/scripts/part-001"), spec.user_data,
                   0700);
}

}  // namespace

struct InstanceFleet::Instance {
  std::mutex mu;  // guards everything below
  std::string root;
  std::unique_ptr<ImdsServer> imds;          // null once terminated
  std::unique_ptr<InstanceProcess> process;  // null once terminated
  std::vector<std::string> env;              // what its user data and commands get
  std::map<std::string, std::string> tags;
  // Process groups of RunCommand's running scripts; each stays unreaped (its id reserved)
  // until it leaves this set.
  std::set<pid_t> commands;
  // Waits for the init's "booted" (spec.on_booted); ends when the init does.
  std::thread boot_watch;

  // After the init has ended: its pipe is closed, so the watch returns.
  void JoinBootWatch() {
    if (boot_watch.joinable()) boot_watch.join();
  }
};

namespace {

// instance-init changes directory and mounts by path: the root must be absolute.
std::string Absolute(Env* env, const std::string& dir) {
  if (dir.rfind('/', 0) == 0) return dir;
  auto cwd = env->CurrentDirectory();
  return cwd.ok() ? JoinPath(*cwd, dir) : dir;
}

// The first executable `aws` on this process's PATH, unless one was given.
InstanceCloudInfo WithAwsCli(Env* env, InstanceCloudInfo info) {
  if (!info.aws_cli.empty()) return info;
  const std::string path = env->GetVar("PATH").value_or("");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(start, end - start);
    const std::string candidate = JoinPath(dir.empty() ? "." : dir, "aws");
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) {
      info.aws_cli = candidate;
      break;
    }
    start = end + 1;
  }
  return info;
}

}  // namespace

InstanceFleet::InstanceFleet(Env* env, std::string root_dir, InstanceCloudInfo info)
    : env_(env), root_dir_(Absolute(env, root_dir)), info_(WithAwsCli(env, std::move(info))) {}

InstanceFleet::~InstanceFleet() {
  std::vector<std::shared_ptr<Instance>> all;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, instance] : instances_) all.push_back(instance);
  }
  // Every instance gets its SIGTERM first, so they shut down in parallel.
  for (auto& instance : all) {
    std::lock_guard lock(instance->mu);
    SignalCommands(*instance, SIGTERM);
    if (instance->process) instance->process->SendTerm();
  }
  const Steady::time_point deadline = Steady::now() + info_.terminate_grace + kKillMargin;
  for (auto& instance : all) {
    std::lock_guard lock(instance->mu);
    if (instance->process) instance->process->WaitOrKill(deadline);
    SignalCommands(*instance, SIGKILL);
    instance->process.reset();
    instance->JoinBootWatch();
    instance->imds.reset();
  }
}

std::shared_ptr<InstanceFleet::Instance> InstanceFleet::Find(const std::string& instance_id) {
  std::lock_guard lock(mu_);
  auto it = instances_.find(instance_id);
  return it == instances_.end() ? nullptr : it->second;
}

Status InstanceFleet::Launch(const InstanceLaunchSpec& spec) {
  if (!ValidInstanceId(spec.instance_id)) {
    return Status::InvalidArgument("instance id '" + spec.instance_id +
                                   "': expected letters, digits and '-' (like i-0123abcd)");
  }
  auto instance = std::make_shared<Instance>();
  std::unique_lock instance_lock(instance->mu);  // others wait until it is launched
  {
    std::lock_guard lock(mu_);
    if (!instances_.emplace(spec.instance_id, instance).second) {
      return Status::AlreadyExists("instance " + spec.instance_id + " was launched before");
    }
  }
  instance->root = JoinPath(root_dir_, spec.instance_id);
  Status status = PrepareRoot(env_, instance->root, spec, info_.lifeboat_binary, info_.aws_cli);

  if (status.ok()) {
    ImdsIdentity identity;
    identity.instance_id = spec.instance_id;
    identity.region = info_.region;
    identity.availability_zone =
        spec.availability_zone.empty() ? info_.region + "a" : spec.availability_zone;
    identity.instance_type = spec.instance_type;
    identity.image_id = spec.image_id;
    identity.private_ip =
        spec.private_ip.empty() ? DerivedPrivateIp(spec.instance_id) : spec.private_ip;
    identity.account_id = info_.account_id;
    identity.group_name = spec.group_name;
    identity.role_name = spec.role_name;
    identity.access_key = info_.access_key;
    identity.secret_key = info_.secret_key;
    identity.session_token = Base64Encode("lifeboat-local-session:" + spec.instance_id);
    identity.user_data = spec.user_data;
    identity.launch_time = env_->Now();
    ImdsServerOptions imds_options;
    imds_options.tokens_required = spec.imds_tokens_required;
    imds_options.time_scale = info_.time_scale;
    instance->imds = std::make_unique<ImdsServer>(env_, std::move(identity), imds_options);
    status = instance->imds->Start();
  }

  if (status.ok()) {
    const std::string& root = instance->root;
    InstanceSpawn spawn;
    spawn.argv = {info_.local_binary,
                  "instance-init",
                  "--root",
                  root,
                  "--grace-ms",
                  std::to_string(info_.terminate_grace.count()),
                  "--ready-fd",
                  "3",
                  "--boot-limit-ms",
                  std::to_string(static_cast<int64_t>(
                      static_cast<double>(info_.boot_limit.count()) / info_.time_scale))};
    if (!info_.use_namespaces) spawn.argv.push_back("--no-namespaces");
    spawn.argv.push_back("--");
    if (!spec.user_data.empty()) {
      // cloud-init executes a script that names its interpreter; anything else goes to sh.
      const std::string script = JoinPath(root, "var/lib/cloud/instance/scripts/part-001");
      if (spec.user_data.rfind("#!", 0) != 0) spawn.argv.push_back("/bin/sh");
      spawn.argv.push_back(script);
    }
    spawn.env = {
        "AWS_EC2_METADATA_SERVICE_ENDPOINT=" + instance->imds->endpoint(),
        "AWS_ENDPOINT_URL=" + info_.cloud_endpoint,
        "AWS_REGION=" + info_.region,
        "AWS_DEFAULT_REGION=" + info_.region,
        "AWS_ACCESS_KEY_ID=" + info_.access_key,
        "AWS_SECRET_ACCESS_KEY=" + info_.secret_key,
        "PATH=" + JoinPath(root, "bin") +
            ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME=" + JoinPath(root, "home"),
        "LANG=C.UTF-8",
        "LIFEBOAT_INSTANCE_ID=" + spec.instance_id,
        "LIFEBOAT_INSTANCE_ROOT=" + root,
    };
    spawn.log_path = JoinPath(root, "var/log/cloud-init-output.log");
    auto process = InstanceProcess::Spawn(spawn);
    if (process.ok()) {
      instance->process = std::move(process).value();
      instance->env = spawn.env;
      instance->env.push_back(std::string("LIFEBOAT_INSTANCE_ISOLATION=") +
                              (instance->process->isolated() ? "namespaces" : "none"));
      instance->tags = spec.tags;
      if (!spec.group_name.empty()) instance->tags["aws:autoscaling:groupName"] = spec.group_name;
      if (spec.on_booted) {
        instance->boot_watch = std::thread(
            [report = std::shared_ptr<BootReport>(instance->process->TakeBootReport()),
             on_booted = spec.on_booted] {
              if (report && report->Wait()) on_booted();
            });
      }
    } else {
      status = process.status();
    }
  }

  if (!status.ok()) {
    instance->imds.reset();
    std::lock_guard lock(mu_);
    instances_.erase(spec.instance_id);
    return status.WithContext("launch instance " + spec.instance_id);
  }
  return Status::Ok();
}

void InstanceFleet::Terminate(const std::string& instance_id) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return;
  std::lock_guard lock(instance->mu);
  SignalCommands(*instance, SIGTERM);
  if (instance->process) {
    instance->process->SendTerm();
    instance->process->WaitOrKill(Steady::now() + info_.terminate_grace + kKillMargin);
    instance->process.reset();
  }
  instance->JoinBootWatch();
  // With namespaces the init has ended them; without, this is what ends them.
  SignalCommands(*instance, SIGKILL);
  instance->imds.reset();  // after the processes: they may use it until the end
}

void InstanceFleet::SetTargetLifecycleState(const std::string& instance_id,
                                            std::string_view state) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return;
  std::lock_guard lock(instance->mu);
  if (instance->imds) instance->imds->SetTargetLifecycleState(state);
}

Status InstanceFleet::InjectSpotNotice(const std::string& instance_id, std::string_view action) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return Status::NotFound("instance " + instance_id + " does not exist");
  std::lock_guard lock(instance->mu);
  if (!instance->imds) return Status::NotFound("instance " + instance_id + " is terminated");
  return instance->imds->InjectSpotNotice(action);
}

Status InstanceFleet::InjectRebalance(const std::string& instance_id) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return Status::NotFound("instance " + instance_id + " does not exist");
  std::lock_guard lock(instance->mu);
  if (!instance->imds) return Status::NotFound("instance " + instance_id + " is terminated");
  instance->imds->InjectRebalance();
  return Status::Ok();
}

std::string InstanceFleet::ImdsEndpoint(const std::string& instance_id) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return "";
  std::lock_guard lock(instance->mu);
  return instance->imds ? instance->imds->endpoint() : "";
}

std::string InstanceFleet::RootOf(const std::string& instance_id) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return "";
  std::lock_guard lock(instance->mu);
  return instance->root;
}

bool InstanceFleet::Running(const std::string& instance_id) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return false;
  std::lock_guard lock(instance->mu);
  return instance->process && instance->process->Running();
}

bool InstanceFleet::Isolated(const std::string& instance_id) {
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return false;
  std::lock_guard lock(instance->mu);
  return instance->process && instance->process->isolated();
}

void InstanceFleet::SignalCommands(Instance& instance, int sig) {
  for (pid_t group : instance.commands) ::kill(-group, sig);
}

std::vector<RunningInstance> InstanceFleet::RunningInstances() {
  std::vector<std::pair<std::string, std::shared_ptr<Instance>>> all;
  {
    std::lock_guard lock(mu_);
    all.assign(instances_.begin(), instances_.end());
  }
  std::vector<RunningInstance> out;
  for (auto& [id, instance] : all) {
    std::lock_guard lock(instance->mu);
    if (instance->process && instance->process->Running()) out.push_back({id, instance->tags});
  }
  return out;
}

namespace {

bool ValidRunName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<InstanceCommandResult> InstanceFleet::RunCommand(const std::string& instance_id,
                                                        const InstanceCommand& command) {
  if (!ValidRunName(command.run_name)) {
    return Status::InvalidArgument("run name '" + command.run_name + "' is not a relative path");
  }
  std::shared_ptr<Instance> instance = Find(instance_id);
  if (!instance) return Status::NotFound("instance " + instance_id + " does not exist");
  const std::string root = RootOf(instance_id);
  const std::string dir = JoinPath(
      root, "var/lib/amazon/ssm/" + instance_id + "/document/orchestration/" + command.run_name);
  LIFEBOAT_RETURN_IF_ERROR(env_->CreateDirs(dir));
  const std::string script = JoinPath(dir, "_script.sh");
  LIFEBOAT_RETURN_IF_ERROR(WriteFile(env_, script, command.script, 0700));

  InstanceCommandSpawn spawn;
  spawn.local_binary = info_.local_binary;
  spawn.working_directory = command.working_directory.empty() ? root : command.working_directory;
  // As the agent's `sh -c <script>`: a "#!" line picks the interpreter, else bash reads it.
  spawn.program = {"bash", "-c", "\"$0\"", script};
  spawn.stdout_path = JoinPath(dir, "stdout");
  spawn.stderr_path = JoinPath(dir, "stderr");
  std::unique_ptr<InstanceCommandProcess> process;
  {
    std::lock_guard lock(instance->mu);
    if (!instance->process || !instance->process->Running()) {
      return Status::NotFound("instance " + instance_id + " is not running");
    }
    spawn.namespaces_of = instance->process->isolated() ? instance->process->pid() : -1;
    spawn.env = instance->env;
    LIFEBOAT_ASSIGN_OR_RETURN(process, InstanceCommandProcess::Start(spawn));
    instance->commands.insert(process->pid());  // under the lock: Terminate sees it
  }
  InstanceCommandResult result;
  result.stdout_path = spawn.stdout_path;
  result.stderr_path = spawn.stderr_path;
  const auto ending = process->Wait(Steady::now() + command.timeout, command.cancel);
  if (ending != InstanceCommandProcess::Ending::kExited) {
    process->KillGroup();
    process->Wait(Steady::now() + std::chrono::seconds(10), nullptr);
    result.timed_out = ending == InstanceCommandProcess::Ending::kDeadline;
    result.cancelled = ending == InstanceCommandProcess::Ending::kCancelled;
  }
  {
    std::lock_guard lock(instance->mu);
    instance->commands.erase(process->pid());
  }
  result.exit_code = process->Reap();
  return result;
}

}  // namespace lifeboat
