#include "local/s3/s3_http.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

std::string Range(std::string_view header, uint64_t size) {
  auto r = ParseRange(header, size);
  if (!r.ok()) return r.status().service_code();
  if (!*r) return "whole";
  return std::to_string((*r)->first) + "-" + std::to_string((*r)->last);
}

TEST(S3HttpTest, RangesAsS3ReadsThem) {
  EXPECT_EQ(Range("", 10), "whole");
  EXPECT_EQ(Range("bytes=0-4", 10), "0-4");
  EXPECT_EQ(Range("bytes=5-", 10), "5-9");
  EXPECT_EQ(Range("bytes=-3", 10), "7-9");
  EXPECT_EQ(Range("bytes=-30", 10), "0-9");    // a suffix longer than the object: all of it
  EXPECT_EQ(Range("bytes=8-100", 10), "8-9");  // the end is clamped
  EXPECT_EQ(Range("bytes=10-", 10), "InvalidRange");
  EXPECT_EQ(Range("bytes=10-20", 10), "InvalidRange");
  EXPECT_EQ(Range("bytes=-0", 10), "InvalidRange");
  EXPECT_EQ(Range("bytes=0-", 0), "InvalidRange");
  // What S3 ignores, serving the whole object.
  EXPECT_EQ(Range("bytes=5-2", 10), "whole");
  EXPECT_EQ(Range("bytes=0-1,3-4", 10), "whole");
  EXPECT_EQ(Range("items=0-1", 10), "whole");
  EXPECT_EQ(Range("bytes=a-b", 10), "whole");
}

TEST(S3HttpTest, Dates) {
  EXPECT_EQ(HttpDate(1255369800000), "Mon, 12 Oct 2009 17:50:00 GMT");
  EXPECT_EQ(IsoDate(1255369830123), "2009-10-12T17:50:30.123Z");
  EXPECT_EQ(ParseHttpDateMs("Mon, 12 Oct 2009 17:50:00 GMT"), 1255369800000);
  EXPECT_EQ(ParseHttpDateMs("yesterday"), std::nullopt);
}

TEST(S3HttpTest, EtagsUnquote) {
  EXPECT_EQ(UnquoteEtag("\"abc\""), "abc");
  EXPECT_EQ(UnquoteEtag("W/\"abc\""), "abc");
  EXPECT_EQ(UnquoteEtag("*"), "*");
  EXPECT_EQ(Quoted("abc"), "\"abc\"");
}

TEST(S3HttpTest, StoredHeadersAndMetadataComeBack) {
  LocalRequest r;
  r.headers = {{"content-type", "text/plain"},
               {"content-encoding", "gzip,aws-chunked"},
               {"cache-control", "no-cache"},
               {"x-amz-meta-Owner", "me"},
               {"x-amz-acl", "private"}};
  ObjectMeta m;
  m.etag = "e";
  MetaFromRequest(r, &m);
  EXPECT_EQ(m.content_type, "text/plain");
  ASSERT_EQ(m.metadata.size(), 1u);
  EXPECT_EQ(m.metadata[0], std::make_pair(std::string("owner"), std::string("me")));
  LocalResponse out;
  AddObjectHeaders(m, false, &out);
  EXPECT_EQ(out.headers.Get("Content-Encoding"), "gzip");
  EXPECT_EQ(out.headers.Get("Cache-Control"), "no-cache");
  EXPECT_EQ(out.headers.Get("x-amz-meta-owner"), "me");
  EXPECT_EQ(out.headers.Get("ETag"), "\"e\"");
  EXPECT_FALSE(out.headers.Has("x-amz-acl"));

  LocalRequest bare;
  bare.headers = {{"content-encoding", "aws-chunked"}};
  ObjectMeta b;
  MetaFromRequest(bare, &b);
  EXPECT_EQ(b.content_type, "binary/octet-stream");
  EXPECT_TRUE(b.headers.empty());
}

}  // namespace
}  // namespace lifeboat
