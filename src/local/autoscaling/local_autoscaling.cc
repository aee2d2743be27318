#include "local/autoscaling/local_autoscaling.h"

namespace lifeboat {

LocalAutoScaling::LocalAutoScaling(const LocalAutoScalingOptions& options, InstanceHost* host,
                                   NotificationSink* notifications, EventSink* events)
    : clock_(options.time_scale),
      engine_(AutoScalingOptions{options.region, options.account_id}, &clock_, &templates_, host,
              notifications, events),
      timer_(
          &clock_, [this] { return engine_.NextDeadline(); }, [this] { engine_.FireDueTimers(); }),
      ec2_(&templates_, &engine_, &clock_),
      autoscaling_(&engine_, &templates_) {
  engine_.SetScheduleListener([this] { timer_.Wake(); });
  engine_.StartEffectThreads();
  timer_.Start();
}

LocalAutoScaling::~LocalAutoScaling() { timer_.Stop(); }

}  // namespace lifeboat
