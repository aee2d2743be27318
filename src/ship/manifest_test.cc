#include "ship/manifest.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

Manifest Sample() {
  Manifest m;
  m.instance_id = "i-1";
  m.tool = "lifeboat test";
  m.updated_at = "2026-11-26T00:00:00Z";
  m.sealed = true;
  StreamRecord s;
  s.path = "/var/log/a.log";
  s.stream = 0;
  s.identity = {2049, 77, 1024, 0xdeadbeef};
  s.chunks.push_back({{0, 100}, Codec::kZstd, 40, 0x01020304, 0xa0b0c0d0});
  s.chunks.push_back({{100, 250}, Codec::kGzip, 60, 5, 6});
  m.streams.push_back(s);
  s.stream = 1;
  s.chunks = {{{0, 10}, Codec::kNone, 10, 7, 7}};
  m.streams.push_back(s);
  return m;
}

TEST(ManifestTest, JsonRoundTrip) {
  const Manifest m = Sample();
  auto parsed = ParseManifest(ManifestToJson(m));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(ManifestToJson(*parsed), ManifestToJson(m));
  EXPECT_EQ(parsed->streams[0].identity, m.streams[0].identity);
  EXPECT_EQ(parsed->streams[0].chunks[1].codec, Codec::kGzip);
  EXPECT_EQ(parsed->streams[0].chunks[0].stored_crc32c, 0xa0b0c0d0u);
}

TEST(ManifestTest, StreamLookupAndTotals) {
  Manifest m = Sample();
  ASSERT_NE(m.LatestStream("/var/log/a.log"), nullptr);
  EXPECT_EQ(m.LatestStream("/var/log/a.log")->stream, 1u);
  EXPECT_EQ(m.LatestStream("/nope"), nullptr);
  EXPECT_EQ(m.NextStreamId("/var/log/a.log"), 2u);
  EXPECT_EQ(m.NextStreamId("/nope"), 0u);
  EXPECT_EQ(m.raw_bytes(), 260u);
  EXPECT_EQ(m.stored_bytes(), 110u);
  EXPECT_EQ(m.chunk_count(), 3u);
  EXPECT_EQ(m.streams[0].end(), 250u);
}

TEST(ManifestTest, BrokenManifestsNameTheField) {
  EXPECT_EQ(ParseManifest("{").status().code(), StatusCode::kDataLoss);
  EXPECT_NE(ParseManifest(R"({"format":"other/9"})").status().message().find("other/9"),
            std::string::npos);
  std::string text = ManifestToJson(Sample());
  auto pos = text.find("\"stored_size\"");
  text.replace(pos, 13, "\"stored_sizX\"");
  auto r = ParseManifest(text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("streams[0].chunks[0].stored_size is missing"),
            std::string::npos)
      << r.status().message();
}

TEST(ManifestTest, Rfc3339) {
  EXPECT_EQ(FormatRfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(1440938160))),
            "2015-08-30T12:36:00Z");
}

}  // namespace
}  // namespace lifeboat
