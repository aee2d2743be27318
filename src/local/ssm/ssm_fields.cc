#include "local/ssm/ssm_fields.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "common/hash.h"
#include "local/ssm/ssm_errors.h"

namespace lifeboat {
namespace {

using nlohmann::json;

Status WrongType(const char* name, const char* what) {
  return SsmValidationError(std::string("1 validation error detected: Value at '") + name +
                            "' failed to satisfy constraint: Member must be " + what);
}

constexpr std::string_view kTokenPrefix = "lifeboat-ssm:";

}  // namespace

Result<std::string> SsmRequiredString(const json& input, const char* name) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> value, SsmOptionalString(input, name));
  if (!value) {
    return SsmValidationError(std::string("1 validation error detected: Value null at '") + name +
                              "' failed to satisfy constraint: Member must not be null");
  }
  return *value;
}

Result<std::optional<std::string>> SsmOptionalString(const json& input, const char* name) {
  if (!input.contains(name) || input[name].is_null()) return std::optional<std::string>();
  if (!input[name].is_string()) return WrongType(name, "a string");
  return std::optional<std::string>(input[name].get<std::string>());
}

Result<std::optional<int64_t>> SsmOptionalInt(const json& input, const char* name) {
  if (!input.contains(name) || input[name].is_null()) return std::optional<int64_t>();
  if (!input[name].is_number_integer()) return WrongType(name, "an integer");
  return std::optional<int64_t>(input[name].get<int64_t>());
}

Result<bool> SsmOptionalBool(const json& input, const char* name) {
  if (!input.contains(name) || input[name].is_null()) return false;
  if (!input[name].is_boolean()) return WrongType(name, "a boolean");
  return input[name].get<bool>();
}

Result<std::vector<std::string>> SsmStringList(const json& input, const char* name) {
  std::vector<std::string> out;
  if (!input.contains(name) || input[name].is_null()) return out;
  if (!input[name].is_array()) return WrongType(name, "a list of strings");
  for (const json& item : input[name]) {
    if (!item.is_string()) return WrongType(name, "a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

json SsmTimestamp(std::chrono::system_clock::time_point time) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  return static_cast<double>(ms) / 1000.0;
}

std::string SsmIsoTime(std::chrono::system_clock::time_point time) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string SsmIsoDuration(std::chrono::milliseconds elapsed) {
  const long long ms = elapsed.count() < 0 ? 0 : elapsed.count();
  char buf[40];
  std::snprintf(buf, sizeof buf, "PT%lld.%03lldS", ms / 1000, ms % 1000);
  return buf;
}

std::optional<std::chrono::system_clock::time_point> SsmParseIsoTime(std::string_view text) {
  std::tm tm{};
  int ms = 0;
  const std::string s(text);
  int used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3) {
    return std::nullopt;
  }
  std::string rest = s.substr(static_cast<size_t>(used));
  if (!rest.empty()) {
    int more = 0;
    if (std::sscanf(rest.c_str(), "T%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &more) !=
        3) {
      return std::nullopt;
    }
    rest = rest.substr(static_cast<size_t>(more));
    if (rest.starts_with(".")) {
      size_t digits = rest.find_first_not_of("0123456789", 1);
      std::string frac =
          (rest.substr(1, digits == std::string::npos ? std::string::npos : digits - 1) + "000")
              .substr(0, 3);
      ms = std::atoi(frac.c_str());
      rest = digits == std::string::npos ? "" : rest.substr(digits);
    }
    if (rest != "Z" && !rest.empty()) return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t seconds = ::timegm(&tm);
  // The clock counts nanoseconds in 64 bits: it ends in 2262.
  constexpr std::time_t kLast = 9'000'000'000;
  if (seconds > kLast) return std::chrono::system_clock::time_point::max();
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(ms);
}

std::string SsmPageToken(size_t position) {
  return Base64Encode(std::string(kTokenPrefix) + std::to_string(position));
}

Result<size_t> SsmPagePosition(const std::optional<std::string>& token) {
  if (!token) return size_t{0};
  std::optional<std::string> text = Base64Decode(*token);
  if (text && text->starts_with(kTokenPrefix)) {
    try {
      return static_cast<size_t>(std::stoull(text->substr(kTokenPrefix.size())));
    } catch (const std::exception&) {
    }
  }
  return SsmError("InvalidNextToken", "The specified token isn't valid.");
}

Result<size_t> SsmPageSize(const json& input, size_t max) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<int64_t> n, SsmOptionalInt(input, "MaxResults"));
  if (!n) return max;
  if (*n < 1 || static_cast<size_t>(*n) > max) {
    return SsmValidationError("1 validation error detected: Value '" + std::to_string(*n) +
                              "' at 'maxResults' failed to satisfy constraint: Member must have "
                              "value between 1 and " +
                              std::to_string(max));
  }
  return static_cast<size_t>(*n);
}

}  // namespace lifeboat
