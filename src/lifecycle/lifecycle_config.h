// LifecycleConfig: how an instance-side lifeboat (the agent) watches for termination and
// what it does then. The `lifecycle:` section of agent.yaml:
//
//   lifecycle:
//     group: auto                 # the Auto Scaling group; auto: the instance's own
//     hook: auto                  # the terminate hook; auto: the group's only one
//     watch:
//       imds: true                # autoscaling/target-lifecycle-state
//       imds_interval: 5s
//       spot: true                # spot/instance-action (terminate, stop, hibernate)
//       rebalance: true           # events/recommendations/rebalance: ship now, keep running
//       sqs_queue_url: ""         # a queue of lifecycle notifications (optional)
//     pre_stop: ["systemctl stop php-fpm"]   # run before the last bytes are shipped
//     pre_stop_timeout: 60s
//     on_failure: ABANDON         # or CONTINUE: the result when logs could not all be stored
//     warm_pool: flush            # flush | evacuate | ignore (scale-in into a warm pool)
//     heartbeat_interval: auto    # default: a third of the hook's heartbeat timeout
//     stall_timeout: 15m          # give up holding when no byte moved this long (0: never)
//     time_scale: 1               # lifeboat local's --time-scale; 1 on AWS
//
// Without the section the agent watches nothing but SIGTERM.
#ifndef LIFEBOAT_LIFECYCLE_LIFECYCLE_CONFIG_H_
#define LIFEBOAT_LIFECYCLE_LIFECYCLE_CONFIG_H_

#include <chrono>
#include <string>
#include <vector>

#include "common/config_file.h"
#include "lifecycle/held_action.h"
#include "lifecycle/lifecycle_keeper.h"
#include "lifecycle/termination_watch.h"

namespace lifeboat {

enum class WarmPoolAction {
  kFlush,     // ship everything (no pre-stop), complete CONTINUE, keep running
  kEvacuate,  // as for termination: pre-stop, ship everything, seal, complete
  kIgnore,    // leave the action to someone else
};

struct LifecycleConfig {
  bool enabled = false;  // the section is present
  std::string group{kAuto};
  std::string hook{kAuto};
  ImdsWatchOptions imds;  // imds.lifecycle_state/spot/rebalance: which paths are polled
  std::string sqs_queue_url;
  std::vector<std::string> pre_stop;
  std::chrono::milliseconds pre_stop_timeout{60000};
  KeeperOptions keeper;
  WarmPoolAction warm_pool = WarmPoolAction::kFlush;
  double time_scale = 1.0;

  bool watches_imds() const { return imds.lifecycle_state || imds.spot || imds.rebalance; }
};

// Reads the `lifecycle` section; errors name file:line.
Result<LifecycleConfig> ParseLifecycleConfig(const ConfigNode& section);

// "1", "60", "0.5": a positive number; error naming `what` otherwise.
Result<double> ParseTimeScale(std::string_view text, std::string_view what);

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_LIFECYCLE_CONFIG_H_
