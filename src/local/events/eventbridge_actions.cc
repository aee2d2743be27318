// Rules and targets: PutRule, DescribeRule, ListRules, DeleteRule, PutTargets,
// ListTargetsByRule, RemoveTargets. PutEvents and TestEventPattern are in
// eventbridge_event_actions.cc.
#include "local/events/eventbridge_actions.h"

#include <regex>

#include "local/events/eventbridge_validation.h"

namespace lifeboat {
namespace {

using eventbridge_internal::CheckBus;
using eventbridge_internal::Paginate;
using eventbridge_internal::RequireName;
using eventbridge_internal::StringField;
using eventbridge_internal::Validation;
using nlohmann::json;

json RuleJson(const EventRule& rule, const std::string& account_id, bool describe) {
  json j = json::object();
  j["Name"] = rule.name;
  j["Arn"] = rule.arn;
  if (!rule.event_pattern.empty()) j["EventPattern"] = rule.event_pattern;
  if (!rule.schedule_expression.empty()) j["ScheduleExpression"] = rule.schedule_expression;
  j["State"] = rule.state;
  if (!rule.description.empty()) j["Description"] = rule.description;
  if (!rule.role_arn.empty()) j["RoleArn"] = rule.role_arn;
  j["EventBusName"] = "default";
  if (describe) j["CreatedBy"] = account_id;
  return j;
}

Result<json> PutRule(const EventBridgeContext& c, const json& in) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBus(c, in));
  EventRule rule;
  LIFEBOAT_ASSIGN_OR_RETURN(rule.name, RequireName(in, "Name", "name"));
  rule.event_pattern = StringField(in, "EventPattern");
  rule.schedule_expression = StringField(in, "ScheduleExpression");
  if (rule.event_pattern.empty() && rule.schedule_expression.empty()) {
    return Validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  }
  if (rule.event_pattern.size() > 4096) {
    return Validation(
        "1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: "
        "Member must have length less than or equal to 4096");
  }
  std::string state = StringField(in, "State");
  if (!state.empty()) {
    if (state != "ENABLED" && state != "DISABLED" &&
        state != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") {
      return Validation(
          "1 validation error detected: Value '" + state +
          "' at 'state' failed to satisfy constraint: Member must satisfy enum value set: "
          "[ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, DISABLED, ENABLED]");
    }
    rule.state = state;
  }
  rule.description = StringField(in, "Description");
  rule.role_arn = StringField(in, "RoleArn");
  LIFEBOAT_ASSIGN_OR_RETURN(std::string arn, c.rules->PutRule(std::move(rule)));
  return json{{"RuleArn", arn}};
}

Result<json> DescribeRule(const EventBridgeContext& c, const json& in) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBus(c, in));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, RequireName(in, "Name", "name"));
  LIFEBOAT_ASSIGN_OR_RETURN(EventRule rule, c.rules->Describe(name));
  return RuleJson(rule, c.account_id, true);
}

Result<json> ListRules(const EventBridgeContext& c, const json& in) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBus(c, in));
  std::vector<EventRule> rules = c.rules->List(StringField(in, "NamePrefix"));
  json out = json::object();
  json list = json::array();
  LIFEBOAT_ASSIGN_OR_RETURN(auto page, Paginate(in, rules.size()));
  for (size_t i = page.begin; i < page.end; ++i)
    list.push_back(RuleJson(rules[i], c.account_id, false));
  out["Rules"] = std::move(list);
  if (!page.next_token.empty()) out["NextToken"] = page.next_token;
  return out;
}

Result<json> DeleteRule(const EventBridgeContext& c, const json& in) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBus(c, in));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, RequireName(in, "Name", "name"));
  LIFEBOAT_RETURN_IF_ERROR(c.rules->Delete(name));
  return json::object();
}

// Checks one target of PutTargets; an error becomes its FailedEntries entry.
Result<EventRuleTarget> ParseTarget(const json& t) {
  EventRuleTarget target;
  target.id = StringField(t, "Id");
  target.arn = StringField(t, "Arn");
  static const std::regex kId(R"([\.\-_A-Za-z0-9]{1,64})");
  if (!std::regex_match(target.id, kId)) {
    return Validation(
        "Parameter Id is not valid. Reason: Id must match [\\.\\-_A-Za-z0-9]+ and be 1 to 64 "
        "long.");
  }
  if (!target.arn.starts_with("arn:")) {
    return Validation("Parameter " + target.arn +
                      " is not valid. Reason: Provided Arn is not in correct format.");
  }
  if (!target.arn.starts_with("arn:aws:lambda:") && !target.arn.starts_with("arn:aws:sqs:")) {
    return Validation(
        "lifeboat local delivers events to Lambda functions and SQS queues only, not to " +
        target.arn + ".");
  }
  if (t.contains("InputTransformer")) {
    return Validation(
        "InputTransformer is not supported by lifeboat local; use Input or InputPath.");
  }
  if (t.contains("Input") && t.contains("InputPath")) {
    return Validation("Only one of Input, InputPath, or InputTransformer must be provided.");
  }
  if (t.contains("Input")) {
    target.input.has_input = true;
    target.input.input = StringField(t, "Input");
    if (!json::accept(target.input.input)) {
      return Validation("Parameter Input is not valid. Reason: Input is not valid JSON text.");
    }
  }
  if (t.contains("InputPath")) {
    target.input.input_path = StringField(t, "InputPath");
    Status path = ValidateInputPath(target.input.input_path);
    if (!path.ok()) return Validation(path.message());
  }
  target.wire = t.dump();
  return target;
}

Result<json> PutTargets(const EventBridgeContext& c, const json& in) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBus(c, in));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string rule, RequireName(in, "Rule", "rule"));
  if (!in.contains("Targets") || !in["Targets"].is_array() || in["Targets"].empty()) {
    return Validation(
        "1 validation error detected: Value null at 'targets' failed to satisfy constraint: "
        "Member must not be null");
  }
  std::vector<EventRuleTarget> accepted;
  json failed = json::array();
  for (const json& t : in["Targets"]) {
    auto target = ParseTarget(t);
    if (target.ok()) {
      accepted.push_back(std::move(*target));
    } else {
      failed.push_back({{"TargetId", StringField(t, "Id")},
                        {"ErrorCode", target.status().service_code()},
                        {"ErrorMessage", target.status().message()}});
    }
  }
  LIFEBOAT_RETURN_IF_ERROR(c.rules->PutTargets(rule, std::move(accepted)));
  return json{{"FailedEntryCount", failed.size()}, {"FailedEntries", failed}};
}

Result<json> ListTargetsByRule(const EventBridgeContext& c, const json& in) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBus(c, in));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string rule, RequireName(in, "Rule", "rule"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<EventRuleTarget> targets, c.rules->Targets(rule));
  LIFEBOAT_ASSIGN_OR_RETURN(auto page, Paginate(in, targets.size()));
  json list = json::array();
  for (size_t i = page.begin; i < page.end; ++i) list.push_back(json::parse(targets[i].wire));
  json out{{"Targets", list}};
  if (!page.next_token.empty()) out["NextToken"] = page.next_token;
  return out;
}

Result<json> RemoveTargets(const EventBridgeContext& c, const json& in) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBus(c, in));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string rule, RequireName(in, "Rule", "rule"));
  std::vector<std::string> ids;
  if (in.contains("Ids") && in["Ids"].is_array()) {
    for (const json& id : in["Ids"]) {
      if (id.is_string()) ids.push_back(id.get<std::string>());
    }
  }
  if (ids.empty()) {
    return Validation(
        "1 validation error detected: Value null at 'ids' failed to satisfy constraint: "
        "Member must not be null");
  }
  LIFEBOAT_RETURN_IF_ERROR(c.rules->RemoveTargets(rule, ids));
  return json{{"FailedEntryCount", 0}, {"FailedEntries", json::array()}};
}

}  // namespace

Result<json> RunEventBridgeAction(const EventBridgeContext& c, const std::string& action,
                                  const json& in) {
  if (action == "PutRule") return PutRule(c, in);
  if (action == "DescribeRule") return DescribeRule(c, in);
  if (action == "ListRules") return ListRules(c, in);
  if (action == "DeleteRule") return DeleteRule(c, in);
  if (action == "PutTargets") return PutTargets(c, in);
  if (action == "ListTargetsByRule") return ListTargetsByRule(c, in);
  if (action == "RemoveTargets") return RemoveTargets(c, in);
  if (action == "PutEvents") return PutEventsAction(c, in);
  if (action == "TestEventPattern") return TestEventPatternAction(c, in);
  return Status(StatusCode::kInvalidArgument,
                "The action " + action + " is not supported by lifeboat local.",
                "UnknownOperationException");
}

}  // namespace lifeboat
