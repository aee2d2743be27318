#include "demo/demo_recorder.h"

#include <algorithm>

#include "ship/verification.h"  // ReadManifest

namespace lifeboat {

DemoRecorder::DemoRecorder(CloudDeployer& cloud, std::vector<DemoDesign> designs,
                           std::map<std::string, ObjectStore*> stores)
    : cloud_(cloud), designs_(std::move(designs)), stores_(std::move(stores)) {}

double DemoRecorder::Now() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void DemoRecorder::MarkScaleIn() { scale_in_at_ = Now(); }

void DemoRecorder::Enter(Tracked& t, const std::string& state, double now) {
  if (t.state == state) return;
  if (!t.timeline.states.empty()) t.timeline.states.back().end = now;
  t.timeline.states.push_back({state, now, now});
  t.state = state;
  if (state.starts_with("Terminating") && scale_in_at_) t.timeline.scaled_in = true;
  if (state == "Terminated") t.timeline.terminated_at = now;
}

uint64_t DemoRecorder::StoredBytes(const DemoDesign& design, const std::string& instance_id) {
  ObjectStore* store = stores_[design.mode];
  if (store == nullptr) return 0;
  if (!design.lifeboat()) {
    auto head = store->Head(instance_id + "/error.log");
    return head.ok() ? head->size : 0;
  }
  auto manifest = ReadManifest(store, instance_id);
  return manifest.ok() ? manifest->raw_bytes() : 0;
}

Status DemoRecorder::Poll(bool read_store) {
  Status problem;
  for (const DemoDesign& design : designs_) {
    auto listed = cloud_.DescribeGroupInstances(design.group);
    if (!listed.ok()) {
      problem = listed.status();
      continue;
    }
    const double now = Now();
    std::vector<std::string> present;
    for (const GroupInstance& i : *listed) {
      Tracked& t = instances_[i.instance_id];
      if (t.timeline.instance_id.empty()) {
        t.timeline.instance_id = i.instance_id;
        t.timeline.mode = design.mode;
      }
      Enter(t, i.lifecycle_state, now);
      present.push_back(i.instance_id);
    }
    for (auto& [id, t] : instances_) {
      if (t.timeline.mode != design.mode || t.state == "Terminated") continue;
      if (std::find(present.begin(), present.end(), id) == present.end()) {
        Enter(t, "Terminated", now);
      }
    }
    if (!read_store) continue;
    for (auto& [id, t] : instances_) {
      if (t.timeline.mode != design.mode) continue;
      // A terminated instance's store no longer changes once read after its end.
      if (t.state == "Terminated" && !t.timeline.shipped.empty() &&
          t.timeline.shipped.back().t > *t.timeline.terminated_at) {
        continue;
      }
      const uint64_t bytes = StoredBytes(design, id);
      const double at = Now();
      if (bytes != t.shipped && scale_in_at_ && t.timeline.scaled_in) {
        if (!t.timeline.evacuation_start) t.timeline.evacuation_start = at;
        t.timeline.evacuation_end = at;
      }
      t.shipped = bytes;
      t.timeline.shipped.push_back({at, bytes});
    }
  }
  return problem;
}

std::vector<InstanceView> DemoRecorder::Instances() const {
  std::vector<InstanceView> out;
  for (const DemoDesign& design : designs_) {
    for (const auto& [id, t] : instances_) {
      if (t.timeline.mode != design.mode) continue;
      out.push_back({id, t.timeline.mode, t.state, t.shipped, t.timeline.scaled_in,
                     t.timeline.terminated_at});
    }
  }
  return out;
}

std::vector<std::string> DemoRecorder::Listed(const std::string& mode) const {
  std::vector<std::string> out;
  for (const auto& [id, t] : instances_) {
    if (t.timeline.mode == mode && t.state != "Terminated") out.push_back(id);
  }
  return out;
}

DemoTimeline DemoRecorder::Timeline(const std::string& title, double heartbeat_timeout) const {
  DemoTimeline timeline;
  timeline.title = title;
  timeline.end = Now();
  timeline.scale_in_at = scale_in_at_;
  timeline.heartbeat_timeout = heartbeat_timeout;
  for (const DemoDesign& design : designs_) {
    for (const auto& [id, t] : instances_) {
      if (t.timeline.mode != design.mode) continue;
      InstanceTimeline row = t.timeline;
      if (!row.states.empty() && row.states.back().state != "Terminated") {
        row.states.back().end = timeline.end;
      }
      timeline.instances.push_back(std::move(row));
    }
  }
  return timeline;
}

}  // namespace lifeboat
