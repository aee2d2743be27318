#include "local/events/eventbridge_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "local/events/fake_event_invoker.h"

namespace lifeboat {
namespace {

using nlohmann::json;

class FixedTimeEnv final : public EnvWrapper {
 public:
  FixedTimeEnv() : EnvWrapper(Env::Default()) {}
  std::chrono::system_clock::time_point Now() override {
    return std::chrono::system_clock::from_time_t(1447277507);  // 2015-11-11T21:31:47Z
  }
};

constexpr char kQueue[] = "arn:aws:sqs:us-east-1:123456789012:events";
constexpr char kFunction[] = "arn:aws:lambda:us-east-1:123456789012:function:log-upload";

class EventBridgeServiceTest : public testing::Test {
 protected:
  static LocalEventBridgeOptions Options() {
    LocalEventBridgeOptions options;
    options.account_id = "123456789012";
    options.retry.backoff = {std::chrono::milliseconds(1), std::chrono::milliseconds(5)};
    return options;
  }

  std::pair<int, json> Raw(const std::string& action, const json& body) {
    LocalRequest request;
    request.method = "POST";
    request.path = "/";
    request.service = "events";
    request.headers.Set("x-amz-target", "AWSEvents." + action);
    request.body = body.dump();
    LocalResponse response = service_.Handle(request);
    return {response.status, json::parse(response.body)};
  }

  json Call(const std::string& action, const json& body) {
    auto [status, out] = Raw(action, body);
    EXPECT_EQ(status, 200) << action << ": " << out.dump();
    return out;
  }

  void ExpectError(const std::string& action, const json& body, const std::string& type,
                   const std::string& message) {
    auto [status, out] = Raw(action, body);
    EXPECT_EQ(status, 400) << out.dump();
    EXPECT_EQ(out["__type"], type) << out.dump();
    EXPECT_EQ(out["message"], message) << out.dump();
  }

  void PutRuleWithTarget(const std::string& name, const json& pattern, json target) {
    Call("PutRule", {{"Name", name}, {"EventPattern", pattern.dump()}});
    json out = Call("PutTargets", {{"Rule", name}, {"Targets", json::array({target})}});
    ASSERT_EQ(out["FailedEntryCount"], 0) << out.dump();
  }

  json PutEvent(const std::string& source, const std::string& type, const json& detail) {
    return Call(
        "PutEvents",
        {{"Entries", {{{"Source", source}, {"DetailType", type}, {"Detail", detail.dump()}}}}});
  }

  FixedTimeEnv env_;
  FakeEventInvoker invoker_;
  LocalEventBridge service_{&env_, &invoker_, Options()};
};

TEST_F(EventBridgeServiceTest, RulesLifecycle) {
  json put = Call("PutRule", {{"Name", "terminations"},
                              {"EventPattern", R"({"source":["aws.autoscaling"]})"},
                              {"Description", "scale-in"}});
  EXPECT_EQ(put["RuleArn"], "arn:aws:events:us-east-1:123456789012:rule/terminations");
  json described = Call("DescribeRule", {{"Name", "terminations"}});
  EXPECT_EQ(described["Name"], "terminations");
  EXPECT_EQ(described["State"], "ENABLED");
  EXPECT_EQ(described["EventPattern"], R"({"source":["aws.autoscaling"]})");
  EXPECT_EQ(described["Description"], "scale-in");
  EXPECT_EQ(described["EventBusName"], "default");
  ExpectError("DescribeRule", {{"Name", "missing"}}, "ResourceNotFoundException",
              "Rule missing does not exist.");
  Call("DeleteRule", {{"Name", "terminations"}});
  Call("DeleteRule", {{"Name", "terminations"}});  // deleting twice succeeds, as on AWS
  ExpectError("DescribeRule", {{"Name", "terminations"}}, "ResourceNotFoundException",
              "Rule terminations does not exist.");
}

TEST_F(EventBridgeServiceTest, ListRulesFiltersAndPages) {
  for (const char* name : {"b-rule", "a-rule", "a-other", "c-rule"}) {
    Call("PutRule", {{"Name", name}, {"EventPattern", R"({"source":["x"]})"}});
  }
  json first = Call("ListRules", {{"Limit", 2}});
  ASSERT_EQ(first["Rules"].size(), 2u);
  EXPECT_EQ(first["Rules"][0]["Name"], "a-other");
  EXPECT_EQ(first["Rules"][1]["Name"], "a-rule");
  json second = Call("ListRules", {{"Limit", 2}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["Rules"].size(), 2u);
  EXPECT_EQ(second["Rules"][1]["Name"], "c-rule");
  EXPECT_FALSE(second.contains("NextToken"));
  json prefixed = Call("ListRules", {{"NamePrefix", "a-"}});
  EXPECT_EQ(prefixed["Rules"].size(), 2u);
}

TEST_F(EventBridgeServiceTest, RefusesBadRequestsAsAwsDoes) {
  ExpectError("PutRule", {{"Name", "r"}}, "ValidationException",
              "Parameter(s) EventPattern or ScheduleExpression must be specified.");
  ExpectError("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source": []})"}},
              "InvalidEventPatternException",
              "Event pattern is not valid. Reason: Empty arrays are not allowed\n at [Source: "
              "(String)\"{\"source\": "
              "[]}\"; line: 1, column: 14]");
  ExpectError("PutRule", {{"Name", "bad name"}, {"EventPattern", "{}"}}, "ValidationException",
              "1 validation error detected: Value 'bad name' at 'name' failed to satisfy "
              "constraint: Member must "
              "satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  ExpectError("PutRule",
              {{"Name", "r"}, {"EventPattern", R"({"a":[1]})"}, {"EventBusName", "orders"}},
              "ResourceNotFoundException", "Event bus orders does not exist.");
  ExpectError("PutTargets", {{"Rule", "nope"}, {"Targets", {{{"Id", "t"}, {"Arn", kQueue}}}}},
              "ResourceNotFoundException", "Rule nope does not exist on EventBus default.");
  ExpectError("Frobnicate", json::object(), "UnknownOperationException",
              "The action Frobnicate is not supported by lifeboat local.");
}

TEST_F(EventBridgeServiceTest, TargetsLifecycle) {
  Call("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["app"]})"}});
  json put =
      Call("PutTargets", {{"Rule", "r"},
                          {"Targets",
                           {{{"Id", "queue"}, {"Arn", kQueue}, {"InputPath", "$.detail"}},
                            {{"Id", "function"}, {"Arn", kFunction}, {"Input", R"({"a":1})"}},
                            {{"Id", "topic"}, {"Arn", "arn:aws:sns:us-east-1:123456789012:t"}},
                            {{"Id", "bad-input"}, {"Arn", kQueue}, {"Input", "{not json"}}}}});
  EXPECT_EQ(put["FailedEntryCount"], 2);
  EXPECT_EQ(put["FailedEntries"][0]["TargetId"], "topic");
  EXPECT_EQ(put["FailedEntries"][1]["ErrorCode"], "ValidationException");
  json listed = Call("ListTargetsByRule", {{"Rule", "r"}});
  ASSERT_EQ(listed["Targets"].size(), 2u);
  EXPECT_EQ(listed["Targets"][0]["Id"], "queue");
  EXPECT_EQ(listed["Targets"][0]["InputPath"], "$.detail");
  EXPECT_EQ(listed["Targets"][1]["Input"], R"({"a":1})");
  ExpectError("DeleteRule", {{"Name", "r"}}, "ValidationException",
              "Rule can't be deleted since it has targets.");
  json removed = Call("RemoveTargets", {{"Rule", "r"}, {"Ids", {"queue", "function"}}});
  EXPECT_EQ(removed["FailedEntryCount"], 0);
  EXPECT_TRUE(Call("ListTargetsByRule", {{"Rule", "r"}})["Targets"].empty());
  Call("DeleteRule", {{"Name", "r"}});
}

TEST_F(EventBridgeServiceTest, PutEventsValidatesEachEntry) {
  json out =
      Call("PutEvents", {{"Entries",
                          {{{"Source", "app"}, {"DetailType", "t"}, {"Detail", "{}"}},
                           {{"DetailType", "t"}, {"Detail", "{}"}},
                           {{"Source", "app"}, {"DetailType", "t"}, {"Detail", "{nope"}},
                           {{"Source", "aws.ec2"}, {"DetailType", "t"}, {"Detail", "{}"}}}}});
  EXPECT_EQ(out["FailedEntryCount"], 3);
  EXPECT_EQ(out["Entries"][0]["EventId"].get<std::string>().size(), 36u);
  EXPECT_EQ(out["Entries"][1]["ErrorMessage"],
            "Parameter Source is not valid. Reason: Source is a required argument.");
  EXPECT_EQ(out["Entries"][2]["ErrorCode"], "MalformedDetail");
  EXPECT_EQ(out["Entries"][3]["ErrorCode"], "NotAuthorizedForSourceException");
}

TEST_F(EventBridgeServiceTest, MatchedEventsReachTheirTargets) {
  PutRuleWithTarget("orders",
                    {{"source", {"shop"}}, {"detail", {{"total", {{{"numeric", {">", 100}}}}}}}},
                    {{"Id", "q"}, {"Arn", kQueue}});
  PutEvent("shop", "Order Placed", {{"total", 50}});
  PutEvent("shop", "Order Placed", {{"total", 250}});
  auto delivered = invoker_.WaitFor(1);
  ASSERT_EQ(delivered.size(), 1u);
  json event = json::parse(delivered[0].second);
  EXPECT_EQ(event["version"], "0");
  EXPECT_EQ(event["source"], "shop");
  EXPECT_EQ(event["detail-type"], "Order Placed");
  EXPECT_EQ(event["account"], "123456789012");
  EXPECT_EQ(event["region"], "us-east-1");
  EXPECT_EQ(event["time"], "2015-11-11T21:31:47Z");
  EXPECT_EQ(event["detail"]["total"], 250);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(invoker_.WaitFor(2, std::chrono::milliseconds(0)).size(), 1u);
}

TEST_F(EventBridgeServiceTest, InputAndInputPathShapeThePayload) {
  PutRuleWithTarget("path", {{"source", {"app"}}},
                    {{"Id", "p"}, {"Arn", kQueue}, {"InputPath", "$.detail"}});
  PutRuleWithTarget("constant", {{"source", {"app"}}},
                    {{"Id", "c"}, {"Arn", kFunction}, {"Input", R"({"fixed":true})"}});
  PutEvent("app", "t", {{"k", "v"}});
  auto delivered = invoker_.WaitFor(2);
  ASSERT_EQ(delivered.size(), 2u);
  std::map<std::string, std::string> by_arn(delivered.begin(), delivered.end());
  EXPECT_EQ(by_arn[kQueue], R"({"k":"v"})");
  EXPECT_EQ(by_arn[kFunction], R"({"fixed":true})");
}

TEST_F(EventBridgeServiceTest, DisabledRulesDeliverNothing) {
  PutRuleWithTarget("off", {{"source", {"app"}}}, {{"Id", "q"}, {"Arn", kQueue}});
  Call("PutRule",
       {{"Name", "off"}, {"EventPattern", R"({"source":["app"]})"}, {"State", "DISABLED"}});
  PutEvent("app", "t", json::object());
  EXPECT_TRUE(invoker_.WaitFor(1, std::chrono::milliseconds(200)).empty());
}

TEST_F(EventBridgeServiceTest, AutoScalingEventsGetTheAwsEnvelope) {
  PutRuleWithTarget("terminate",
                    {{"source", {"aws.autoscaling"}},
                     {"detail-type", {"EC2 Instance-terminate Lifecycle Action"}}},
                    {{"Id", "q"}, {"Arn", kQueue}});
  service_.Put(
      "EC2 Instance-terminate Lifecycle Action", "aws.autoscaling",
      {"arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web"},
      R"({"LifecycleActionToken":"t","AutoScalingGroupName":"web","EC2InstanceId":"i-1"})");
  auto delivered = invoker_.WaitFor(1);
  ASSERT_EQ(delivered.size(), 1u);
  json event = json::parse(delivered[0].second);
  EXPECT_EQ(event["source"], "aws.autoscaling");
  EXPECT_EQ(
      event["resources"][0],
      "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web");
  EXPECT_EQ(event["detail"]["EC2InstanceId"], "i-1");
}

TEST_F(EventBridgeServiceTest, TestEventPattern) {
  const std::string event =
      R"({"id":"1","account":"123456789012","source":"aws.ec2","time":"2017-12-22T18:43:48Z","region":"us-west-1",)"
      R"("resources":[],"detail-type":"EC2 Instance State-change Notification","detail":{"state":"terminated"}})";
  EXPECT_EQ(Call("TestEventPattern",
                 {{"Event", event},
                  {"EventPattern", R"({"detail":{"state":["terminated"]}})"}})["Result"],
            true);
  EXPECT_EQ(Call("TestEventPattern",
                 {{"Event", event}, {"EventPattern", R"({"source":["aws.s3"]})"}})["Result"],
            false);
  ExpectError("TestEventPattern",
              {{"Event", R"({"source":"aws.ec2"})"}, {"EventPattern", R"({"source":["aws.ec2"]})"}},
              "ValidationException", "Parameter Event is not valid.");
  // `resources` and `detail` may be left out; every other envelope field is required.
  const json minimal = {{"id", "1"},
                        {"account", "123456789012"},
                        {"source", "aws.ec2"},
                        {"time", "2017-12-22T18:43:48Z"},
                        {"region", "us-west-1"},
                        {"detail-type", "EC2 Instance State-change Notification"}};
  EXPECT_EQ(Call("TestEventPattern", {{"Event", minimal.dump()},
                                      {"EventPattern", R"({"source":["aws.ec2"]})"}})["Result"],
            true);
  for (const auto& [field, unused] : minimal.items()) {
    json partial = minimal;
    partial.erase(field);
    ExpectError("TestEventPattern",
                {{"Event", partial.dump()}, {"EventPattern", R"({"source":["aws.ec2"]})"}},
                "ValidationException", "Parameter Event is not valid.");
  }
  auto [status, out] =
      Raw("TestEventPattern", {{"Event", event}, {"EventPattern", R"({"source":"aws.ec2"})"}});
  EXPECT_EQ(status, 400);
  EXPECT_EQ(out["__type"], "InvalidEventPatternException");
}

}  // namespace
}  // namespace lifeboat
