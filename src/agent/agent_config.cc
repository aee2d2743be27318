#include "agent/agent_config.h"

#include "ship/evacuation.h"
#include "ship/source_paths.h"
#include "store/store_url.h"

namespace lifeboat {
namespace {

Status Invalid(const ConfigNode& node, const std::string& key, const std::string& what) {
  return Status::InvalidArgument(node.Where(key) + ": " + key + " " + what);
}

// Reads an optional positive duration into `out`.
Status ReadDuration(const ConfigNode& node, const std::string& key,
                    std::chrono::milliseconds& out) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto value, node.Duration(key));
  if (!value) return Status::Ok();
  if (value->count() <= 0) return Invalid(node, key, "must be longer than 0");
  out = *value;
  return Status::Ok();
}

Status ReadInt(const ConfigNode& node, const std::string& key, int min, int max, int& out) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto value, node.Int(key));
  if (!value) return Status::Ok();
  if (*value < min || *value > max) {
    return Invalid(node, key, "must be between " + std::to_string(min) + " and " +
                                  std::to_string(max));
  }
  out = static_cast<int>(*value);
  return Status::Ok();
}

Status ReadString(const ConfigNode& node, const std::string& key, std::string& out) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto value, node.String(key));
  if (value) out = *value;
  return Status::Ok();
}

// What a codec compresses at when the file names the codec but no level.
int DefaultLevel(Codec codec, ConfigUse use) {
  return use == ConfigUse::kEvacuate ? EvacuationDefaultLevel(codec) : CodecDefaultLevel(codec);
}

Status ReadSources(const ConfigNode& root, ConfigUse use, AgentConfig& config) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto sources, root.SectionList("sources"));
  if (use == ConfigUse::kAgent && (!sources || sources->empty())) {
    return Status::InvalidArgument(root.Where() + ": sources: at least one {path: GLOB} is needed");
  }
  if (!sources) return Status::Ok();
  for (const ConfigNode& s : *sources) {
    SourceSpec spec;
    LIFEBOAT_ASSIGN_OR_RETURN(auto path, s.String("path"));
    if (!path || path->empty()) return Status::InvalidArgument(s.Where() + ": a source needs a 'path'");
    if ((*path)[0] != '/') return Invalid(s, "path", "must be absolute: " + *path);
    spec.pattern = AbsoluteNormalPath(*path, "/");
    LIFEBOAT_ASSIGN_OR_RETURN(auto exclude, s.StringList("exclude"));
    if (exclude) spec.exclude = *exclude;
    config.sources.push_back(std::move(spec));
  }
  return Status::Ok();
}

Status ReadCompression(const ConfigNode& root, ConfigUse use, AgentConfig& config) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto compression, root.Section("compression"));
  if (!compression) return Status::Ok();
  LIFEBOAT_ASSIGN_OR_RETURN(auto codec, compression->String("codec"));
  if (codec) {
    auto parsed = ParseCodec(*codec);
    if (!parsed.ok()) return Invalid(*compression, "codec", parsed.status().message());
    config.codec = *parsed;
    config.level = DefaultLevel(config.codec, use);
  }
  return ReadInt(*compression, "level", CodecMinLevel(config.codec),
                 CodecMaxLevel(config.codec), config.level);
}

Status ReadFlush(const ConfigNode& root, AgentConfig& config) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto flush, root.Section("flush"));
  if (!flush) return Status::Ok();
  LIFEBOAT_ASSIGN_OR_RETURN(auto max_bytes, flush->ByteSize("max_bytes"));
  if (max_bytes) {
    // Below a few KiB every line would be its own object; above 5 GiB one PUT cannot hold it.
    if (*max_bytes < 4096 || *max_bytes > (uint64_t{5} << 30)) {
      return Invalid(*flush, "max_bytes", "must be between 4KiB and 5GiB");
    }
    config.flush_max_bytes = *max_bytes;
  }
  return ReadDuration(*flush, "max_age", config.flush_max_age);
}

Status ReadS3Attributes(const ConfigNode& root, S3ObjectAttributes& attributes) {
  LIFEBOAT_RETURN_IF_ERROR(ReadString(root, "storage_class", attributes.storage_class));
  Status readable = CheckStorageClassReadable(attributes.storage_class);
  if (!readable.ok()) return Invalid(root, "storage_class", readable.message());
  LIFEBOAT_ASSIGN_OR_RETURN(auto sse, root.Section("sse"));
  if (!sse) return Status::Ok();
  LIFEBOAT_ASSIGN_OR_RETURN(auto mode, sse->String("mode"));
  if (!mode) return Status::InvalidArgument(sse->Where() + ": sse needs a mode: AES256 or aws:kms");
  auto encryption = ParseS3Encryption(*mode);
  if (!encryption.ok()) return Invalid(*sse, "mode", encryption.status().message());
  attributes.encryption = *encryption;
  LIFEBOAT_RETURN_IF_ERROR(ReadString(*sse, "kms_key_id", attributes.kms_key_id));
  if (!attributes.kms_key_id.empty() && attributes.encryption != S3Encryption::kKms) {
    return Invalid(*sse, "kms_key_id", "needs mode aws:kms");
  }
  return Status::Ok();
}

Status ReadSections(const ConfigNode& root, AgentConfig& config) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto metrics, root.Section("metrics"));
  if (metrics) LIFEBOAT_RETURN_IF_ERROR(ReadString(*metrics, "listen", config.metrics_listen));
  LIFEBOAT_ASSIGN_OR_RETURN(auto retry, root.Section("retry"));
  if (retry) LIFEBOAT_RETURN_IF_ERROR(ReadDuration(*retry, "max_backoff", config.retry_max_backoff));
  LIFEBOAT_ASSIGN_OR_RETURN(auto log, root.Section("log"));
  if (log) {
    LIFEBOAT_RETURN_IF_ERROR(ReadString(*log, "format", config.log_format));
    if (config.log_format != "text" && config.log_format != "json") {
      return Invalid(*log, "format", "must be text or json, not " + config.log_format);
    }
    LIFEBOAT_RETURN_IF_ERROR(ReadString(*log, "level", config.log_level));
  }
  LIFEBOAT_ASSIGN_OR_RETURN(auto lifecycle, root.Section("lifecycle"));
  if (lifecycle) {
    LIFEBOAT_ASSIGN_OR_RETURN(config.lifecycle, ParseLifecycleConfig(*lifecycle));
  }
  return Status::Ok();
}

}  // namespace

AgentConfig DefaultAgentConfig(ConfigUse use) {
  AgentConfig config;
  if (use == ConfigUse::kEvacuate) {
    config.level = DefaultLevel(config.codec, use);
    config.parallel = EvacuationDefaultParallel();
  }
  return config;
}

Result<AgentConfig> ParseAgentConfig(const ConfigNode& root, ConfigUse use) {
  AgentConfig config = DefaultAgentConfig(use);
  LIFEBOAT_RETURN_IF_ERROR(ReadString(root, "destination", config.destination));
  if (config.destination.empty() && use == ConfigUse::kAgent) {
    return Status::InvalidArgument(root.Where() +
                                   ": destination: s3://bucket[/prefix] or file:///dir is needed");
  }
  if (!config.destination.empty()) {
    if (auto url = ParseStoreUrl(config.destination); !url.ok()) {
      return Invalid(root, "destination", url.status().message());
    }
  }
  LIFEBOAT_RETURN_IF_ERROR(ReadString(root, "instance_id", config.instance_id));
  if (config.instance_id == "auto") config.instance_id.clear();
  LIFEBOAT_RETURN_IF_ERROR(ReadString(root, "endpoint_url", config.endpoint_url));
  if (!config.endpoint_url.empty() && !config.endpoint_url.starts_with("http://") &&
      !config.endpoint_url.starts_with("https://")) {
    return Invalid(root, "endpoint_url", "must start with http:// or https://");
  }
  LIFEBOAT_RETURN_IF_ERROR(ReadString(root, "region", config.region));
  LIFEBOAT_RETURN_IF_ERROR(ReadSources(root, use, config));
  LIFEBOAT_RETURN_IF_ERROR(ReadCompression(root, use, config));
  LIFEBOAT_RETURN_IF_ERROR(ReadFlush(root, config));
  LIFEBOAT_RETURN_IF_ERROR(ReadString(root, "state_dir", config.state_dir));
  if (config.state_dir.empty()) return Invalid(root, "state_dir", "must not be empty");
  LIFEBOAT_RETURN_IF_ERROR(ReadInt(root, "parallel", 1, 64, config.parallel));
  LIFEBOAT_RETURN_IF_ERROR(ReadDuration(root, "rescan_interval", config.rescan_interval));
  LIFEBOAT_RETURN_IF_ERROR(ReadDuration(root, "manifest_interval", config.manifest_interval));
  LIFEBOAT_RETURN_IF_ERROR(ReadDuration(root, "rotate_wait", config.rotate_wait));
  LIFEBOAT_RETURN_IF_ERROR(ReadInt(root, "max_open_files", 1, 1 << 20, config.max_open_files));
  LIFEBOAT_RETURN_IF_ERROR(ReadS3Attributes(root, config.s3_attributes));
  LIFEBOAT_RETURN_IF_ERROR(ReadSections(root, config));
  LIFEBOAT_RETURN_IF_ERROR(root.CheckKnown());
  return config;
}

Result<AgentConfig> LoadAgentConfig(Env& env, const std::string& path, ConfigUse use) {
  LIFEBOAT_ASSIGN_OR_RETURN(ConfigNode root, ConfigNode::Load(env, path));
  return ParseAgentConfig(root, use);
}

}  // namespace lifeboat
