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
  if (Status s = fleet_->Launch(spec); !s.ok()) {
    spdlog::error("lifeboat local: instance {} did not start: {}", launch.instance_id, s.message());
  }
}

}  // namespace lifeboat
