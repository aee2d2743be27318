// The XML of Auto Scaling's result shapes (botocore autoscaling 2011-01-01): AutoScalingGroup,
// Instance, AutoScalingInstanceDetails, LifecycleHook and Activity, lists as <member>.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_AUTOSCALING_XML_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_AUTOSCALING_XML_H_

#include <string>

#include "local/autoscaling/asg_types.h"
#include "local/autoscaling/launch_templates.h"
#include "local/autoscaling/query_xml.h"

namespace lifeboat {

// `templates` fills in the id and name of a template the group names by only one of them.
void WriteGroupXml(XmlOut& x, const GroupInfo& group, const LaunchTemplateStore& templates,
                   const std::string& account_id);
// DescribeAutoScalingInstances' member (HealthStatus "HEALTHY", as AWS spells it there).
void WriteInstanceDetailsXml(XmlOut& x, const InstanceInfo& instance);
void WriteHookXml(XmlOut& x, const LifecycleHook& hook);
void WriteActivityXml(XmlOut& x, const ScalingActivity& activity);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_AUTOSCALING_XML_H_
