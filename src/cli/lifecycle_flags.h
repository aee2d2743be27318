// The lifecycle flags of `lifeboat evacuate`: complete the instance's lifecycle action
// after its logs are stored (the Run Command path), and what to run before shipping.
//
//   --complete-lifecycle  --asg NAME|auto  --hook NAME|auto  --token T  --on-failure R
//   --pre-stop CMD (repeatable)  --pre-stop-timeout D  --heartbeat-interval D|auto
//   --stall-timeout D  --time-scale X
//
// Empty values mean "not set" (a Run Command document substitutes '' for parameters it was
// not given): --token '' completes by instance id, --pre-stop '' runs nothing.
#ifndef LIFEBOAT_CLI_LIFECYCLE_FLAGS_H_
#define LIFEBOAT_CLI_LIFECYCLE_FLAGS_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "lifecycle/lifecycle_config.h"

namespace CLI {
class App;
}  // namespace CLI

namespace lifeboat {

struct LifecycleFlags {
  bool complete = false;
  std::string group{kAuto};
  std::string hook{kAuto};
  std::string token;
  std::string on_failure{kAbandon};
  std::vector<std::string> pre_stop;
  std::string pre_stop_timeout;  // empty: LifecycleConfig's default
  std::string heartbeat_interval{kAuto};
  std::string stall_timeout;  // empty: HeartbeatOptions' default
  std::string time_scale = "1";

  void AddTo(CLI::App* app);
  // Checks every value; kInvalidArgument naming the flag.
  Result<LifecycleConfig> ToConfig() const;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_LIFECYCLE_FLAGS_H_
