// AgentConfig: the settings of `lifeboat agent`, read from its YAML file
// (/etc/lifeboat/agent.yaml by default). Every key is checked: an unknown key or a value
// of the wrong type is an error naming file:line, so a typo never silently changes what
// is shipped. `lifeboat evacuate --config` reads the same file with the same parser
// (ConfigUse::kEvacuate).
#ifndef LIFEBOAT_AGENT_AGENT_CONFIG_H_
#define LIFEBOAT_AGENT_AGENT_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "aws/s3_requests.h"
#include "common/config_file.h"
#include "lifecycle/lifecycle_config.h"
#include "ship/codec.h"

namespace lifeboat {

struct SourceSpec {
  std::string pattern;               // one absolute glob
  std::vector<std::string> exclude;  // globs matched against the file name
};

// The shipped defaults, priced in the README ("What it costs"). Normal operation cuts for
// cost: a stream is cut when max_bytes are pending, or all streams together when the
// oldest pending byte is max_age old. Safety does not depend on frequent cuts: every
// termination path ships to the last byte before the instance is released. What an
// instance that dies with no notice at all can lose is what is pending: less than
// max_bytes per stream, none of it older than max_age.
inline constexpr uint64_t kDefaultFlushMaxBytes = uint64_t{8} << 20;
inline constexpr std::chrono::milliseconds kDefaultFlushMaxAge = std::chrono::hours(1);
// At most one manifest update per interval (each is one PUT); chunks stored in between are
// in the store already, only not listed yet.
inline constexpr std::chrono::milliseconds kDefaultManifestInterval = std::chrono::minutes(15);
// inotify makes a new file's discovery prompt; the rescan is the fallback.
inline constexpr std::chrono::milliseconds kDefaultRescanInterval = std::chrono::seconds(10);
// Two uploads in flight keep up with hundreds of MiB/s of logs (bench/agent); each more
// costs a zstd window (~3 MiB at level 3) of memory on every instance.
inline constexpr int kDefaultParallel = 2;
// A stream no longer at its path (rotated by rename, deleted) and idle this long is
// shipped to its last byte and closed.
inline constexpr std::chrono::milliseconds kDefaultRotateWait = std::chrono::seconds(5);
inline constexpr int kDefaultMaxOpenFiles = 256;
// Uploads retry forever; this caps the wait between tries.
inline constexpr std::chrono::milliseconds kDefaultRetryMaxBackoff = std::chrono::seconds(30);

struct AgentConfig {
  std::string destination;   // s3://bucket[/prefix] or file:///dir
  std::string instance_id;   // empty: ask IMDS ("auto" in the file)
  std::string endpoint_url;  // optional
  std::string region;        // optional
  std::vector<SourceSpec> sources;
  Codec codec = kDefaultCodec;
  int level = CodecDefaultLevel(kDefaultCodec);
  uint64_t flush_max_bytes = kDefaultFlushMaxBytes;
  std::chrono::milliseconds flush_max_age = kDefaultFlushMaxAge;
  std::string state_dir = "/var/lib/lifeboat";
  std::string metrics_listen;  // empty: no metrics endpoint
  int parallel = kDefaultParallel;
  std::chrono::milliseconds rescan_interval = kDefaultRescanInterval;
  std::chrono::milliseconds manifest_interval = kDefaultManifestInterval;
  std::chrono::milliseconds rotate_wait = kDefaultRotateWait;
  int max_open_files = kDefaultMaxOpenFiles;
  std::chrono::milliseconds retry_max_backoff = kDefaultRetryMaxBackoff;
  // What every object is stored with in S3 (file:// ignores it): storage_class, and sse's
  // mode and kms_key_id. Unset: the bucket's defaults.
  S3ObjectAttributes s3_attributes;
  std::string log_format = "text";
  std::string log_level = "info";
  LifecycleConfig lifecycle;  // enabled only with a `lifecycle:` section
};

// Who reads the file. Both uses check every key the same way, so a file one accepts the
// other accepts too, and a typo is an error for both.
//   kAgent     destination and sources are required; the agent's defaults.
//   kEvacuate  both may come from evacuate's flags instead; evacuate's defaults
//              (EvacuationDefaultLevel, EvacuationDefaultParallel) for what the file
//              leaves out. evacuate uses destination, instance_id, endpoint_url, region,
//              sources, compression, parallel, storage_class and sse; the rest (flush,
//              state_dir, metrics, the intervals, rotate_wait, max_open_files, retry, log,
//              lifecycle) is how the agent runs and means nothing to one evacuation.
enum class ConfigUse { kAgent, kEvacuate };

// The settings of a file that sets nothing.
AgentConfig DefaultAgentConfig(ConfigUse use);
// Reads and checks the whole file; errors are one line naming file:line.
Result<AgentConfig> ParseAgentConfig(const ConfigNode& root, ConfigUse use);
Result<AgentConfig> LoadAgentConfig(Env& env, const std::string& path, ConfigUse use);

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_AGENT_CONFIG_H_
