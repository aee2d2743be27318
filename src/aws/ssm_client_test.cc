#include "aws/ssm_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/aws_client_test.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using nlohmann::json;

constexpr char kCommandId[] = "0831e1a8-a1ac-4257-a1fd-c831bEXAMPLE";

class SsmClientTest : public AwsClientTest<SsmClient> {
 protected:
  SsmClientTest() : AwsClientTest(QuickRetries("ssm"), "https://ssm.us-east-1.amazonaws.com") {}
};

// SendCommand's answer as SSM sends it (timestamps are epoch seconds in JSON 1.1).
constexpr char kSendCommandAnswer[] = R"({"Command":{
  "CloudWatchOutputConfig":{"CloudWatchLogGroupName":"","CloudWatchOutputEnabled":false},
  "CommandId":"0831e1a8-a1ac-4257-a1fd-c831bEXAMPLE","Comment":"lifeboat: flush before termination",
  "CompletedCount":0,"DeliveryTimedOutCount":0,"DocumentName":"AWS-RunShellScript",
  "DocumentVersion":"$DEFAULT","ErrorCount":0,"ExpiresAfter":1.588194587489E9,
  "InstanceIds":["i-0123456789abcdef0"],"MaxConcurrency":"50","MaxErrors":"0",
  "NotificationConfig":{"NotificationArn":"","NotificationEvents":[],"NotificationType":""},
  "OutputS3BucketName":"","OutputS3KeyPrefix":"","OutputS3Region":"us-east-1",
  "Parameters":{"commands":["lifeboat flush --all"],"executionTimeout":["600"]},
  "RequestedDateTime":1.588190987489E9,"ServiceRole":"","Status":"Pending","StatusDetails":"Pending",
  "TargetCount":1,"Targets":[],"TimeoutSeconds":600}})";

TEST_F(SsmClientTest, SendCommandSendsTheJsonRequest) {
  http_.Enqueue(200, kSendCommandAnswer, Headers{{"Content-Type", "application/x-amz-json-1.1"}});
  auto command = client_.SendCommand({
      .document_name = "AWS-RunShellScript",
      .instance_ids = {"i-0123456789abcdef0"},
      .parameters = {{"commands", {"lifeboat flush --all"}}, {"executionTimeout", {"600"}}},
      .comment = "lifeboat: flush before termination",
      .timeout_seconds = 600,
  });
  ASSERT_TRUE(command.ok()) << command.status().message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://ssm.us-east-1.amazonaws.com/");
  EXPECT_EQ(sent.headers.Get("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(sent.headers.Get("X-Amz-Target"), "AmazonSSM.SendCommand");
  EXPECT_EQ(
      sent.body,
      R"({"Comment":"lifeboat: flush before termination","DocumentName":"AWS-RunShellScript",)"
      R"("InstanceIds":["i-0123456789abcdef0"],)"
      R"("Parameters":{"commands":["lifeboat flush --all"],"executionTimeout":["600"]},)"
      R"("TimeoutSeconds":600})");
  auto authorization = sent.headers.Get("Authorization");
  ASSERT_TRUE(authorization.has_value());
  EXPECT_NE(authorization->find("/us-east-1/ssm/aws4_request"), std::string::npos);

  EXPECT_EQ(command->command_id, kCommandId);
  EXPECT_EQ(command->document_name, "AWS-RunShellScript");
  EXPECT_EQ(command->comment, "lifeboat: flush before termination");
  EXPECT_EQ(command->status, "Pending");
  EXPECT_EQ(command->instance_ids, std::vector<std::string>{"i-0123456789abcdef0"});
  EXPECT_EQ(command->parameters.at("commands"), std::vector<std::string>{"lifeboat flush --all"});
}

TEST_F(SsmClientTest, SendCommandLeavesOutWhatIsNotSet) {
  http_.Enqueue(200, kSendCommandAnswer);
  ASSERT_TRUE(
      client_.SendCommand({.document_name = "Lifeboat-Drain", .instance_ids = {"i-1"}}).ok());
  EXPECT_EQ(LastRequest().body, R"({"DocumentName":"Lifeboat-Drain","InstanceIds":["i-1"]})");
}

TEST_F(SsmClientTest, AnInstanceWhoseAgentIsNotOnlineIsInvalidInstanceId) {
  http_.Enqueue(
      400,
      R"({"__type":"InvalidInstanceId","Message":"Instances [[i-0123456789abcdef0]] not in a valid state for account 123456789012"})",
      Headers{{"Content-Type", "application/x-amz-json-1.1"}});
  auto command = client_.SendCommand(
      {.document_name = "AWS-RunShellScript", .instance_ids = {"i-0123456789abcdef0"}});
  ASSERT_FALSE(command.ok());
  EXPECT_EQ(command.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(command.status().service_code(), "InvalidInstanceId");
  EXPECT_EQ(command.status().message(),
            "SendCommand AWS-RunShellScript i-0123456789abcdef0: InvalidInstanceId: Instances "
            "[[i-0123456789abcdef0]] not in a valid state for account 123456789012");
  EXPECT_EQ(http_.requests().size(), 1u) << "the caller decides how long to wait for the agent";
}

TEST_F(SsmClientTest, SendCommandChecksItsRequest) {
  EXPECT_EQ(client_.SendCommand({.instance_ids = {"i-1"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(client_.SendCommand({.document_name = "D"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      client_
          .SendCommand(
              {.document_name = "D", .instance_ids = {"i-1"}, .comment = std::string(101, 'x')})
          .status()
          .code(),
      StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(SsmClientTest, GetCommandInvocationParsesTheOutput) {
  http_.Enqueue(200, R"({
    "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": false},
    "CommandId": "0831e1a8-a1ac-4257-a1fd-c831bEXAMPLE",
    "Comment": "",
    "DocumentName": "AWS-RunShellScript",
    "DocumentVersion": "$DEFAULT",
    "ExecutionElapsedTime": "PT0.004S",
    "ExecutionEndDateTime": "2020-04-29T20:10:09.119Z",
    "ExecutionStartDateTime": "2020-04-29T20:10:09.119Z",
    "InstanceId": "i-0123456789abcdef0",
    "PluginName": "aws:RunShellScript",
    "ResponseCode": 3,
    "StandardErrorContent": "lifeboat: 2 streams not flushed\n",
    "StandardErrorUrl": "",
    "StandardOutputContent": "flushed 3 streams\n",
    "StandardOutputUrl": "",
    "Status": "Failed",
    "StatusDetails": "Failed"
  })");
  auto invocation = client_.GetCommandInvocation(kCommandId, "i-0123456789abcdef0");
  ASSERT_TRUE(invocation.ok()) << invocation.status().message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.headers.Get("X-Amz-Target"), "AmazonSSM.GetCommandInvocation");
  EXPECT_EQ(sent.headers.Get("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(
      sent.body,
      R"({"CommandId":"0831e1a8-a1ac-4257-a1fd-c831bEXAMPLE","InstanceId":"i-0123456789abcdef0"})");
  EXPECT_EQ(invocation->command_id, kCommandId);
  EXPECT_EQ(invocation->instance_id, "i-0123456789abcdef0");
  EXPECT_EQ(invocation->status, "Failed");
  EXPECT_EQ(invocation->status_details, "Failed");
  EXPECT_EQ(invocation->response_code, 3);
  EXPECT_EQ(invocation->standard_output, "flushed 3 streams\n");
  EXPECT_EQ(invocation->standard_error, "lifeboat: 2 streams not flushed\n");
  EXPECT_TRUE(IsFinalCommandStatus(invocation->status));
}

TEST_F(SsmClientTest, AnInvocationStillRunning) {
  http_.Enqueue(200, R"({"CommandId":"c","InstanceId":"i-1","ResponseCode":-1,
    "Status":"InProgress","StatusDetails":"InProgress","StandardOutputContent":"",
    "StandardErrorContent":""})");
  auto invocation = client_.GetCommandInvocation("c", "i-1");
  ASSERT_TRUE(invocation.ok()) << invocation.status().message();
  EXPECT_EQ(invocation->response_code, -1);
  EXPECT_FALSE(IsFinalCommandStatus(invocation->status));
}

TEST_F(SsmClientTest, AskingTooSoonIsInvocationDoesNotExist) {
  http_.Enqueue(400, R"({"__type":"InvocationDoesNotExist"})");
  auto invocation = client_.GetCommandInvocation(kCommandId, "i-1");
  ASSERT_FALSE(invocation.ok());
  EXPECT_EQ(invocation.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(invocation.status().service_code(), "InvocationDoesNotExist");
  EXPECT_EQ(invocation.status().message(),
            std::string("GetCommandInvocation ") + kCommandId + " i-1: InvocationDoesNotExist");
}

TEST_F(SsmClientTest, ListCommandsFiltersByDocumentAndPages) {
  http_.Enqueue(200, R"({"Commands":[
      {"CommandId":"c-2","DocumentName":"Lifeboat-Drain","Comment":"second","Status":"InProgress",
       "InstanceIds":["i-1"],"Parameters":{"mode":["flush"]},"RequestedDateTime":1.7E9}],
    "NextToken":"AAEAA/token="})");
  http_.Enqueue(200, R"({"Commands":[
      {"CommandId":"c-1","DocumentName":"Lifeboat-Drain","Comment":"first","Status":"Success",
       "InstanceIds":["i-1"],"Parameters":{}}]})");
  auto commands = client_.ListCommands("i-1", "Lifeboat-Drain");
  ASSERT_TRUE(commands.ok()) << commands.status().message();
  ASSERT_EQ(commands->size(), 2u);
  EXPECT_EQ((*commands)[0].command_id, "c-2");
  EXPECT_EQ((*commands)[0].status, "InProgress");
  EXPECT_EQ((*commands)[0].parameters.at("mode"), std::vector<std::string>{"flush"});
  EXPECT_EQ((*commands)[1].command_id, "c-1");
  EXPECT_EQ((*commands)[1].comment, "first");

  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.Get("X-Amz-Target"), "AmazonSSM.ListCommands");
  // CommandFilter is lower-case {key, value} in the service model, unlike most SSM filters.
  EXPECT_EQ(requests[0].body, R"({"Filters":[{"key":"DocumentName","value":"Lifeboat-Drain"}],)"
                              R"("InstanceId":"i-1","MaxResults":50})");
  EXPECT_EQ(requests[1].body, R"({"Filters":[{"key":"DocumentName","value":"Lifeboat-Drain"}],)"
                              R"("InstanceId":"i-1","MaxResults":50,"NextToken":"AAEAA/token="})");
}

TEST_F(SsmClientTest, ListCommandsWithoutADocumentFilter) {
  http_.Enqueue(200, R"({"Commands":[]})");
  auto commands = client_.ListCommands("i-1", "");
  ASSERT_TRUE(commands.ok()) << commands.status().message();
  EXPECT_TRUE(commands->empty());
  EXPECT_EQ(LastRequest().body, R"({"InstanceId":"i-1","MaxResults":50})");
}

TEST_F(SsmClientTest, ListCommandsStopsOnARepeatedToken) {
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{200, {}, R"({"Commands":[],"NextToken":"same"})"};
  });
  auto commands = client_.ListCommands("i-1", "");
  EXPECT_EQ(commands.status().code(), StatusCode::kInternal);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST(SsmFinalStatusTest, FinalAndPendingStatuses) {
  for (const char* final_status :
       {"Success", "Cancelled", "TimedOut", "Failed", "DeliveryTimedOut", "ExecutionTimedOut",
        "Undeliverable", "Terminated", "InvalidPlatform", "AccessDenied"}) {
    EXPECT_TRUE(IsFinalCommandStatus(final_status)) << final_status;
  }
  for (const char* running : {"Pending", "InProgress", "Delayed", "Cancelling", "", "success"}) {
    EXPECT_FALSE(IsFinalCommandStatus(running)) << running;
  }
}

}  // namespace
}  // namespace lifeboat
