#include "agent/instance_recorder.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "ship/object_keys.h"

namespace lifeboat {

InstanceRecorder::InstanceRecorder(Env* env, ObjectStore* store, std::string instance_id,
                                   InstanceDescription d, uint64_t parts)
    : env_(env), store_(store), stored_parts_(parts) {
  base_.instance_id = std::move(instance_id);
  base_.group = std::move(d.group);
  base_.availability_zone = std::move(d.availability_zone);
  base_.instance_type = std::move(d.instance_type);
  base_.image_id = std::move(d.image_id);
  base_.launch_time = d.launch_time;
  base_.writer = "agent";
}

void InstanceRecorder::Shipped(SteadyTime first, SteadyTime last) {
  first_shipped_ = first_shipped_ ? std::min(*first_shipped_, first) : first;
  last_shipped_ = last_shipped_ ? std::max(*last_shipped_, last) : last;
}

void InstanceRecorder::EndWith(EndCause cause) {
  if (!ending_) ending_ = cause;
}

void InstanceRecorder::Count(const std::vector<StreamRecord>& streams, std::vector<InstanceFile>& files) {
  std::vector<StreamRecord> fresh;
  for (const auto& s : streams) {
    uint64_t& end = counted_end_[{s.path, s.stream}];
    StreamRecord only_new{s.path, s.stream, {}, 0, false, {}};
    for (const auto& c : s.chunks) {
      if (c.range.end <= end) continue;
      only_new.chunks.push_back(c);
      end = c.range.end;
    }
    fresh.push_back(std::move(only_new));
  }
  AddManifestFiles(fresh, files);
}

// Once a run, with its first update: what an earlier run (or `evacuate`) stored.
void InstanceRecorder::LoadStored() {
  loaded_ = true;
  auto previous = ReadInstanceRecord(store_, base_.instance_id);
  if (previous.ok() && previous->has_value()) {
    const InstanceRecord& p = **previous;
    indexed_ = IndexedDaysOf(p);  // its markers were stored before it
    base_.first_byte_time = p.first_byte_time;
    base_.last_byte_time = p.last_byte_time;
    if (!base_.launch_time) base_.launch_time = p.launch_time;
    if (base_.group.empty()) base_.group = p.group;
  } else if (!previous.ok() && previous.status().service_code() != "AccessDenied") {
    // S3 answers 403 for a missing key to the instance policy (no ListBucket): no record.
    spdlog::warn("{} (its markers are written again)", previous.status().message());
  }
  for (uint64_t n = 1; n <= stored_parts_; ++n) {
    const std::string key = ManifestPartKey(base_.instance_id, n);
    auto text = store_->Get(key);
    auto part = text.ok() ? ParseManifestPart(*text) : Result<ManifestPart>(text.status());
    if (!part.ok()) {
      spdlog::warn("the instance record counts bytes without part {} of the manifest: {}", n,
                   part.status().message());
      continue;
    }
    Count(part->streams, parted_);
  }
}

std::vector<std::pair<std::string, std::string>> InstanceRecorder::OnManifest(
    WallTime now, const Manifest& head, const std::vector<ManifestPart>& new_parts) {
  if (!loaded_) LoadStored();
  for (const auto& part : new_parts) Count(part.streams, parted_);
  const std::string day = UtcDay(now);
  const bool due = recorded_day_.empty() || day != recorded_day_ || (head.sealed && ending_);
  if (!due) return {};
  recorded_day_ = day;

  InstanceRecord r = base_;
  // Steady times become wall times through the one wall-clock reading of this update.
  const SteadyTime steady_now = env_->SteadyNow();
  auto wall = [&](SteadyTime t) {
    return now - std::chrono::duration_cast<WallTime::duration>(steady_now - t);
  };
  if (first_shipped_) {
    const WallTime t = wall(*first_shipped_);
    r.first_byte_time = r.first_byte_time ? std::min(*r.first_byte_time, t) : t;
    base_.first_byte_time = r.first_byte_time;
  }
  if (last_shipped_) {
    const WallTime t = wall(*last_shipped_);
    r.last_byte_time = r.last_byte_time ? std::max(*r.last_byte_time, t) : t;
    base_.last_byte_time = r.last_byte_time;
  }
  r.files = parted_;
  // The head's tails: the stream's chunks from where the parts' record of it ends.
  std::map<std::pair<std::string, uint32_t>, uint64_t> ends = counted_end_;
  std::vector<StreamRecord> tails;
  for (const auto& s : head.streams) {
    StreamRecord tail{s.path, s.stream, {}, 0, false, {}};
    const uint64_t counted = ends[{s.path, s.stream}];
    for (const auto& c : s.chunks) {
      if (c.range.end > counted) tail.chunks.push_back(c);
    }
    tails.push_back(std::move(tail));
  }
  AddManifestFiles(tails, r.files);
  r.sealed = head.sealed;
  r.updated_at = now;
  if (ending_) {
    r.cause = ending_;
    // The sealed update is the last the instance makes before it is released; a running
    // instance that was told it ends (an update after a scale-in response) keeps the time.
    r.terminated_at = head.sealed || !base_.terminated_at ? now : *base_.terminated_at;
    base_.terminated_at = r.terminated_at;
  }
  return InstanceRecordWrites(r, indexed_);
}

}  // namespace lifeboat
