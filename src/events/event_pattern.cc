#include "events/event_pattern.h"

#include "events/branch_matcher.h"

namespace lifeboat {

Result<EventPattern> EventPattern::Compile(std::string_view json) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto branches, events_internal::CompilePattern(json));
  return EventPattern(std::move(branches));
}

bool EventPattern::Matches(const Event& event) const {
  for (const events_internal::PatternBranch& branch : branches_) {
    auto leaves_at = [&](size_t field) { return event.LeavesAt(branch.fields[field].path); };
    events_internal::BranchMatcher matcher(branch, event.leaves(), event.positions(), leaves_at);
    if (matcher.Match()) return true;
  }
  return false;
}

}  // namespace lifeboat
