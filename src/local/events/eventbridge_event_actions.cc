// PutEvents and TestEventPattern.
#include <cmath>
#include <ctime>

#include "events/event.h"
#include "events/event_pattern.h"
#include "local/events/eventbridge_validation.h"
#include "local/local_service.h"

namespace lifeboat {
namespace {

using eventbridge_internal::StringField;
using eventbridge_internal::Validation;
using nlohmann::json;

json EntryError(const std::string& code, const std::string& message) {
  return json{{"ErrorCode", code}, {"ErrorMessage", message}};
}

// PutEvents' Time: epoch seconds (what botocore sends) or an ISO 8601 string.
std::optional<std::chrono::system_clock::time_point> EntryTime(const json& entry) {
  auto it = entry.find("Time");
  if (it == entry.end() || it->is_null()) return std::nullopt;
  if (it->is_number()) {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::duration<double>(it->get<double>())));
  }
  if (it->is_string()) {
    std::tm tm{};
    const std::string text = it->get<std::string>();
    if (strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) != nullptr) {
      return std::chrono::system_clock::from_time_t(timegm(&tm));
    }
  }
  return std::nullopt;
}

json PutOne(const EventBridgeContext& c, const json& entry) {
  std::string bus = StringField(entry, "EventBusName");
  if (!bus.empty() && bus != "default" &&
      bus != "arn:aws:events:" + c.region + ":" + c.account_id + ":event-bus/default") {
    return EntryError("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
  }
  EventEnvelope event;
  event.source = StringField(entry, "Source");
  event.detail_type = StringField(entry, "DetailType");
  event.detail = StringField(entry, "Detail");
  if (event.source.empty()) {
    return EntryError("InvalidArgument",
                      "Parameter Source is not valid. Reason: Source is a required argument.");
  }
  if (event.detail_type.empty()) {
    return EntryError(
        "InvalidArgument",
        "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
  }
  if (event.detail.empty()) {
    return EntryError("InvalidArgument",
                      "Parameter Detail is not valid. Reason: Detail is a required argument.");
  }
  json detail = json::parse(event.detail, nullptr, /*allow_exceptions=*/false);
  if (detail.is_discarded()) return EntryError("MalformedDetail", "Detail is malformed.");
  // AWS services' sources ("aws.ec2") are theirs alone.
  if (event.source.starts_with("aws."))
    return EntryError("NotAuthorizedForSourceException", "Not authorized for the source.");
  if (entry.contains("Resources") && entry["Resources"].is_array()) {
    for (const json& r : entry["Resources"]) {
      if (r.is_string()) event.resources.push_back(r.get<std::string>());
    }
  }
  event.time = EntryTime(entry).value_or(c.now);
  event.account = c.account_id;
  event.region = c.region;
  // A detail that is JSON but not an object is accepted and matches nothing, as on AWS.
  if (!detail.is_object()) return json{{"EventId", NewRequestId()}};
  return json{{"EventId", c.publish(std::move(event))}};
}

}  // namespace

Result<json> PutEventsAction(const EventBridgeContext& c, const json& in) {
  if (!in.contains("Entries") || !in["Entries"].is_array() || in["Entries"].empty()) {
    return Validation(
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: "
        "Member must not be null");
  }
  if (in["Entries"].size() > 10) {
    return Validation(
        "1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to "
        "satisfy "
        "constraint: Member must have length less than or equal to 10");
  }
  json entries = json::array();
  int failed = 0;
  for (const json& entry : in["Entries"]) {
    json result = PutOne(c, entry);
    if (result.contains("ErrorCode")) ++failed;
    entries.push_back(std::move(result));
  }
  return json{{"FailedEntryCount", failed}, {"Entries", entries}};
}

Result<json> TestEventPatternAction(const EventBridgeContext& c, const json& in) {
  (void)c;
  if (!in.contains("EventPattern") || !in["EventPattern"].is_string()) {
    return Validation(
        "1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: "
        "Member must not be null");
  }
  if (!in.contains("Event") || !in["Event"].is_string()) {
    return Validation(
        "1 validation error detected: Value null at 'event' failed to satisfy constraint: "
        "Member must not be null");
  }
  auto pattern = EventPattern::Compile(in["EventPattern"].get<std::string>());
  if (!pattern.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  "Event pattern is not valid. Reason: " + pattern.status().message(),
                  "InvalidEventPatternException");
  }
  const std::string text = in["Event"].get<std::string>();
  // The event must be an AWS event. TestEventPattern's API reference also lists `resources`
  // as mandatory, but AWS itself answers an event without it (or without `detail`) with a
  // Result, so only the other envelope fields are required here.
  json fields = json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto event = Event::Parse(text);
  if (!event.ok() || !fields.is_object()) return Validation("Parameter Event is not valid.");
  for (const char* required : {"id", "account", "source", "time", "region", "detail-type"}) {
    if (!fields.contains(required)) return Validation("Parameter Event is not valid.");
  }
  return json{{"Result", pattern->Matches(*event)}};
}

}  // namespace lifeboat
