// InstanceDescription: what an instance-side lifeboat (the agent, `evacuate`) can learn
// about its own instance for the instance record (ship/instance_index.h): the availability
// zone, type, AMI and launch time from the metadata service's identity document (one GET;
// its pendingTime is when EC2 launched the instance), and the Auto Scaling group.
//
// Everything is best effort: a record with unknown fields is still a record, so a failure
// is logged once and leaves the field empty; none stops shipping.
#ifndef LIFEBOAT_LIFECYCLE_INSTANCE_DESCRIPTION_H_
#define LIFEBOAT_LIFECYCLE_INSTANCE_DESCRIPTION_H_

#include <optional>
#include <string>

#include "aws/autoscaling_client.h"
#include "aws/imds_client.h"
#include "common/time_text.h"

namespace lifeboat {

struct InstanceDescription {
  std::string group;
  std::string availability_zone;
  std::string instance_type;
  std::string image_id;
  std::optional<WallTime> launch_time;
};

// `imds` and `autoscaling` may be null (not on EC2, no lifecycle section). The group is
// `group_setting` unless it is empty or "auto"; then the instance's
// aws:autoscaling:groupName tag in the metadata (when the instance exposes tags there),
// then DescribeAutoScalingInstances.
InstanceDescription DescribeInstance(ImdsClient* imds, AutoScalingApi* autoscaling,
                                     const std::string& instance_id,
                                     const std::string& group_setting);

// Reads an identity document's fields (EC2's JSON); kInvalidArgument when it is not one.
Result<InstanceDescription> ParseIdentityDocument(std::string_view json);

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_INSTANCE_DESCRIPTION_H_
