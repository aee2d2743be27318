// The line `lifeboat evacuate --complete-lifecycle` prints on stdout once the lifecycle
// action is settled, and how a controller reading the command's output recognises it: a
// controller completes the action itself only when the instance did not.
#ifndef LIFEBOAT_LIFECYCLE_COMPLETION_LINE_H_
#define LIFEBOAT_LIFECYCLE_COMPLETION_LINE_H_

#include <string>
#include <string_view>

namespace lifeboat {

// "lifeboat: completed lifecycle action web/hook for i-0abc: CONTINUE"
std::string CompletedLine(std::string_view action, std::string_view result);
// "lifeboat: lifecycle action web/hook for i-0abc had already ended: <why>"
std::string AlreadyEndedLine(std::string_view action, std::string_view why);

// True when `output` holds either line: the action needs nothing more from a controller.
bool OutputSaysActionSettled(std::string_view output);

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_COMPLETION_LINE_H_
