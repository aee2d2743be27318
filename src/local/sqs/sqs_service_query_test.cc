// LocalSqs through Handle() in the Query protocol: form parameters in, XML out, as older
// SDKs (and anything speaking AWS's Query API) send.
#include <gtest/gtest.h>

#include <memory>
#include <pugixml.hpp>

#include "fakes/mem_env.h"
#include "http/http_types.h"
#include "http/percent_encoding.h"
#include "local/sqs/sqs_service.h"

namespace lifeboat {
namespace {

using std::chrono::seconds;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr char kUrl[] = "http://127.0.0.1:4566/000000000000/";

std::string Form(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += UriEncode(k) + "=" + UriEncode(v);
  }
  return out;
}

struct XmlReply {
  int status = 0;
  std::string text;
  std::unique_ptr<pugi::xml_document> doc = std::make_unique<pugi::xml_document>();
  // The <ActionResult> element, or the <ErrorResponse><Error> of a failure.
  pugi::xml_node result;
  std::string code() const {
    return doc->child("ErrorResponse").child("Error").child_value("Code");
  }
};

class LocalSqsQueryTest : public ::testing::Test {
 protected:
  XmlReply Post(const std::string& action, Params params, const std::string& path = "/") {
    params.insert(params.begin(), {{"Action", action}, {"Version", "2012-11-05"}});
    LocalRequest r;
    r.method = "POST";
    r.path = path;
    r.headers.Set("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    r.body = Form(params);
    return Finish(action, r);
  }
  XmlReply Get(const std::string& action, Params params) {
    params.insert(params.begin(), {{"Action", action}, {"Version", "2012-11-05"}});
    LocalRequest r;
    r.method = "GET";
    r.path = "/";
    r.query = Form(params);
    r.params = params;  // what the server decodes from the query string
    return Finish(action, r);
  }
  XmlReply Finish(const std::string& action, LocalRequest& r) {
    r.service = "sqs";
    r.access_key = "test";
    r.host = "127.0.0.1:4566";
    LocalResponse raw = sqs_.Handle(r);
    XmlReply reply;
    reply.status = raw.status;
    reply.text = raw.body;
    EXPECT_TRUE(reply.doc->load_string(raw.body.c_str())) << raw.body;
    reply.result =
        reply.doc->child((action + "Response").c_str()).child((action + "Result").c_str());
    return reply;
  }

  MemEnv env_;
  LocalSqs sqs_{&env_};
};

TEST_F(LocalSqsQueryTest, EveryOperation) {
  XmlReply created = Post("CreateQueue", {{"QueueName", "jobs"},
                                          {"Attribute.1.Name", "VisibilityTimeout"},
                                          {"Attribute.1.Value", "40"}});
  ASSERT_EQ(created.status, 200) << created.text;
  const std::string url = created.result.child_value("QueueUrl");
  EXPECT_EQ(url, std::string(kUrl) + "jobs");
  EXPECT_STREQ(created.doc->child("CreateQueueResponse").attribute("xmlns").value(),
               "http://queue.amazonaws.com/doc/2012-11-05/");
  EXPECT_EQ(Get("GetQueueUrl", {{"QueueName", "jobs"}}).result.child_value("QueueUrl"), url);

  XmlReply sent = Post("SendMessage", {{"QueueUrl", url},
                                       {"MessageBody", "hello & <world>\r\n"},
                                       {"MessageAttribute.1.Name", "name"},
                                       {"MessageAttribute.1.Value.DataType", "String"},
                                       {"MessageAttribute.1.Value.StringValue", "lifeboat"}});
  ASSERT_EQ(sent.status, 200) << sent.text;
  EXPECT_STREQ(sent.result.child_value("MD5OfMessageAttributes"),
               "b0493269b92f8c588c15e849505650b4");
  EXPECT_EQ(std::string(sent.result.child_value("MessageId")).size(), 36u);

  XmlReply got = Post("ReceiveMessage", {{"QueueUrl", url},
                                         {"AttributeName.1", "All"},
                                         {"MessageAttributeName.1", "All"},
                                         {"MaxNumberOfMessages", "10"}});
  ASSERT_EQ(got.status, 200) << got.text;
  pugi::xml_node m = got.result.child("Message");
  ASSERT_TRUE(m) << got.text;
  EXPECT_STREQ(m.child_value("Body"), "hello & <world>\r\n");
  EXPECT_STREQ(m.child_value("MessageId"), sent.result.child_value("MessageId"));
  EXPECT_STREQ(m.child_value("MD5OfBody"), sent.result.child_value("MD5OfMessageBody"));
  std::map<std::string, std::string> attrs;
  for (pugi::xml_node a : m.children("Attribute"))
    attrs[a.child_value("Name")] = a.child_value("Value");
  EXPECT_EQ(attrs["ApproximateReceiveCount"], "1");
  EXPECT_TRUE(attrs.contains("SentTimestamp"));
  EXPECT_STREQ(m.child("MessageAttribute").child("Value").child_value("StringValue"), "lifeboat");
  const std::string handle = m.child_value("ReceiptHandle");

  XmlReply qattrs = Post("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeName.1", "All"}});
  std::map<std::string, std::string> q;
  for (pugi::xml_node a : qattrs.result.children("Attribute"))
    q[a.child_value("Name")] = a.child_value("Value");
  EXPECT_EQ(q["VisibilityTimeout"], "40");
  EXPECT_EQ(q["ApproximateNumberOfMessagesNotVisible"], "1");
  EXPECT_EQ(q["QueueArn"], "arn:aws:sqs:us-east-1:000000000000:jobs");

  EXPECT_EQ(Post("ChangeMessageVisibility",
                 {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", "0"}})
                .status,
            200);
  got = Post("ReceiveMessage", {{"QueueUrl", url}});
  const std::string handle2 = got.result.child("Message").child_value("ReceiptHandle");
  ASSERT_FALSE(handle2.empty());
  XmlReply deleted = Post("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", handle2}});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_TRUE(deleted.doc->child("DeleteMessageResponse").child("ResponseMetadata"));
  env_.Advance(seconds(60));
  EXPECT_FALSE(Post("ReceiveMessage", {{"QueueUrl", url}}).result.child("Message"));

  EXPECT_EQ(
      Post("SetQueueAttributes",
           {{"QueueUrl", url}, {"Attribute.1.Name", "DelaySeconds"}, {"Attribute.1.Value", "3"}})
          .status,
      200);
  Post("CreateQueue", {{"QueueName", "jobs-2"}});
  XmlReply listed = Get("ListQueues", {{"QueueNamePrefix", "jobs"}});
  std::vector<std::string> urls;
  for (pugi::xml_node u : listed.result.children("QueueUrl")) urls.push_back(u.child_value());
  EXPECT_EQ(urls, (std::vector<std::string>{url, std::string(kUrl) + "jobs-2"}));
  EXPECT_EQ(Post("PurgeQueue", {{"QueueUrl", url}}).status, 200);
  EXPECT_EQ(Post("DeleteQueue", {{"QueueUrl", url}}).status, 200);
  EXPECT_EQ(Get("GetQueueUrl", {{"QueueName", "jobs"}}).code(),
            "AWS.SimpleQueueService.NonExistentQueue");
}

TEST_F(LocalSqsQueryTest, RequestsSentToTheQueueUrlNameTheirQueue) {
  Post("CreateQueue", {{"QueueName", "byurl"}});
  EXPECT_EQ(Post("SendMessage", {{"MessageBody", "via path"}}, "/000000000000/byurl").status, 200);
  XmlReply got = Post("ReceiveMessage", {}, "/000000000000/byurl");
  EXPECT_STREQ(got.result.child("Message").child_value("Body"), "via path");
}

TEST_F(LocalSqsQueryTest, Errors) {
  XmlReply missing =
      Post("SendMessage", {{"QueueUrl", std::string(kUrl) + "nope"}, {"MessageBody", "x"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_STREQ(missing.doc->child("ErrorResponse").child("Error").child_value("Type"), "Sender");

  const std::string url = Post("CreateQueue", {{"QueueName", "e"}}).result.child_value("QueueUrl");
  EXPECT_EQ(Post("CreateQueue", {{"QueueName", "e"},
                                 {"Attribute.1.Name", "VisibilityTimeout"},
                                 {"Attribute.1.Value", "1"}})
                .code(),
            "QueueAlreadyExists");
  EXPECT_EQ(Post("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", "junk"}}).code(),
            "ReceiptHandleIsInvalid");
  EXPECT_EQ(Post("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", "11"}}).code(),
            "InvalidParameterValue");
  EXPECT_EQ(Post("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", "x"}}).code(),
            "InvalidParameterValue");
  EXPECT_EQ(Post("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeName.1", "Nope"}}).code(),
            "InvalidAttributeName");
  EXPECT_EQ(Post("Frobnicate", {}).code(), "InvalidAction");

  LocalRequest r;
  r.method = "POST";
  r.path = "/";
  r.body = "Version=2012-11-05";
  r.headers.Set("content-type", "application/x-www-form-urlencoded");
  LocalResponse resp = sqs_.Handle(r);
  EXPECT_EQ(resp.status, 400);
  EXPECT_NE(resp.body.find("<Code>MissingAction</Code>"), std::string::npos) << resp.body;
}

TEST_F(LocalSqsQueryTest, AFormBodyThatDoesNotDecodeIsRefusedNamingTheParameter) {
  const std::string url = Post("CreateQueue", {{"QueueName", "m"}}).result.child_value("QueueUrl");
  LocalRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers.Set("content-type", "application/x-www-form-urlencoded");
  r.body = "Action=SendMessage&QueueUrl=" + UriEncode(url) + "&MessageBody=100%";
  XmlReply refused = Finish("SendMessage", r);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.code(), "InvalidQueryParameter");
  EXPECT_NE(std::string(refused.doc->child("ErrorResponse").child("Error").child_value("Message"))
                .find("parameter 'MessageBody'"),
            std::string::npos)
      << refused.text;
  // Nothing was sent: the queue is empty.
  EXPECT_FALSE(Post("ReceiveMessage", {{"QueueUrl", url}}).result.child("Message"));
}

TEST_F(LocalSqsQueryTest, ReceiptHandlesSurviveFormEncoding) {
  const std::string url =
      Post("CreateQueue", {{"QueueName", "enc"}}).result.child_value("QueueUrl");
  // Enough messages that some base64 handles carry '+' or '/', which forms must escape.
  for (int i = 0; i < 20; ++i) Post("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m"}});
  for (int round = 0; round < 2; ++round) {
    XmlReply got = Post("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", "10"}});
    for (pugi::xml_node m : got.result.children("Message")) {
      XmlReply d = Post("DeleteMessage",
                        {{"QueueUrl", url}, {"ReceiptHandle", m.child_value("ReceiptHandle")}});
      EXPECT_EQ(d.status, 200) << d.text;
    }
  }
  XmlReply q =
      Post("GetQueueAttributes",
           {{"QueueUrl", url}, {"AttributeName.1", "ApproximateNumberOfMessagesNotVisible"}});
  EXPECT_STREQ(q.result.child("Attribute").child_value("Value"), "0");
}

TEST_F(LocalSqsQueryTest, BatchSend) {
  const std::string url = Post("CreateQueue", {{"QueueName", "b"}}).result.child_value("QueueUrl");
  XmlReply sent = Post("SendMessageBatch", {{"QueueUrl", url},
                                            {"SendMessageBatchRequestEntry.1.Id", "a"},
                                            {"SendMessageBatchRequestEntry.1.MessageBody", "1"},
                                            {"SendMessageBatchRequestEntry.2.Id", "b"},
                                            {"SendMessageBatchRequestEntry.2.MessageBody", ""}});
  ASSERT_EQ(sent.status, 200) << sent.text;
  EXPECT_STREQ(sent.result.child("SendMessageBatchResultEntry").child_value("Id"), "a");
  EXPECT_STREQ(sent.result.child("BatchResultErrorEntry").child_value("Id"), "b");
  EXPECT_STREQ(sent.result.child("BatchResultErrorEntry").child_value("Code"), "MissingParameter");
}

}  // namespace
}  // namespace lifeboat
