#include "local/instances/imds_metadata.h"

#include <time.h>

#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

namespace lifeboat {
namespace {

using Clock = std::chrono::system_clock;

// A JSON member: a string value, or nullopt for JSON null.
using Member = std::pair<std::string, std::optional<std::string>>;

// EC2 prints its metadata documents with two-space indents and " : " between key and value.
std::string Ec2Json(const std::vector<Member>& members) {
  std::string out = "{\n";
  for (size_t i = 0; i < members.size(); ++i) {
    const auto& [key, value] = members[i];
    out += "  " + nlohmann::json(key).dump() + " : " +
           (value ? nlohmann::json(*value).dump() : std::string("null"));
    out += i + 1 < members.size() ? ",\n" : "\n";
  }
  return out + "}";
}

// "ip-10-0-1-23.ec2.internal" in us-east-1, "ip-10-0-1-23.eu-west-1.compute.internal" elsewhere.
std::string PrivateDnsName(const ImdsIdentity& id) {
  std::string host = "ip-" + id.private_ip;
  for (char& c : host) {
    if (c == '.') c = '-';
  }
  return host +
         (id.region == "us-east-1" ? ".ec2.internal" : "." + id.region + ".compute.internal");
}

// Role credentials are reissued every hour and last six, as EC2's do.
std::pair<Clock::time_point, Clock::time_point> CredentialWindow(Clock::time_point launch,
                                                                 Clock::time_point now) {
  auto age = now > launch ? now - launch : Clock::duration::zero();
  Clock::time_point issued = launch + std::chrono::duration_cast<std::chrono::hours>(age);
  return {issued, issued + std::chrono::hours(6)};
}

}  // namespace

std::string Rfc3339(Clock::time_point time) {
  std::time_t t = Clock::to_time_t(time);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::map<std::string, std::string> MetadataTree(const ImdsIdentity& id, const ImdsState& state,
                                                Clock::time_point now) {
  std::map<std::string, std::string> tree;
  auto meta = [&tree](const std::string& path, std::string value) {
    tree["meta-data/" + path] = std::move(value);
  };
  const std::string dns = PrivateDnsName(id);
  meta("ami-id", id.image_id);
  meta("ami-launch-index", "0");
  meta("ami-manifest-path", "(unknown)");
  meta("block-device-mapping/ami", "/dev/xvda");
  meta("block-device-mapping/root", "/dev/xvda");
  meta("hostname", dns);
  meta("instance-action", "none");
  meta("instance-id", id.instance_id);
  meta("instance-life-cycle", "on-demand");
  meta("instance-type", id.instance_type);
  meta("local-hostname", dns);
  meta("local-ipv4", id.private_ip);
  meta("placement/availability-zone", id.availability_zone);
  meta("placement/region", id.region);
  meta("profile", "default-hvm");
  meta("reservation-id", "r-" + id.instance_id.substr(id.instance_id.find('-') + 1));
  meta("security-groups", "default");
  meta("services/domain", "amazonaws.com");
  meta("services/partition", "aws");
  if (!id.group_name.empty()) {
    meta("autoscaling/target-lifecycle-state", state.target_lifecycle_state);
  }
  if (!id.role_name.empty()) {
    auto [issued, expires] = CredentialWindow(id.launch_time, now);
    meta("iam/info", Ec2Json({{"Code", "Success"},
                              {"LastUpdated", Rfc3339(issued)},
                              {"InstanceProfileArn", "arn:aws:iam::" + id.account_id +
                                                         ":instance-profile/" + id.role_name},
                              {"InstanceProfileId", "AIPA" + id.account_id}}));
    meta("iam/security-credentials/" + id.role_name, Ec2Json({{"Code", "Success"},
                                                              {"LastUpdated", Rfc3339(issued)},
                                                              {"Type", "AWS-HMAC"},
                                                              {"AccessKeyId", id.access_key},
                                                              {"SecretAccessKey", id.secret_key},
                                                              {"Token", id.session_token},
                                                              {"Expiration", Rfc3339(expires)}}));
  }
  if (!state.spot_action.empty()) {
    // EC2 writes these two compactly, unlike its other documents.
    meta("spot/instance-action", "{\"action\": " + nlohmann::json(state.spot_action).dump() +
                                     ", \"time\": \"" + Rfc3339(state.spot_time) + "\"}");
    if (state.spot_action == "terminate") meta("spot/termination-time", Rfc3339(state.spot_time));
  }
  if (state.rebalance_notice) {
    meta("events/recommendations/rebalance",
         "{\"noticeTime\": \"" + Rfc3339(*state.rebalance_notice) + "\"}");
  }
  tree["dynamic/instance-identity/document"] = Ec2Json({{"accountId", id.account_id},
                                                        {"architecture", "x86_64"},
                                                        {"availabilityZone", id.availability_zone},
                                                        {"billingProducts", std::nullopt},
                                                        {"devpayProductCodes", std::nullopt},
                                                        {"marketplaceProductCodes", std::nullopt},
                                                        {"imageId", id.image_id},
                                                        {"instanceId", id.instance_id},
                                                        {"instanceType", id.instance_type},
                                                        {"kernelId", std::nullopt},
                                                        {"pendingTime", Rfc3339(id.launch_time)},
                                                        {"privateIp", id.private_ip},
                                                        {"ramdiskId", std::nullopt},
                                                        {"region", id.region},
                                                        {"version", "2017-09-30"}});
  if (!id.user_data.empty()) tree["user-data"] = id.user_data;
  return tree;
}

std::optional<std::string> LookupMetadata(const std::map<std::string, std::string>& tree,
                                          std::string_view path) {
  std::string key(path);
  if (!key.empty() && key.back() != '/') {
    if (auto it = tree.find(key); it != tree.end()) return it->second;
    key += '/';
  }
  if (key == "/") key.clear();
  // A directory: the distinct next components of the leaves below it, in sorted order.
  std::set<std::string> entries;
  for (auto it = tree.lower_bound(key); it != tree.end() && it->first.rfind(key, 0) == 0; ++it) {
    std::string rest = it->first.substr(key.size());
    size_t slash = rest.find('/');
    entries.insert(slash == std::string::npos ? rest : rest.substr(0, slash + 1));
  }
  if (entries.empty()) return std::nullopt;
  std::string listing;
  for (const auto& entry : entries) listing += (listing.empty() ? "" : "\n") + entry;
  return listing;
}

}  // namespace lifeboat
