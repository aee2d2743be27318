// The measure EventBridge refuses a rule by as "Rule is too complex": how many wildcard
// pattern prefixes one input value can match at once on one field. It is the measure of
// aws/event-ruler's MachineComplexityEvaluator, counted on the byte machine event-ruler
// builds for the field's wildcard patterns (ByteMachine), so that the same rules pass and
// fail here as on AWS.
#ifndef LIFEBOAT_EVENTS_WILDCARD_COMPLEXITY_H_
#define LIFEBOAT_EVENTS_WILDCARD_COMPLEXITY_H_

#include <vector>

#include "events/text_match.h"

namespace lifeboat::events_internal {

// One wildcard pattern of a field: `{"wildcard": "x*"}` has one value, `{"anything-but":
// {"wildcard": ["x*", "*y"]}}` one value per string. Equal patterns count once.
struct WildcardPattern {
  bool anything_but = false;
  std::vector<const Wildcard*> values;  // borrowed
};

// EventBridge's limit: a field whose complexity is above it makes the rule too complex
// (event-ruler's README, "complexity strategy": reject when complexity > 10).
inline constexpr int kMaxWildcardComplexity = 10;

// The most wildcard prefixes one value can match at once across `patterns` (all on one
// field), each prefix weighted by the patterns it leads to. Stops at `cap`, as event-ruler's
// evaluator does, and returns `cap` when reaching it.
int WildcardComplexity(const std::vector<WildcardPattern>& patterns, int cap);

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_WILDCARD_COMPLEXITY_H_
