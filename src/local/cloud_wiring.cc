#include "local/cloud_wiring.h"

#include "common/hash.h"

namespace lifeboat {

void FleetInstanceHost::Launch(const InstanceLaunch& launch) {
  InstanceLaunchSpec spec;
  spec.instance_id = launch.instance_id;
  spec.group_name = launch.group_name;
  spec.user_data = Base64Decode(launch.data.user_data).value_or("");
  spec.availability_zone = launch.availability_zone;
  spec.private_ip = launch.private_ip;
  if (!launch.data.image_id.empty()) spec.image_id = launch.data.image_id;
  if (!launch.data.instance_type.empty()) spec.instance_type = launch.data.instance_type;
  spec.imds_tokens_required = launch.data.metadata_http_tokens != "optional";
  const std::string& profile = !launch.data.iam_instance_profile_name.empty()
                                   ? launch.data.iam_instance_profile_name
                                   : launch.data.iam_instance_profile_arn;
  if (!profile.empty()) spec.role_name = profile.substr(profile.rfind('/') + 1);
  for (const Ec2Tag& tag : launch.data.instance_tags) spec.tags[tag.key] = tag.value;
  spec.on_booted = [this, id = launch.instance_id] { Booted(id); };
  if (Status s = fleet_->Launch(spec); !s.ok()) {
    spdlog::error("lifeboat local: instance {} did not start: {}", launch.instance_id, s.message());
  }
}

namespace {

// The first `limit` bytes of a file; empty when it cannot be read (nothing was written).
std::string ReadHead(Env* env, const std::string& path, size_t limit) {
  auto file = env->OpenForRead(path);
  if (!file.ok()) return "";
  std::string out(limit, '\0');
  size_t got = 0;
  while (got < limit) {
    auto n = (*file)->ReadAt(got, out.data() + got, limit - got);
    if (!n.ok() || *n == 0) break;
    got += *n;
  }
  out.resize(got);
  return out;
}

}  // namespace

std::vector<HostInstance> FleetCommandHost::RunningInstances() {
  std::vector<HostInstance> out;
  for (RunningInstance& instance : fleet_->RunningInstances()) {
    out.push_back({std::move(instance.instance_id), std::move(instance.tags)});
  }
  return out;
}

Result<HostCommandResult> FleetCommandHost::Run(const HostCommand& command) {
  InstanceCommand run;
  run.run_name = command.run_name;
  run.script = command.script;
  run.working_directory = command.working_directory;
  run.timeout = command.timeout;
  run.cancel = command.cancel;
  LIFEBOAT_ASSIGN_OR_RETURN(InstanceCommandResult ran,
                            fleet_->RunCommand(command.instance_id, run));
  HostCommandResult result;
  result.exit_code = ran.exit_code;
  result.timed_out = ran.timed_out;
  result.cancelled = ran.cancelled;
  result.stdout_head = ReadHead(env_, ran.stdout_path, kHostOutputLimit);
  result.stderr_head = ReadHead(env_, ran.stderr_path, kHostOutputLimit);
  return result;
}

}  // namespace lifeboat
