#include "common/units.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace lifeboat {
namespace {

// Splits "64MiB" into 64 and "MiB"; the number may have a fraction ("1.5GiB").
bool SplitNumber(std::string_view text, double* number, std::string_view* unit) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + i, *number);
  if (ec != std::errc() || p != text.data() + i) return false;
  *unit = text.substr(i);
  while (!unit->empty() && unit->front() == ' ') unit->remove_prefix(1);
  return true;
}

}  // namespace

Result<uint64_t> ParseByteSize(std::string_view text) {
  double number = 0;
  std::string_view unit;
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a byte size (examples: 4096, 512KiB, 8MiB, 1GiB)");
  };
  if (!SplitNumber(text, &number, &unit)) return bad();
  double scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "K" || unit == "KiB" || unit == "k") scale = 1024.0;
  else if (unit == "M" || unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "KB" || unit == "kB") scale = 1e3;
  else if (unit == "MB") scale = 1e6;
  else if (unit == "GB") scale = 1e9;
  else return bad();
  const double bytes = number * scale;
  if (bytes != std::floor(bytes) || bytes > 1e18) return bad();
  return static_cast<uint64_t>(bytes);
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  double number = 0;
  std::string_view unit;
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a duration (examples: 250ms, 5s, 2m, 1h)");
  };
  if (!SplitNumber(text, &number, &unit)) return bad();
  double ms = 0;
  if (unit == "ms") ms = number;
  else if (unit.empty() || unit == "s") ms = number * 1e3;
  else if (unit == "m" || unit == "min") ms = number * 60e3;
  else if (unit == "h") ms = number * 3600e3;
  else return bad();
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(ms)));
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  const int64_t ms = duration.count();
  if (ms == 0) return "0s";
  if (ms % 3'600'000 == 0) return fmt::format("{}h", ms / 3'600'000);
  if (ms % 60'000 == 0) return fmt::format("{}m", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, kUnits[u]);
}

}  // namespace lifeboat
