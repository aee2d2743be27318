#include "aws/json_protocol.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

using nlohmann::json;

TEST(AwsJsonProtocolTest, BuildJsonRequest) {
  auto request = BuildJsonRequest("https://sqs.us-east-1.amazonaws.com", "1.0",
                                  "AmazonSQS.DeleteMessage", {{"QueueUrl", "q"}});
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->url, "https://sqs.us-east-1.amazonaws.com/");
  EXPECT_EQ(request->headers.Get("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(request->headers.Get("X-Amz-Target"), "AmazonSQS.DeleteMessage");
  EXPECT_EQ(request->body, R"({"QueueUrl":"q"})");
  EXPECT_EQ(BuildJsonRequest("sqs", "1.0", "T", {}).status().code(), StatusCode::kInvalidArgument);
}

TEST(AwsJsonProtocolTest, InvalidUtf8IsReplacedNotThrown) {
  auto request = BuildJsonRequest("http://h", "1.1", "T", {{"Comment", "bad \xff byte"}});
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->body, "{\"Comment\":\"bad \xef\xbf\xbd byte\"}");
}

TEST(AwsJsonProtocolTest, ParseJsonAnswer) {
  EXPECT_EQ(ParseJsonAnswer("").value(), json::object());
  EXPECT_EQ(ParseJsonAnswer(" \n").value(), json::object());
  EXPECT_EQ(ParseJsonAnswer(R"({"a":1})").value(), json({{"a", 1}}));
  EXPECT_EQ(ParseJsonAnswer("[1]").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseJsonAnswer("{").status().code(), StatusCode::kInternal);
}

TEST(AwsJsonProtocolTest, ReadersTolerateWrongTypes) {
  const json doc = json::parse(R"({
    "s": "text", "n": 5, "neg": -1, "f": 1.5, "list": ["a", 1, "b"],
    "lists": {"x": ["1", "2"], "y": "not a list"}, "map": {"k": "v", "n": 2}
  })");
  EXPECT_EQ(JsonString(doc, "s"), "text");
  EXPECT_EQ(JsonString(doc, "n"), "");
  EXPECT_EQ(JsonString(doc, "missing"), "");
  EXPECT_EQ(JsonString(json::array(), "s"), "");
  EXPECT_EQ(JsonInt(doc, "n"), 5);
  EXPECT_EQ(JsonInt(doc, "neg"), -1);
  EXPECT_EQ(JsonInt(doc, "f"), std::nullopt);
  EXPECT_EQ(JsonInt(doc, "s"), std::nullopt);
  EXPECT_EQ(JsonStrings(doc, "list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(JsonStrings(doc, "s").empty());
  auto lists = JsonStringLists(doc, "lists");
  EXPECT_EQ(lists["x"], (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(lists["y"].empty());
  EXPECT_EQ(JsonStringMap(doc, "map"), (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_TRUE(JsonArray(doc, "map").empty());
}

}  // namespace
}  // namespace lifeboat
