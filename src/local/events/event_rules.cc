#include "local/events/event_rules.h"

#include <algorithm>

#include "common/logging.h"

namespace lifeboat {
namespace {

Status ServiceError(StatusCode code, std::string code_name, std::string message) {
  return Status(code, std::move(message), std::move(code_name));
}

}  // namespace

EventRules::EventRules(std::string region, std::string account_id)
    : region_(std::move(region)),
      account_id_(std::move(account_id)),
      snapshot_(std::make_shared<Snapshot>()) {}

std::string EventRules::RuleArn(const std::string& name) const {
  return "arn:aws:events:" + region_ + ":" + account_id_ + ":rule/" + name;
}

Status EventRules::MissingRule(const std::string& name) const {
  return ServiceError(StatusCode::kNotFound, "ResourceNotFoundException",
                      "Rule " + name + " does not exist on EventBus default.");
}

Result<std::string> EventRules::PutRule(EventRule rule) {
  std::shared_ptr<const EventPattern> pattern;
  if (!rule.event_pattern.empty()) {
    auto compiled = EventPattern::Compile(rule.event_pattern);
    if (!compiled.ok()) {
      return ServiceError(StatusCode::kInvalidArgument, "InvalidEventPatternException",
                          "Event pattern is not valid. Reason: " + compiled.status().message());
    }
    pattern = std::make_shared<const EventPattern>(std::move(*compiled));
  }
  rule.arn = RuleArn(rule.name);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rules_.find(rule.name);
  if (it != rules_.end()) rule.targets = std::move(it->second.rule.targets);
  std::string arn = rule.arn;
  const std::string name = rule.name;
  rules_[name] = Stored{std::move(rule), std::move(pattern)};
  PublishLocked();
  return arn;
}

Result<EventRule> EventRules::Describe(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rules_.find(name);
  if (it == rules_.end()) {
    return ServiceError(StatusCode::kNotFound, "ResourceNotFoundException",
                        "Rule " + name + " does not exist.");
  }
  return it->second.rule;
}

std::vector<EventRule> EventRules::List(const std::string& prefix) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<EventRule> out;
  for (auto it = rules_.lower_bound(prefix); it != rules_.end() && it->first.starts_with(prefix);
       ++it) {
    out.push_back(it->second.rule);
  }
  return out;
}

Status EventRules::Delete(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rules_.find(name);
  if (it == rules_.end()) return Status::Ok();
  if (!it->second.rule.targets.empty()) {
    return ServiceError(StatusCode::kFailedPrecondition, "ValidationException",
                        "Rule can't be deleted since it has targets.");
  }
  rules_.erase(it);
  PublishLocked();
  return Status::Ok();
}

Status EventRules::PutTargets(const std::string& rule, std::vector<EventRuleTarget> targets) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rules_.find(rule);
  if (it == rules_.end()) return MissingRule(rule);
  std::vector<EventRuleTarget> merged = it->second.rule.targets;
  for (EventRuleTarget& target : targets) {
    auto same = std::find_if(merged.begin(), merged.end(),
                             [&](const EventRuleTarget& t) { return t.id == target.id; });
    if (same != merged.end()) {
      *same = std::move(target);
    } else {
      merged.push_back(std::move(target));
    }
  }
  if (merged.size() > kMaxTargetsPerRule) {
    return ServiceError(StatusCode::kResourceExhausted, "LimitExceededException",
                        "The requested resource exceeds the maximum number allowed.");
  }
  it->second.rule.targets = std::move(merged);
  PublishLocked();
  return Status::Ok();
}

Status EventRules::RemoveTargets(const std::string& rule, const std::vector<std::string>& ids) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rules_.find(rule);
  if (it == rules_.end()) return MissingRule(rule);
  auto& targets = it->second.rule.targets;
  std::erase_if(targets, [&](const EventRuleTarget& t) {
    return std::find(ids.begin(), ids.end(), t.id) != ids.end();
  });
  PublishLocked();
  return Status::Ok();
}

Result<std::vector<EventRuleTarget>> EventRules::Targets(const std::string& rule) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = rules_.find(rule);
  if (it == rules_.end()) return MissingRule(rule);
  return it->second.rule.targets;
}

void EventRules::PublishLocked() {
  std::vector<std::pair<std::string, EventPattern>> enabled;
  auto snapshot = std::make_shared<Snapshot>();
  for (const auto& [name, stored] : rules_) {
    if (!stored.pattern || stored.rule.state == "DISABLED") continue;
    enabled.emplace_back(name, *stored.pattern);
    snapshot->targets[name] = stored.rule.targets;
  }
  snapshot->rules = RuleSet(std::move(enabled));
  snapshot_ = std::move(snapshot);
}

std::vector<EventRouting> EventRules::Route(const std::string& event_json) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    snapshot = snapshot_;
  }
  std::vector<EventRouting> out;
  std::vector<std::string_view> matched;
  if (Status s = snapshot->rules.MatchJsonInPlace(event_json, matched); !s.ok()) {
    spdlog::warn("EventBridge: cannot route an event: {}", s.ToString());
    return out;
  }
  for (std::string_view rule : matched) {
    auto targets = snapshot->targets.find(rule);
    if (targets == snapshot->targets.end()) continue;
    for (const EventRuleTarget& target : targets->second) {
      out.push_back({std::string(rule), target.arn, target.input});
    }
  }
  return out;
}

}  // namespace lifeboat
