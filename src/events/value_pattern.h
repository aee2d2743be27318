// One compiled value of an event pattern field: `"aws.ec2"`, `{"prefix": "us-"}`,
// `{"numeric": [">", 0]}`, ... A field lists several and matches if any of them does.
#ifndef LIFEBOAT_EVENTS_VALUE_PATTERN_H_
#define LIFEBOAT_EVENTS_VALUE_PATTERN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "events/event_value.h"
#include "events/ip_address.h"
#include "events/text_match.h"

namespace lifeboat::events_internal {

enum class ValueOp : uint8_t {
  kExactString,            // "x" (strings that are IP addresses compile to kIpRange instead)
  kExactNumber,            // 300: numerically equal (300.0, 3e2)
  kTrue,                   // true
  kFalse,                  // false
  kNull,                   // null
  kPrefix,                 // {"prefix": "x"}
  kSuffix,                 // {"suffix": "x"}
  kEqualsIgnoreCase,       // {"equals-ignore-case": "x"}
  kPrefixIgnoreCase,       // {"prefix": {"equals-ignore-case": "x"}}
  kSuffixIgnoreCase,       // {"suffix": {"equals-ignore-case": "x"}}
  kWildcard,               // {"wildcard": "x*y"}
  kNumericRange,           // {"numeric": [">", 0, "<=", 5]}, {"numeric": ["=", 3]}
  kIpRange,                // {"cidr": "10.0.0.0/24"}, or an exact IP address string
  kExists,                 // {"exists": true}
  kAbsent,                 // {"exists": false}: matches no value, but a missing field
  kAnythingButStrings,     // {"anything-but": "x"} / ["x", "y"]
  kAnythingButNumbers,     // {"anything-but": 1} / [1, 2]
  kAnythingButPrefix,      // {"anything-but": {"prefix": "x"}}
  kAnythingButSuffix,      // {"anything-but": {"suffix": "x"}}
  kAnythingButIgnoreCase,  // {"anything-but": {"equals-ignore-case": "x"}}
  kAnythingButWildcard,    // {"anything-but": {"wildcard": "x*"}}
};

struct NumericRange {
  int64_t low = 0;  // comparable form (value x 1e6)
  bool low_open = false;
  int64_t high = 0;
  bool high_open = false;
};

struct ValuePattern {
  ValueOp op = ValueOp::kExists;
  // kExactString: the string; kExactNumber: the literal; prefix/suffix: the affix; the
  // ignore-case kinds: the case-folded text.
  std::string text;
  bool has_comparable = false;  // kExactNumber within the comparable range
  int64_t comparable = 0;
  double number = 0;                // kExactNumber, compared when either side is not comparable
  std::vector<std::string> texts;   // anything-but strings, affixes or folded strings
  std::vector<int64_t> numbers;     // kAnythingButNumbers, sorted
  std::vector<Wildcard> wildcards;  // kWildcard (one), kAnythingButWildcard
  NumericRange range;
  IpRange ip;

  bool Matches(const EventValue& value) const;
};

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_VALUE_PATTERN_H_
