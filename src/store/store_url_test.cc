#include "store/store_url.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(StoreUrlTest, ParsesS3AndFileUrls) {
  auto s3 = ParseStoreUrl("s3://logs-bucket/fleet/web/");
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->kind, StoreUrl::Kind::kS3);
  EXPECT_EQ(s3->bucket, "logs-bucket");
  EXPECT_EQ(s3->path, "fleet/web");
  EXPECT_EQ(s3->ToString(), "s3://logs-bucket/fleet/web");
  EXPECT_EQ(s3->components(), (std::vector<std::string>{"fleet", "web"}));
  EXPECT_EQ(ParseStoreUrl("s3://logs-bucket")->path, "");

  auto file = ParseStoreUrl("file:///var/lib/lifeboat/out");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->kind, StoreUrl::Kind::kFile);
  EXPECT_EQ(file->directory(), "/var/lib/lifeboat/out");
  EXPECT_EQ(ParseStoreUrl("file://localhost/tmp/x")->directory(), "/tmp/x");
}

TEST(StoreUrlTest, RejectsWhatWouldGoWrongLater) {
  EXPECT_NE(ParseStoreUrl("s3://Bad_Bucket/x").status().message().find("not a valid S3 bucket"),
            std::string::npos);
  EXPECT_NE(ParseStoreUrl("file://relative/dir").status().message().find("absolute path"),
            std::string::npos);
  EXPECT_FALSE(ParseStoreUrl("s3://bucket/a//b").ok());
  EXPECT_FALSE(ParseStoreUrl("s3://bucket/a/../b").ok());
  EXPECT_NE(ParseStoreUrl("/var/log").status().message().find("not a store URL"), std::string::npos);
  EXPECT_FALSE(ParseStoreUrl("gs://bucket").ok());
}

}  // namespace
}  // namespace lifeboat
