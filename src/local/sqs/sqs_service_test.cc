// LocalSqs through Handle() in the JSON protocol (what botocore, the aws CLI and current
// SDKs send). sqs_service_query_test.cc covers the Query protocol.
#include "local/sqs/sqs_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr char kHost[] = "127.0.0.1:4566";
constexpr char kUrlPrefix[] = "http://127.0.0.1:4566/000000000000/";

struct Reply {
  int status = 0;
  json body;
  LocalResponse raw;
  std::string type() const { return body.value("__type", ""); }
  std::string query_error() const { return raw.headers.Get("x-amzn-query-error").value_or(""); }
};

class LocalSqsJsonTest : public ::testing::Test {
 protected:
  Reply Call(const std::string& action, const json& input) {
    LocalRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers.Set("x-amz-target", "AmazonSQS." + action);
    r.headers.Set("content-type", "application/x-amz-json-1.0");
    r.body = input.dump();
    r.service = "sqs";
    r.region = "us-east-1";
    r.access_key = "test";
    r.host = kHost;
    LocalResponse raw = sqs_.Handle(r);
    Reply reply{raw.status, json::parse(raw.body.empty() ? "{}" : raw.body), raw};
    return reply;
  }
  std::string Create(const std::string& name, const json& attributes = json::object()) {
    Reply r = Call("CreateQueue", {{"QueueName", name}, {"Attributes", attributes}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body.value("QueueUrl", "");
  }
  Reply Send(const std::string& url, const std::string& body, const json& extra = {}) {
    json input = {{"QueueUrl", url}, {"MessageBody", body}};
    if (extra.is_object()) input.update(extra);
    return Call("SendMessage", input);
  }
  json Receive(const std::string& url, const json& extra = {}) {
    json input = {{"QueueUrl", url}};
    if (extra.is_object()) input.update(extra);
    Reply r = Call("ReceiveMessage", input);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body.value("Messages", json::array());
  }
  json Attributes(const std::string& url) {
    Reply r = Call("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"All"}}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body["Attributes"];
  }

  MemEnv env_;
  LocalSqs sqs_{&env_};
};

TEST_F(LocalSqsJsonTest, CreateQueueIsIdempotentOnlyWithTheSameAttributes) {
  const std::string url = Create("jobs", {{"VisibilityTimeout", "60"}});
  EXPECT_EQ(url, std::string(kUrlPrefix) + "jobs");
  EXPECT_EQ(Create("jobs", {{"VisibilityTimeout", "60"}}), url);
  EXPECT_EQ(Create("jobs"), url);  // no attributes given: nothing differs
  Reply r =
      Call("CreateQueue", {{"QueueName", "jobs"}, {"Attributes", {{"VisibilityTimeout", "10"}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.type(), "com.amazonaws.sqs#QueueNameExists");
  EXPECT_EQ(r.query_error(), "QueueAlreadyExists;Sender");
  EXPECT_NE(r.body["message"].get<std::string>().find("VisibilityTimeout"), std::string::npos);
}

TEST_F(LocalSqsJsonTest, CreateQueueValidatesNamesAndAttributes) {
  EXPECT_EQ(Call("CreateQueue", {{"QueueName", "bad name"}}).query_error(),
            "InvalidParameterValue;Sender");
  EXPECT_EQ(Call("CreateQueue", {{"QueueName", std::string(81, 'a')}}).status, 400);
  Reply r =
      Call("CreateQueue", {{"QueueName", "q"}, {"Attributes", {{"VisibilityTimeout", "43201"}}}});
  EXPECT_EQ(r.type(), "com.amazonaws.sqs#InvalidAttributeValue");
  r = Call("CreateQueue", {{"QueueName", "q"}, {"Attributes", {{"Colour", "red"}}}});
  EXPECT_EQ(r.type(), "com.amazonaws.sqs#InvalidAttributeName");
  r = Call("CreateQueue", {{"QueueName", "q"}, {"Attributes", {{"QueueArn", "x"}}}});
  EXPECT_EQ(r.type(), "com.amazonaws.sqs#InvalidAttributeName");
  EXPECT_EQ(Call("CreateQueue", {{"QueueName", "q.fifo"}}).status, 400);
  EXPECT_EQ(Call("CreateQueue", json::object()).query_error(), "MissingParameter;Sender");
  EXPECT_EQ(Call("ListQueues", json::object()).body, json::object());  // nothing was created
}

TEST_F(LocalSqsJsonTest, GetQueueUrlAndMissingQueue) {
  const std::string url = Create("a");
  // The URL follows the Host the client used.
  EXPECT_EQ(Call("GetQueueUrl", {{"QueueName", "a"}}).body["QueueUrl"], url);
  Reply r = Call("GetQueueUrl", {{"QueueName", "nope"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.type(), "com.amazonaws.sqs#QueueDoesNotExist");
  EXPECT_EQ(r.query_error(), "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_EQ(r.body["message"], "The specified queue does not exist.");
  EXPECT_EQ(r.raw.headers.Get("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(
      Call("GetQueueUrl", {{"QueueName", "a"}, {"QueueOwnerAWSAccountId", "123456789012"}}).type(),
      "com.amazonaws.sqs#QueueDoesNotExist");
  // Every queue operation answers the same for a missing queue.
  const std::string missing = std::string(kUrlPrefix) + "nope";
  for (const char* action : {"GetQueueAttributes", "ReceiveMessage", "PurgeQueue", "DeleteQueue"}) {
    EXPECT_EQ(Call(action, {{"QueueUrl", missing}}).type(), "com.amazonaws.sqs#QueueDoesNotExist")
        << action;
  }
  EXPECT_EQ(Send(missing, "x").type(), "com.amazonaws.sqs#QueueDoesNotExist");
  // Another account's queue URL does not reach ours; garbage is not a queue URL.
  EXPECT_EQ(Send("http://127.0.0.1:4566/111111111111/a", "x").type(),
            "com.amazonaws.sqs#QueueDoesNotExist");
  EXPECT_EQ(Send("not-a-url", "x").query_error(), "InvalidAddress;Sender");
}

TEST_F(LocalSqsJsonTest, QueueAttributesAllAndNamed) {
  const auto created = std::chrono::duration_cast<seconds>(env_.Now().time_since_epoch()).count();
  const std::string url = Create("attrs", {{"VisibilityTimeout", "45"},
                                           {"MessageRetentionPeriod", "3600"},
                                           {"ReceiveMessageWaitTimeSeconds", "0"},
                                           {"DelaySeconds", "0"}});
  ASSERT_EQ(Send(url, "one").status, 200);
  ASSERT_EQ(Send(url, "two").status, 200);
  ASSERT_EQ(Receive(url).size(), 1u);
  json all = Attributes(url);
  EXPECT_EQ(all["QueueArn"], "arn:aws:sqs:us-east-1:000000000000:attrs");
  EXPECT_EQ(all["ApproximateNumberOfMessages"], "1");
  EXPECT_EQ(all["ApproximateNumberOfMessagesNotVisible"], "1");
  EXPECT_EQ(all["ApproximateNumberOfMessagesDelayed"], "0");
  EXPECT_EQ(all["VisibilityTimeout"], "45");
  EXPECT_EQ(all["MessageRetentionPeriod"], "3600");
  EXPECT_EQ(all["ReceiveMessageWaitTimeSeconds"], "0");
  EXPECT_EQ(all["DelaySeconds"], "0");
  EXPECT_EQ(all["MaximumMessageSize"], "1048576");
  EXPECT_EQ(all["CreatedTimestamp"], std::to_string(created));

  Reply named = Call("GetQueueAttributes",
                     {{"QueueUrl", url}, {"AttributeNames", {"QueueArn", "VisibilityTimeout"}}});
  EXPECT_EQ(named.body["Attributes"],
            (json{{"QueueArn", "arn:aws:sqs:us-east-1:000000000000:attrs"},
                  {"VisibilityTimeout", "45"}}));
  EXPECT_EQ(Call("GetQueueAttributes", {{"QueueUrl", url}}).body, json::object());
  Reply bad = Call("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"Colour"}}});
  EXPECT_EQ(bad.type(), "com.amazonaws.sqs#InvalidAttributeName");
}

TEST_F(LocalSqsJsonTest, SetQueueAttributesChangesBehaviour) {
  const std::string url = Create("set");
  ASSERT_EQ(
      Call("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", {{"VisibilityTimeout", "5"}}}})
          .status,
      200);
  EXPECT_EQ(Attributes(url)["VisibilityTimeout"], "5");
  ASSERT_EQ(Send(url, "m").status, 200);
  ASSERT_EQ(Receive(url).size(), 1u);
  env_.Advance(seconds(5));
  EXPECT_EQ(Receive(url).size(), 1u);  // the new 5 s timeout applied
  EXPECT_EQ(
      Call("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", {{"DelaySeconds", "901"}}}})
          .type(),
      "com.amazonaws.sqs#InvalidAttributeValue");
}

TEST_F(LocalSqsJsonTest, SendReceiveDeleteWithAttributes) {
  const std::string url = Create("msgs");
  Reply sent = Send(url, "hello",
                    {{"MessageAttributes",
                      {{"name", {{"DataType", "String"}, {"StringValue", "lifeboat"}}},
                       {"blob", {{"DataType", "Binary"}, {"BinaryValue", "AAH/"}}}}}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.body["MD5OfMessageBody"], "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(sent.body["MessageId"].get<std::string>().size(), 36u);
  EXPECT_EQ(sent.body["MD5OfMessageAttributes"].get<std::string>().size(), 32u);

  json got =
      Receive(url, {{"MessageAttributeNames", {"All"}}, {"MessageSystemAttributeNames", {"All"}}});
  ASSERT_EQ(got.size(), 1u);
  const json& m = got[0];
  EXPECT_EQ(m["Body"], "hello");
  EXPECT_EQ(m["MessageId"], sent.body["MessageId"]);
  EXPECT_EQ(m["MD5OfBody"], "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(m["MD5OfMessageAttributes"], sent.body["MD5OfMessageAttributes"]);
  EXPECT_EQ(m["MessageAttributes"]["name"]["StringValue"], "lifeboat");
  EXPECT_EQ(m["MessageAttributes"]["blob"]["BinaryValue"], "AAH/");
  EXPECT_EQ(m["Attributes"]["ApproximateReceiveCount"], "1");
  EXPECT_EQ(m["Attributes"]["SenderId"], "test");
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(env_.Now().time_since_epoch()).count();
  EXPECT_EQ(m["Attributes"]["SentTimestamp"], std::to_string(now_ms));
  EXPECT_EQ(m["Attributes"]["ApproximateFirstReceiveTimestamp"], std::to_string(now_ms));

  ASSERT_EQ(
      Call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", m["ReceiptHandle"]}}).status,
      200);
  env_.Advance(seconds(31));
  EXPECT_TRUE(Receive(url).empty());  // deleted, not merely hidden
  json attrs = Attributes(url);
  EXPECT_EQ(attrs["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ(attrs["ApproximateNumberOfMessagesNotVisible"], "0");
  // Deleting again with the same handle succeeds, as on AWS.
  EXPECT_EQ(
      Call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", m["ReceiptHandle"]}}).status,
      200);
}

TEST_F(LocalSqsJsonTest, ReceiveReturnsOnlyRequestedAttributes) {
  const std::string url = Create("filter");
  ASSERT_EQ(Send(url, "x",
                 {{"MessageAttributes",
                   {{"trace.id", {{"DataType", "String"}, {"StringValue", "1"}}},
                    {"other", {{"DataType", "Number"}, {"StringValue", "2"}}}}}})
                .status,
            200);
  json m = Receive(url, {{"MessageAttributeNames", {"trace.*"}},
                         {"AttributeNames", {"ApproximateReceiveCount"}}})[0];
  EXPECT_EQ(m["MessageAttributes"].size(), 1u);
  EXPECT_TRUE(m["MessageAttributes"].contains("trace.id"));
  EXPECT_EQ(m["Attributes"], (json{{"ApproximateReceiveCount", "1"}}));
  env_.Advance(seconds(30));
  m = Receive(url)[0];
  EXPECT_FALSE(m.contains("MessageAttributes"));
  EXPECT_FALSE(m.contains("MD5OfMessageAttributes"));
  EXPECT_FALSE(m.contains("Attributes"));
}

TEST_F(LocalSqsJsonTest, SendValidatesBodies) {
  const std::string url = Create("v", {{"MaximumMessageSize", "1024"}});
  EXPECT_EQ(Send(url, std::string("a\x01", 2)).type(), "com.amazonaws.sqs#InvalidMessageContents");
  EXPECT_EQ(Send(url, std::string(1025, 'x')).query_error(), "InvalidParameterValue;Sender");
  EXPECT_EQ(Send(url, std::string(1024, 'x')).status, 200);
  EXPECT_EQ(Send(url, "").query_error(), "MissingParameter;Sender");
  EXPECT_EQ(Call("SendMessage", {{"QueueUrl", url}}).query_error(), "MissingParameter;Sender");
  EXPECT_EQ(Send(url, "x", {{"DelaySeconds", 901}}).query_error(), "InvalidParameterValue;Sender");
  EXPECT_EQ(
      Send(url, "x", {{"MessageAttributes", {{"a", {{"DataType", "Text"}, {"StringValue", "1"}}}}}})
          .query_error(),
      "InvalidParameterValue;Sender");
}

TEST_F(LocalSqsJsonTest, ReceivedMessageReappearsAfterItsVisibilityTimeout) {
  const std::string url = Create("vis");
  ASSERT_EQ(Send(url, "work").status, 200);
  json first = Receive(url);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(Receive(url).empty());
  env_.Advance(seconds(29));
  EXPECT_TRUE(Receive(url).empty());
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessagesNotVisible"], "1");
  env_.Advance(seconds(1));
  json second = Receive(url, {{"AttributeNames", {"ApproximateReceiveCount"}}});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["Body"], "work");
  EXPECT_EQ(second[0]["Attributes"]["ApproximateReceiveCount"], "2");
  EXPECT_NE(second[0]["ReceiptHandle"], first[0]["ReceiptHandle"]);
  // The first receive's handle can no longer extend the message's invisibility.
  Reply stale = Call("ChangeMessageVisibility", {{"QueueUrl", url},
                                                 {"ReceiptHandle", first[0]["ReceiptHandle"]},
                                                 {"VisibilityTimeout", 100}});
  EXPECT_EQ(stale.query_error(), "InvalidParameterValue;Sender");
}

TEST_F(LocalSqsJsonTest, ReceiveVisibilityTimeoutOverridesTheQueues) {
  const std::string url = Create("override");
  ASSERT_EQ(Send(url, "m").status, 200);
  ASSERT_EQ(Receive(url, {{"VisibilityTimeout", 5}}).size(), 1u);
  env_.Advance(seconds(4));
  EXPECT_TRUE(Receive(url, {{"VisibilityTimeout", 0}}).empty());
  env_.Advance(seconds(1));
  // VisibilityTimeout 0: received and immediately visible again.
  EXPECT_EQ(Receive(url, {{"VisibilityTimeout", 0}}).size(), 1u);
  EXPECT_EQ(Receive(url, {{"VisibilityTimeout", 0}}).size(), 1u);
  EXPECT_EQ(Call("ReceiveMessage", {{"QueueUrl", url}, {"VisibilityTimeout", 43201}}).query_error(),
            "InvalidParameterValue;Sender");
}

TEST_F(LocalSqsJsonTest, ChangeMessageVisibility) {
  const std::string url = Create("cmv");
  ASSERT_EQ(Send(url, "m").status, 200);
  std::string handle = Receive(url)[0]["ReceiptHandle"];
  ASSERT_EQ(Call("ChangeMessageVisibility",
                 {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 120}})
                .status,
            200);
  env_.Advance(seconds(119));
  EXPECT_TRUE(Receive(url).empty());  // extended past the queue's 30 s
  ASSERT_EQ(Call("ChangeMessageVisibility",
                 {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 0}})
                .status,
            200);
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "1");  // released at once
  Reply not_inflight =
      Call("ChangeMessageVisibility",
           {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 10}});
  EXPECT_EQ(not_inflight.type(), "com.amazonaws.sqs#MessageNotInflight");
  EXPECT_EQ(not_inflight.query_error(), "AWS.SimpleQueueService.MessageNotInflight;Sender");
  Reply bad = Call("ChangeMessageVisibility",
                   {{"QueueUrl", url}, {"ReceiptHandle", "garbage"}, {"VisibilityTimeout", 10}});
  EXPECT_EQ(bad.type(), "com.amazonaws.sqs#ReceiptHandleIsInvalid");
  EXPECT_EQ(
      Call("ChangeMessageVisibility", {{"QueueUrl", url}, {"ReceiptHandle", handle}}).query_error(),
      "MissingParameter;Sender");
}

TEST_F(LocalSqsJsonTest, InvalidReceiptHandles) {
  const std::string a = Create("a");
  const std::string b = Create("b");
  ASSERT_EQ(Send(a, "m").status, 200);
  std::string handle = Receive(a)[0]["ReceiptHandle"];
  Reply r = Call("DeleteMessage", {{"QueueUrl", a}, {"ReceiptHandle", "not-a-handle"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.type(), "com.amazonaws.sqs#ReceiptHandleIsInvalid");
  EXPECT_EQ(r.query_error(), "ReceiptHandleIsInvalid;Sender");
  EXPECT_NE(r.body["message"].get<std::string>().find("not-a-handle"), std::string::npos);
  // A handle is valid only for the queue that issued it, and not for a re-created queue.
  EXPECT_EQ(Call("DeleteMessage", {{"QueueUrl", b}, {"ReceiptHandle", handle}}).type(),
            "com.amazonaws.sqs#ReceiptHandleIsInvalid");
  ASSERT_EQ(Call("DeleteQueue", {{"QueueUrl", a}}).status, 200);
  Create("a");
  EXPECT_EQ(Call("DeleteMessage", {{"QueueUrl", a}, {"ReceiptHandle", handle}}).type(),
            "com.amazonaws.sqs#ReceiptHandleIsInvalid");
  EXPECT_EQ(Call("DeleteMessage", {{"QueueUrl", a}}).query_error(), "MissingParameter;Sender");
}

TEST_F(LocalSqsJsonTest, MaxNumberOfMessagesIsValidatedAndHonoured) {
  const std::string url = Create("many");
  for (int max : {0, 11, -1}) {
    Reply r = Call("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", max}});
    EXPECT_EQ(r.status, 400) << max;
    EXPECT_EQ(r.query_error(), "InvalidParameterValue;Sender") << max;
    EXPECT_NE(r.body["message"].get<std::string>().find("MaxNumberOfMessages"), std::string::npos);
  }
  EXPECT_EQ(Call("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", "ten"}}).status,
            400);
  EXPECT_EQ(Call("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 21}}).query_error(),
            "InvalidParameterValue;Sender");
  for (int i = 0; i < 12; ++i) ASSERT_EQ(Send(url, "m" + std::to_string(i)).status, 200);
  EXPECT_EQ(Receive(url).size(), 1u);  // default 1
  json batch = Receive(url, {{"MaxNumberOfMessages", 10}});
  ASSERT_EQ(batch.size(), 10u);
  EXPECT_EQ(batch[0]["Body"], "m1");  // send order
  EXPECT_EQ(Receive(url, {{"MaxNumberOfMessages", 10}}).size(), 1u);
}

TEST_F(LocalSqsJsonTest, DelaySecondsHoldsMessagesBack) {
  const std::string url = Create("delay", {{"DelaySeconds", "10"}});
  ASSERT_EQ(Send(url, "queue-delay").status, 200);
  ASSERT_EQ(Send(url, "own-delay", {{"DelaySeconds", 0}}).status, 200);
  json got = Receive(url, {{"MaxNumberOfMessages", 10}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], "own-delay");
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessagesDelayed"], "1");
  env_.Advance(seconds(10));
  got = Receive(url);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], "queue-delay");
}

TEST_F(LocalSqsJsonTest, MessagesExpireAfterTheRetentionPeriod) {
  const std::string url = Create("retain", {{"MessageRetentionPeriod", "60"}});
  ASSERT_EQ(Send(url, "old").status, 200);
  env_.Advance(seconds(59));
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "1");
  env_.Advance(seconds(1));
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "0");
  EXPECT_TRUE(Receive(url).empty());
}

TEST_F(LocalSqsJsonTest, LongPollReturnsAsSoonAsAMessageIsSent) {
  const std::string url = Create("poll");
  const auto start = std::chrono::steady_clock::now();
  auto waiting = std::async(std::launch::async, [&] {
    return Receive(url, {{"WaitTimeSeconds", 20}});
  });
  // The receive is blocked, not returning empty.
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  ASSERT_EQ(Send(url, "wake").status, 200);
  ASSERT_EQ(waiting.wait_for(seconds(5)), std::future_status::ready);
  json got = waiting.get();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], "wake");
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST_F(LocalSqsJsonTest, LongPollEndsEmptyAfterItsWaitTime) {
  const std::string url = Create("quiet", {{"ReceiveMessageWaitTimeSeconds", "1"}});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(Receive(url).empty());  // the queue's default wait applies
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(990));
  EXPECT_LT(took, seconds(3));
  const auto start2 = std::chrono::steady_clock::now();
  EXPECT_TRUE(Receive(url, {{"WaitTimeSeconds", 0}}).empty());  // short poll overrides
  EXPECT_LT(std::chrono::steady_clock::now() - start2, std::chrono::milliseconds(500));
}

TEST_F(LocalSqsJsonTest, DeletingAQueueEndsItsLongPolls) {
  const std::string url = Create("doomed");
  auto waiting = std::async(std::launch::async, [&] {
    return Call("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 20}});
  });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  ASSERT_EQ(Call("DeleteQueue", {{"QueueUrl", url}}).status, 200);
  ASSERT_EQ(waiting.wait_for(seconds(5)), std::future_status::ready);
  EXPECT_EQ(waiting.get().type(), "com.amazonaws.sqs#QueueDoesNotExist");
}

TEST_F(LocalSqsJsonTest, CancelWaitsEndsLongPollsForShutdown) {
  const std::string url = Create("stopping");
  auto waiting = std::async(std::launch::async, [&] {
    return Call("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 20}});
  });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  sqs_.CancelWaits();
  ASSERT_EQ(waiting.wait_for(seconds(5)), std::future_status::ready);
  Reply r = waiting.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, json::object());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(Receive(url, {{"WaitTimeSeconds", 20}}).empty());  // no longer waits
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(1));
}

TEST_F(LocalSqsJsonTest, ListAndDeleteQueues) {
  Create("app-a");
  Create("app-b");
  Create("other");
  json all = Call("ListQueues", json::object()).body["QueueUrls"];
  EXPECT_EQ(all.size(), 3u);
  json apps = Call("ListQueues", {{"QueueNamePrefix", "app-"}}).body["QueueUrls"];
  EXPECT_EQ(apps, (json{std::string(kUrlPrefix) + "app-a", std::string(kUrlPrefix) + "app-b"}));
  Reply page = Call("ListQueues", {{"MaxResults", 2}});
  EXPECT_EQ(page.body["QueueUrls"].size(), 2u);
  ASSERT_TRUE(page.body.contains("NextToken"));
  Reply rest = Call("ListQueues", {{"MaxResults", 2}, {"NextToken", page.body["NextToken"]}});
  EXPECT_EQ(rest.body["QueueUrls"], (json{std::string(kUrlPrefix) + "other"}));
  EXPECT_FALSE(rest.body.contains("NextToken"));

  ASSERT_EQ(Call("DeleteQueue", {{"QueueUrl", std::string(kUrlPrefix) + "app-a"}}).status, 200);
  EXPECT_EQ(Call("ListQueues", {{"QueueNamePrefix", "app-"}}).body["QueueUrls"].size(), 1u);
  EXPECT_EQ(Call("GetQueueUrl", {{"QueueName", "app-a"}}).type(),
            "com.amazonaws.sqs#QueueDoesNotExist");
  EXPECT_EQ(Call("ListQueues", {{"QueueNamePrefix", "zzz"}}).body, json::object());
}

TEST_F(LocalSqsJsonTest, PurgeQueueOncePerMinute) {
  const std::string url = Create("purge");
  ASSERT_EQ(Send(url, "a").status, 200);
  ASSERT_EQ(Send(url, "b").status, 200);
  ASSERT_EQ(Receive(url).size(), 1u);
  ASSERT_EQ(Call("PurgeQueue", {{"QueueUrl", url}}).status, 200);
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessagesNotVisible"], "0");
  Reply again = Call("PurgeQueue", {{"QueueUrl", url}});
  EXPECT_EQ(again.status, 403);
  EXPECT_EQ(again.query_error(), "AWS.SimpleQueueService.PurgeQueueInProgress;Sender");
  env_.Advance(seconds(60));
  EXPECT_EQ(Call("PurgeQueue", {{"QueueUrl", url}}).status, 200);
}

TEST_F(LocalSqsJsonTest, BatchActions) {
  const std::string url = Create("batch");
  Reply sent = Call("SendMessageBatch", {{"QueueUrl", url},
                                         {"Entries",
                                          {{{"Id", "one"}, {"MessageBody", "1"}},
                                           {{"Id", "two"}, {"MessageBody", "2"}},
                                           {{"Id", "bad"}, {"MessageBody", ""}}}}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  ASSERT_EQ(sent.body["Successful"].size(), 2u);
  EXPECT_EQ(sent.body["Successful"][0]["Id"], "one");
  EXPECT_EQ(sent.body["Successful"][0]["MD5OfMessageBody"], "c4ca4238a0b923820dcc509a6f75849b");
  ASSERT_EQ(sent.body["Failed"].size(), 1u);
  EXPECT_EQ(sent.body["Failed"][0]["Id"], "bad");
  EXPECT_EQ(sent.body["Failed"][0]["Code"], "MissingParameter");
  EXPECT_EQ(sent.body["Failed"][0]["SenderFault"], true);

  json got = Receive(url, {{"MaxNumberOfMessages", 10}});
  ASSERT_EQ(got.size(), 2u);
  Reply changed = Call(
      "ChangeMessageVisibilityBatch",
      {{"QueueUrl", url},
       {"Entries",
        {{{"Id", "a"}, {"ReceiptHandle", got[0]["ReceiptHandle"]}, {"VisibilityTimeout", 0}}}}});
  EXPECT_EQ(changed.body["Successful"], (json{{{"Id", "a"}}}));
  Reply deleted =
      Call("DeleteMessageBatch", {{"QueueUrl", url},
                                  {"Entries",
                                   {{{"Id", "a"}, {"ReceiptHandle", got[0]["ReceiptHandle"]}},
                                    {{"Id", "b"}, {"ReceiptHandle", got[1]["ReceiptHandle"]}},
                                    {{"Id", "c"}, {"ReceiptHandle", "junk"}}}}});
  EXPECT_EQ(deleted.body["Successful"].size(), 2u);
  EXPECT_EQ(deleted.body["Failed"][0]["Code"], "ReceiptHandleIsInvalid");
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessagesNotVisible"], "0");

  EXPECT_EQ(Call("SendMessageBatch", {{"QueueUrl", url}, {"Entries", json::array()}}).type(),
            "com.amazonaws.sqs#EmptyBatchRequest");
  EXPECT_EQ(Call("SendMessageBatch",
                 {{"QueueUrl", url},
                  {"Entries",
                   {{{"Id", "x"}, {"MessageBody", "1"}}, {{"Id", "x"}, {"MessageBody", "2"}}}}})
                .type(),
            "com.amazonaws.sqs#BatchEntryIdsNotDistinct");
  json eleven = json::array();
  for (int i = 0; i < 11; ++i)
    eleven.push_back({{"Id", "e" + std::to_string(i)}, {"MessageBody", "x"}});
  EXPECT_EQ(Call("SendMessageBatch", {{"QueueUrl", url}, {"Entries", eleven}}).type(),
            "com.amazonaws.sqs#TooManyEntriesInBatchRequest");
  EXPECT_EQ(Call("SendMessageBatch",
                 {{"QueueUrl", url}, {"Entries", {{{"Id", "no spaces"}, {"MessageBody", "1"}}}}})
                .type(),
            "com.amazonaws.sqs#InvalidBatchEntryId");
}

TEST_F(LocalSqsJsonTest, MalformedRequests) {
  LocalRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers.Set("x-amz-target", "AmazonSQS.CreateQueue");
  r.body = "{not json";
  LocalResponse resp = sqs_.Handle(r);
  EXPECT_EQ(resp.status, 400);
  EXPECT_EQ(json::parse(resp.body)["__type"], "SerializationException");
  r.body = "[]";
  EXPECT_EQ(sqs_.Handle(r).status, 400);
  Reply unknown = Call("Frobnicate", json::object());
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.query_error(), "InvalidAction;Sender");
  r.headers.Set("x-amz-target", "DynamoDB_20120810.ListTables");
  r.body = "{}";
  EXPECT_EQ(sqs_.Handle(r).status, 400);
}

TEST_F(LocalSqsJsonTest, SendToArnDeliversNotifications) {
  const std::string url = Create("hooks");
  ASSERT_TRUE(sqs_.SendToArn("arn:aws:sqs:us-east-1:000000000000:hooks",
                             R"({"Event":"autoscaling:TEST_NOTIFICATION"})")
                  .ok());
  json got = Receive(url, {{"AttributeNames", {"SenderId"}}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], R"({"Event":"autoscaling:TEST_NOTIFICATION"})");
  EXPECT_EQ(got[0]["MD5OfBody"], "2abf225900c5c26a76f6df17295515fe");

  Status missing = sqs_.SendToArn("arn:aws:sqs:us-east-1:000000000000:nope", "x");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.ToString();
  EXPECT_EQ(sqs_.SendToArn("arn:aws:sqs:eu-west-1:000000000000:hooks", "x").code(),
            StatusCode::kNotFound);
  EXPECT_EQ(sqs_.SendToArn("arn:aws:sqs:us-east-1:999999999999:hooks", "x").code(),
            StatusCode::kNotFound);
  EXPECT_EQ(sqs_.SendToArn("arn:aws:sns:us-east-1:000000000000:hooks", "x").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(sqs_.SendToArn("hooks", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sqs_.QueueArn("hooks"), "arn:aws:sqs:us-east-1:000000000000:hooks");
  EXPECT_EQ(sqs_.QueueUrl("hooks", "localhost:9"), "http://localhost:9/000000000000/hooks");
}

TEST_F(LocalSqsJsonTest, AccountAndRegionAreConfigurable) {
  LocalSqs other(&env_, "123456789012", "eu-west-1");
  LocalRequest r;
  r.method = "POST";
  r.path = "/";
  r.host = "h:1";
  r.headers.Set("x-amz-target", "AmazonSQS.CreateQueue");
  r.body = R"({"QueueName":"q"})";
  EXPECT_EQ(json::parse(other.Handle(r).body)["QueueUrl"], "http://h:1/123456789012/q");
  EXPECT_TRUE(other.SendToArn("arn:aws:sqs:eu-west-1:123456789012:q", "x").ok());
}

}  // namespace
}  // namespace lifeboat
