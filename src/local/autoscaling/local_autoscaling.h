// LocalAutoScaling: EC2 and Auto Scaling of `lifeboat local` in one piece, for the server
// to wire: the scaled lifecycle clock, the launch templates, the engine with its timer
// thread and effect threads, and the two Query services to route "ec2" and "autoscaling"
// requests to.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_LOCAL_AUTOSCALING_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_LOCAL_AUTOSCALING_H_

#include <string>

#include "local/autoscaling/asg_engine.h"
#include "local/autoscaling/autoscaling_service.h"
#include "local/autoscaling/ec2_service.h"
#include "local/autoscaling/launch_templates.h"
#include "local/autoscaling/lifecycle_clock.h"
#include "local/autoscaling/side_effects.h"
#include "local/autoscaling/timer_loop.h"

namespace lifeboat {

struct LocalAutoScalingOptions {
  double time_scale = 1.0;  // --time-scale: lifecycle timers run this many times faster
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
};

class LocalAutoScaling {
 public:
  // The three sinks must outlive this object; it starts its threads here.
  LocalAutoScaling(const LocalAutoScalingOptions& options, InstanceHost* host,
                   NotificationSink* notifications, EventSink* events);
  ~LocalAutoScaling();  // stops the timer thread, then runs the effects still queued
  LocalAutoScaling(const LocalAutoScaling&) = delete;
  LocalAutoScaling& operator=(const LocalAutoScaling&) = delete;

  LocalService* ec2_service() { return &ec2_; }
  LocalService* autoscaling_service() { return &autoscaling_; }
  AutoScalingEngine* engine() { return &engine_; }
  LaunchTemplateStore* templates() { return &templates_; }
  const LifecycleClock& clock() const { return clock_; }

 private:
  ScaledClock clock_;
  LaunchTemplateStore templates_;
  AutoScalingEngine engine_;
  TimerLoop timer_;
  Ec2Service ec2_;
  AutoScalingService autoscaling_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_LOCAL_AUTOSCALING_H_
