#include "local/autoscaling/autoscaling_xml.h"

namespace lifeboat {

namespace {

void WriteTemplateRef(XmlOut& x, const LaunchTemplateRef& ref) {
  x.Open("LaunchTemplate")
      .OptText("LaunchTemplateId", ref.id)
      .OptText("LaunchTemplateName", ref.name)
      .Text("Version", ref.version.empty() ? "$Default" : ref.version)
      .Close("LaunchTemplate");
}

void WriteGroupInstanceXml(XmlOut& x, const InstanceInfo& i) {
  x.Open("member")
      .Text("InstanceId", i.id)
      .Text("InstanceType", i.instance_type)
      .Text("AvailabilityZone", i.availability_zone)
      .Text("LifecycleState", LifecycleStateName(i.state))
      .Text("HealthStatus", "Healthy");
  WriteTemplateRef(x, i.launch_template);
  x.Bool("ProtectedFromScaleIn", i.protected_from_scale_in).Close("member");
}

}  // namespace

void WriteGroupXml(XmlOut& x, const GroupInfo& g, const LaunchTemplateStore& templates,
                   const std::string& account_id) {
  LaunchTemplateRef ref = g.launch_template;
  if (auto t = templates.Get(ref.id, ref.id.empty() ? ref.name : ""); t.ok()) {
    ref.id = t->id;
    ref.name = t->name;
  }
  x.Open("member").Text("AutoScalingGroupName", g.name).Text("AutoScalingGroupARN", g.arn);
  WriteTemplateRef(x, ref);
  x.Int("MinSize", g.min_size)
      .Int("MaxSize", g.max_size)
      .Int("DesiredCapacity", g.desired_capacity)
      .Int("DefaultCooldown", g.default_cooldown);
  x.Open("AvailabilityZones");
  for (const std::string& zone : g.availability_zones) x.Text("member", zone);
  x.Close("AvailabilityZones");
  x.Open("LoadBalancerNames").Close("LoadBalancerNames");
  x.Open("TargetGroupARNs").Close("TargetGroupARNs");
  x.Text("HealthCheckType", g.health_check_type)
      .Int("HealthCheckGracePeriod", g.health_check_grace_period);
  x.Open("Instances");
  for (const InstanceInfo& i : g.instances) WriteGroupInstanceXml(x, i);
  x.Close("Instances");
  x.Time("CreatedTime", g.created_time);
  x.Open("SuspendedProcesses").Close("SuspendedProcesses");
  x.Text("VPCZoneIdentifier", "");
  x.Open("EnabledMetrics").Close("EnabledMetrics");
  x.Open("Tags");
  for (const AsgTag& t : g.tags) {
    x.Open("member")
        .Text("ResourceId", g.name)
        .Text("ResourceType", "auto-scaling-group")
        .Text("Key", t.key)
        .Text("Value", t.value)
        .Bool("PropagateAtLaunch", t.propagate_at_launch)
        .Close("member");
  }
  x.Close("Tags");
  x.Open("TerminationPolicies");
  for (const std::string& p : g.termination_policies) x.Text("member", p);
  x.Close("TerminationPolicies");
  x.Bool("NewInstancesProtectedFromScaleIn", g.new_instances_protected_from_scale_in)
      .Text("ServiceLinkedRoleARN",
            "arn:aws:iam::" + account_id +
                ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
      .Bool("CapacityRebalance", false);
  if (!g.retention_terminate_hook_abandon.empty()) {
    x.Open("InstanceLifecyclePolicy")
        .Open("RetentionTriggers")
        .Text("TerminateHookAbandon", g.retention_terminate_hook_abandon)
        .Close("RetentionTriggers")
        .Close("InstanceLifecyclePolicy");
  }
  x.Close("member");
}

void WriteInstanceDetailsXml(XmlOut& x, const InstanceInfo& i) {
  x.Open("member")
      .Text("InstanceId", i.id)
      .Text("InstanceType", i.instance_type)
      .Text("AutoScalingGroupName", i.group_name)
      .Text("AvailabilityZone", i.availability_zone)
      .Text("LifecycleState", LifecycleStateName(i.state))
      .Text("HealthStatus", "HEALTHY");
  WriteTemplateRef(x, i.launch_template);
  x.Bool("ProtectedFromScaleIn", i.protected_from_scale_in).Close("member");
}

void WriteHookXml(XmlOut& x, const LifecycleHook& h) {
  x.Open("member")
      .Text("LifecycleHookName", h.name)
      .Text("AutoScalingGroupName", h.group_name)
      .Text("LifecycleTransition", TransitionName(h.transition))
      .OptText("NotificationTargetARN", h.notification_target_arn)
      .OptText("RoleARN", h.role_arn)
      .OptText("NotificationMetadata", h.notification_metadata)
      .Int("HeartbeatTimeout", h.heartbeat_timeout)
      .Int("GlobalTimeout", h.global_timeout())
      .Text("DefaultResult", ActionResultName(h.default_result))
      .Close("member");
}

void WriteActivityXml(XmlOut& x, const ScalingActivity& a) {
  x.Open("Activity")
      .Text("ActivityId", a.activity_id)
      .Text("AutoScalingGroupName", a.group_name)
      .Text("Description", a.description)
      .Text("Cause", a.cause)
      .Time("StartTime", a.start_time)
      .Text("StatusCode", a.status_code)
      .Int("Progress", a.progress)
      .Text("Details", a.details)
      .Text("AutoScalingGroupARN", a.group_arn)
      .Close("Activity");
}

}  // namespace lifeboat
