// One leaf value of an event, as the EventBridge matcher sees it, and the number
// arithmetic the pattern language relies on.
//
// EventBridge (aws/event-ruler) compares numbers as fixed-point values with six decimal
// places within -5.0e9..+5.0e9 ("ComparableNumber"), so 300, 300.0 and 3.0e2 are equal.
// Numbers outside that range still match their exact literal text.
#ifndef LIFEBOAT_EVENTS_EVENT_VALUE_H_
#define LIFEBOAT_EVENTS_EVENT_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lifeboat {

enum class EventValueType : uint8_t { kString, kNumber, kTrue, kFalse, kNull };

// A scalar from the event JSON. `text` is the unescaped string for kString (borrowed from
// the Event or parser it came from), "true"/"false"/"null" for those, empty for numbers.
struct EventValue {
  EventValueType type = EventValueType::kNull;
  bool has_comparable = false;  // kNumber within range and at most six decimals
  int64_t comparable = 0;       // the value times 1,000,000
  double number = 0;            // kNumber
  std::string_view text;
};

namespace events_internal {

// The fixed-point form of a JSON number literal, or why it has none.
enum class ComparableError { kNone, kNotANumber, kTooManyDecimals, kOutOfRange };
struct ComparableNumber {
  ComparableError error = ComparableError::kNone;
  int64_t value = 0;  // the number times 1,000,000
};
ComparableNumber ToComparable(std::string_view literal);
// The same for a parsed number (using its shortest round-trip decimal form).
ComparableNumber ToComparable(double value);
ComparableNumber ToComparable(int64_t value);

// event-ruler's message for a pattern number without a comparable form.
std::string ComparableErrorMessage(ComparableError error);

// Whether `text` is a JSON number literal (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?).
bool IsJsonNumber(std::string_view text);

// The literal's value as a double (for range sanity checks only).
double LiteralToDouble(std::string_view literal);

inline constexpr int64_t kComparableLimit = 5'000'000'000LL * 1'000'000LL;  // 5.0e9 scaled

}  // namespace events_internal
}  // namespace lifeboat

#endif  // LIFEBOAT_EVENTS_EVENT_VALUE_H_
