#include "aws/query_protocol.h"

#include <gtest/gtest.h>

#include "aws/rpc_call.h"

namespace lifeboat {
namespace {

TEST(AwsQueryProtocolTest, FormEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(FormEncodeQuery("Describe", "2011-01-01",
                            {{"Name", "a b+c/d=e&f~g_h.i-j"}, {"Tag.member.1", "\xc3\xa9"}}),
            "Action=Describe&Version=2011-01-01&Name=a%20b%2Bc%2Fd%3De%26f~g_h.i-j"
            "&Tag.member.1=%C3%A9");
  EXPECT_EQ(FormEncodeQuery("A", "1", {}), "Action=A&Version=1");
}

TEST(AwsQueryProtocolTest, BuildQueryRequest) {
  auto request = BuildQueryRequest("http://localhost:4566", "Op", "2011-01-01", {{"K", "v"}});
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->url, "http://localhost:4566/");
  EXPECT_EQ(request->headers.Get("Content-Type"),
            "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(request->body, "Action=Op&Version=2011-01-01&K=v");
}

TEST(AwsQueryProtocolTest, RootUrls) {
  EXPECT_EQ(RpcRootUrl("https://autoscaling.us-east-1.amazonaws.com").value(),
            "https://autoscaling.us-east-1.amazonaws.com/");
  EXPECT_EQ(RpcRootUrl("http://127.0.0.1:5000/").value(), "http://127.0.0.1:5000/");
  EXPECT_EQ(RpcRootUrl("http://proxy/aws//").value(), "http://proxy/aws/");
  EXPECT_EQ(RpcRootUrl("autoscaling.amazonaws.com").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RpcRootUrl("ftp://host").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RpcRootUrl("http://host/?x=1").status().code(), StatusCode::kInvalidArgument);
}

TEST(AwsQueryProtocolTest, ParseQueryAnswerFindsTheResult) {
  auto answer = ParseQueryAnswer(
      "<?xml version=\"1.0\"?>\n<OpResponse xmlns=\"http://autoscaling.amazonaws.com/doc/"
      "2011-01-01/\"><OpResult><Count>42</Count><Name>n &amp; m</Name><Bad>4x</Bad></OpResult>"
      "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></OpResponse>",
      "Op");
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_EQ(XmlChildInt(answer->result, "Count"), 42);
  EXPECT_EQ(XmlChildText(answer->result, "Name"), "n & m");
  EXPECT_EQ(XmlChildInt(answer->result, "Bad", -1), -1);
  EXPECT_EQ(XmlChildInt(answer->result, "Missing", 7), 7);
  EXPECT_EQ(XmlChildText(answer->result, "Missing"), "");
}

TEST(AwsQueryProtocolTest, AnAnswerWithoutAResultIsFine) {
  auto answer = ParseQueryAnswer(
      "<OpResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></OpResponse>",
      "Op");
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  EXPECT_FALSE(answer->result);
}

TEST(AwsQueryProtocolTest, AnAnswerForAnotherActionIsAnError) {
  EXPECT_EQ(ParseQueryAnswer("<OtherResponse/>", "Op").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseQueryAnswer("not xml", "Op").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseQueryAnswer("", "Op").status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace lifeboat
