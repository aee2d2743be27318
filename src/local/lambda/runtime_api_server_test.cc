// The Runtime API over real HTTP on loopback, with httplib's client standing in for a
// runtime.
#include "local/lambda/runtime_api_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <future>
#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

class RuntimeApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start().ok()); }
  void TearDown() override {
    channel_.Close();
    server_.Stop();
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_.port());
    client.set_read_timeout(10, 0);
    return client;
  }

  std::future<InvocationOutcome> Start(Invocation invocation) {
    return std::async(std::launch::async, [this, invocation] {
      return channel_.Run(invocation, milliseconds(5000), milliseconds(5000));
    });
  }

  RuntimeChannel channel_{Env::Default()};
  RuntimeApiServer server_{&channel_};
};

Invocation MakeInvocation(const std::string& id) {
  Invocation inv;
  inv.request_id = id;
  inv.payload = R"({"detail":{"EC2InstanceId":"i-1"}})";
  inv.function_arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
  inv.trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0";
  inv.client_context = R"({"custom":{"k":"v"}})";
  return inv;
}

TEST_F(RuntimeApiServerTest, NextCarriesAwsHeadersAndResponseCompletesTheInvocation) {
  EXPECT_EQ(server_.address(), "127.0.0.1:" + std::to_string(server_.port()));
  auto outcome = Start(MakeInvocation("req-1"));
  auto client = Client();
  auto next = client.Get("/2018-06-01/runtime/invocation/next");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, R"({"detail":{"EC2InstanceId":"i-1"}})");
  EXPECT_EQ(next->get_header_value("Lambda-Runtime-Aws-Request-Id"), "req-1");
  EXPECT_EQ(next->get_header_value("Lambda-Runtime-Invoked-Function-Arn"),
            "arn:aws:lambda:us-east-1:000000000000:function:f");
  EXPECT_EQ(next->get_header_value("Lambda-Runtime-Trace-Id"),
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
  EXPECT_EQ(next->get_header_value("Lambda-Runtime-Client-Context"), R"({"custom":{"k":"v"}})");
  EXPECT_FALSE(next->has_header("Lambda-Runtime-Cognito-Identity"));
  EXPECT_GT(std::stoll(next->get_header_value("Lambda-Runtime-Deadline-Ms")), 1700000000000LL);

  auto posted = client.Post("/2018-06-01/runtime/invocation/req-1/response", R"({"done":1})",
                            "application/json");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 202);
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kResponse);
  EXPECT_EQ(result.body, R"({"done":1})");

  auto unknown =
      client.Post("/2018-06-01/runtime/invocation/nope/response", "{}", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(json::parse(unknown->body)["errorType"], "InvalidRequestID");
}

TEST_F(RuntimeApiServerTest, ErrorPostsTakeTheErrorTypeHeader) {
  auto outcome = Start(MakeInvocation("req-2"));
  auto client = Client();
  ASSERT_TRUE(client.Get("/2018-06-01/runtime/invocation/next"));
  httplib::Headers headers = {{"Lambda-Runtime-Function-Error-Type", "Custom.Error"}};
  auto posted =
      client.Post("/2018-06-01/runtime/invocation/req-2/error", headers, "", "application/json");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 202);
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kFunctionError);
  EXPECT_EQ(json::parse(result.body)["errorType"], "Custom.Error");
}

TEST_F(RuntimeApiServerTest, InitErrorFailsThePendingInvocation) {
  auto outcome = Start(MakeInvocation("req-3"));
  auto client = Client();
  std::string document = R"({"errorMessage":"no config","errorType":"Runtime.Config"})";
  auto posted =
      client.Post("/2018-06-01/runtime/init/error",
                  httplib::Headers{{"Lambda-Runtime-Function-Error-Type", "Runtime.Config"}},
                  document, "application/json");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 202);
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kInitError);
  EXPECT_EQ(result.body, document);
}

TEST_F(RuntimeApiServerTest, ClosingTheChannelReleasesAWaitingNext) {
  auto waiting = std::async(std::launch::async,
                            [this] { return Client().Get("/2018-06-01/runtime/invocation/next"); });
  EXPECT_EQ(waiting.wait_for(milliseconds(200)), std::future_status::timeout);
  channel_.Close();
  auto answer = waiting.get();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 500);  // a runtime exits on a 500
  server_.Stop();                  // and stopping does not hang
}

}  // namespace
}  // namespace lifeboat
