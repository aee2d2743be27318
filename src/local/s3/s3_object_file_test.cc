#include "local/s3/s3_object_file.h"

#include <gtest/gtest.h>

#include <set>

#include "fakes/temp_dir.h"

namespace lifeboat {
namespace {

TEST(S3ObjectFileTest, AnyKeyIsOneSafeFlatNameThatRoundTrips) {
  const std::string long_key(300, 'k');
  const std::vector<std::string> keys = {"a",
                                         "a/b",
                                         "a/../b",
                                         "a//b",
                                         "dir/",
                                         "/lead",
                                         ".",
                                         "..",
                                         ".hidden",
                                         "%41",
                                         "A",
                                         "sp ace+plus",
                                         std::string("nul\0byte", 8),
                                         "\xff\xfe",
                                         "#hash",
                                         "~tilde",
                                         long_key,
                                         std::string(1024, '/')};
  std::set<std::string> names;
  for (const auto& key : keys) {
    const std::string name = KeyToFileName(key);
    EXPECT_FALSE(name.empty());
    EXPECT_LE(name.size(), 255u) << key;
    EXPECT_EQ(name.find('/'), std::string::npos) << key;
    EXPECT_EQ(name.find('\0'), std::string::npos) << key;
    EXPECT_NE(name.front(), '.') << key;
    EXPECT_TRUE(names.insert(name).second) << "two keys share " << name;
    if (name.front() == '#') {
      EXPECT_GT(key.size(), 66u) << "only long keys are hashed";
    } else {
      EXPECT_EQ(FileNameToKey(name), key);
    }
  }
  // Long keys become a hash whose key lives in the file's header.
  EXPECT_EQ(KeyToFileName(long_key).front(), '#');
  EXPECT_EQ(FileNameToKey(KeyToFileName(long_key)), std::nullopt);
  // Names the store uses for itself are never object names.
  EXPECT_EQ(FileNameToKey(".tmp"), std::nullopt);
}

TEST(S3ObjectFileTest, HeaderAndDataRoundTrip) {
  TempDir dir;
  ObjectMeta m;
  m.key = std::string("k\xff/\"quoted\"", 12);
  m.size = 5;
  m.etag = "5d41402abc4b2a76b9719d911017c592";
  m.last_modified_ms = 1700000000123;
  m.content_type = "text/plain";
  m.headers = {{"Cache-Control", "no-cache"}};
  m.metadata = {{"owner", "me"}, {"empty", ""}};
  m.checksum_algorithm = "CRC32C";
  m.checksum = "mnG7TA==";
  m.checksum_type = "FULL_OBJECT";
  const std::string path = dir.Write("obj", EncodeObjectHeader(m) + "hello");
  auto obj = OpenStoredObject(Env::Default(), path);
  ASSERT_TRUE(obj.ok()) << obj.status().message();
  EXPECT_EQ(obj->meta.key, m.key);
  EXPECT_EQ(obj->meta.size, 5u);
  EXPECT_EQ(obj->meta.etag, m.etag);
  EXPECT_EQ(obj->meta.last_modified_ms, m.last_modified_ms);
  EXPECT_EQ(obj->meta.content_type, "text/plain");
  EXPECT_EQ(obj->meta.headers, m.headers);
  EXPECT_EQ(obj->meta.metadata, m.metadata);
  EXPECT_EQ(obj->meta.checksum, m.checksum);
  EXPECT_EQ(obj->meta.checksum_type, "FULL_OBJECT");
  EXPECT_EQ(*obj->Read(0, 5), "hello");
  EXPECT_EQ(*obj->Read(1, 3), "ell");
}

TEST(S3ObjectFileTest, HeadersBeyondTheFirstReadAreRead) {
  TempDir dir;
  ObjectMeta m;
  m.key = "k";
  m.size = 3;
  m.metadata = {{"big", std::string(10000, 'v')}};
  auto obj = OpenStoredObject(Env::Default(), dir.Write("obj", EncodeObjectHeader(m) + "abc"));
  ASSERT_TRUE(obj.ok()) << obj.status().message();
  EXPECT_EQ(obj->meta.metadata[0].second.size(), 10000u);
  EXPECT_EQ(*obj->Read(0, 3), "abc");
}

TEST(S3ObjectFileTest, TornOrForeignFilesAreDataLoss) {
  TempDir dir;
  ObjectMeta m;
  m.key = "k";
  m.size = 10;
  const std::string header = EncodeObjectHeader(m);
  for (const std::string& content :
       {header + "short", header.substr(0, 20), std::string("not an object at all")}) {
    auto obj = OpenStoredObject(Env::Default(), dir.Write("obj", content));
    EXPECT_EQ(obj.status().code(), StatusCode::kDataLoss) << content;
  }
  EXPECT_EQ(OpenStoredObject(Env::Default(), dir.Join("missing")).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace lifeboat
