// The instance metadata of one simulated instance, as EC2's metadata service shows it: a
// tree of paths below /latest/ ("meta-data/instance-id", "dynamic/instance-identity/document",
// "user-data") with bodies shaped like EC2's (plain values, listings one entry per line with
// '/' after directories, credentials and identity documents in EC2's JSON layout).
//
// Pure functions of an identity, a mutable state and the time, so they are tested without
// sockets; ImdsServer (imds_server.h) serves them.
#ifndef LIFEBOAT_LOCAL_INSTANCES_IMDS_METADATA_H_
#define LIFEBOAT_LOCAL_INSTANCES_IMDS_METADATA_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lifeboat {

// What is fixed at launch.
struct ImdsIdentity {
  std::string instance_id;
  std::string region;
  std::string availability_zone;
  std::string instance_type;
  std::string image_id;
  std::string private_ip;
  std::string account_id;
  std::string group_name;  // empty: not in an Auto Scaling group (no autoscaling/ entries)
  std::string role_name;   // empty: no instance profile (no iam/ entries)
  // The role's credentials: the local cloud's keys, as an instance profile would supply them.
  std::string access_key;
  std::string secret_key;
  std::string session_token;
  std::string user_data;  // decoded; empty: user-data answers 404, as on EC2
  std::chrono::system_clock::time_point launch_time;
};

// What changes while the instance runs.
struct ImdsState {
  std::string target_lifecycle_state = "InService";
  std::string spot_action;  // "terminate" | "stop" | "hibernate"; empty: no notice
  std::chrono::system_clock::time_point spot_time;  // when the interruption happens
  std::optional<std::chrono::system_clock::time_point> rebalance_notice;
};

// Every leaf below /latest/ ("meta-data/placement/region") and its body, at `now`.
std::map<std::string, std::string> MetadataTree(const ImdsIdentity& identity,
                                                const ImdsState& state,
                                                std::chrono::system_clock::time_point now);

// The answer to GET /latest/<path>: a leaf's body, or for a directory ("meta-data",
// "meta-data/" or "" for /latest/ itself) its entries, one per line, directories with a
// trailing '/'. nullopt when nothing is there (EC2 answers 404).
std::optional<std::string> LookupMetadata(const std::map<std::string, std::string>& tree,
                                          std::string_view path);

// "2024-05-01T12:34:56Z", the form EC2 uses in metadata documents.
std::string Rfc3339(std::chrono::system_clock::time_point time);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_IMDS_METADATA_H_
