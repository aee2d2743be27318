#include "aws/autoscaling_client.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "aws/query_protocol.h"

namespace lifeboat {
namespace {

constexpr std::string_view kVersion = "2011-01-01";

// "CompleteLifecycleAction web/log-hook": the operation and the hook it was about.
std::string About(std::string_view operation, const LifecycleActionRef& action) {
  return std::string(operation) + " " + action.group + "/" + action.hook;
}

// The fields that name the action, in alphabetical order; `result` only for completing.
Result<QueryParams> ActionParams(std::string_view operation, const LifecycleActionRef& action,
                                 std::string_view result = {}) {
  if (action.group.empty() || action.hook.empty()) {
    return Status::InvalidArgument(About(operation, action) +
                                   ": the group and the hook name are both needed");
  }
  if (action.token.empty() && action.instance_id.empty()) {
    return Status::InvalidArgument(About(operation, action) +
                                   ": neither a lifecycle action token nor an instance id");
  }
  QueryParams params = {{"AutoScalingGroupName", action.group}};
  if (!action.instance_id.empty()) params.emplace_back("InstanceId", action.instance_id);
  if (!result.empty()) params.emplace_back("LifecycleActionResult", std::string(result));
  if (!action.token.empty()) params.emplace_back("LifecycleActionToken", action.token);
  params.emplace_back("LifecycleHookName", action.hook);
  return params;
}

LifecycleHookInfo HookFromXml(pugi::xml_node member) {
  LifecycleHookInfo hook;
  hook.name = XmlChildText(member, "LifecycleHookName");
  hook.group = XmlChildText(member, "AutoScalingGroupName");
  hook.transition = XmlChildText(member, "LifecycleTransition");
  hook.default_result = XmlChildText(member, "DefaultResult");
  hook.heartbeat_timeout = XmlChildInt(member, "HeartbeatTimeout");
  hook.global_timeout = XmlChildInt(member, "GlobalTimeout");
  hook.notification_target_arn = XmlChildText(member, "NotificationTargetARN");
  return hook;
}

bool ContainsIgnoreCase(std::string_view text, std::string_view part) {
  return std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

}  // namespace

AutoScalingClient::AutoScalingClient(AwsTransport& transport, std::string endpoint)
    : transport_(transport), endpoint_(std::move(endpoint)) {}

Status AutoScalingClient::CompleteLifecycleAction(const LifecycleActionRef& action,
                                                  std::string_view result) {
  constexpr std::string_view kAction = "CompleteLifecycleAction";
  if (result != "CONTINUE" && result != "ABANDON") {
    return Status::InvalidArgument(About(kAction, action) + ": the result '" + std::string(result) +
                                   "' is neither CONTINUE nor ABANDON");
  }
  LIFEBOAT_ASSIGN_OR_RETURN(QueryParams params, ActionParams(kAction, action, result));
  return CallQuery(transport_, endpoint_, kAction, kVersion, params)
      .status()
      .WithContext(About(kAction, action));
}

Status AutoScalingClient::RecordLifecycleActionHeartbeat(const LifecycleActionRef& action) {
  constexpr std::string_view kAction = "RecordLifecycleActionHeartbeat";
  LIFEBOAT_ASSIGN_OR_RETURN(QueryParams params, ActionParams(kAction, action));
  return CallQuery(transport_, endpoint_, kAction, kVersion, params)
      .status()
      .WithContext(About(kAction, action));
}

Result<std::vector<LifecycleHookInfo>> AutoScalingClient::DescribeLifecycleHooks(
    std::string_view group) {
  constexpr std::string_view kAction = "DescribeLifecycleHooks";
  const std::string about = std::string(kAction) + " " + std::string(group);
  // The operation does not page: it answers every hook of the group at once (at most 50).
  auto answer = CallQuery(transport_, endpoint_, kAction, kVersion,
                          {{"AutoScalingGroupName", std::string(group)}});
  if (!answer.ok()) return answer.status().WithContext(about);
  std::vector<LifecycleHookInfo> hooks;
  for (pugi::xml_node member : answer->result.child("LifecycleHooks").children("member")) {
    hooks.push_back(HookFromXml(member));
  }
  return hooks;
}

Result<std::optional<AutoScalingInstanceInfo>> AutoScalingClient::DescribeAutoScalingInstance(
    std::string_view instance_id) {
  constexpr std::string_view kAction = "DescribeAutoScalingInstances";
  const std::string about = std::string(kAction) + " " + std::string(instance_id);
  std::string next_token;
  std::set<std::string> tokens_seen;
  while (true) {
    QueryParams params = {{"InstanceIds.member.1", std::string(instance_id)}};
    if (!next_token.empty()) params.emplace_back("NextToken", next_token);
    auto answer = CallQuery(transport_, endpoint_, kAction, kVersion, params);
    if (!answer.ok()) return answer.status().WithContext(about);
    for (pugi::xml_node member : answer->result.child("AutoScalingInstances").children("member")) {
      if (XmlChildText(member, "InstanceId") != instance_id) continue;
      return std::optional<AutoScalingInstanceInfo>(AutoScalingInstanceInfo{
          .instance_id = XmlChildText(member, "InstanceId"),
          .group = XmlChildText(member, "AutoScalingGroupName"),
          .lifecycle_state = XmlChildText(member, "LifecycleState"),
      });
    }
    next_token = XmlChildText(answer->result, "NextToken");
    if (next_token.empty()) return std::optional<AutoScalingInstanceInfo>();
    // A service that hands out the same token twice would keep us here forever.
    if (!tokens_seen.insert(next_token).second) {
      return Status::Internal(about + ": Auto Scaling repeated a NextToken");
    }
  }
}

bool IsNoActiveLifecycleAction(const Status& status) {
  return status.service_code() == "ValidationError" &&
         ContainsIgnoreCase(status.message(), "No active Lifecycle Action found");
}

}  // namespace lifeboat
