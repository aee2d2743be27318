#include "lifecycle/lifecycle_config.h"

#include <charconv>
#include <cmath>

namespace lifeboat {
namespace {

Status Invalid(const ConfigNode& node, const std::string& key, const std::string& what) {
  return Status::InvalidArgument(node.Where(key) + ": " + key + " " + what);
}

Status ReadString(const ConfigNode& node, const std::string& key, std::string& out) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto value, node.String(key));
  if (value) out = *value;
  return Status::Ok();
}

Status ReadBool(const ConfigNode& node, const std::string& key, bool& out) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto value, node.Bool(key));
  if (value) out = *value;
  return Status::Ok();
}

// A duration that may be 0 (when `zero_ok`) or "auto" (0).
Status ReadDuration(const ConfigNode& node, const std::string& key, bool zero_ok,
                    std::chrono::milliseconds& out) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto text, node.String(key));
  if (text && *text == kAuto) {
    out = std::chrono::milliseconds(0);
    return Status::Ok();
  }
  LIFEBOAT_ASSIGN_OR_RETURN(auto value, node.Duration(key));
  if (!value) return Status::Ok();
  if (value->count() < 0 || (!zero_ok && value->count() == 0)) {
    return Invalid(node, key, zero_ok ? "must not be negative" : "must be longer than 0");
  }
  out = *value;
  return Status::Ok();
}

Status ReadWatch(const ConfigNode& lifecycle, LifecycleConfig& config) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto watch, lifecycle.Section("watch"));
  if (!watch) return Status::Ok();
  LIFEBOAT_RETURN_IF_ERROR(ReadBool(*watch, "imds", config.imds.lifecycle_state));
  LIFEBOAT_RETURN_IF_ERROR(ReadDuration(*watch, "imds_interval", false, config.imds.interval));
  LIFEBOAT_RETURN_IF_ERROR(ReadBool(*watch, "spot", config.imds.spot));
  LIFEBOAT_RETURN_IF_ERROR(ReadBool(*watch, "rebalance", config.imds.rebalance));
  LIFEBOAT_RETURN_IF_ERROR(ReadString(*watch, "sqs_queue_url", config.sqs_queue_url));
  if (!config.sqs_queue_url.empty() && !config.sqs_queue_url.starts_with("https://") &&
      !config.sqs_queue_url.starts_with("http://")) {
    return Invalid(*watch, "sqs_queue_url", "must be a queue URL (https://sqs...)");
  }
  return Status::Ok();
}

}  // namespace

Result<double> ParseTimeScale(std::string_view text, std::string_view what) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value) || value <= 0) {
    return Status::InvalidArgument(std::string(what) + " '" + std::string(text) +
                                   "': expected a number above 0");
  }
  return value;
}

Result<LifecycleConfig> ParseLifecycleConfig(const ConfigNode& section) {
  LifecycleConfig config;
  config.enabled = true;
  LIFEBOAT_RETURN_IF_ERROR(ReadString(section, "group", config.group));
  LIFEBOAT_RETURN_IF_ERROR(ReadString(section, "hook", config.hook));
  if (config.group.empty()) return Invalid(section, "group", "must be a name or auto");
  if (config.hook.empty()) return Invalid(section, "hook", "must be a name or auto");
  LIFEBOAT_RETURN_IF_ERROR(ReadWatch(section, config));
  LIFEBOAT_ASSIGN_OR_RETURN(auto pre_stop, section.StringList("pre_stop"));
  if (pre_stop) config.pre_stop = *pre_stop;
  LIFEBOAT_RETURN_IF_ERROR(
      ReadDuration(section, "pre_stop_timeout", false, config.pre_stop_timeout));

  std::string on_failure = config.keeper.on_failure;
  LIFEBOAT_RETURN_IF_ERROR(ReadString(section, "on_failure", on_failure));
  auto result = ParseLifecycleResult(on_failure);
  if (!result.ok()) return Invalid(section, "on_failure", result.status().message());
  config.keeper.on_failure = *result;

  std::string warm_pool = "flush";
  LIFEBOAT_RETURN_IF_ERROR(ReadString(section, "warm_pool", warm_pool));
  if (warm_pool == "flush") {
    config.warm_pool = WarmPoolAction::kFlush;
  } else if (warm_pool == "evacuate") {
    config.warm_pool = WarmPoolAction::kEvacuate;
  } else if (warm_pool == "ignore") {
    config.warm_pool = WarmPoolAction::kIgnore;
  } else {
    return Invalid(section, "warm_pool", "must be flush, evacuate or ignore, not " + warm_pool);
  }

  LIFEBOAT_RETURN_IF_ERROR(
      ReadDuration(section, "heartbeat_interval", true, config.keeper.heartbeat.interval));
  LIFEBOAT_RETURN_IF_ERROR(
      ReadDuration(section, "stall_timeout", true, config.keeper.heartbeat.stall_timeout));

  LIFEBOAT_ASSIGN_OR_RETURN(auto scale, section.String("time_scale"));
  if (scale) {
    auto parsed = ParseTimeScale(*scale, "time_scale");
    if (!parsed.ok()) return Invalid(section, "time_scale", parsed.status().message());
    config.time_scale = *parsed;
  }
  return config;
}

}  // namespace lifeboat
