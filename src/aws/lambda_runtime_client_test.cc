#include "aws/lambda_runtime_client.h"

#include <gtest/gtest.h>

#include "fakes/fake_http_client.h"

namespace lifeboat {
namespace {

constexpr char kRequestId[] = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

class LambdaRuntimeClientTest : public ::testing::Test {
 protected:
  HttpRequest LastRequest() const { return http_.requests().back(); }

  FakeHttpClient http_;
  LambdaRuntimeClient client_{http_, "127.0.0.1:9001"};
};

TEST_F(LambdaRuntimeClientTest, NextReadsTheInvocationHeaders) {
  http_.Enqueue(200, R"({"detail-type":"EC2 Instance-terminate Lifecycle Action"})",
                Headers{{"Lambda-Runtime-Aws-Request-Id", kRequestId},
                        {"Lambda-Runtime-Deadline-Ms", "1542409706888"},
                        {"Lambda-Runtime-Invoked-Function-Arn",
                         "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime"},
                        {"Lambda-Runtime-Trace-Id",
                         "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;"
                         "Sampled=1"},
                        {"Content-Type", "application/json"}});
  auto invocation = client_.Next();
  ASSERT_TRUE(invocation.ok()) << invocation.status().message();
  EXPECT_EQ(invocation->request_id, kRequestId);
  EXPECT_EQ(invocation->payload, R"({"detail-type":"EC2 Instance-terminate Lifecycle Action"})");
  EXPECT_EQ(invocation->function_arn,
            "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime");
  EXPECT_EQ(invocation->trace_id,
            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
  // 1542409706888 ms after the epoch: 2018-11-16T23:08:26.888Z.
  EXPECT_EQ(invocation->deadline.time_since_epoch(), std::chrono::milliseconds(1542409706888));

  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next");
  EXPECT_FALSE(sent.headers.Has("Authorization"));
}

TEST_F(LambdaRuntimeClientTest, NextWaitsAsLongAsItTakes) {
  // Zero would mean the HttpClient's default timeout, which may be short.
  http_.Enqueue(
      200, "{}",
      Headers{{"Lambda-Runtime-Aws-Request-Id", "r"}, {"Lambda-Runtime-Deadline-Ms", "1"}});
  ASSERT_TRUE(client_.Next().ok());
  EXPECT_GE(LastRequest().timeout, std::chrono::hours(24 * 30));
}

TEST_F(LambdaRuntimeClientTest, NextWithoutTraceIdOrArn) {
  http_.Enqueue(200, "{}",
                Headers{{"Lambda-Runtime-Aws-Request-Id", "r"},
                        {"Lambda-Runtime-Deadline-Ms", "1700000000000"}});
  auto invocation = client_.Next();
  ASSERT_TRUE(invocation.ok()) << invocation.status().message();
  EXPECT_EQ(invocation->trace_id, "");
  EXPECT_EQ(invocation->function_arn, "");
}

TEST_F(LambdaRuntimeClientTest, NextRejectsMissingOrMalformedHeaders) {
  http_.Enqueue(200, "{}", Headers{{"Lambda-Runtime-Deadline-Ms", "1542409706888"}});
  EXPECT_EQ(client_.Next().status().code(), StatusCode::kInternal);
  http_.Enqueue(200, "{}",
                Headers{{"Lambda-Runtime-Aws-Request-Id", "r"},
                        {"Lambda-Runtime-Deadline-Ms", "2018-11-16T23:08:26Z"}});
  auto bad_deadline = client_.Next();
  EXPECT_EQ(bad_deadline.status().code(), StatusCode::kInternal);
  EXPECT_NE(bad_deadline.status().message().find("Lambda-Runtime-Deadline-Ms"), std::string::npos);
  http_.Enqueue(200, "{}", Headers{{"Lambda-Runtime-Aws-Request-Id", "r"}});
  EXPECT_EQ(client_.Next().status().code(), StatusCode::kInternal);
}

TEST_F(LambdaRuntimeClientTest, AShuttingDownEnvironmentIsUnavailable) {
  http_.Enqueue(
      500,
      R"({"errorMessage":"The execution environment is shutting down","errorType":"Runtime.Shutdown"})");
  auto next = client_.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(next.status().service_code(), "Runtime.Shutdown");
  EXPECT_NE(next.status().message().find("The execution environment is shutting down"),
            std::string::npos)
      << next.status().message();
}

TEST_F(LambdaRuntimeClientTest, ConnectionFailuresPassThrough) {
  http_.Enqueue(Status::Unavailable("connection refused"));
  auto next = client_.Next();
  EXPECT_EQ(next.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(next.status().message().ends_with("connection refused"));
}

TEST_F(LambdaRuntimeClientTest, RespondPostsTheBody) {
  http_.Enqueue(202, R"({"status":"OK"})");
  Status s = client_.Respond(kRequestId, R"({"completed":true})");
  ASSERT_TRUE(s.ok()) << s.message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, std::string("http://127.0.0.1:9001/2018-06-01/runtime/invocation/") +
                          kRequestId + "/response");
  EXPECT_EQ(sent.body, R"({"completed":true})");
  EXPECT_FALSE(sent.headers.Has("Lambda-Runtime-Function-Error-Type"));
}

TEST_F(LambdaRuntimeClientTest, ATooLargeResponseIsRefused) {
  http_.Enqueue(
      413,
      R"({"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"})");
  Status s = client_.Respond(kRequestId, std::string(7 << 20, 'x'));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.service_code(), "RequestEntityTooLarge");
  EXPECT_TRUE(s.message().starts_with(std::string("Lambda runtime API response to ") + kRequestId))
      << s.message();
}

TEST_F(LambdaRuntimeClientTest, ReportErrorSendsTypeInHeaderAndBody) {
  http_.Enqueue(202, R"({"status":"OK"})");
  Status s = client_.ReportError(kRequestId, "Lifeboat.InvalidEvent", "no \"detail\" in the event");
  ASSERT_TRUE(s.ok()) << s.message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, std::string("http://127.0.0.1:9001/2018-06-01/runtime/invocation/") +
                          kRequestId + "/error");
  EXPECT_EQ(sent.headers.Get("Lambda-Runtime-Function-Error-Type"), "Lifeboat.InvalidEvent");
  EXPECT_EQ(sent.body,
            R"({"errorMessage":"no \"detail\" in the event","errorType":"Lifeboat.InvalidEvent"})");
}

TEST_F(LambdaRuntimeClientTest, ReportingForAnUnknownRequestFails) {
  http_.Enqueue(400, R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})");
  Status s = client_.ReportError("nope", "Lifeboat.Failed", "x");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.service_code(), "InvalidRequestID");
}

TEST_F(LambdaRuntimeClientTest, ReportInitError) {
  http_.Enqueue(202, R"({"status":"OK"})");
  Status s = client_.ReportInitError("Lifeboat.Config", "LIFEBOAT_BUCKET is not set");
  ASSERT_TRUE(s.ok()) << s.message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.url, "http://127.0.0.1:9001/2018-06-01/runtime/init/error");
  EXPECT_EQ(sent.headers.Get("Lambda-Runtime-Function-Error-Type"), "Lifeboat.Config");
  EXPECT_EQ(sent.body,
            R"({"errorMessage":"LIFEBOAT_BUCKET is not set","errorType":"Lifeboat.Config"})");
}

}  // namespace
}  // namespace lifeboat
