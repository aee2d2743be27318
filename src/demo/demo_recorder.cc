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

std::string DemoRecorder::StateOf(const InstanceTimeline& t) {
  return t.states.empty() ? std::string() : t.states.back().state;
}

uint64_t DemoRecorder::ShippedOf(const InstanceTimeline& t) {
  return t.shipped.empty() ? 0 : t.shipped.back().bytes;
}

void DemoRecorder::Enter(InstanceTimeline& t, const std::string& state, double now) {
  if (StateOf(t) == state) return;
  if (!t.states.empty()) t.states.back().end = now;
  t.states.push_back({state, now, now});
  if (state.starts_with("Terminating") && scale_in_at_) t.scaled_in = true;
  if (state == "Terminated") t.terminated_at = now;
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
      InstanceTimeline& t = instances_[i.instance_id];
      if (t.instance_id.empty()) {
        t.instance_id = i.instance_id;
        t.mode = design.mode;
      }
      Enter(t, i.lifecycle_state, now);
      present.push_back(i.instance_id);
    }
    for (auto& [id, t] : instances_) {
      if (t.mode != design.mode || StateOf(t) == "Terminated") continue;
      if (std::find(present.begin(), present.end(), id) == present.end()) {
        Enter(t, "Terminated", now);
      }
    }
    if (!read_store) continue;
    for (auto& [id, t] : instances_) {
      if (t.mode != design.mode) continue;
      // A terminated instance's store no longer changes once read after its end.
      if (StateOf(t) == "Terminated" && !t.shipped.empty() &&
          t.shipped.back().t > *t.terminated_at) {
        continue;
      }
      const uint64_t bytes = StoredBytes(design, id);
      const double at = Now();
      if (bytes != ShippedOf(t) && scale_in_at_ && t.scaled_in) {
        if (!t.evacuation_start) t.evacuation_start = at;
        t.evacuation_end = at;
      }
      t.shipped.push_back({at, bytes});
    }
  }
  return problem;
}

std::vector<InstanceView> DemoRecorder::Instances() const {
  std::vector<InstanceView> out;
  for (const DemoDesign& design : designs_) {
    for (const auto& [id, t] : instances_) {
      if (t.mode != design.mode) continue;
      out.push_back({id, t.mode, StateOf(t), ShippedOf(t), t.scaled_in, t.terminated_at});
    }
  }
  return out;
}

std::vector<std::string> DemoRecorder::Listed(const std::string& mode) const {
  std::vector<std::string> out;
  for (const auto& [id, t] : instances_) {
    if (t.mode == mode && StateOf(t) != "Terminated") out.push_back(id);
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
      if (t.mode != design.mode) continue;
      InstanceTimeline row = t;
      if (!row.states.empty() && row.states.back().state != "Terminated") {
        row.states.back().end = timeline.end;
      }
      timeline.instances.push_back(std::move(row));
    }
  }
  return timeline;
}

}  // namespace lifeboat
