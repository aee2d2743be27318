// The operations of LocalEventBridge, from a decoded JSON request to the JSON response, in
// the shapes of botocore's events 2015-10-07 model. Errors are Statuses whose service_code
// is AWS's error code (the response's "__type").
#ifndef LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_ACTIONS_H_
#define LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_ACTIONS_H_

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "local/events/event_payload.h"
#include "local/events/event_rules.h"

namespace lifeboat {

struct EventBridgeContext {
  EventRules* rules;
  std::function<std::string(EventEnvelope)> publish;  // returns the event id
  std::string region;
  std::string account_id;
  std::chrono::system_clock::time_point now;
};

// `action` is the part of X-Amz-Target after "AWSEvents.".
Result<nlohmann::json> RunEventBridgeAction(const EventBridgeContext& context,
                                            const std::string& action, const nlohmann::json& input);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_ACTIONS_H_
