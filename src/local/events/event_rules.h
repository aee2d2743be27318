// EventRules: the rules and targets of the default event bus, and the routing of events
// to targets. Patterns compile when a rule is put (so an invalid one is refused then);
// after each change an immutable snapshot of the enabled rules (a RuleSet) and their
// targets is published, and Route() matches against it without holding the store's lock.
//
// Errors carry AWS's error code as service_code ("ResourceNotFoundException",
// "ValidationException", "InvalidEventPatternException", "LimitExceededException") and
// AWS's message. Thread-safe.
#ifndef LIFEBOAT_LOCAL_EVENTS_EVENT_RULES_H_
#define LIFEBOAT_LOCAL_EVENTS_EVENT_RULES_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "events/event_pattern.h"
#include "events/rule_set.h"
#include "local/events/event_payload.h"

namespace lifeboat {

struct EventRuleTarget {
  std::string id;
  std::string arn;
  TargetInput input;
  std::string wire;  // the target as PutTargets received it (JSON), for ListTargetsByRule
};

struct EventRule {
  std::string name;
  std::string arn;  // arn:aws:events:<region>:<account>:rule/<name>
  std::string event_pattern;
  std::string schedule_expression;  // kept, never run
  std::string state = "ENABLED";    // or DISABLED
  std::string description;
  std::string role_arn;
  std::vector<EventRuleTarget> targets;
};

// Where Route() sends an event: one target of one matching rule.
struct EventRouting {
  std::string rule;
  std::string target_arn;
  TargetInput input;
};

class EventRules {
 public:
  static constexpr size_t kMaxTargetsPerRule = 5;  // AWS's quota

  EventRules(std::string region, std::string account_id);

  // Creates or replaces a rule (its targets stay). Returns the rule's ARN.
  Result<std::string> PutRule(EventRule rule);
  Result<EventRule> Describe(const std::string& name) const;
  // Every rule whose name starts with `prefix`, sorted by name.
  std::vector<EventRule> List(const std::string& prefix) const;
  // Deleting a rule that does not exist succeeds, as on AWS.
  Status Delete(const std::string& name);
  // Adds targets or replaces those with the same Id.
  Status PutTargets(const std::string& rule, std::vector<EventRuleTarget> targets);
  Status RemoveTargets(const std::string& rule, const std::vector<std::string>& ids);
  Result<std::vector<EventRuleTarget>> Targets(const std::string& rule) const;

  // The targets of every enabled rule the event (envelope JSON) matches.
  std::vector<EventRouting> Route(const std::string& event_json) const;

  std::string RuleArn(const std::string& name) const;

 private:
  struct Snapshot {
    RuleSet rules;
    std::map<std::string, std::vector<EventRuleTarget>, std::less<>> targets;
  };
  struct Stored {
    EventRule rule;
    std::shared_ptr<const EventPattern> pattern;  // null for schedule-only rules
  };
  void PublishLocked();
  Status MissingRule(const std::string& name) const;

  const std::string region_;
  const std::string account_id_;
  mutable std::mutex mu_;
  std::map<std::string, Stored> rules_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_EVENT_RULES_H_
