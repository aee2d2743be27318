#include "local/autoscaling/launch_templates.h"

#include <openssl/rand.h>

#include <charconv>

namespace lifeboat {

namespace {

Status Ec2Error(StatusCode code, std::string message, std::string ec2_code) {
  return Status(code, std::move(message), std::move(ec2_code));
}

Status AsgValidation(std::string message) {
  return Status(StatusCode::kInvalidArgument,
                "You must use a valid fully-formed launch template. " + std::move(message),
                "ValidationError");
}

}  // namespace

std::string NewEc2Id(std::string_view prefix) {
  unsigned char b[9];
  RAND_bytes(b, sizeof(b));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  id += '-';
  for (int i = 0; i < 17; ++i) {
    const unsigned char byte = b[i / 2];
    id += kHex[(i % 2 == 0) ? (byte >> 4) : (byte & 0x0f)];
  }
  return id;
}

Result<LaunchTemplate> LaunchTemplateStore::Create(std::string name,
                                                   std::string version_description,
                                                   LaunchTemplateData data,
                                                   std::vector<Ec2Tag> tags,
                                                   std::chrono::system_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (id_by_name_.count(name) != 0) {
    return Ec2Error(StatusCode::kAlreadyExists, "Launch template name already in use.",
                    "InvalidLaunchTemplateName.AlreadyExistsException");
  }
  LaunchTemplate t;
  t.id = NewEc2Id("lt");
  t.name = std::move(name);
  t.create_time = now;
  t.tags = std::move(tags);
  t.versions.push_back(
      LaunchTemplateVersion{1, std::move(version_description), now, std::move(data)});
  id_by_name_[t.name] = t.id;
  by_id_[t.id] = t;
  return t;
}

Result<LaunchTemplate> LaunchTemplateStore::Get(const std::string& id,
                                                const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!id.empty()) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) {
      return Ec2Error(StatusCode::kNotFound,
                      "The specified launch template, with template ID " + id + ", does not exist.",
                      "InvalidLaunchTemplateId.NotFound");
    }
    return it->second;
  }
  auto it = id_by_name_.find(name);
  if (it == id_by_name_.end()) {
    return Ec2Error(StatusCode::kNotFound,
                    "At least one of the launch templates specified in the request does not exist.",
                    "InvalidLaunchTemplateName.NotFoundException");
  }
  return by_id_.at(it->second);
}

std::vector<LaunchTemplate> LaunchTemplateStore::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LaunchTemplate> out;
  for (const auto& [id, t] : by_id_) out.push_back(t);
  return out;
}

Result<std::pair<LaunchTemplate, LaunchTemplateVersion>> LaunchTemplateStore::Resolve(
    const LaunchTemplateRef& ref) const {
  if (ref.id.empty() && ref.name.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "Valid requests must contain either launchTemplateId or LaunchTemplateName",
                  "ValidationError");
  }
  std::lock_guard<std::mutex> lock(mu_);
  const LaunchTemplate* t = nullptr;
  if (!ref.id.empty()) {
    auto it = by_id_.find(ref.id);
    if (it == by_id_.end()) {
      return AsgValidation("The specified launch template, with template ID " + ref.id +
                           ", does not exist.");
    }
    t = &it->second;
  } else {
    auto it = id_by_name_.find(ref.name);
    if (it == id_by_name_.end()) {
      return AsgValidation("The specified launch template, with template name " + ref.name +
                           ", does not exist.");
    }
    t = &by_id_.at(it->second);
  }
  int64_t number = t->default_version;
  if (ref.version == "$Latest") {
    number = t->latest_version();
  } else if (!ref.version.empty() && ref.version != "$Default") {
    const char* end = ref.version.data() + ref.version.size();
    auto [p, ec] = std::from_chars(ref.version.data(), end, number);
    if (ec != std::errc() || p != end) number = -1;
  }
  if (number < 1 || number > t->latest_version()) {
    return AsgValidation("The specified launch template version, " + ref.version +
                         ", does not exist.");
  }
  return std::make_pair(*t, t->versions[static_cast<size_t>(number - 1)]);
}

}  // namespace lifeboat
