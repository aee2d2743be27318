#include "local/sqs/sqs_query.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

namespace lifeboat {
namespace {

using nlohmann::json;

TEST(SqsQueryTest, FlattenedMembersBecomeJsonShapes) {
  auto pairs = ParseFormPairs(
      "Action=CreateQueue&Version=2012-11-05&QueueName=q"
      "&Attribute.2.Name=DelaySeconds&Attribute.2.Value=5"
      "&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60"
      "&AttributeName.2=QueueArn&AttributeName.1=All"
      "&MessageAttribute.1.Name=k&MessageAttribute.1.Value.DataType=String"
      "&MessageAttribute.1.Value.StringValue=v"
      "&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x"
      "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=n"
      "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=Number"
      "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=3"
      "&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=y",
      PlusIsSpace::kYes);
  ASSERT_TRUE(pairs.ok());
  json j = QueryParamsToJson(*pairs);
  EXPECT_FALSE(j.contains("Action"));
  EXPECT_FALSE(j.contains("Version"));
  EXPECT_EQ(j["QueueName"], "q");
  EXPECT_EQ(j["Attributes"], (json{{"VisibilityTimeout", "60"}, {"DelaySeconds", "5"}}));
  EXPECT_EQ(j["AttributeNames"], (json{"All", "QueueArn"}));  // by index, not arrival
  EXPECT_EQ(j["MessageAttributes"], (json{{"k", {{"DataType", "String"}, {"StringValue", "v"}}}}));
  ASSERT_EQ(j["Entries"].size(), 2u);
  EXPECT_EQ(j["Entries"][0]["MessageAttributes"]["n"]["StringValue"], "3");
  EXPECT_EQ(j["Entries"][1]["Id"], "b");
}

TEST(SqsQueryTest, XmlResponseShapes) {
  json out = {{"Messages",
               {{{"MessageId", "m1"},
                 {"Body", "a<b\r\n"},
                 {"Attributes", {{"SentTimestamp", "5"}}},
                 {"MessageAttributes", {{"k", {{"DataType", "String"}, {"StringValue", "v"}}}}}}}}};
  std::string xml = SqsQueryXml("ReceiveMessage", out, "rid");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  auto root = doc.child("ReceiveMessageResponse");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://queue.amazonaws.com/doc/2012-11-05/");
  auto msg = root.child("ReceiveMessageResult").child("Message");
  EXPECT_STREQ(msg.child_value("MessageId"), "m1");
  EXPECT_STREQ(msg.child_value("Body"), "a<b\r\n");  // CR survives XML parsing
  EXPECT_STREQ(msg.child("Attribute").child_value("Name"), "SentTimestamp");
  EXPECT_STREQ(msg.child("Attribute").child_value("Value"), "5");
  auto ma = msg.child("MessageAttribute");
  EXPECT_STREQ(ma.child_value("Name"), "k");
  EXPECT_STREQ(ma.child("Value").child_value("DataType"), "String");
  EXPECT_STREQ(root.child("ResponseMetadata").child_value("RequestId"), "rid");

  // Actions without output have no Result element.
  xml = SqsQueryXml("DeleteMessage", json::object(), "rid");
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  EXPECT_FALSE(doc.child("DeleteMessageResponse").child("DeleteMessageResult"));

  xml = SqsQueryXml(
      "SendMessageBatch",
      {{"Successful", {{{"Id", "a"}}}}, {"Failed", {{{"Id", "b"}, {"SenderFault", true}}}}}, "rid");
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  auto result = doc.child("SendMessageBatchResponse").child("SendMessageBatchResult");
  EXPECT_STREQ(result.child("SendMessageBatchResultEntry").child_value("Id"), "a");
  EXPECT_STREQ(result.child("BatchResultErrorEntry").child_value("SenderFault"), "true");
}

}  // namespace
}  // namespace lifeboat
