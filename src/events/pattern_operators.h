// The two longest match expressions of the pattern compiler, `numeric` and `anything-but`,
// ported from aws/event-ruler's JsonRuleCompiler with its messages. Internal to src/events.
#ifndef LIFEBOAT_EVENTS_PATTERN_OPERATORS_H_
#define LIFEBOAT_EVENTS_PATTERN_OPERATORS_H_

#include "common/status.h"
#include "events/pattern_tokenizer.h"
#include "events/value_pattern.h"

namespace lifeboat::events_internal {

// After `"numeric": [`; consumes through the closing `]`.
Result<ValuePattern> CompileNumeric(PatternTokenizer& tok);
// After the `"anything-but"` name; consumes through the `}` of the match expression.
Result<ValuePattern> CompileAnythingBut(PatternTokenizer& tok);

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_PATTERN_OPERATORS_H_
