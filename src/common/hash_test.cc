#include "common/hash.h"

#include <gtest/gtest.h>

#include <vector>

namespace lifeboat {
namespace {

TEST(HashTest, Sha256OfEmptyIsTheWellKnownValue) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashTest, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, Crc32cCheckValueAndExtension) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);  // the CRC-32C catalogue check value
  EXPECT_EQ(Crc32cExtend(Crc32c("1234"), "56789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
}

TEST(HashTest, Crc32cBase64IsBigEndian) {
  // S3 documents the empty object's CRC32C header as "AAAAAA==".
  EXPECT_EQ(Crc32cBase64(0), "AAAAAA==");
  EXPECT_EQ(Crc32cBase64(0xE3069283u), "4waSgw==");
}

TEST(HashTest, Crc32cBase64RoundTrips) {
  EXPECT_EQ(Crc32cFromBase64(Crc32cBase64(0xE3069283u)), 0xE3069283u);
  EXPECT_FALSE(Crc32cFromBase64("4waSgw==-3").has_value());
  EXPECT_FALSE(Crc32cFromBase64("AAAAAAAA").has_value());
}

TEST(HashTest, Base64RoundTripsWithPadding) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    auto decoded = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(decoded.has_value()) << s;
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_FALSE(Base64Decode("abc").has_value());
}

}  // namespace
}  // namespace lifeboat
