// InstanceRecorder: the agent's writer of its instance record and day index
// (ship/instance_index.h). The record rides on manifest updates: it is due with the first
// update of a run, the first of each UTC day, and a sealed one once the instance is ending;
// its writes are queued on the manifest publisher ahead of the head, so a stored sealed
// head means a stored record. Quiet or busy, that is about two writes a day (the record
// and the day's marker) and two at the end.
//
// The byte counts per file are the manifest's: the parts already stored (read once, a part
// at a time, with the first update of a run) plus the parts rolled since and the head's
// tails. The first and last byte times are when the agent saw the shipped bytes arrive.
//
// Used from the agent's loop thread only.
#ifndef LIFEBOAT_AGENT_INSTANCE_RECORDER_H_
#define LIFEBOAT_AGENT_INSTANCE_RECORDER_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agent/live_stream.h"
#include "common/env.h"
#include "lifecycle/instance_description.h"
#include "ship/instance_index.h"
#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

class InstanceRecorder {
 public:
  // `parts`: the manifest parts already stored when the agent starts.
  InstanceRecorder(Env* env, ObjectStore* store, std::string instance_id,
                   InstanceDescription description, uint64_t parts);

  // Bytes first seen at `first` and `last` (steady clock) were acknowledged by the store.
  void Shipped(SteadyTime first, SteadyTime last);
  // Why the instance is going away; the first cause given sticks (a SIGTERM after a
  // scale-in is still a scale-in).
  void EndWith(EndCause cause);
  bool ending() const { return ending_.has_value(); }

  // For a manifest update stamped `now`, after RollManifest moved `new_parts` out of
  // `head`: the writes to queue before the head (day markers, then the record), or none
  // when no record is due.
  std::vector<std::pair<std::string, std::string>> OnManifest(WallTime now, const Manifest& head,
                                                              const std::vector<ManifestPart>& new_parts);

 private:
  void LoadStored();  // the previous record and the stored parts' byte counts
  void Count(const std::vector<StreamRecord>& streams, std::vector<InstanceFile>& files);

  Env* env_;
  ObjectStore* store_;
  InstanceRecord base_;
  uint64_t stored_parts_;
  bool loaded_ = false;
  // Chunks counted per stream, as how far each is counted (a part written again after
  // an interruption lists chunks twice).
  std::map<std::pair<std::string, uint32_t>, uint64_t> counted_end_;
  std::vector<InstanceFile> parted_;  // the bytes listed by parts, per path
  std::optional<SteadyTime> first_shipped_, last_shipped_;
  std::optional<EndCause> ending_;
  IndexedDays indexed_;
  std::string recorded_day_;  // the UTC day of the last record queued
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_INSTANCE_RECORDER_H_
