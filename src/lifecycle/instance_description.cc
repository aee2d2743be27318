#include "lifecycle/instance_description.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "lifecycle/held_action.h"

namespace lifeboat {

Result<InstanceDescription> ParseIdentityDocument(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("the instance identity document is not a JSON object");
  }
  auto field = [&](const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  InstanceDescription d;
  d.availability_zone = field("availabilityZone");
  d.instance_type = field("instanceType");
  d.image_id = field("imageId");
  if (const std::string pending = field("pendingTime"); !pending.empty()) {
    auto t = ParseRfc3339(pending);
    if (t.ok()) d.launch_time = *t;
  }
  return d;
}

InstanceDescription DescribeInstance(ImdsClient* imds, AutoScalingApi* autoscaling,
                                     const std::string& instance_id,
                                     const std::string& group_setting) {
  InstanceDescription d;
  if (imds != nullptr && !imds->disabled()) {
    auto doc = imds->Get("dynamic/instance-identity/document");
    auto parsed = doc.ok() ? ParseIdentityDocument(*doc) : Result<InstanceDescription>(doc.status());
    if (parsed.ok()) {
      d = std::move(*parsed);
    } else {
      spdlog::info("the instance record will not name zone, type, AMI or launch time: {}",
                   parsed.status().message());
    }
  }
  if (!group_setting.empty() && group_setting != kAuto) {
    d.group = group_setting;
    return d;
  }
  if (imds != nullptr && !imds->disabled()) {
    // Present only when the instance's metadata options allow tags; a 404 otherwise.
    auto tag = imds->Get("meta-data/tags/instance/aws:autoscaling:groupName");
    if (tag.ok() && !tag->empty()) {
      d.group = *tag;
      return d;
    }
  }
  if (autoscaling != nullptr) {
    auto info = autoscaling->DescribeAutoScalingInstance(instance_id);
    if (info.ok() && info->has_value()) {
      d.group = (*info)->group;
    } else if (!info.ok()) {
      spdlog::info("the instance record will not name its group: {}", info.status().message());
    }
  }
  return d;
}

}  // namespace lifeboat
