#include "local/autoscaling/asg_types.h"

namespace lifeboat {

std::string_view LifecycleStateName(LifecycleState state) {
  switch (state) {
    case LifecycleState::kPending:
      return "Pending";
    case LifecycleState::kPendingWait:
      return "Pending:Wait";
    case LifecycleState::kPendingProceed:
      return "Pending:Proceed";
    case LifecycleState::kInService:
      return "InService";
    case LifecycleState::kTerminating:
      return "Terminating";
    case LifecycleState::kTerminatingWait:
      return "Terminating:Wait";
    case LifecycleState::kTerminatingProceed:
      return "Terminating:Proceed";
    case LifecycleState::kTerminatingRetained:
      return "Terminating:Retained";
    case LifecycleState::kTerminated:
      return "Terminated";
  }
  return "Unknown";
}

Status AsgValidationError(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message), "ValidationError");
}

std::string_view TransitionName(LifecycleTransition transition) {
  return transition == LifecycleTransition::kLaunching ? "autoscaling:EC2_INSTANCE_LAUNCHING"
                                                       : "autoscaling:EC2_INSTANCE_TERMINATING";
}

std::optional<LifecycleTransition> ParseTransition(std::string_view text) {
  if (text == "autoscaling:EC2_INSTANCE_LAUNCHING") return LifecycleTransition::kLaunching;
  if (text == "autoscaling:EC2_INSTANCE_TERMINATING") return LifecycleTransition::kTerminating;
  return std::nullopt;
}

std::string_view ActionResultName(ActionResult result) {
  return result == ActionResult::kContinue ? "CONTINUE" : "ABANDON";
}

std::optional<ActionResult> ParseActionResult(std::string_view text) {
  if (text == "CONTINUE") return ActionResult::kContinue;
  if (text == "ABANDON") return ActionResult::kAbandon;
  return std::nullopt;
}

}  // namespace lifeboat
