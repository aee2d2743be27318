#include "controller/controller_config.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "lifecycle/lifecycle_config.h"  // ParseTimeScale

namespace lifeboat {
namespace {

using json = nlohmann::json;

std::string Expand(std::string value, const LifecycleNotice& notice) {
  const std::pair<std::string_view, const std::string*> kPlaceholders[] = {
      {"{instance_id}", &notice.instance_id},
      {"{group}", &notice.group},
      {"{hook}", &notice.hook},
      {"{token}", &notice.token}};
  for (const auto& [name, replacement] : kPlaceholders) {
    for (size_t pos = value.find(name); pos != std::string::npos;
         pos = value.find(name, pos + replacement->size())) {
      value.replace(pos, name.size(), *replacement);
    }
  }
  return value;
}

std::string FormatScale(double scale) {
  // "60", "0.5": what the document's timeScale parameter and `--time-scale` read.
  if (scale == std::floor(scale)) return std::to_string(static_cast<int64_t>(scale));
  return json(scale).dump();
}

Result<int64_t> PositiveSeconds(const std::string& text, const char* name) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) {
    return Status::InvalidArgument(std::string(name) + " '" + text +
                                   "': expected a whole number of seconds above 0");
  }
  return value;
}

}  // namespace

Result<DocumentParameters> ParseDocumentParameters(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (!doc.is_object()) {
    return Status::InvalidArgument(
        "document parameters must be a JSON object of strings or "
        "lists of strings");
  }
  DocumentParameters out;
  for (const auto& [name, value] : doc.items()) {
    if (value.is_string()) {
      out[name] = {value.get<std::string>()};
      continue;
    }
    if (!value.is_array()) {
      return Status::InvalidArgument("document parameter " + name +
                                     ": expected a string or a list of strings");
    }
    for (const auto& item : value) {
      if (!item.is_string()) {
        return Status::InvalidArgument("document parameter " + name +
                                       ": list items must be strings");
      }
      out[name].push_back(item.get<std::string>());
    }
  }
  return out;
}

Result<ControllerConfig> ControllerConfigFromEnvironment(Env& env) {
  ControllerConfig c;
  if (auto v = env.GetNonEmptyVar("LIFEBOAT_DOCUMENT")) c.document = *v;
  if (auto v = env.GetNonEmptyVar("LIFEBOAT_DESTINATION")) c.destination = *v;
  if (auto v = env.GetNonEmptyVar("LIFEBOAT_PARAMETERS")) {
    auto p = ParseDocumentParameters(*v);
    if (!p.ok()) return p.status().WithContext("LIFEBOAT_PARAMETERS");
    // {} is how a template says "not set" (CloudFormation has no optional variables).
    if (!p->empty()) c.parameters = std::move(*p);
  }
  if (auto v = env.GetNonEmptyVar("LIFEBOAT_ON_FAILURE")) {
    auto r = ParseLifecycleResult(*v);
    if (!r.ok()) return r.status().WithContext("LIFEBOAT_ON_FAILURE");
    c.on_failure = *r;
  }
  if (auto v = env.GetNonEmptyVar("LIFEBOAT_COMMAND_TIMEOUT")) {
    LIFEBOAT_ASSIGN_OR_RETURN(int64_t s, PositiveSeconds(*v, "LIFEBOAT_COMMAND_TIMEOUT"));
    c.command_timeout = std::chrono::seconds(s);
  }
  if (auto v = env.GetNonEmptyVar("LIFEBOAT_TIME_SCALE")) {
    LIFEBOAT_ASSIGN_OR_RETURN(c.time_scale, ParseTimeScale(*v, "LIFEBOAT_TIME_SCALE"));
  }
  return c;
}

DocumentParameters ParametersFor(const ControllerConfig& config, const LifecycleNotice& notice) {
  DocumentParameters out;
  if (config.parameters) {
    for (const auto& [name, values] : *config.parameters) {
      for (const auto& v : values) out[name].push_back(Expand(v, notice));
    }
    return out;
  }
  out["hookName"] = {notice.hook};
  out["groupName"] = {notice.group};
  out["token"] = {notice.token};
  out["destination"] = {config.destination};
  out["onFailure"] = {config.on_failure};
  out["executionTimeout"] = {std::to_string(config.command_timeout.count())};
  out["timeScale"] = {FormatScale(config.time_scale)};
  return out;
}

Status ValidateControllerConfig(const ControllerConfig& c) {
  if (c.document.empty()) return Status::InvalidArgument("no Run Command document is configured");
  if (!c.parameters && c.destination.empty()) {
    return Status::InvalidArgument(
        "no destination: set LIFEBOAT_DESTINATION (or --destination) to s3://bucket/prefix, or "
        "give the document's parameters in LIFEBOAT_PARAMETERS");
  }
  if (!c.destination.empty() && !c.destination.starts_with("s3://") &&
      !c.destination.starts_with("file://")) {
    return Status::InvalidArgument("destination " + c.destination +
                                   ": expected s3://bucket[/prefix] or file:///dir");
  }
  return Status::Ok();
}

}  // namespace lifeboat
