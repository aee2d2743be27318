#include "cli/time_arg.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>

namespace lifeboat {
namespace {

using std::chrono::system_clock;

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<system_clock::time_point> Duration(const std::string& text, system_clock::time_point now) {
  const std::string digits = text.substr(0, text.size() - 1);
  if (text.size() < 2 || !AllDigits(digits) || digits.size() > 9) return std::nullopt;
  const long long n = std::stoll(digits);
  switch (text.back()) {
    case 's': return now - std::chrono::seconds(n);
    case 'm': return now - std::chrono::minutes(n);
    case 'h': return now - std::chrono::hours(n);
    case 'd': return now - std::chrono::hours(24 * n);
    default: return std::nullopt;
  }
}

std::optional<system_clock::time_point> Rfc3339(const std::string& text) {
  int y, mo, d, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10) {
    return std::nullopt;
  }
  std::string rest = text.substr(10);
  int offset_minutes = 0;
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') return std::nullopt;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &used) != 3 || used != 8) {
      return std::nullopt;
    }
    rest = rest.substr(9);
    if (!rest.empty() && rest[0] == '.') {  // fractions of a second: dropped
      size_t end = 1;
      while (end < rest.size() && std::isdigit(static_cast<unsigned char>(rest[end]))) ++end;
      rest = rest.substr(end);
    }
    if (rest == "Z" || rest == "z") {
      rest.clear();
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
      int oh = 0, om = 0;
      if (std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
      offset_minutes = (rest[0] == '+' ? 1 : -1) * (oh * 60 + om);
      rest.clear();
    } else {
      return std::nullopt;  // a time without a zone is ambiguous
    }
  }
  if (!rest.empty() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const time_t t = ::timegm(&tm);
  return system_clock::from_time_t(t) - std::chrono::minutes(offset_minutes);
}

}  // namespace

Result<system_clock::time_point> ParseTimeArg(const std::string& flag, const std::string& text,
                                              system_clock::time_point now) {
  if (auto t = Duration(text, now)) return *t;
  if (auto t = Rfc3339(text)) return *t;
  return Status::InvalidArgument(flag + " '" + text +
                                 "': expected a time like 2026-12-06T03:00:00Z (or a date, "
                                 "2026-12-06) or a duration before now like 90s, 15m, 3h, 2d");
}

}  // namespace lifeboat
