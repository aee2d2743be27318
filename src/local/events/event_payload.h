// The JSON of EventBridge events and what targets receive.
//
// Every event on a bus has AWS's envelope, in AWS's field order:
//   {"version": "0", "id": "<uuid>", "detail-type": ..., "source": ..., "account": ...,
//    "time": "2015-11-11T21:31:47Z", "region": ..., "resources": [...], "detail": {...}}
// A target receives the whole event, its constant Input, or the part its InputPath (a
// JSONPath such as "$.detail" or "$.resources[0]") selects.
#ifndef LIFEBOAT_LOCAL_EVENTS_EVENT_PAYLOAD_H_
#define LIFEBOAT_LOCAL_EVENTS_EVENT_PAYLOAD_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct EventEnvelope {
  std::string id;
  std::string detail_type;
  std::string source;
  std::string account;
  std::chrono::system_clock::time_point time;
  std::string region;
  std::vector<std::string> resources;
  std::string detail = "{}";  // a JSON object, as text
};

// ISO 8601 in UTC to the second: "2015-11-11T21:31:47Z".
std::string FormatEventTime(std::chrono::system_clock::time_point time);
std::string EnvelopeJson(const EventEnvelope& event);

struct TargetInput {
  bool has_input = false;
  std::string input;       // constant JSON text
  std::string input_path;  // JSONPath; empty: the whole event
};

// The payload a target with `spec` receives for `event_json`. A path that selects nothing
// gives "null".
Result<std::string> TargetPayload(const std::string& event_json, const TargetInput& spec);

// Whether `path` is a JSONPath lifeboat evaluates: "$", then ".name", "['name']" or "[n]" steps.
Status ValidateInputPath(std::string_view path);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_EVENT_PAYLOAD_H_
