#include "local/ssm/ssm_output.h"

namespace lifeboat {
namespace {

constexpr std::string_view kTruncatedSuffix = "--output truncated--";
constexpr std::string_view kOutputTruncated = "\n---Output truncated---";
constexpr std::string_view kErrorTruncated = "\n---Error truncated----";
constexpr std::string_view kErrorTitle = "\n----------ERROR-------\n";

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

}  // namespace

std::string SsmOutputPrefix(std::string_view output, size_t limit) {
  if (output.size() < limit) return std::string(output);
  if (limit > kTruncatedSuffix.size()) {
    return Cat({output.substr(0, limit - kTruncatedSuffix.size()), kTruncatedSuffix});
  }
  return std::string(kTruncatedSuffix.substr(0, limit));
}

std::string SsmPluginOutput(std::string_view out, std::string_view err, size_t capacity) {
  const std::string_view title = err.empty() ? std::string_view() : kErrorTitle;
  const size_t available = capacity - title.size();
  if (out.size() + err.size() < available) return Cat({out, title, err});
  if (out.size() > available / 2 && err.size() > available / 2) {
    const size_t half = (available - kErrorTruncated.size() - kOutputTruncated.size()) / 2;
    return Cat(
        {out.substr(0, half), kOutputTruncated, title, err.substr(0, half), kErrorTruncated});
  }
  if (out.size() <= available / 2) {  // (the agent has "<", which underflows at equality)
    const size_t room = available - kErrorTruncated.size() - out.size();
    return Cat({out, title, err.substr(0, room), kErrorTruncated});
  }
  const size_t room = available - kOutputTruncated.size() - err.size();
  return Cat({out.substr(0, room), kOutputTruncated, title, err});
}

}  // namespace lifeboat
