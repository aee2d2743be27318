// LaunchTemplateStore: EC2 launch templates of `lifeboat local`, shared by the EC2 service
// (CreateLaunchTemplate, Describe*) and the Auto Scaling engine (which resolves a group's
// template when it launches an instance). In memory, thread-safe.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_LAUNCH_TEMPLATES_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_LAUNCH_TEMPLATES_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct Ec2Tag {
  std::string key;
  std::string value;
};

// The parts of RequestLaunchTemplateData that local instances use.
struct LaunchTemplateData {
  std::string image_id;
  std::string instance_type;
  std::string user_data;  // base64, exactly as the client sent it
  std::string key_name;
  std::string iam_instance_profile_arn;
  std::string iam_instance_profile_name;
  std::vector<std::string> security_group_ids;
  std::string metadata_http_tokens;    // "optional" | "required" | "" (unset)
  std::string metadata_http_endpoint;  // "enabled" | "disabled" | ""
  int metadata_hop_limit = 0;          // 0: unset
  std::vector<Ec2Tag> instance_tags;   // TagSpecification with ResourceType=instance
};

struct LaunchTemplateVersion {
  int64_t number = 1;
  std::string description;
  std::chrono::system_clock::time_point create_time;
  LaunchTemplateData data;
};

struct LaunchTemplate {
  std::string id;  // "lt-" + 17 hex digits
  std::string name;
  std::chrono::system_clock::time_point create_time;
  int64_t default_version = 1;
  std::vector<Ec2Tag> tags;                     // of the template itself
  std::vector<LaunchTemplateVersion> versions;  // versions[i].number == i + 1
  int64_t latest_version() const { return static_cast<int64_t>(versions.size()); }
};

// How a group names its template: by id or name, and a version ("$Default", "$Latest" or
// a number; empty means $Default).
struct LaunchTemplateRef {
  std::string id;
  std::string name;
  std::string version;
};

class LaunchTemplateStore {
 public:
  // Errors carry EC2's codes as service_code ("InvalidLaunchTemplateName.AlreadyExistsException").
  Result<LaunchTemplate> Create(std::string name, std::string version_description,
                                LaunchTemplateData data, std::vector<Ec2Tag> tags,
                                std::chrono::system_clock::time_point now);
  // By id or name (exactly one non-empty). kNotFound with EC2's code when absent.
  Result<LaunchTemplate> Get(const std::string& id, const std::string& name) const;
  std::vector<LaunchTemplate> List() const;
  // The data of the version `ref` names. Errors use Auto Scaling's ValidationError wording.
  Result<std::pair<LaunchTemplate, LaunchTemplateVersion>> Resolve(
      const LaunchTemplateRef& ref) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, LaunchTemplate> by_id_;
  std::map<std::string, std::string> id_by_name_;
};

// "i-" / "lt-" / "r-" followed by 17 random lower-case hex digits, as EC2's ids are.
std::string NewEc2Id(std::string_view prefix);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_LAUNCH_TEMPLATES_H_
