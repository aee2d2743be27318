#include "http/percent_encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lifeboat {
namespace {

using testing::HasSubstr;
using Pairs = FormPairs;

std::string Decoded(std::string_view text, PlusIsSpace plus) {
  auto decoded = PercentDecode(text, plus);
  EXPECT_TRUE(decoded.ok()) << text << ": " << decoded.status().message();
  return decoded.ok() ? *decoded : "<error>";
}

TEST(PercentDecodeTest, EscapesOfEitherCaseBecomeTheirByte) {
  EXPECT_EQ(Decoded("a%20b%2Fc%2fd", PlusIsSpace::kNo), "a b/c/d");
  EXPECT_EQ(Decoded("%41%62%7E", PlusIsSpace::kNo), "Ab~");
  EXPECT_EQ(Decoded("%00", PlusIsSpace::kNo), std::string(1, '\0'));
  EXPECT_EQ(Decoded("plain-text_1.2~", PlusIsSpace::kNo), "plain-text_1.2~");
  EXPECT_EQ(Decoded("", PlusIsSpace::kYes), "");
}

TEST(PercentDecodeTest, EachEscapeIsDecodedOnce) {
  EXPECT_EQ(Decoded("%2541", PlusIsSpace::kNo), "%41");
  EXPECT_EQ(Decoded("%252B", PlusIsSpace::kYes), "%2B");
}

TEST(PercentDecodeTest, PlusIsASpaceOnlyWhenAsked) {
  // Forms, query strings, S3 EncodingType=url: '+' is a space.
  EXPECT_EQ(Decoded("a+b++c", PlusIsSpace::kYes), "a b  c");
  // URL paths (an S3 key "a+b"): '+' is itself.
  EXPECT_EQ(Decoded("a+b++c", PlusIsSpace::kNo), "a+b++c");
  // An escaped plus is a plus either way.
  EXPECT_EQ(Decoded("a%2Bb", PlusIsSpace::kYes), "a+b");
  EXPECT_EQ(Decoded("a%2Bb", PlusIsSpace::kNo), "a+b");
}

TEST(PercentDecodeTest, MalformedEscapesAreErrorsNamingTheEscape) {
  for (std::string_view bad : {"%", "%4", "a%zz", "%4g", "%g4", "ab%", "%%41", "%+1", "% 1"}) {
    for (PlusIsSpace plus : {PlusIsSpace::kNo, PlusIsSpace::kYes}) {
      auto decoded = PercentDecode(bad, plus);
      ASSERT_FALSE(decoded.ok()) << bad << " decoded to " << *decoded;
      EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
  auto decoded = PercentDecode("ab%zz", PlusIsSpace::kYes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(decoded.status().message(), HasSubstr("'%zz' at offset 2"));
  decoded = PercentDecode("x%4", PlusIsSpace::kNo);
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(decoded.status().message(), HasSubstr("'%4' at offset 1"));
}

TEST(PercentDecodeTest, BytesAreKeptWhetherOrNotTheyAreUtf8) {
  EXPECT_EQ(Decoded("caf%C3%A9", PlusIsSpace::kYes), "caf\xC3\xA9");
  EXPECT_EQ(Decoded("caf\xC3\xA9", PlusIsSpace::kYes), "caf\xC3\xA9");  // sent raw
  EXPECT_EQ(Decoded("%F0%9F%9A%A3", PlusIsSpace::kNo), "\xF0\x9F\x9A\xA3");
  EXPECT_EQ(Decoded("%FF%fe", PlusIsSpace::kNo), "\xFF\xFE");  // not UTF-8, still kept
}

TEST(UriEncodeTest, KeepsOnlyUnreservedCharactersAndRoundTripsEveryByte) {
  EXPECT_EQ(UriEncode("a b+c/d~e"), "a%20b%2Bc%2Fd~e");
  EXPECT_EQ(UriEncode("a b/c", /*keep_slash=*/true), "a%20b/c");
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  EXPECT_EQ(Decoded(UriEncode(every_byte), PlusIsSpace::kYes), every_byte);
  EXPECT_EQ(Decoded(UriEncode(every_byte), PlusIsSpace::kNo), every_byte);
}

Pairs Parsed(std::string_view text, PlusIsSpace plus = PlusIsSpace::kYes) {
  auto pairs = ParseFormPairs(text, plus);
  EXPECT_TRUE(pairs.ok()) << text << ": " << pairs.status().message();
  return pairs.ok() ? *pairs : Pairs{{"<error>", ""}};
}

TEST(ParseFormPairsTest, KeepsOrderAndRepeatedNames) {
  EXPECT_EQ(Parsed("b=2&a=1&b=3"), (Pairs{{"b", "2"}, {"a", "1"}, {"b", "3"}}));
}

TEST(ParseFormPairsTest, NamesAndValuesAreBothDecoded) {
  EXPECT_EQ(Parsed("Message+Body=a+b%2Bc%26d%3De&Attribute.1.Name=x%2Ey"),
            (Pairs{{"Message Body", "a b+c&d=e"}, {"Attribute.1.Name", "x.y"}}));
  EXPECT_EQ(Parsed("prefix=a+b&k%2B=1", PlusIsSpace::kNo), (Pairs{{"prefix", "a+b"}, {"k+", "1"}}));
}

TEST(ParseFormPairsTest, ValuesSplitAtTheFirstEquals) {
  EXPECT_EQ(Parsed("a=b=c&d==&=v"), (Pairs{{"a", "b=c"}, {"d", "="}, {"", "v"}}));
}

TEST(ParseFormPairsTest, EmptyValuesAndNamesWithoutEqualsAreEmptyStrings) {
  EXPECT_EQ(Parsed("Empty=&Flag&uploads"), (Pairs{{"Empty", ""}, {"Flag", ""}, {"uploads", ""}}));
}

TEST(ParseFormPairsTest, EmptyPiecesAreSkipped) {
  EXPECT_EQ(Parsed(""), Pairs{});
  EXPECT_EQ(Parsed("&"), Pairs{});
  EXPECT_EQ(Parsed("&a=1&&b=2&"), (Pairs{{"a", "1"}, {"b", "2"}}));
}

TEST(ParseFormPairsTest, Utf8ValuesArriveAsTheirBytes) {
  EXPECT_EQ(Parsed("MessageBody=%E2%9C%93+ok&Raw=\xC3\xA9"),
            (Pairs{{"MessageBody", "\xE2\x9C\x93 ok"}, {"Raw", "\xC3\xA9"}}));
}

TEST(ParseFormPairsTest, AMalformedEscapeIsAnErrorNamingTheParameter) {
  auto bad_value = ParseFormPairs("Action=SendMessage&MessageBody=100%", PlusIsSpace::kYes);
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_value.status().message(), HasSubstr("parameter 'MessageBody'"));
  EXPECT_THAT(bad_value.status().message(), HasSubstr("'%' at offset 3"));

  auto bad_name = ParseFormPairs("ok=1&Tag%zz.1=v", PlusIsSpace::kNo);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_THAT(bad_name.status().message(), HasSubstr("parameter 'Tag%zz.1'"));

  auto no_value = ParseFormPairs("Flag%", PlusIsSpace::kYes);
  ASSERT_FALSE(no_value.ok());
  EXPECT_THAT(no_value.status().message(), HasSubstr("parameter 'Flag%'"));
}

}  // namespace
}  // namespace lifeboat
