#include "local/autoscaling/autoscaling_service.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>

#include "local/autoscaling/autoscaling_xml.h"
#include "local/autoscaling/query_xml.h"

namespace lifeboat {

namespace {

// Reads typed parameters, keeping the first malformed one as a ValidationError.
class Reader {
 public:
  explicit Reader(const QueryParams& p) : p_(p) {}
  std::optional<int> Int(const std::string& name) {
    auto r = p_.Int(name);
    if (r.ok()) return *r;
    Fail(r.status());
    return std::nullopt;
  }
  std::optional<bool> Bool(const std::string& name) {
    auto r = p_.Bool(name);
    if (r.ok()) return *r;
    Fail(r.status());
    return std::nullopt;
  }
  const Status& status() const { return status_; }

 private:
  void Fail(const Status& s) {
    if (status_.ok()) status_ = AsgValidationError(s.message());
  }
  const QueryParams& p_;
  Status status_;
};

// AWS's wording for absent required members: "1 validation error detected: Value null at
// 'autoScalingGroupName' failed to satisfy constraint: Member must not be null".
Status RequireParams(const QueryParams& p, std::initializer_list<const char*> names) {
  std::vector<std::string> errors;
  for (const char* name : names) {
    if (p.Has(name)) continue;
    std::string member(name);
    member[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(member[0])));
    errors.push_back("Value null at '" + member +
                     "' failed to satisfy constraint: Member must not be null");
  }
  if (errors.empty()) return Status::Ok();
  std::string message = std::to_string(errors.size()) + " validation error" +
                        (errors.size() == 1 ? "" : "s") + " detected: ";
  for (size_t i = 0; i < errors.size(); ++i) message += (i == 0 ? "" : "; ") + errors[i];
  return AsgValidationError(message);
}

std::optional<LaunchTemplateRef> TemplateRefOf(const QueryParams& p) {
  for (const char* prefix :
       {"LaunchTemplate.", "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification."}) {
    const std::string at(prefix);
    if (p.Has(at + "LaunchTemplateId") || p.Has(at + "LaunchTemplateName")) {
      return LaunchTemplateRef{p.GetOr(at + "LaunchTemplateId"), p.GetOr(at + "LaunchTemplateName"),
                               p.GetOr(at + "Version")};
    }
  }
  return std::nullopt;
}

LifecycleHookInput HookInputAt(const QueryParams& p, Reader& r, const std::string& prefix,
                               const std::string& group) {
  LifecycleHookInput in;
  in.group_name = group;
  in.name = p.GetOr(prefix + "LifecycleHookName");
  in.transition = p.Get(prefix + "LifecycleTransition");
  in.notification_target_arn = p.Get(prefix + "NotificationTargetARN");
  in.role_arn = p.Get(prefix + "RoleARN");
  in.notification_metadata = p.Get(prefix + "NotificationMetadata");
  in.heartbeat_timeout = r.Int(prefix + "HeartbeatTimeout");
  in.default_result = p.Get(prefix + "DefaultResult");
  return in;
}

// MaxRecords / NextToken over a list: NextToken is the offset of the next page.
struct Page {
  size_t begin = 0;
  size_t end = 0;
  std::string next_token;
};

Result<Page> PageOf(const QueryParams& p, size_t total) {
  Reader r(p);
  const int max = std::clamp(r.Int("MaxRecords").value_or(50), 1, 100);
  LIFEBOAT_RETURN_IF_ERROR(r.status());
  Page page;
  if (auto token = p.Get("NextToken")) {
    auto [ptr, ec] = std::from_chars(token->data(), token->data() + token->size(), page.begin);
    if (ec != std::errc() || ptr != token->data() + token->size() || page.begin > total) {
      return Status(StatusCode::kInvalidArgument, "The token '" + *token + "' is invalid.",
                    "InvalidNextToken");
    }
  }
  page.end = std::min(total, page.begin + static_cast<size_t>(max));
  if (page.end < total) page.next_token = std::to_string(page.end);
  return page;
}

LocalResponse Empty(std::string_view action) { return AutoScalingXmlResponse(action, nullptr); }

LocalResponse EmptyResult(std::string_view action) {
  const std::string nothing;
  return AutoScalingXmlResponse(action, &nothing);
}

LocalResponse Done(const Status& s, std::string_view action) {
  return s.ok() ? Empty(action) : AutoScalingError(s);
}

}  // namespace

AutoScalingService::AutoScalingService(AutoScalingEngine* engine,
                                       const LaunchTemplateStore* templates)
    : engine_(engine), templates_(templates) {}

LocalResponse AutoScalingService::Handle(const LocalRequest& request) {
  auto params = QueryParams::FromRequest(request);
  if (!params.ok()) return AutoScalingError(params.status());
  const std::string action = params->GetOr("Action");
  if (action.empty()) {
    return QueryErrorResponse(400, "MissingAction", "The request must contain an Action.");
  }
  return Dispatch(action, *params);
}

LocalResponse AutoScalingService::Dispatch(const std::string& action, const QueryParams& p) {
  using Handler = LocalResponse (AutoScalingService::*)(const QueryParams&);
  static const std::pair<const char*, Handler> kActions[] = {
      {"CreateAutoScalingGroup", &AutoScalingService::CreateAutoScalingGroup},
      {"UpdateAutoScalingGroup", &AutoScalingService::UpdateAutoScalingGroup},
      {"DescribeAutoScalingGroups", &AutoScalingService::DescribeAutoScalingGroups},
      {"DescribeAutoScalingInstances", &AutoScalingService::DescribeAutoScalingInstances},
      {"SetDesiredCapacity", &AutoScalingService::SetDesiredCapacity},
      {"TerminateInstanceInAutoScalingGroup",
       &AutoScalingService::TerminateInstanceInAutoScalingGroup},
      {"DeleteAutoScalingGroup", &AutoScalingService::DeleteAutoScalingGroup},
      {"PutLifecycleHook", &AutoScalingService::PutLifecycleHook},
      {"DescribeLifecycleHooks", &AutoScalingService::DescribeLifecycleHooks},
      {"DeleteLifecycleHook", &AutoScalingService::DeleteLifecycleHook},
      {"CompleteLifecycleAction", &AutoScalingService::CompleteLifecycleAction},
      {"RecordLifecycleActionHeartbeat", &AutoScalingService::RecordLifecycleActionHeartbeat},
  };
  for (const auto& [name, handler] : kActions) {
    if (action == name) return (this->*handler)(p);
  }
  return QueryErrorResponse(400, "InvalidAction",
                            "The action " + action + " is not valid for this web service.");
}

LocalResponse AutoScalingService::CreateAutoScalingGroup(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName", "MaxSize", "MinSize"});
  if (!s.ok()) return AutoScalingError(s);
  if (p.Has("LaunchConfigurationName") && !TemplateRefOf(p)) {
    return AutoScalingError(AsgValidationError(
        "Launch configurations are not supported by lifeboat local; use a LaunchTemplate."));
  }
  Reader r(p);
  GroupInput in;
  in.name = p.GetOr("AutoScalingGroupName");
  in.launch_template = TemplateRefOf(p).value_or(LaunchTemplateRef{});
  in.min_size = r.Int("MinSize");
  in.max_size = r.Int("MaxSize");
  in.desired_capacity = r.Int("DesiredCapacity");
  in.default_cooldown = r.Int("DefaultCooldown");
  in.availability_zones = p.List("AvailabilityZones.member");
  in.health_check_type = p.Get("HealthCheckType");
  in.health_check_grace_period = r.Int("HealthCheckGracePeriod");
  in.new_instances_protected_from_scale_in = r.Bool("NewInstancesProtectedFromScaleIn");
  in.retention_terminate_hook_abandon =
      p.Get("InstanceLifecyclePolicy.RetentionTriggers.TerminateHookAbandon");
  for (int i : p.Indices("Tags.member")) {
    const std::string at = "Tags.member." + std::to_string(i) + ".";
    in.tags.push_back(AsgTag{p.GetOr(at + "Key"), p.GetOr(at + "Value"),
                             r.Bool(at + "PropagateAtLaunch").value_or(false)});
  }
  for (int i : p.Indices("LifecycleHookSpecificationList.member")) {
    in.hooks.push_back(HookInputAt(
        p, r, "LifecycleHookSpecificationList.member." + std::to_string(i) + ".", in.name));
  }
  if (!r.status().ok()) return AutoScalingError(r.status());
  return Done(engine_->CreateGroup(in), "CreateAutoScalingGroup");
}

LocalResponse AutoScalingService::UpdateAutoScalingGroup(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName"});
  if (!s.ok()) return AutoScalingError(s);
  Reader r(p);
  GroupUpdate up;
  up.name = p.GetOr("AutoScalingGroupName");
  up.launch_template = TemplateRefOf(p);
  up.min_size = r.Int("MinSize");
  up.max_size = r.Int("MaxSize");
  up.desired_capacity = r.Int("DesiredCapacity");
  up.default_cooldown = r.Int("DefaultCooldown");
  up.health_check_type = p.Get("HealthCheckType");
  up.health_check_grace_period = r.Int("HealthCheckGracePeriod");
  up.new_instances_protected_from_scale_in = r.Bool("NewInstancesProtectedFromScaleIn");
  up.retention_terminate_hook_abandon =
      p.Get("InstanceLifecyclePolicy.RetentionTriggers.TerminateHookAbandon");
  if (!r.status().ok()) return AutoScalingError(r.status());
  return Done(engine_->UpdateGroup(up), "UpdateAutoScalingGroup");
}

LocalResponse AutoScalingService::DescribeAutoScalingGroups(const QueryParams& p) {
  const std::vector<GroupInfo> groups =
      engine_->DescribeGroups(p.List("AutoScalingGroupNames.member"));
  auto page = PageOf(p, groups.size());
  if (!page.ok()) return AutoScalingError(page.status());
  Reader r(p);
  const bool include_instances = r.Bool("IncludeInstances").value_or(true);
  if (!r.status().ok()) return AutoScalingError(r.status());
  XmlOut x;
  x.Open("AutoScalingGroups");
  for (size_t i = page->begin; i < page->end; ++i) {
    GroupInfo g = groups[i];
    if (!include_instances) g.instances.clear();
    WriteGroupXml(x, g, *templates_, engine_->options().account_id);
  }
  x.Close("AutoScalingGroups").OptText("NextToken", page->next_token);
  return AutoScalingXmlResponse("DescribeAutoScalingGroups", &x.str());
}

LocalResponse AutoScalingService::DescribeAutoScalingInstances(const QueryParams& p) {
  const std::vector<InstanceInfo> instances =
      engine_->DescribeGroupInstances(p.List("InstanceIds.member"));
  auto page = PageOf(p, instances.size());
  if (!page.ok()) return AutoScalingError(page.status());
  XmlOut x;
  x.Open("AutoScalingInstances");
  for (size_t i = page->begin; i < page->end; ++i) WriteInstanceDetailsXml(x, instances[i]);
  x.Close("AutoScalingInstances").OptText("NextToken", page->next_token);
  return AutoScalingXmlResponse("DescribeAutoScalingInstances", &x.str());
}

LocalResponse AutoScalingService::SetDesiredCapacity(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName", "DesiredCapacity"});
  if (!s.ok()) return AutoScalingError(s);
  Reader r(p);
  const std::optional<int> desired = r.Int("DesiredCapacity");
  if (!r.status().ok()) return AutoScalingError(r.status());
  return Done(engine_->SetDesiredCapacity(p.GetOr("AutoScalingGroupName"), *desired),
              "SetDesiredCapacity");
}

LocalResponse AutoScalingService::TerminateInstanceInAutoScalingGroup(const QueryParams& p) {
  Status s = RequireParams(p, {"InstanceId", "ShouldDecrementDesiredCapacity"});
  if (!s.ok()) return AutoScalingError(s);
  Reader r(p);
  const std::optional<bool> decrement = r.Bool("ShouldDecrementDesiredCapacity");
  if (!r.status().ok()) return AutoScalingError(r.status());
  auto activity = engine_->TerminateInstance(p.GetOr("InstanceId"), *decrement);
  if (!activity.ok()) return AutoScalingError(activity.status());
  XmlOut x;
  WriteActivityXml(x, *activity);
  return AutoScalingXmlResponse("TerminateInstanceInAutoScalingGroup", &x.str());
}

LocalResponse AutoScalingService::DeleteAutoScalingGroup(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName"});
  if (!s.ok()) return AutoScalingError(s);
  Reader r(p);
  const bool force = r.Bool("ForceDelete").value_or(false);
  if (!r.status().ok()) return AutoScalingError(r.status());
  return Done(engine_->DeleteGroup(p.GetOr("AutoScalingGroupName"), force),
              "DeleteAutoScalingGroup");
}

LocalResponse AutoScalingService::PutLifecycleHook(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName", "LifecycleHookName"});
  if (!s.ok()) return AutoScalingError(s);
  Reader r(p);
  LifecycleHookInput in = HookInputAt(p, r, "", p.GetOr("AutoScalingGroupName"));
  if (!r.status().ok()) return AutoScalingError(r.status());
  s = engine_->PutLifecycleHook(in);
  return s.ok() ? EmptyResult("PutLifecycleHook") : AutoScalingError(s);
}

LocalResponse AutoScalingService::DescribeLifecycleHooks(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName"});
  if (!s.ok()) return AutoScalingError(s);
  auto hooks = engine_->DescribeLifecycleHooks(p.GetOr("AutoScalingGroupName"),
                                               p.List("LifecycleHookNames.member"));
  if (!hooks.ok()) return AutoScalingError(hooks.status());
  XmlOut x;
  x.Open("LifecycleHooks");
  for (const LifecycleHook& hook : *hooks) WriteHookXml(x, hook);
  x.Close("LifecycleHooks");
  return AutoScalingXmlResponse("DescribeLifecycleHooks", &x.str());
}

LocalResponse AutoScalingService::DeleteLifecycleHook(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName", "LifecycleHookName"});
  if (!s.ok()) return AutoScalingError(s);
  s = engine_->DeleteLifecycleHook(p.GetOr("AutoScalingGroupName"), p.GetOr("LifecycleHookName"));
  return s.ok() ? EmptyResult("DeleteLifecycleHook") : AutoScalingError(s);
}

LocalResponse AutoScalingService::CompleteLifecycleAction(const QueryParams& p) {
  Status s =
      RequireParams(p, {"AutoScalingGroupName", "LifecycleActionResult", "LifecycleHookName"});
  if (!s.ok()) return AutoScalingError(s);
  s = engine_->CompleteLifecycleAction(
      p.GetOr("AutoScalingGroupName"), p.GetOr("LifecycleHookName"),
      p.GetOr("LifecycleActionToken"), p.GetOr("InstanceId"), p.GetOr("LifecycleActionResult"));
  return s.ok() ? EmptyResult("CompleteLifecycleAction") : AutoScalingError(s);
}

LocalResponse AutoScalingService::RecordLifecycleActionHeartbeat(const QueryParams& p) {
  Status s = RequireParams(p, {"AutoScalingGroupName", "LifecycleHookName"});
  if (!s.ok()) return AutoScalingError(s);
  s = engine_->RecordLifecycleActionHeartbeat(
      p.GetOr("AutoScalingGroupName"), p.GetOr("LifecycleHookName"),
      p.GetOr("LifecycleActionToken"), p.GetOr("InstanceId"));
  return s.ok() ? EmptyResult("RecordLifecycleActionHeartbeat") : AutoScalingError(s);
}

}  // namespace lifeboat
