#include "events/value_pattern.h"

#include <algorithm>

namespace lifeboat::events_internal {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// The event string case-folded, in a per-thread buffer (valid until the next call).
std::string_view Folded(std::string_view text) {
  thread_local std::string buffer;
  FoldCaseInto(text, buffer);
  return buffer;
}

}  // namespace

bool ValuePattern::Matches(const EventValue& v) const {
  const bool is_string = v.type == EventValueType::kString;
  switch (op) {
    case ValueOp::kExactString:
      return is_string && v.text == text;
    case ValueOp::kExactNumber:
      // Within event-ruler's comparable range numbers are equal to six decimals; beyond it
      // (account numbers, huge values) they must be the same double.
      if (v.type != EventValueType::kNumber) return false;
      return has_comparable && v.has_comparable ? v.comparable == comparable : v.number == number;
    case ValueOp::kTrue:
      return v.type == EventValueType::kTrue;
    case ValueOp::kFalse:
      return v.type == EventValueType::kFalse;
    case ValueOp::kNull:
      return v.type == EventValueType::kNull;
    case ValueOp::kPrefix:
      return is_string && StartsWith(v.text, text);
    case ValueOp::kSuffix:
      return is_string && EndsWith(v.text, text);
    case ValueOp::kEqualsIgnoreCase:
      return is_string && Folded(v.text) == text;
    case ValueOp::kPrefixIgnoreCase:
      return is_string && StartsWith(Folded(v.text), text);
    case ValueOp::kSuffixIgnoreCase:
      return is_string && EndsWith(Folded(v.text), text);
    case ValueOp::kWildcard:
      return is_string && wildcards.front().Matches(v.text);
    case ValueOp::kNumericRange: {
      if (v.type != EventValueType::kNumber || !v.has_comparable) return false;
      int64_t n = v.comparable;
      bool above = range.low_open ? n > range.low : n >= range.low;
      bool below = range.high_open ? n < range.high : n <= range.high;
      return above && below;
    }
    case ValueOp::kIpRange: {
      if (!is_string) return false;
      auto address = ParseIpAddress(v.text);
      return address && ip.Contains(*address);
    }
    case ValueOp::kExists:
      return true;
    case ValueOp::kAbsent:
      return false;
    // anything-but compares the value as event-ruler does, as JSON text: a number, true,
    // false or null is never equal to an excluded string, so it matches.
    case ValueOp::kAnythingButStrings:
      return !is_string || std::find(texts.begin(), texts.end(), v.text) == texts.end();
    case ValueOp::kAnythingButNumbers:
      return v.type != EventValueType::kNumber || !v.has_comparable ||
             !std::binary_search(numbers.begin(), numbers.end(), v.comparable);
    case ValueOp::kAnythingButPrefix:
      return !is_string || std::none_of(texts.begin(), texts.end(), [&](const std::string& p) {
        return StartsWith(v.text, p);
      });
    case ValueOp::kAnythingButSuffix:
      return !is_string || std::none_of(texts.begin(), texts.end(),
                                        [&](const std::string& p) { return EndsWith(v.text, p); });
    case ValueOp::kAnythingButIgnoreCase: {
      if (!is_string) return true;
      std::string_view folded = Folded(v.text);
      return std::find(texts.begin(), texts.end(), folded) == texts.end();
    }
    case ValueOp::kAnythingButWildcard:
      return !is_string || std::none_of(wildcards.begin(), wildcards.end(),
                                        [&](const Wildcard& w) { return w.Matches(v.text); });
  }
  return false;
}

}  // namespace lifeboat::events_internal
