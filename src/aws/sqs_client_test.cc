#include "aws/sqs_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/aws_client_test.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using nlohmann::json;

constexpr char kQueueUrl[] = "https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle";

class SqsClientTest : public AwsClientTest<SqsClient> {
 protected:
  SqsClientTest() : AwsClientTest(QuickRetries("sqs"), "https://sqs.us-east-1.amazonaws.com") {}
};

// The JSON-protocol answer, as SQS sends it (the AWS API reference's sample, trimmed).
constexpr char kTwoMessages[] = R"({
  "Messages": [
    {
      "Attributes": {
        "ApproximateReceiveCount": "1",
        "SentTimestamp": "1677112427387"
      },
      "Body": "{\"Origin\":\"AutoScalingGroup\",\"LifecycleTransition\":\"autoscaling:EC2_INSTANCE_TERMINATING\"}",
      "MD5OfBody": "fafb00f5732ab283681e124bf8747ed1",
      "MessageId": "219f8380-5770-4cc2-8c3e-5c715e145f5e",
      "ReceiptHandle": "AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV20JrQYg/AiZ8JELwLwOu5U61W+aIX5Qzu7GGofxJuvzymr4Ph53RiR0mudj4InLSgpSspYeTRDteBye5tV/txbZDdNZxsi+qqZA9xPnmMscKQqF6pGhnGIKrnkYGl45Nl6GPIZv62LrIRb6mSqOn1fn0yqrvmWuuY3w2UzQbaYunJWGxpzZze21EOBtywknU3Je/g7G9is+c6K9hGniddzhLkK1tHzZKjejOU4jokaiB4nmi0dF3JqLzDsQuPF0Gi8qffhEvw56nl8QCbluSJScFhJYvoagGnDbwOnd9z50L239qtFIgETdpKyirlWwl/NGjWJ45dqWpiW3d2Ws7q"
    },
    {
      "Attributes": {"ApproximateReceiveCount": "4", "SentTimestamp": "1677112427999"},
      "Body": "second",
      "MD5OfBody": "a9f0e61a137d86aa9db53465e0801612",
      "MessageId": "d6790f8d-d575-4f01-bc51-40122EXAMPLE",
      "ReceiptHandle": "AQEB-second"
    }
  ]
})";

TEST_F(SqsClientTest, ReceiveMessageSendsTheJsonRequest) {
  http_.Enqueue(200, kTwoMessages, Headers{{"Content-Type", "application/x-amz-json-1.0"}});
  auto messages = client_.ReceiveMessage(kQueueUrl, {});
  ASSERT_TRUE(messages.ok()) << messages.status().message();

  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://sqs.us-east-1.amazonaws.com/");
  EXPECT_EQ(sent.headers.Get("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(sent.headers.Get("X-Amz-Target"), "AmazonSQS.ReceiveMessage");
  EXPECT_EQ(json::parse(sent.body), json::parse(R"({
    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle",
    "MaxNumberOfMessages": 10,
    "WaitTimeSeconds": 20,
    "AttributeNames": ["ApproximateReceiveCount", "SentTimestamp"],
    "MessageSystemAttributeNames": ["ApproximateReceiveCount", "SentTimestamp"]
  })"))
      << sent.body;
  auto authorization = sent.headers.Get("Authorization");
  ASSERT_TRUE(authorization.has_value());
  EXPECT_NE(authorization->find("/us-east-1/sqs/aws4_request"), std::string::npos);
  // The target header is signed: SQS rejects a request whose operation could be swapped.
  EXPECT_NE(authorization->find("x-amz-target"), std::string::npos) << *authorization;
}

TEST_F(SqsClientTest, ReceiveMessageParsesMessagesAndAttributes) {
  http_.Enqueue(200, kTwoMessages);
  auto messages = client_.ReceiveMessage(kQueueUrl, {});
  ASSERT_TRUE(messages.ok()) << messages.status().message();
  ASSERT_EQ(messages->size(), 2u);
  const SqsMessage& first = (*messages)[0];
  EXPECT_EQ(first.message_id, "219f8380-5770-4cc2-8c3e-5c715e145f5e");
  EXPECT_TRUE(first.receipt_handle.starts_with("AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV"));
  EXPECT_EQ(first.body,
            "{\"Origin\":\"AutoScalingGroup\",\"LifecycleTransition\":\"autoscaling:EC2_INSTANCE_"
            "TERMINATING\"}");
  EXPECT_EQ(first.attributes,
            (std::map<std::string, std::string>{{"ApproximateReceiveCount", "1"},
                                                {"SentTimestamp", "1677112427387"}}));
  EXPECT_EQ((*messages)[1].attributes.at("ApproximateReceiveCount"), "4");
  EXPECT_EQ((*messages)[1].receipt_handle, "AQEB-second");
}

TEST_F(SqsClientTest, AnEmptyQueueAnswersNoMessages) {
  http_.Enqueue(200, "{}");
  auto messages = client_.ReceiveMessage(kQueueUrl, {});
  ASSERT_TRUE(messages.ok()) << messages.status().message();
  EXPECT_TRUE(messages->empty());
}

TEST_F(SqsClientTest, TheLongPollOutlastsTheWait) {
  http_.Enqueue(200, "{}");
  ASSERT_TRUE(client_.ReceiveMessage(kQueueUrl, {}).ok());
  EXPECT_EQ(LastRequest().timeout, std::chrono::seconds(30));

  http_.Enqueue(200, "{}");
  ASSERT_TRUE(client_
                  .ReceiveMessage(kQueueUrl, {.max_messages = 1,
                                              .wait = std::chrono::seconds(5),
                                              .visibility_timeout = 120})
                  .ok());
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.timeout, std::chrono::seconds(15));
  json body = json::parse(sent.body);
  EXPECT_EQ(body["MaxNumberOfMessages"], 1);
  EXPECT_EQ(body["WaitTimeSeconds"], 5);
  EXPECT_EQ(body["VisibilityTimeout"], 120);
}

TEST_F(SqsClientTest, OutOfRangeOptionsAreNotSent) {
  EXPECT_EQ(client_.ReceiveMessage(kQueueUrl, {.max_messages = 11}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(client_.ReceiveMessage(kQueueUrl, {.max_messages = 0}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(client_.ReceiveMessage(kQueueUrl, {.wait = std::chrono::seconds(21)}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(SqsClientTest, AMissingQueueIsNotFound) {
  // A JSON error whose __type carries the model's namespace.
  http_.Enqueue(
      400,
      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})",
      Headers{{"Content-Type", "application/x-amz-json-1.0"}});
  auto messages = client_.ReceiveMessage(kQueueUrl, {});
  ASSERT_FALSE(messages.ok());
  EXPECT_EQ(messages.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(messages.status().service_code(), "QueueDoesNotExist");
  EXPECT_EQ(messages.status().message(),
            std::string("ReceiveMessage ") + kQueueUrl +
                ": QueueDoesNotExist: The specified queue does not exist.");
  EXPECT_EQ(http_.requests().size(), 1u);

  // SQS also names the error as the Query protocol did; that code wins (aws_error.h).
  http_.Enqueue(
      400,
      R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})",
      Headers{{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}});
  Status deleted = client_.DeleteMessage(kQueueUrl, "AQEB-1");
  EXPECT_EQ(deleted.code(), StatusCode::kNotFound);
  EXPECT_EQ(deleted.service_code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_TRUE(deleted.message().starts_with(std::string("DeleteMessage ") + kQueueUrl + ": "))
      << deleted.message();
}

TEST_F(SqsClientTest, DeleteMessage) {
  http_.Enqueue(200, "");
  Status s = client_.DeleteMessage(kQueueUrl, "AQEB+handle/=");
  ASSERT_TRUE(s.ok()) << s.message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.headers.Get("X-Amz-Target"), "AmazonSQS.DeleteMessage");
  EXPECT_EQ(sent.headers.Get("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(sent.body,
            std::string(R"({"QueueUrl":")") + kQueueUrl + R"(","ReceiptHandle":"AQEB+handle/="})");
}

TEST_F(SqsClientTest, AStaleReceiptHandle) {
  http_.Enqueue(
      400,
      R"({"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid","message":"The input receipt handle \"AQEB-old\" is not a valid receipt handle."})");
  Status s = client_.DeleteMessage(kQueueUrl, "AQEB-old");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.service_code(), "ReceiptHandleIsInvalid");
}

TEST_F(SqsClientTest, ChangeMessageVisibility) {
  http_.Enqueue(200, "{}");
  Status s = client_.ChangeMessageVisibility(kQueueUrl, "AQEB-1", 0);
  ASSERT_TRUE(s.ok()) << s.message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.headers.Get("X-Amz-Target"), "AmazonSQS.ChangeMessageVisibility");
  EXPECT_EQ(sent.body, std::string(R"({"QueueUrl":")") + kQueueUrl +
                           R"(","ReceiptHandle":"AQEB-1","VisibilityTimeout":0})");

  http_.Enqueue(
      400,
      R"({"__type":"com.amazonaws.sqs#MessageNotInflight","message":"Message does not exist or is not available for visibility timeout change."})");
  Status late = client_.ChangeMessageVisibility(kQueueUrl, "AQEB-1", 30);
  EXPECT_EQ(late.service_code(), "MessageNotInflight");
  EXPECT_TRUE(late.message().starts_with("ChangeMessageVisibility ")) << late.message();
}

TEST_F(SqsClientTest, AnAnswerThatIsNotJsonIsAnError) {
  http_.Enqueue(200, "<html>proxy</html>");
  auto messages = client_.ReceiveMessage(kQueueUrl, {});
  EXPECT_EQ(messages.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace lifeboat
