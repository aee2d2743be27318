// CloudDeployer: the API calls a deployment of lifeboat makes (and the demo makes against
// `lifeboat local`): a bucket, a Run Command document, a function with its permission, an
// EventBridge rule and target, a launch template, a group and its lifecycle hook. Each is
// one request through the session's signing transport for its service, in that service's
// own protocol (S3 REST, SSM and EventBridge JSON 1.1, Lambda REST-JSON, EC2 and Auto
// Scaling Query).
//
// Borrows the session. Thread-safe as the session is.
#ifndef LIFEBOAT_DEMO_CLOUD_DEPLOYER_H_
#define LIFEBOAT_DEMO_CLOUD_DEPLOYER_H_

#include <map>
#include <string>
#include <vector>

#include "aws/autoscaling_client.h"
#include "aws/aws_session.h"
#include "common/status.h"

namespace lifeboat {

struct FunctionSpec {
  std::string name;
  std::string runtime;  // "provided.al2023", "python3.12"
  std::string handler;  // "bootstrap", "lambda_function.lambda_handler"
  std::string role_arn;
  std::string zip;  // the deployment package's bytes
  std::map<std::string, std::string> environment;
  int timeout_seconds = 900;
};

struct GroupSpec {
  std::string name;
  std::string launch_template;
  int min_size = 0;
  int max_size = 0;
  int desired = 0;
  std::string availability_zone = "us-east-1a";
};

struct GroupInstance {
  std::string instance_id;
  std::string lifecycle_state;
};

class CloudDeployer {
 public:
  explicit CloudDeployer(AwsSession& session) : session_(session) {}

  Status CreateBucket(const std::string& bucket);
  Status CreateDocument(const std::string& name, const std::string& json_content);
  // Returns the function's ARN.
  Result<std::string> CreateFunction(const FunctionSpec& spec);
  Status AddPermission(const std::string& function, const std::string& statement_id,
                       const std::string& principal, const std::string& source_arn);
  // Returns the rule's ARN.
  Result<std::string> PutRule(const std::string& name, const std::string& event_pattern);
  Status PutTarget(const std::string& rule, const std::string& id, const std::string& arn);
  // `user_data` as the instance reads it (it is sent base64-encoded).
  Status CreateLaunchTemplate(const std::string& name, const std::string& user_data);
  Status CreateAutoScalingGroup(const GroupSpec& spec);
  Status PutLifecycleHook(const std::string& group, const std::string& hook, int heartbeat_timeout,
                          const std::string& default_result);
  Status SetDesiredCapacity(const std::string& group, int desired);
  Result<std::vector<GroupInstance>> DescribeGroupInstances(const std::string& group);

 private:
  Result<std::string> EndpointOf(AwsService service);

  AwsSession& session_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_CLOUD_DEPLOYER_H_
