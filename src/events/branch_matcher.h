// Decides whether one pattern branch matches a flattened event, array-consistently.
//
// Fields are tried in path order, as event-ruler's state machine walks them. For each field
// a leaf at its path is chosen whose value matches one of the field's values and whose
// array positions agree with those already chosen (two leaves from one event array must
// come from the same element); if a later field finds nothing, the search backtracks. A
// field with {"exists": false} is also satisfied when no leaf at its path agrees with the
// positions chosen so far.
//
// Internal to src/events.
#ifndef LIFEBOAT_EVENTS_BRANCH_MATCHER_H_
#define LIFEBOAT_EVENTS_BRANCH_MATCHER_H_

#include <span>
#include <vector>

#include "events/event.h"
#include "events/event_pattern.h"

namespace lifeboat::events_internal {

// `leaves_at(i)` returns the ids (into `leaves`) of the leaves at branch.fields[i].path.
template <typename LeavesAt>
class BranchMatcher {
 public:
  BranchMatcher(const PatternBranch& branch, std::span<const EventLeaf> leaves,
                std::span<const ArrayPosition> positions, LeavesAt& leaves_at)
      : branch_(branch), leaves_(leaves), positions_(positions), leaves_at_(leaves_at) {}

  bool Match() {
    chosen_.clear();
    return Step(0);
  }

 private:
  bool Consistent(const EventLeaf& leaf) const {
    for (uint32_t k = 0; k < leaf.positions_size; ++k) {
      const ArrayPosition& p = positions_[leaf.positions_begin + k];
      for (const ArrayPosition& c : chosen_) {
        if (c.array == p.array && c.index != p.index) return false;
      }
    }
    return true;
  }

  bool Step(size_t field_index) {
    if (field_index == branch_.fields.size()) return true;
    const FieldCondition& field = branch_.fields[field_index];
    bool any_consistent = false;
    for (uint32_t id : leaves_at_(field_index)) {
      const EventLeaf& leaf = leaves_[id];
      if (!Consistent(leaf)) continue;
      any_consistent = true;
      bool value_matches = false;
      for (const ValuePattern& value : field.values) {
        if (value.Matches(leaf.value)) {
          value_matches = true;
          break;
        }
      }
      if (!value_matches) continue;
      size_t mark = chosen_.size();
      for (uint32_t k = 0; k < leaf.positions_size; ++k)
        chosen_.push_back(positions_[leaf.positions_begin + k]);
      if (Step(field_index + 1)) return true;
      chosen_.resize(mark);
    }
    return field.matches_absent && !any_consistent && Step(field_index + 1);
  }

  const PatternBranch& branch_;
  std::span<const EventLeaf> leaves_;
  std::span<const ArrayPosition> positions_;
  LeavesAt& leaves_at_;
  std::vector<ArrayPosition> chosen_;
};

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_BRANCH_MATCHER_H_
