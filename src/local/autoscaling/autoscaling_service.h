// AutoScalingService: the Auto Scaling Query API (Version 2011-01-01) of `lifeboat local`:
// CreateAutoScalingGroup, DescribeAutoScalingGroups, DescribeAutoScalingInstances,
// SetDesiredCapacity, TerminateInstanceInAutoScalingGroup, UpdateAutoScalingGroup,
// DeleteAutoScalingGroup, PutLifecycleHook, DescribeLifecycleHooks, DeleteLifecycleHook,
// CompleteLifecycleAction and RecordLifecycleActionHeartbeat, translated to the
// AutoScalingEngine; responses in AWS's XML, errors as <ErrorResponse> with AWS's codes.
// Groups are launched from launch templates only (no launch configurations).
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_AUTOSCALING_SERVICE_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_AUTOSCALING_SERVICE_H_

#include "local/autoscaling/asg_engine.h"
#include "local/autoscaling/launch_templates.h"
#include "local/autoscaling/query_params.h"
#include "local/local_service.h"

namespace lifeboat {

class AutoScalingService final : public LocalService {
 public:
  // Both must outlive the service.
  AutoScalingService(AutoScalingEngine* engine, const LaunchTemplateStore* templates);

  LocalResponse Handle(const LocalRequest& request) override;

 private:
  LocalResponse Dispatch(const std::string& action, const QueryParams& p);
  LocalResponse CreateAutoScalingGroup(const QueryParams& p);
  LocalResponse UpdateAutoScalingGroup(const QueryParams& p);
  LocalResponse DescribeAutoScalingGroups(const QueryParams& p);
  LocalResponse DescribeAutoScalingInstances(const QueryParams& p);
  LocalResponse SetDesiredCapacity(const QueryParams& p);
  LocalResponse TerminateInstanceInAutoScalingGroup(const QueryParams& p);
  LocalResponse DeleteAutoScalingGroup(const QueryParams& p);
  LocalResponse PutLifecycleHook(const QueryParams& p);
  LocalResponse DescribeLifecycleHooks(const QueryParams& p);
  LocalResponse DeleteLifecycleHook(const QueryParams& p);
  LocalResponse CompleteLifecycleAction(const QueryParams& p);
  LocalResponse RecordLifecycleActionHeartbeat(const QueryParams& p);

  AutoScalingEngine* engine_;
  const LaunchTemplateStore* templates_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_AUTOSCALING_SERVICE_H_
