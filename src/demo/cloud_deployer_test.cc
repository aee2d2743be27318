#include "demo/cloud_deployer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using json = nlohmann::json;

class CloudDeployerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto http = std::make_unique<FakeHttpClient>();
    http_ = http.get();
    http_->SetHandler([](const HttpRequest& r) -> Result<HttpResponse> {
      if (r.url.find("/2015-03-31/functions") != std::string::npos) {
        return HttpResponse{201, {}, R"({"FunctionArn": "arn:aws:lambda:us-east-1:0:function:f"})"};
      }
      if (r.headers.Get("X-Amz-Target") == std::optional<std::string>("AWSEvents.PutRule")) {
        return HttpResponse{200, {}, R"({"RuleArn": "arn:aws:events:us-east-1:0:rule/r"})"};
      }
      if (r.headers.Has("X-Amz-Target")) return HttpResponse{200, {}, "{}"};
      if (r.body.rfind("Action=", 0) == 0) {  // Query: <ActionResponse>
        const std::string action = r.body.substr(7, r.body.find('&') - 7);
        return HttpResponse{200, {}, "<" + action + "Response/>"};
      }
      return HttpResponse{200, {}, ""};
    });
    AwsSessionOptions options;
    options.endpoint_url = "http://127.0.0.1:4566";
    options.region = "us-east-1";
    auto session = AwsSession::Create(&env_, std::move(http), options,
                                      std::make_unique<StaticCredentialsProvider>(
                                          Credentials{"test", "test", "", std::nullopt, "t"}));
    ASSERT_TRUE(session.ok()) << session.status().message();
    session_ = std::move(*session);
    cloud_ = std::make_unique<CloudDeployer>(*session_);
  }
  HttpRequest Last() const { return http_->requests().back(); }
  std::string Target() const { return Last().headers.Get("X-Amz-Target").value_or(""); }
  // The credential scope's service in the Authorization header: the signing name.
  std::string SignedFor() const {
    const std::string auth = Last().headers.Get("Authorization").value_or("");
    const size_t region = auth.find("/us-east-1/");
    return auth.substr(region + 11, auth.find('/', region + 11) - region - 11);
  }

  MemEnv env_;
  FakeHttpClient* http_ = nullptr;
  std::unique_ptr<AwsSession> session_;
  std::unique_ptr<CloudDeployer> cloud_;
};

TEST_F(CloudDeployerTest, EachCallSpeaksItsServicesProtocol) {
  ASSERT_TRUE(cloud_->CreateBucket("logs").ok());
  EXPECT_EQ(Last().method, "PUT");
  EXPECT_EQ(Last().url, "http://127.0.0.1:4566/logs");
  EXPECT_EQ(SignedFor(), "s3");

  ASSERT_TRUE(cloud_->CreateDocument("lifeboat-evacuate", R"({"schemaVersion": "2.2"})").ok());
  EXPECT_EQ(Target(), "AmazonSSM.CreateDocument");
  EXPECT_EQ(json::parse(Last().body)["DocumentType"], "Command");
  EXPECT_EQ(SignedFor(), "ssm");

  auto arn = cloud_->CreateFunction({"f",
                                     "provided.al2023",
                                     "bootstrap",
                                     "arn:aws:iam::0:role/r",
                                     "zip-bytes",
                                     {{"LIFEBOAT_TIME_SCALE", "60"}}});
  ASSERT_TRUE(arn.ok()) << arn.status().message();
  EXPECT_EQ(*arn, "arn:aws:lambda:us-east-1:0:function:f");
  EXPECT_EQ(Last().url, "http://127.0.0.1:4566/2015-03-31/functions");
  json function = json::parse(Last().body);
  EXPECT_EQ(function["Code"]["ZipFile"], Base64Encode("zip-bytes"));
  EXPECT_EQ(function["Environment"]["Variables"]["LIFEBOAT_TIME_SCALE"], "60");
  EXPECT_EQ(SignedFor(), "lambda");

  auto rule = cloud_->PutRule("r", R"({"source": ["aws.autoscaling"]})");
  ASSERT_TRUE(rule.ok());
  EXPECT_EQ(*rule, "arn:aws:events:us-east-1:0:rule/r");
  EXPECT_EQ(SignedFor(), "events");

  ASSERT_TRUE(cloud_->CreateLaunchTemplate("web", "#!/bin/bash\necho hi\n").ok());
  EXPECT_NE(Last().body.find("Action=CreateLaunchTemplate"), std::string::npos);
  EXPECT_NE(Last().body.find("LaunchTemplateData.UserData="), std::string::npos);
  EXPECT_EQ(SignedFor(), "ec2");

  ASSERT_TRUE(cloud_->PutLifecycleHook("web", "lifeboat", 300, "CONTINUE").ok());
  EXPECT_NE(Last().body.find("HeartbeatTimeout=300"), std::string::npos);
  EXPECT_EQ(SignedFor(), "autoscaling");
}

TEST_F(CloudDeployerTest, ReadsTheGroupsInstancesAndStates) {
  http_->Enqueue(
      200,
      R"(<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <DescribeAutoScalingGroupsResult><AutoScalingGroups><member>
    <AutoScalingGroupName>web</AutoScalingGroupName>
    <Instances>
      <member><InstanceId>i-1</InstanceId><LifecycleState>InService</LifecycleState></member>
      <member><InstanceId>i-2</InstanceId><LifecycleState>Terminating:Wait</LifecycleState></member>
    </Instances>
  </member></AutoScalingGroups></DescribeAutoScalingGroupsResult>
</DescribeAutoScalingGroupsResponse>)");
  auto instances = cloud_->DescribeGroupInstances("web");
  ASSERT_TRUE(instances.ok()) << instances.status().message();
  ASSERT_EQ(instances->size(), 2u);
  EXPECT_EQ((*instances)[1].instance_id, "i-2");
  EXPECT_EQ((*instances)[1].lifecycle_state, "Terminating:Wait");
}

TEST_F(CloudDeployerTest, AnErrorNamesTheCall) {
  http_->Enqueue(400, R"({"__type": "InvalidDocumentContent", "message": "bad"})");
  Status s = cloud_->CreateDocument("doc", "{}");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("CreateDocument doc"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace lifeboat
