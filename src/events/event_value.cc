#include "events/event_value.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace lifeboat::events_internal {

bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

ComparableNumber ToComparable(std::string_view s) {
  if (!IsJsonNumber(s)) return {ComparableError::kNotANumber, 0};
  size_t i = 0;
  bool negative = false;
  if (s[i] == '-') {
    negative = true;
    ++i;
  }
  // The significant digits (at most what an int64 holds once scaled; more means out of
  // range or too many decimals) and the power of ten they are multiplied by.
  char digits[40];
  int ndigits = 0;
  int64_t exponent = 0;
  bool overflow_digits = false;
  auto take = [&](char c, bool fractional) {
    if (ndigits == 0 && c == '0') {
      if (fractional) --exponent;
      return;
    }
    if (ndigits < static_cast<int>(sizeof(digits))) {
      digits[ndigits++] = c;
      if (fractional) --exponent;
    } else if (c != '0') {
      overflow_digits = true;  // a non-zero digit beyond 40 significant ones
      if (fractional) --exponent;
    } else if (!fractional) {
      ++exponent;  // trailing integer zeros beyond the buffer scale the value
    } else {
      --exponent;
      overflow_digits = true;
    }
  };
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') take(s[i++], false);
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') take(s[i++], true);
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (s[i] == '+' || s[i] == '-') exp_negative = s[i++] == '-';
    int64_t e = 0;
    while (i < s.size()) {
      if (e < 1'000'000'000) e = e * 10 + (s[i] - '0');
      ++i;
    }
    exponent += exp_negative ? -e : e;
  }
  if (ndigits == 0) return {ComparableError::kNone, 0};
  if (overflow_digits) return {ComparableError::kTooManyDecimals, 0};
  // Trailing zeros carry no precision.
  while (ndigits > 0 && digits[ndigits - 1] == '0') {
    --ndigits;
    ++exponent;
  }
  int64_t shift = exponent + 6;  // scale by 1e6
  if (shift < 0) return {ComparableError::kTooManyDecimals, 0};
  if (ndigits + shift > 16) return {ComparableError::kOutOfRange, 0};
  int64_t value = 0;
  for (int d = 0; d < ndigits; ++d) value = value * 10 + (digits[d] - '0');
  for (int64_t k = 0; k < shift; ++k) value *= 10;
  if (value > kComparableLimit) return {ComparableError::kOutOfRange, 0};
  return {ComparableError::kNone, negative ? -value : value};
}

std::string ComparableErrorMessage(ComparableError error) {
  switch (error) {
    case ComparableError::kNone:
      return {};
    case ComparableError::kNotANumber:
      return "Value is not a number";
    case ComparableError::kTooManyDecimals:
      return "Only values upto 6 decimals are supported";
    case ComparableError::kOutOfRange:
      return "Value must be between -5.0E9 and 5.0E9, inclusive";
  }
  return {};
}

ComparableNumber ToComparable(double value) {
  if (value > 5e9 || value < -5e9) return {ComparableError::kOutOfRange, 0};
  // The value has at most six decimals exactly when its scaled, rounded form maps back to it
  // (both are then the double nearest to the same short decimal).
  double scaled = std::nearbyint(value * 1e6);
  if (static_cast<double>(scaled) / 1e6 == value)
    return {ComparableError::kNone, static_cast<int64_t>(scaled)};
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string_view text(buffer, result.ptr - buffer);
  // The shortest form that reads back as `value` ("0.1", "1e+20") is a JSON number literal.
  return ToComparable(text);
}

ComparableNumber ToComparable(int64_t value) {
  if (value > 5'000'000'000LL || value < -5'000'000'000LL) return {ComparableError::kOutOfRange, 0};
  return {ComparableError::kNone, value * 1'000'000};
}

double LiteralToDouble(std::string_view literal) {
  double value = 0;
  std::from_chars(literal.data(), literal.data() + literal.size(), value);
  return value;
}

}  // namespace lifeboat::events_internal
