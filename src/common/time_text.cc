#include "common/time_text.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "common/units.h"

namespace lifeboat {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Result<WallTime> ParseRfc3339(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not an RFC 3339 time (e.g. 2026-11-26T03:00:00Z or 2026-11-26)");
  };
  int y, mo, d;
  if (!Digits(text, 0, 4, &y) || text.size() < 10 || text[4] != '-' || !Digits(text, 5, 2, &mo) ||
      text[7] != '-' || !Digits(text, 8, 2, &d)) {
    return bad();
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                        std::chrono::day(d)};
  if (!ymd.ok()) return bad();
  WallTime t = std::chrono::sys_days(ymd);
  if (text.size() == 10) return t;
  const char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return bad();
  int h, mi, s;
  if (!Digits(text, 11, 2, &h) || text.size() < 19 || text[13] != ':' || !Digits(text, 14, 2, &mi) ||
      text[16] != ':' || !Digits(text, 17, 2, &s) || h > 23 || mi > 59 || s > 60) {
    return bad();
  }
  t += hours(h) + minutes(mi) + seconds(s);
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    int64_t nanos = 0;
    int places = 0;
    for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
      if (places < 9) nanos = nanos * 10 + (text[pos] - '0'), ++places;
    }
    if (places == 0) return bad();
    while (places++ < 9) nanos *= 10;
    t += std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(nanos));
  }
  if (pos >= text.size()) return bad();  // a time of day needs its offset
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") return t;
  int oh, om;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !Digits(zone, 1, 2, &oh) ||
      zone[3] != ':' || !Digits(zone, 4, 2, &om)) {
    return bad();
  }
  const auto offset = hours(oh) + minutes(om);
  return zone[0] == '+' ? t - offset : t + offset;
}

std::string UtcDay(WallTime time) {
  return fmt::format("{:%Y-%m-%d}", std::chrono::floor<days>(time));
}

Result<WallTime> ParseTimeArgument(std::string_view text, WallTime now) {
  if (text.size() >= 10 && text[4] == '-') return ParseRfc3339(text);
  // Days and weeks, which ParseDuration (made for timeouts) does not take.
  if (text.size() >= 2 && (text.back() == 'd' || text.back() == 'w')) {
    int64_t n = 0;
    const char* end = text.data() + text.size() - 1;
    auto [p, ec] = std::from_chars(text.data(), end, n);
    if (ec == std::errc() && p == end && n >= 0) {
      return now - days(text.back() == 'w' ? 7 * n : n);
    }
  }
  auto ago = ParseDuration(text);
  if (!ago.ok()) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is neither an RFC 3339 time (2026-11-26T03:00:00Z, 2026-11-26) "
                                   "nor a duration ago (30m, 3h, 2d)");
  }
  return now - *ago;
}

Result<TimeWindow> ParseTimeWindow(std::string_view since, std::string_view until, WallTime now) {
  TimeWindow w;
  if (!since.empty()) {
    auto t = ParseTimeArgument(since, now);
    if (!t.ok()) return t.status().WithContext("--since");
    w.since = *t;
  }
  if (!until.empty()) {
    auto t = ParseTimeArgument(until, now);
    if (!t.ok()) return t.status().WithContext("--until");
    w.until = *t;
  }
  if (w.since && w.until && *w.until < *w.since) {
    return Status::InvalidArgument("--until is before --since: the window ends before it begins");
  }
  return w;
}

int64_t UnixMs(WallTime time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

}  // namespace lifeboat
