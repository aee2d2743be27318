// Request checks shared by LocalEventBridge's operations, with AWS's messages, and the
// operations defined in eventbridge_event_actions.cc. Internal to src/local/events.
#ifndef LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_VALIDATION_H_
#define LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_VALIDATION_H_

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "local/events/eventbridge_actions.h"

namespace lifeboat::eventbridge_internal {

// A ValidationException.
Status Validation(std::string message);
// The string member `key`, or "" when absent or not a string.
std::string StringField(const nlohmann::json& in, const char* key);
// A rule or target name: [\.\-_A-Za-z0-9]{1,64}. `wire` names it in messages ("name").
Result<std::string> RequireName(const nlohmann::json& in, const char* key, const char* wire);
// EventBusName, if given, must be the default bus (by name or ARN).
Status CheckBus(const EventBridgeContext& c, const nlohmann::json& in);

// Limit / NextToken paging over `total` items.
struct Page {
  size_t begin = 0;
  size_t end = 0;
  std::string next_token;  // empty on the last page
};
Result<Page> Paginate(const nlohmann::json& in, size_t total);

}  // namespace lifeboat::eventbridge_internal

namespace lifeboat {
Result<nlohmann::json> PutEventsAction(const EventBridgeContext& c, const nlohmann::json& in);
Result<nlohmann::json> TestEventPatternAction(const EventBridgeContext& c,
                                              const nlohmann::json& in);
}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_VALIDATION_H_
