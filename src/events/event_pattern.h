// A compiled EventBridge event pattern: compile once, match many events.
//
//   auto pattern = EventPattern::Compile(R"({"source": ["aws.autoscaling"]})");
//   auto event = Event::Parse(json);
//   if (pattern->Matches(*event)) ...
//
// The whole pattern language of the EventBridge user guide and aws/event-ruler is
// supported: exact values (strings, numbers compared numerically, true/false/null),
// prefix, suffix, equals-ignore-case and their combinations, wildcard, anything-but (values,
// prefix, suffix, equals-ignore-case, wildcard), numeric ranges, cidr, exists, $or, and
// nested objects. Matches are array-consistent: fields inside objects of one event array
// must all come from the same element. Invalid patterns fail to compile with the reason
// EventBridge gives in its InvalidEventPatternException (everything after "Event pattern
// is not valid. Reason: ").
//
// An EventPattern is immutable and safe to use from many threads.
#ifndef LIFEBOAT_EVENTS_EVENT_PATTERN_H_
#define LIFEBOAT_EVENTS_EVENT_PATTERN_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "events/event.h"
#include "events/value_pattern.h"

namespace lifeboat {

namespace events_internal {

// All values one field may take (any of them matches); `matches_absent` when the list
// has {"exists": false}, which a field missing from the event satisfies.
struct FieldCondition {
  std::string path;  // dotted: "detail.state"
  std::vector<ValuePattern> values;
  bool matches_absent = false;
};

// One alternative of a pattern (a pattern without $or has one): every field must match.
// Fields are sorted by path, the order event-ruler walks them in.
struct PatternBranch {
  std::vector<FieldCondition> fields;
};

// Compiles a pattern into its branches; errors carry EventBridge's reason text.
Result<std::vector<PatternBranch>> CompilePattern(std::string_view json);

inline constexpr std::string_view kTooComplexMessage =
    "Rule is too complex - try using fewer wildcard characters or fewer repeating character "
    "sequences after a wildcard character";

}  // namespace events_internal

class EventPattern {
 public:
  static Result<EventPattern> Compile(std::string_view json);

  bool Matches(const Event& event) const;

  const std::vector<events_internal::PatternBranch>& branches() const { return branches_; }

 private:
  explicit EventPattern(std::vector<events_internal::PatternBranch> branches)
      : branches_(std::move(branches)) {}
  std::vector<events_internal::PatternBranch> branches_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_EVENTS_EVENT_PATTERN_H_
