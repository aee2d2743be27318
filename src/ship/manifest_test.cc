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

ChunkRecord Chunk(uint64_t begin, uint64_t end) {
  return {{begin, end}, Codec::kZstd, (end - begin) / 4, static_cast<uint32_t>(begin), 9};
}

// Adds chunks [from, to) of `size` bytes each to a head's stream, as an agent does.
void Grow(Manifest& head, const std::string& path, uint32_t stream, int from, int to,
          uint64_t size = 100) {
  StreamRecord* s = nullptr;
  for (auto& r : head.streams) {
    if (r.path == path && r.stream == stream) s = &r;
  }
  if (s == nullptr) {
    s = &head.streams.emplace_back();
    s->path = path;
    s->stream = stream;
  }
  for (int i = from; i < to; ++i) s->chunks.push_back(Chunk(i * size, (i + 1) * size));
}

TEST(ManifestTest, TailsBecomeAPartWhenTheyPassTheLimitAndTheHeadStaysSmall) {
  Manifest head;
  head.instance_id = "i-1";
  Grow(head, "/a", 0, 0, 3);
  EXPECT_TRUE(RollManifest(head, 5).empty()) << "3 tail chunks are under the limit";
  Grow(head, "/b", 0, 0, 3);
  auto parts = RollManifest(head, 5);
  ASSERT_EQ(parts.size(), 1u);
  const ManifestPart* part = &parts[0];
  EXPECT_EQ(part->number, 1u);
  EXPECT_EQ(head.parts, 1u);
  ASSERT_EQ(part->streams.size(), 2u);
  EXPECT_EQ(part->streams[0].chunks.size(), 3u);
  EXPECT_EQ(head.chunk_count(), 0u);
  ASSERT_EQ(head.streams.size(), 2u) << "open streams stay in the head, without chunks";
  EXPECT_EQ(head.streams[0].base_end, 300u);
  EXPECT_EQ(head.streams[0].end(), 300u) << "a writer continues from base_end";

  // A head that grows for ever stays as small as its tails.
  size_t largest = 0;
  for (int round = 1; round < 100; ++round) {
    Grow(head, "/a", 0, round * 3, round * 3 + 3);
    RollManifest(head, 5);
    largest = std::max(largest, ManifestToJson(head).size());
  }
  EXPECT_LT(largest, 4096u);
}

TEST(ManifestTest, ABurstOfChunksBecomesSeveralBoundedParts) {
  Manifest head;
  head.instance_id = "i-1";
  head.parts = 4;
  Grow(head, "/a", 0, 0, 25);
  head.streams.back().finished = true;
  Grow(head, "/a", 1, 0, 3);  // /a's stream 0 leaves the head with the parts
  Grow(head, "/b", 0, 0, 4);
  auto parts = RollManifest(head, 5, /*force=*/false, /*max_part_chunks=*/10);
  ASSERT_EQ(parts.size(), 4u) << "32 chunks at most 10 a part";
  EXPECT_EQ(head.parts, 8u) << "the head counts every part of the burst";
  Manifest whole;
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(parts[i].number, 5 + i);
    size_t chunks = 0;
    for (const auto& s : parts[i].streams) chunks += s.chunks.size();
    EXPECT_LE(chunks, 10u) << "part " << parts[i].number;
    auto parsed = ParseManifestPart(ManifestPartToJson(parts[i]));
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    MergeIntoManifest(whole, parsed->streams);
  }
  // A stream split across parts says it is finished only where its last chunk is listed,
  // and each later piece continues from where the one before ended.
  EXPECT_FALSE(parts[0].streams[0].finished);
  EXPECT_EQ(parts[1].streams[0].base_end, 1000u);
  EXPECT_TRUE(parts[2].streams[0].finished);
  ASSERT_EQ(whole.streams.size(), 3u);
  EXPECT_EQ(whole.streams[0].chunks.size(), 25u);
  EXPECT_TRUE(whole.streams[0].finished);
  EXPECT_EQ(whole.streams[1].chunks.size(), 3u);
  EXPECT_EQ(whole.streams[2].chunks.size(), 4u);
  ASSERT_EQ(head.streams.size(), 2u) << "the finished stream 0 of /a left the head";
  EXPECT_EQ(head.NextStreamId("/a"), 2u);
}

TEST(ManifestTest, FinishedStreamsLeaveTheHeadUnlessNewestOfTheirPath) {
  Manifest head;
  head.instance_id = "i-1";
  Grow(head, "/a", 0, 0, 2);
  head.streams.back().finished = true;  // rotated away and shipped to its end
  Grow(head, "/a", 1, 0, 1);
  Grow(head, "/b", 0, 0, 1);
  head.streams.back().finished = true;  // the newest of /b: kept for NextStreamId
  auto parts = RollManifest(head, 0, /*force=*/true);
  ASSERT_EQ(parts.size(), 1u);
  const ManifestPart* part = &parts[0];
  ASSERT_EQ(head.streams.size(), 2u);
  EXPECT_EQ(head.NextStreamId("/a"), 2u);
  EXPECT_EQ(head.NextStreamId("/b"), 1u);
  EXPECT_TRUE(part->streams[0].finished);
}

TEST(ManifestTest, PartsAndHeadMergeIntoTheWholeManifest) {
  Manifest head;
  head.instance_id = "i-1";
  Manifest whole;
  std::vector<ManifestPart> parts;
  for (int round = 0; round < 10; ++round) {
    Grow(head, "/a", 0, round * 4, round * 4 + 4);
    if (round == 5) Grow(head, "/b", 0, 0, 2);
    for (const ManifestPart& part : RollManifest(head, 6)) {
      auto parsed = ParseManifestPart(ManifestPartToJson(part));
      ASSERT_TRUE(parsed.ok()) << parsed.status().message();
      parts.push_back(*parsed);
    }
  }
  auto parsed_head = ParseManifest(ManifestToJson(head));
  ASSERT_TRUE(parsed_head.ok()) << parsed_head.status().message();
  EXPECT_EQ(parsed_head->parts, parts.size());
  for (const auto& part : parts) MergeIntoManifest(whole, part.streams);
  // An interrupted update wrote the last part again, longer: its repeats are skipped.
  MergeIntoManifest(whole, parts.back().streams);
  MergeIntoManifest(whole, parsed_head->streams);
  ASSERT_EQ(whole.streams.size(), 2u);
  EXPECT_EQ(whole.streams[0].chunks.size(), 40u);
  EXPECT_EQ(whole.streams[0].end(), 4000u);
  EXPECT_EQ(whole.streams[1].chunks.size(), 2u);
  for (size_t i = 1; i < whole.streams[0].chunks.size(); ++i) {
    EXPECT_EQ(whole.streams[0].chunks[i].range.begin, whole.streams[0].chunks[i - 1].range.end);
  }
}

TEST(ManifestTest, Rfc3339) {
  EXPECT_EQ(FormatRfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(1440938160))),
            "2015-08-30T12:36:00Z");
}

}  // namespace
}  // namespace lifeboat
