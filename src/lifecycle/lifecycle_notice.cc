#include "lifecycle/lifecycle_notice.h"

#include <nlohmann/json.hpp>

#include "aws/container_credentials.h"  // ParseIso8601

namespace lifeboat {
namespace {

using json = nlohmann::json;

constexpr std::string_view kTestEvent = "autoscaling:TEST_NOTIFICATION";
constexpr std::string_view kEventBridgeDetailTypes[] = {"EC2 Instance-terminate Lifecycle Action",
                                                        "EC2 Instance-launch Lifecycle Action"};

std::string Field(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

Result<LifecycleNotice> FromAction(const json& fields, std::string shape, std::string time) {
  LifecycleNotice notice;
  notice.source_shape = std::move(shape);
  notice.group = Field(fields, "AutoScalingGroupName");
  if (Field(fields, "Event") == kTestEvent) {
    notice.kind = LifecycleNotice::Kind::kTestNotification;
    return notice;
  }
  notice.instance_id = Field(fields, "EC2InstanceId");
  notice.hook = Field(fields, "LifecycleHookName");
  notice.token = Field(fields, "LifecycleActionToken");
  notice.transition = Field(fields, "LifecycleTransition");
  notice.origin = Field(fields, "Origin");
  notice.destination = Field(fields, "Destination");
  notice.notification_metadata = Field(fields, "NotificationMetadata");
  for (const auto& [name, value] : {std::pair{"EC2InstanceId", &notice.instance_id},
                                    {"AutoScalingGroupName", &notice.group},
                                    {"LifecycleHookName", &notice.hook},
                                    {"LifecycleTransition", &notice.transition},
                                    {"LifecycleActionToken", &notice.token}}) {
    if (value->empty()) {
      return Status::InvalidArgument(notice.source_shape + " lifecycle notification without " +
                                     name);
    }
  }
  if (!time.empty()) {
    auto t = ParseIso8601(time);
    if (t.ok()) notice.time = *t;
  }
  return notice;
}

Result<LifecycleNotice> FromJson(const json& doc, int depth) {
  if (!doc.is_object()) return Status::InvalidArgument("a lifecycle notification is a JSON object");
  // SNS wraps the message as a string; unwrap once.
  if (Field(doc, "Type") == "Notification" && doc.contains("Message") && depth == 0) {
    json inner = json::parse(Field(doc, "Message"), nullptr, /*allow_exceptions=*/false);
    if (inner.is_discarded()) {
      return Status::InvalidArgument("SNS notification whose Message is not JSON");
    }
    auto notice = FromJson(inner, depth + 1);
    if (notice.ok()) notice->source_shape = "sns+" + notice->source_shape;
    return notice;
  }
  if (doc.contains("detail-type")) {
    const std::string type = Field(doc, "detail-type");
    bool lifecycle = false;
    for (std::string_view t : kEventBridgeDetailTypes) lifecycle |= (t == type);
    if (!lifecycle || Field(doc, "source") != "aws.autoscaling") {
      return Status::InvalidArgument("EventBridge event '" + type + "' from '" +
                                     Field(doc, "source") +
                                     "' is not an Auto Scaling lifecycle action");
    }
    auto detail = doc.find("detail");
    if (detail == doc.end() || !detail->is_object()) {
      return Status::InvalidArgument("EventBridge lifecycle event without a detail object");
    }
    return FromAction(*detail, "eventbridge", Field(doc, "time"));
  }
  if (doc.contains("LifecycleTransition") || Field(doc, "Event") == kTestEvent) {
    return FromAction(doc, "autoscaling", Field(doc, "Time"));
  }
  return Status::InvalidArgument(
      "not a lifecycle notification (no detail-type, LifecycleTransition or SNS Message)");
}

}  // namespace

Result<LifecycleNotice> ParseLifecycleNotice(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("a lifecycle notification must be JSON");
  return FromJson(doc, 0);
}

}  // namespace lifeboat
