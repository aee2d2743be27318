// DemoRecorder: watches the demo's groups and builds the timeline as it goes. Every poll
// reads each group's instances and lifecycle states (DescribeAutoScalingGroups) and, less
// often, what the store holds of each instance (lifeboat's manifest, or the seed's object),
// so the live view and the final picture show the same data.
//
// Used from the demo's thread only.
#ifndef LIFEBOAT_DEMO_DEMO_RECORDER_H_
#define LIFEBOAT_DEMO_DEMO_RECORDER_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "demo/cloud_deployer.h"
#include "demo/demo_designs.h"
#include "demo/timeline.h"
#include "store/object_store.h"

namespace lifeboat {

struct InstanceView {
  std::string instance_id;
  std::string mode;
  std::string state;     // the last lifecycle state seen; "Terminated" once it left the group
  uint64_t shipped = 0;  // raw bytes in the store
  bool scaled_in = false;
  std::optional<double> terminated_at;
};

class DemoRecorder {
 public:
  using Clock = std::chrono::steady_clock;

  // `stores` maps a design's mode to the store its logs go to (borrowed).
  DemoRecorder(CloudDeployer& cloud, std::vector<DemoDesign> designs,
               std::map<std::string, ObjectStore*> stores);

  // One round: states every call, stored bytes when `read_store` (it costs a request per
  // instance). Errors reaching the cloud are returned; the recorder stays usable.
  Status Poll(bool read_store);
  // The decision: from now on the instances that leave are the scaled-in ones.
  void MarkScaleIn();

  double Now() const;                           // seconds since the recorder started
  std::vector<InstanceView> Instances() const;  // in group, then instance id order
  // Instances of `mode` still listed by their group (any state but Terminated).
  std::vector<std::string> Listed(const std::string& mode) const;
  std::optional<double> scale_in_at() const { return scale_in_at_; }
  DemoTimeline Timeline(const std::string& title, double heartbeat_timeout) const;

 private:
  void Enter(InstanceTimeline& t, const std::string& state, double now);
  // The last state entered, and the last bytes read: the newest entries of the timeline.
  static std::string StateOf(const InstanceTimeline& t);
  static uint64_t ShippedOf(const InstanceTimeline& t);
  uint64_t StoredBytes(const DemoDesign& design, const std::string& instance_id);

  CloudDeployer& cloud_;
  std::vector<DemoDesign> designs_;
  std::map<std::string, ObjectStore*> stores_;
  Clock::time_point start_ = Clock::now();
  std::optional<double> scale_in_at_;
  std::map<std::string, InstanceTimeline> instances_;  // by instance id
};

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_DEMO_RECORDER_H_
