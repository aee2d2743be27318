// Byte sizes and durations as operators write them in flags and configuration
// ("64MiB", "8M", "5s", "250ms"), and back for display.
#ifndef LIFEBOAT_COMMON_UNITS_H_
#define LIFEBOAT_COMMON_UNITS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

// "4096", "8KiB", "8K", "64MiB", "64M", "1GiB" (binary), "8KB", "64MB", "1GB" (decimal).
Result<uint64_t> ParseByteSize(std::string_view text);
// "250ms", "5s", "2m", "1h"; a bare number is seconds.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
// "0 B", "512 B", "1.5 KiB", "120.3 MiB"
std::string FormatBytes(uint64_t bytes);
// "250ms", "90s", "15m", "1h", "0s": the largest unit that states it exactly, which
// ParseDuration reads back; for showing a default in --help.
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_UNITS_H_
