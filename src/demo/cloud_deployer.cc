#include "demo/cloud_deployer.h"

#include <nlohmann/json.hpp>

#include "aws/json_protocol.h"
#include "aws/query_protocol.h"
#include "aws/rpc_call.h"
#include "common/hash.h"

namespace lifeboat {
namespace {

using json = nlohmann::json;

constexpr char kAutoScalingVersion[] = "2011-01-01";
constexpr char kEc2Version[] = "2016-11-15";
constexpr char kLambdaPath[] = "/2015-03-31/functions";

Status Named(const Status& s, const std::string& what) { return s.ok() ? s : s.WithContext(what); }

}  // namespace

Result<std::string> CloudDeployer::EndpointOf(AwsService service) {
  LIFEBOAT_ASSIGN_OR_RETURN(ServiceEndpoint endpoint, session_.Endpoint(service));
  return endpoint.url;
}

Status CloudDeployer::CreateBucket(const std::string& bucket) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kS3));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kS3));
  HttpRequest request{"PUT", endpoint + "/" + bucket, {}, {}, {}};
  return Named(SendRpc(*transport, std::move(request)).status(), "CreateBucket " + bucket);
}

Status CloudDeployer::CreateDocument(const std::string& name, const std::string& content) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kSsm));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kSsm));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest request,
                            BuildJsonRequest(endpoint, "1.1", "AmazonSSM.CreateDocument",
                                             {{"Name", name},
                                              {"Content", content},
                                              {"DocumentType", "Command"},
                                              {"DocumentFormat", "JSON"}}));
  return Named(CallJson(*transport, std::move(request)).status(), "CreateDocument " + name);
}

Result<std::string> CloudDeployer::CreateFunction(const FunctionSpec& spec) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kLambda));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kLambda));
  json input = {{"FunctionName", spec.name},
                {"Runtime", spec.runtime},
                {"Handler", spec.handler},
                {"Role", spec.role_arn},
                {"Timeout", spec.timeout_seconds},
                {"Code", {{"ZipFile", Base64Encode(spec.zip)}}},
                {"Environment", {{"Variables", spec.environment}}}};
  HttpRequest request{"POST", endpoint + kLambdaPath, {}, input.dump(), {}};
  request.headers.Set("Content-Type", "application/json");
  auto answer = SendRpc(*transport, std::move(request));
  if (!answer.ok()) return answer.status().WithContext("CreateFunction " + spec.name);
  LIFEBOAT_ASSIGN_OR_RETURN(json out, ParseJsonAnswer(answer->body));
  return JsonString(out, "FunctionArn");
}

Status CloudDeployer::AddPermission(const std::string& function, const std::string& statement_id,
                                    const std::string& principal, const std::string& source_arn) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kLambda));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kLambda));
  json input = {{"StatementId", statement_id},
                {"Action", "lambda:InvokeFunction"},
                {"Principal", principal},
                {"SourceArn", source_arn}};
  HttpRequest request{
      "POST", endpoint + kLambdaPath + "/" + function + "/policy", {}, input.dump(), {}};
  request.headers.Set("Content-Type", "application/json");
  return Named(SendRpc(*transport, std::move(request)).status(), "AddPermission " + function);
}

Result<std::string> CloudDeployer::PutRule(const std::string& name, const std::string& pattern) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kEventBridge));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kEventBridge));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest request,
                            BuildJsonRequest(endpoint, "1.1", "AWSEvents.PutRule",
                                             {{"Name", name}, {"EventPattern", pattern}}));
  auto out = CallJson(*transport, std::move(request));
  if (!out.ok()) return out.status().WithContext("PutRule " + name);
  return JsonString(*out, "RuleArn");
}

Status CloudDeployer::PutTarget(const std::string& rule, const std::string& id,
                                const std::string& arn) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kEventBridge));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kEventBridge));
  LIFEBOAT_ASSIGN_OR_RETURN(
      HttpRequest request,
      BuildJsonRequest(endpoint, "1.1", "AWSEvents.PutTargets",
                       {{"Rule", rule}, {"Targets", json::array({{{"Id", id}, {"Arn", arn}}})}}));
  auto out = CallJson(*transport, std::move(request));
  if (!out.ok()) return out.status().WithContext("PutTargets " + rule);
  if (JsonInt(*out, "FailedEntryCount").value_or(0) != 0) {
    return Status::Internal("PutTargets " + rule + ": " + out->dump());
  }
  return Status::Ok();
}

Status CloudDeployer::CreateLaunchTemplate(const std::string& name, const std::string& user_data) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kEc2));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kEc2));
  QueryParams params = {{"LaunchTemplateName", name},
                        {"LaunchTemplateData.ImageId", "ami-0123456789abcdef0"},
                        {"LaunchTemplateData.InstanceType", "t3.micro"},
                        {"LaunchTemplateData.UserData", Base64Encode(user_data)}};
  return Named(
      CallQuery(*transport, endpoint, "CreateLaunchTemplate", kEc2Version, params).status(),
      "CreateLaunchTemplate " + name);
}

Status CloudDeployer::CreateAutoScalingGroup(const GroupSpec& spec) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kAutoScaling));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kAutoScaling));
  QueryParams params = {{"AutoScalingGroupName", spec.name},
                        {"LaunchTemplate.LaunchTemplateName", spec.launch_template},
                        {"MinSize", std::to_string(spec.min_size)},
                        {"MaxSize", std::to_string(spec.max_size)},
                        {"DesiredCapacity", std::to_string(spec.desired)},
                        {"AvailabilityZones.member.1", spec.availability_zone}};
  return Named(
      CallQuery(*transport, endpoint, "CreateAutoScalingGroup", kAutoScalingVersion, params)
          .status(),
      "CreateAutoScalingGroup " + spec.name);
}

Status CloudDeployer::PutLifecycleHook(const std::string& group, const std::string& hook,
                                       int heartbeat_timeout, const std::string& default_result) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kAutoScaling));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kAutoScaling));
  QueryParams params = {{"AutoScalingGroupName", group},
                        {"LifecycleHookName", hook},
                        {"LifecycleTransition", "autoscaling:EC2_INSTANCE_TERMINATING"},
                        {"HeartbeatTimeout", std::to_string(heartbeat_timeout)},
                        {"DefaultResult", default_result}};
  return Named(
      CallQuery(*transport, endpoint, "PutLifecycleHook", kAutoScalingVersion, params).status(),
      "PutLifecycleHook " + group + "/" + hook);
}

Status CloudDeployer::SetDesiredCapacity(const std::string& group, int desired) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kAutoScaling));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kAutoScaling));
  QueryParams params = {{"AutoScalingGroupName", group},
                        {"DesiredCapacity", std::to_string(desired)}};
  return Named(
      CallQuery(*transport, endpoint, "SetDesiredCapacity", kAutoScalingVersion, params).status(),
      "SetDesiredCapacity " + group);
}

Result<std::vector<GroupInstance>> CloudDeployer::DescribeGroupInstances(const std::string& group) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session_.Transport(AwsService::kAutoScaling));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string endpoint, EndpointOf(AwsService::kAutoScaling));
  QueryParams params = {{"AutoScalingGroupNames.member.1", group}};
  auto answer =
      CallQuery(*transport, endpoint, "DescribeAutoScalingGroups", kAutoScalingVersion, params);
  if (!answer.ok()) return answer.status().WithContext("DescribeAutoScalingGroups " + group);
  std::vector<GroupInstance> out;
  pugi::xml_node groups = answer->result.child("AutoScalingGroups");
  for (pugi::xml_node g : groups.children("member")) {
    for (pugi::xml_node i : g.child("Instances").children("member")) {
      out.push_back({XmlChildText(i, "InstanceId"), XmlChildText(i, "LifecycleState")});
    }
  }
  return out;
}

}  // namespace lifeboat
