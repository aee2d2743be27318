#include "ship/object_keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace lifeboat {
namespace {

TEST(ObjectKeysTest, ChunkKeyFollowsTheLayout) {
  EXPECT_EQ(ChunkKey("i-0abc", "/var/log/php-fpm/error.log", {0, 0, 4096, Codec::kZstd}),
            "i-0abc/var/log/php-fpm/error.log/000000-0000000000000000-0000000000004096.zst");
  EXPECT_EQ(ManifestKey("i-0abc"), "i-0abc/.lifeboat/manifest.json");
}

TEST(ObjectKeysTest, NamesSortInByteOrderOfTheStream) {
  std::vector<ChunkName> chunks = {{0, 0, 9, Codec::kZstd},
                                   {0, 9, 100, Codec::kZstd},
                                   {0, 100, 12345678, Codec::kZstd},
                                   {1, 0, 5, Codec::kZstd}};
  std::vector<std::string> names;
  for (const auto& c : chunks) names.push_back(FormatChunkName(c));
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, names);
}

TEST(ObjectKeysTest, ParseIsTheInverseOfFormat) {
  for (Codec codec : {Codec::kZstd, Codec::kGzip, Codec::kNone}) {
    ChunkName c{42, 1234567, 7654321, codec};
    auto parsed = ParseChunkName(FormatChunkName(c));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->stream, 42u);
    EXPECT_EQ(parsed->begin, 1234567u);
    EXPECT_EQ(parsed->end, 7654321u);
    EXPECT_EQ(parsed->codec, codec);
  }
  EXPECT_FALSE(ParseChunkName("manifest.json").has_value());
  EXPECT_FALSE(ParseChunkName("000000-0000000000000009-0000000000000001.zst").has_value());
  EXPECT_FALSE(ParseChunkName("00000x-0000000000000000-0000000000000001").has_value());
}

TEST(ObjectKeysTest, InstanceIdsThatWouldEscapeTheirPrefixAreRejected) {
  EXPECT_TRUE(ValidateInstanceId("i-0123456789abcdef0").ok());
  EXPECT_FALSE(ValidateInstanceId("").ok());
  EXPECT_FALSE(ValidateInstanceId("a/b").ok());
  EXPECT_FALSE(ValidateInstanceId("..").ok());
  EXPECT_FALSE(ValidateInstanceId(".lifeboat").ok()) << "the day index lives there";
}

}  // namespace
}  // namespace lifeboat
