#include "lifecycle/completion_line.h"

#include "common/strings.h"

namespace lifeboat {
namespace {

constexpr std::string_view kCompleted = "lifeboat: completed lifecycle action ";
constexpr std::string_view kEnded = "lifeboat: lifecycle action ";
constexpr std::string_view kEndedMark = " had already ended";

}  // namespace

std::string CompletedLine(std::string_view action, std::string_view result) {
  return std::string(kCompleted) + std::string(action) + ": " + std::string(result);
}

std::string AlreadyEndedLine(std::string_view action, std::string_view why) {
  return std::string(kEnded) + std::string(action) + std::string(kEndedMark) + ": " +
         std::string(why);
}

bool OutputSaysActionSettled(std::string_view output) {
  for (const std::string& line : SplitString(output, '\n')) {
    if (line.starts_with(kCompleted)) return true;
    if (line.starts_with(kEnded) && line.find(kEndedMark) != std::string::npos) return true;
  }
  return false;
}

}  // namespace lifeboat
