#include "local/autoscaling/ec2_service.h"

#include <algorithm>
#include <regex>
#include <set>

#include "common/hash.h"
#include "local/autoscaling/query_xml.h"

namespace lifeboat {

namespace {

Status Ec2Status(std::string code, std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(code));
}

Status Missing(const std::string& name) {
  return Ec2Status("MissingParameter", "The request must contain the parameter " + name);
}

std::vector<Ec2Tag> TagsAt(const QueryParams& p, const std::string& prefix) {
  std::vector<Ec2Tag> tags;
  for (int i : p.Indices(prefix)) {
    const std::string at = prefix + "." + std::to_string(i);
    tags.push_back(Ec2Tag{p.GetOr(at + ".Key"), p.GetOr(at + ".Value")});
  }
  return tags;
}

Result<LaunchTemplateData> ParseTemplateData(const QueryParams& p) {
  const std::string d = "LaunchTemplateData.";
  LaunchTemplateData data;
  data.image_id = p.GetOr(d + "ImageId");
  data.instance_type = p.GetOr(d + "InstanceType");
  data.user_data = p.GetOr(d + "UserData");
  if (!data.user_data.empty() && !Base64Decode(data.user_data)) {
    return Ec2Status("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.");
  }
  data.key_name = p.GetOr(d + "KeyName");
  data.iam_instance_profile_arn = p.GetOr(d + "IamInstanceProfile.Arn");
  data.iam_instance_profile_name = p.GetOr(d + "IamInstanceProfile.Name");
  data.security_group_ids = p.List(d + "SecurityGroupId");
  data.metadata_http_tokens = p.GetOr(d + "MetadataOptions.HttpTokens");
  data.metadata_http_endpoint = p.GetOr(d + "MetadataOptions.HttpEndpoint");
  auto hops = p.Int(d + "MetadataOptions.HttpPutResponseHopLimit");
  if (!hops.ok()) return Ec2Status("InvalidParameterValue", hops.status().message());
  data.metadata_hop_limit = hops->value_or(0);
  for (int i : p.Indices(d + "TagSpecification")) {
    const std::string at = d + "TagSpecification." + std::to_string(i);
    if (p.GetOr(at + ".ResourceType") != "instance") continue;
    for (Ec2Tag& tag : TagsAt(p, at + ".Tag")) data.instance_tags.push_back(std::move(tag));
  }
  return data;
}

void WriteTags(XmlOut& x, const std::vector<Ec2Tag>& tags) {
  if (tags.empty()) return;
  x.Open("tagSet");
  for (const Ec2Tag& t : tags)
    x.Open("item").Text("key", t.key).Text("value", t.value).Close("item");
  x.Close("tagSet");
}

void WriteTemplate(XmlOut& x, const LaunchTemplate& t, const std::string& account) {
  x.Text("launchTemplateId", t.id)
      .Text("launchTemplateName", t.name)
      .Time("createTime", t.create_time)
      .Text("createdBy", "arn:aws:iam::" + account + ":root")
      .Int("defaultVersionNumber", t.default_version)
      .Int("latestVersionNumber", t.latest_version());
  WriteTags(x, t.tags);
}

void WriteTemplateData(XmlOut& x, const LaunchTemplateData& d) {
  x.Open("launchTemplateData");
  x.OptText("imageId", d.image_id).OptText("instanceType", d.instance_type);
  x.OptText("keyName", d.key_name).OptText("userData", d.user_data);
  if (!d.iam_instance_profile_arn.empty() || !d.iam_instance_profile_name.empty()) {
    x.Open("iamInstanceProfile")
        .OptText("arn", d.iam_instance_profile_arn)
        .OptText("name", d.iam_instance_profile_name)
        .Close("iamInstanceProfile");
  }
  if (!d.security_group_ids.empty()) {
    x.Open("securityGroupIdSet");
    for (const std::string& sg : d.security_group_ids) x.Text("item", sg);
    x.Close("securityGroupIdSet");
  }
  if (!d.metadata_http_tokens.empty() || !d.metadata_http_endpoint.empty() ||
      d.metadata_hop_limit != 0) {
    x.Open("metadataOptions").OptText("httpTokens", d.metadata_http_tokens);
    if (d.metadata_hop_limit != 0) x.Int("httpPutResponseHopLimit", d.metadata_hop_limit);
    x.OptText("httpEndpoint", d.metadata_http_endpoint).Close("metadataOptions");
  }
  if (!d.instance_tags.empty()) {
    x.Open("tagSpecificationSet").Open("item").Text("resourceType", "instance");
    WriteTags(x, d.instance_tags);
    x.Close("item").Close("tagSpecificationSet");
  }
  x.Close("launchTemplateData");
}

struct Ec2State {
  int code;
  const char* name;
};

Ec2State Ec2StateOf(LifecycleState s) {
  switch (s) {
    case LifecycleState::kPending:
      return {0, "pending"};
    case LifecycleState::kTerminatingProceed:
      return {32, "shutting-down"};
    case LifecycleState::kTerminated:
      return {48, "terminated"};
    default:
      return {16, "running"};
  }
}

void WriteInstance(XmlOut& x, const InstanceInfo& i, const std::string& account) {
  const Ec2State state = Ec2StateOf(i.state);
  std::string ip_dashed = i.private_ip;
  std::replace(ip_dashed.begin(), ip_dashed.end(), '.', '-');
  const std::string dns = "ip-" + ip_dashed + ".ec2.internal";
  x.Open("item")
      .Text("instanceId", i.id)
      .Text("imageId", i.image_id)
      .Open("instanceState")
      .Int("code", state.code)
      .Text("name", state.name)
      .Close("instanceState")
      .Text("privateDnsName", state.code == 48 ? "" : dns)
      .Text("dnsName", "")
      .Text("reason", state.code == 48 ? "User initiated" : "")
      .OptText("keyName", i.data.key_name)
      .Int("amiLaunchIndex", 0)
      .Text("instanceType", i.instance_type)
      .Time("launchTime", i.launch_time)
      .Open("placement")
      .Text("availabilityZone", i.availability_zone)
      .Text("groupName", "")
      .Text("tenancy", "default")
      .Close("placement")
      .Open("monitoring")
      .Text("state", "disabled")
      .Close("monitoring");
  if (state.code != 48) x.Text("privateIpAddress", i.private_ip);
  x.Text("architecture", "x86_64").Text("rootDeviceType", "ebs");
  std::string profile_arn = i.data.iam_instance_profile_arn;
  if (profile_arn.empty() && !i.data.iam_instance_profile_name.empty()) {
    profile_arn =
        "arn:aws:iam::" + account + ":instance-profile/" + i.data.iam_instance_profile_name;
  }
  if (!profile_arn.empty()) {
    x.Open("iamInstanceProfile")
        .Text("arn", profile_arn)
        .Text("id", "AIPA" + i.id.substr(2))
        .Close("iamInstanceProfile");
  }
  WriteTags(x, i.tags);
  x.Text("hypervisor", "xen").Text("virtualizationType", "hvm");
  x.Open("metadataOptions")
      .Text("state", "applied")
      .Text("httpTokens",
            i.data.metadata_http_tokens.empty() ? "required" : i.data.metadata_http_tokens)
      .Int("httpPutResponseHopLimit",
           i.data.metadata_hop_limit == 0 ? 2 : i.data.metadata_hop_limit)
      .Text("httpEndpoint",
            i.data.metadata_http_endpoint.empty() ? "enabled" : i.data.metadata_http_endpoint)
      .Close("metadataOptions");
  x.Close("item");
}

// DescribeInstances' Filter.N: true when the instance passes every filter.
Result<bool> PassesFilters(const QueryParams& p, const InstanceInfo& i) {
  for (int n : p.Indices("Filter")) {
    const std::string at = "Filter." + std::to_string(n);
    const std::string name = p.GetOr(at + ".Name");
    const std::vector<std::string> values = p.List(at + ".Value");
    auto any = [&](const std::string& actual) {
      return std::find(values.begin(), values.end(), actual) != values.end();
    };
    bool pass = false;
    if (name == "instance-id") {
      pass = any(i.id);
    } else if (name == "instance-state-name") {
      pass = any(Ec2StateOf(i.state).name);
    } else if (name == "availability-zone") {
      pass = any(i.availability_zone);
    } else if (name == "tag-key") {
      pass = std::any_of(i.tags.begin(), i.tags.end(), [&](const Ec2Tag& t) { return any(t.key); });
    } else if (name.rfind("tag:", 0) == 0) {
      const std::string key = name.substr(4);
      pass = std::any_of(i.tags.begin(), i.tags.end(),
                         [&](const Ec2Tag& t) { return t.key == key && any(t.value); });
    } else {
      return Ec2Status("InvalidParameterValue", "The filter '" + name + "' is invalid");
    }
    if (!pass) return false;
  }
  return true;
}

}  // namespace

Ec2Service::Ec2Service(LaunchTemplateStore* templates, AutoScalingEngine* engine,
                       const LifecycleClock* clock)
    : templates_(templates), engine_(engine), clock_(clock) {}

LocalResponse Ec2Service::Handle(const LocalRequest& request) {
  auto params = QueryParams::FromRequest(request);
  if (!params.ok()) return Ec2Error(params.status());
  const std::string action = params->GetOr("Action");
  if (action == "CreateLaunchTemplate") return CreateLaunchTemplate(*params);
  if (action == "DescribeLaunchTemplates") return DescribeLaunchTemplates(*params);
  if (action == "DescribeLaunchTemplateVersions") return DescribeLaunchTemplateVersions(*params);
  if (action == "DescribeInstances") return DescribeInstances(*params);
  if (action.empty()) return Ec2Error(Missing("Action"));
  return Ec2Error(
      Ec2Status("InvalidAction", "The action " + action + " is not valid for this web service."));
}

LocalResponse Ec2Service::CreateLaunchTemplate(const QueryParams& p) {
  const auto name = p.Get("LaunchTemplateName");
  if (!name) return Ec2Error(Missing("LaunchTemplateName"));
  static const std::regex kName("[a-zA-Z0-9().\\-/_]{3,128}");
  if (!std::regex_match(*name, kName)) {
    return Ec2Error(Ec2Status("InvalidLaunchTemplateName.MalformedException",
                              "A launch template name must be between 3 and 128 characters, and "
                              "may contain letters, numbers, and the following characters: - ( ) "
                              ". / _.'"));
  }
  if (p.Indices("LaunchTemplateData").empty() && !p.Has("LaunchTemplateData")) {
    bool any_data = false;
    for (const char* field : {"ImageId", "InstanceType", "UserData", "KeyName"}) {
      any_data = any_data || p.Has(std::string("LaunchTemplateData.") + field);
    }
    if (!any_data && p.Indices("LaunchTemplateData.SecurityGroupId").empty() &&
        !p.Has("LaunchTemplateData.IamInstanceProfile.Arn") &&
        !p.Has("LaunchTemplateData.IamInstanceProfile.Name") &&
        !p.Has("LaunchTemplateData.MetadataOptions.HttpTokens") &&
        p.Indices("LaunchTemplateData.TagSpecification").empty()) {
      return Ec2Error(Missing("LaunchTemplateData"));
    }
  }
  auto data = ParseTemplateData(p);
  if (!data.ok()) return Ec2Error(data.status());
  std::vector<Ec2Tag> tags;
  for (int i : p.Indices("TagSpecification")) {
    const std::string at = "TagSpecification." + std::to_string(i);
    for (Ec2Tag& tag : TagsAt(p, at + ".Tag")) tags.push_back(std::move(tag));
  }
  auto created = templates_->Create(*name, p.GetOr("VersionDescription"), std::move(*data),
                                    std::move(tags), clock_->WallNow());
  if (!created.ok()) return Ec2Error(created.status());
  XmlOut x;
  x.Open("launchTemplate");
  WriteTemplate(x, *created, engine_->options().account_id);
  x.Close("launchTemplate");
  return Ec2XmlResponse("CreateLaunchTemplate", x.str());
}

LocalResponse Ec2Service::DescribeLaunchTemplates(const QueryParams& p) {
  std::vector<LaunchTemplate> found;
  const auto ids = p.List("LaunchTemplateId");
  const auto names = p.List("LaunchTemplateName");
  if (ids.empty() && names.empty()) {
    found = templates_->List();
  } else {
    for (const std::string& id : ids) {
      auto t = templates_->Get(id, "");
      if (!t.ok()) return Ec2Error(t.status());
      found.push_back(*t);
    }
    for (const std::string& name : names) {
      auto t = templates_->Get("", name);
      if (!t.ok()) return Ec2Error(t.status());
      found.push_back(*t);
    }
  }
  XmlOut x;
  x.Open("launchTemplates");
  for (const LaunchTemplate& t : found) {
    x.Open("item");
    WriteTemplate(x, t, engine_->options().account_id);
    x.Close("item");
  }
  x.Close("launchTemplates");
  return Ec2XmlResponse("DescribeLaunchTemplates", x.str());
}

LocalResponse Ec2Service::DescribeLaunchTemplateVersions(const QueryParams& p) {
  const std::string id = p.GetOr("LaunchTemplateId");
  const std::string name = p.GetOr("LaunchTemplateName");
  if (id.empty() && name.empty()) return Ec2Error(Missing("LaunchTemplateId"));
  auto t = templates_->Get(id, name);
  if (!t.ok()) return Ec2Error(t.status());
  std::set<int64_t> wanted;
  for (const std::string& v : p.List("LaunchTemplateVersion")) {
    if (v == "$Latest") {
      wanted.insert(t->latest_version());
    } else if (v == "$Default") {
      wanted.insert(t->default_version);
    } else {
      int64_t n = std::atoll(v.c_str());
      if (n < 1 || n > t->latest_version()) {
        return Ec2Error(Ec2Status("InvalidLaunchTemplateId.VersionNotFound",
                                  "Could not find launch template version " + v + "."));
      }
      wanted.insert(n);
    }
  }
  XmlOut x;
  x.Open("launchTemplateVersionSet");
  for (const LaunchTemplateVersion& v : t->versions) {
    if (!wanted.empty() && wanted.count(v.number) == 0) continue;
    x.Open("item")
        .Text("launchTemplateId", t->id)
        .Text("launchTemplateName", t->name)
        .Int("versionNumber", v.number)
        .OptText("versionDescription", v.description)
        .Time("createTime", v.create_time)
        .Text("createdBy", "arn:aws:iam::" + engine_->options().account_id + ":root")
        .Bool("defaultVersion", v.number == t->default_version);
    WriteTemplateData(x, v.data);
    x.Close("item");
  }
  x.Close("launchTemplateVersionSet");
  return Ec2XmlResponse("DescribeLaunchTemplateVersions", x.str());
}

LocalResponse Ec2Service::DescribeInstances(const QueryParams& p) {
  const std::vector<std::string> ids = p.List("InstanceId");
  for (const std::string& id : ids) {
    if (id.rfind("i-", 0) != 0) {
      return Ec2Error(Ec2Status("InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\""));
    }
  }
  const std::vector<InstanceInfo> all = engine_->AllInstances();
  std::vector<std::string> missing;
  for (const std::string& id : ids) {
    if (std::none_of(all.begin(), all.end(), [&](const InstanceInfo& i) { return i.id == id; })) {
      missing.push_back(id);
    }
  }
  if (missing.size() == 1) {
    return Ec2Error(Ec2Status("InvalidInstanceID.NotFound",
                              "The instance ID '" + missing[0] + "' does not exist"));
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& id : missing) list += (list.empty() ? "" : ", ") + id;
    return Ec2Error(
        Ec2Status("InvalidInstanceID.NotFound", "The instance IDs '" + list + "' do not exist"));
  }
  const std::string& account = engine_->options().account_id;
  XmlOut x;
  x.Open("reservationSet");
  for (const InstanceInfo& i : all) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), i.id) == ids.end()) continue;
    auto pass = PassesFilters(p, i);
    if (!pass.ok()) return Ec2Error(pass.status());
    if (!*pass) continue;
    // One reservation per instance: Auto Scaling launches them one at a time.
    x.Open("item").Text("reservationId", "r-" + i.id.substr(2)).Text("ownerId", account);
    x.Text("requesterId", "940372691376").Open("groupSet").Close("groupSet").Open("instancesSet");
    WriteInstance(x, i, account);
    x.Close("instancesSet").Close("item");
  }
  x.Close("reservationSet");
  return Ec2XmlResponse("DescribeInstances", x.str());
}

}  // namespace lifeboat
