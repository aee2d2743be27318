// Ec2Service: the EC2 Query API (Version 2016-11-15) of `lifeboat local`, as much of it as
// the seed's architecture uses: CreateLaunchTemplate (with base64 UserData),
// DescribeLaunchTemplates, DescribeLaunchTemplateVersions, and DescribeInstances of the
// instances Auto Scaling launched (Terminated ones included, as EC2 keeps showing them).
// Responses and errors in EC2's XML shapes (lower-camel elements, <item> lists,
// <Response><Errors>).
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_EC2_SERVICE_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_EC2_SERVICE_H_

#include "local/autoscaling/asg_engine.h"
#include "local/autoscaling/launch_templates.h"
#include "local/autoscaling/lifecycle_clock.h"
#include "local/autoscaling/query_params.h"
#include "local/local_service.h"

namespace lifeboat {

class Ec2Service final : public LocalService {
 public:
  // Every pointer must outlive the service.
  Ec2Service(LaunchTemplateStore* templates, AutoScalingEngine* engine,
             const LifecycleClock* clock);

  LocalResponse Handle(const LocalRequest& request) override;

 private:
  LocalResponse CreateLaunchTemplate(const QueryParams& p);
  LocalResponse DescribeLaunchTemplates(const QueryParams& p);
  LocalResponse DescribeLaunchTemplateVersions(const QueryParams& p);
  LocalResponse DescribeInstances(const QueryParams& p);

  LaunchTemplateStore* templates_;
  AutoScalingEngine* engine_;
  const LifecycleClock* clock_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_EC2_SERVICE_H_
