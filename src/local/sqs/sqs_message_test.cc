#include "local/sqs/sqs_message.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(SqsMessageTest, Md5OfBodyIsHexMd5) {
  EXPECT_EQ(Md5Hex("hello"), "5d41402abc4b2a76b9719d911017c592");
}

// Expected digests computed independently (moto's implementation of the same encoding).
TEST(SqsMessageTest, AttributesMd5MatchesTheSdkEncoding) {
  EXPECT_EQ(SqsAttributesMd5({{"name", {"String", "lifeboat"}}}),
            "b0493269b92f8c588c15e849505650b4");
  EXPECT_EQ(SqsAttributesMd5({{"b", {"Binary", std::string("\x00\x01\xff", 3)}},
                              {"a", {"Number", "42"}},
                              {"c", {"String.custom", "x y"}}}),
            "6dcb80a3f74196b5fccc868ae668da80");
  EXPECT_EQ(SqsAttributesMd5({}), "");
}

TEST(SqsMessageTest, BodyCharacterSet) {
  EXPECT_TRUE(ValidateSqsBody("plain\ttext\r\nwith ünïcödé and 😀").ok());
  Status s =
      ValidateSqsBody(std::string("a\x01"
                                  "b"));
  EXPECT_EQ(s.service_code(), "InvalidMessageContents");
  EXPECT_NE(s.message().find("#x1"), std::string::npos) << s.message();
  EXPECT_EQ(ValidateSqsBody("\xff\xfe").service_code(), "InvalidMessageContents");
  EXPECT_EQ(ValidateSqsBody("\xc0\xaf").service_code(), "InvalidMessageContents");      // overlong
  EXPECT_EQ(ValidateSqsBody("\xef\xbf\xbf").service_code(), "InvalidMessageContents");  // U+FFFF
}

TEST(SqsMessageTest, AttributeRules) {
  EXPECT_TRUE(ValidateSqsAttributes({{"a.b-c_d", {"Number.int", "-12.5e3"}}}).ok());
  EXPECT_EQ(ValidateSqsAttributes({{"a", {"Text", "x"}}}).service_code(), "InvalidParameterValue");
  EXPECT_EQ(ValidateSqsAttributes({{"a", {"String", ""}}}).service_code(), "InvalidParameterValue");
  EXPECT_EQ(ValidateSqsAttributes({{"a", {"Number", "ten"}}}).service_code(),
            "InvalidParameterValue");
  EXPECT_EQ(ValidateSqsAttributes({{".a", {"String", "x"}}}).service_code(),
            "InvalidParameterValue");
  SqsMessageAttributes many;
  for (int i = 0; i < 11; ++i) many["a" + std::to_string(i)] = {"String", "x"};
  EXPECT_EQ(ValidateSqsAttributes(many).service_code(), "InvalidParameterValue");
}

TEST(SqsMessageTest, SizeCountsBodyAndAttributes) {
  EXPECT_EQ(SqsMessageSize("12345", {{"ab", {"String", "xyz"}}}), 5u + 2 + 6 + 3);
}

}  // namespace
}  // namespace lifeboat
