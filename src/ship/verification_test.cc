#include "ship/verification.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "fakes/forwarding_store.h"
#include "fakes/mem_env.h"
#include "ship/evacuation.h"
#include "ship/object_keys.h"
#include "ship/restore.h"
#include "store/file_object_store.h"

namespace lifeboat {
namespace {

class VerificationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 600; ++i) content_ += "line " + std::to_string(i) + " of the access log\n";
    env_.SetFile("/var/log/a.log", content_);
    EvacuationOptions o;
    o.instance_id = "i-1";
    o.chunk_bytes = 4096;
    auto r = Evacuation(&env_, &store_, o).Run({"/var/log/a.log"});
    ASSERT_TRUE(r.ok() && r->ok());
    manifest_ = *ReadManifest(&store_, "i-1");
    ASSERT_GE(manifest_.streams[0].chunks.size(), 3u);
  }

  std::string KeyOf(size_t chunk) {
    const StreamRecord& s = manifest_.streams[0];
    return ChunkKey("i-1", s.path, s.NameOf(s.chunks[chunk]));
  }

  VerifyReport Verify(bool quick = false) {
    auto r = VerifyInstance(&store_, "i-1", {quick, 2});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }

  MemEnv env_;
  FileObjectStore store_{&env_, "/store"};
  std::string content_;
  Manifest manifest_;
};

TEST_F(VerificationTest, ACompleteStoreVerifies) {
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0].message());
  EXPECT_EQ(r.chunks_checked, manifest_.streams[0].chunks.size());
}

TEST_F(VerificationTest, ADeletedChunkIsNamed) {
  ASSERT_TRUE(store_.Delete(KeyOf(1)).ok());
  VerifyReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].message().find("missing chunk file:///store/" + KeyOf(1)),
            std::string::npos)
      << r.problems[0].message();
  EXPECT_EQ(Verify(/*quick=*/true).problems.size(), 1u);
}

TEST_F(VerificationTest, ACorruptedChunkOfTheSameSizeIsCaught) {
  std::string stored = *store_.Get(KeyOf(0));
  stored[stored.size() / 2] ^= 0x01;
  WriteOptions overwrite;
  overwrite.if_none_match = false;
  ASSERT_TRUE(store_.Put(KeyOf(0), stored, overwrite).ok());
  VerifyReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].message().find("corrupted chunk"), std::string::npos);
  EXPECT_TRUE(Verify(/*quick=*/true).ok());  // a size check cannot see it; the default can
}

TEST_F(VerificationTest, AGapInTheManifestIsNamedWithItsBytes) {
  Manifest m = manifest_;
  const ByteRange lost = m.streams[0].chunks[1].range;
  m.streams[0].chunks.erase(m.streams[0].chunks.begin() + 1);
  WriteOptions overwrite;
  overwrite.if_none_match = false;
  ASSERT_TRUE(store_.Put(ManifestKey("i-1"), ManifestToJson(m), overwrite).ok());
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems[0].message(), "gap in /var/log/a.log (stream 0): bytes " +
                                         std::to_string(lost.begin) + ".." +
                                         std::to_string(lost.end) + " are in no chunk");
  // The chunk the manifest no longer names is reported as a stray.
  EXPECT_NE(r.problems.back().message().find("stray chunk"), std::string::npos);
}

// Strays are found by counting one listing of the instance, then named by listing each
// suspect path again: when that second read fails, the counts alone still fail the verify.
TEST_F(VerificationTest, StraysThatCannotBeNamedAreStillAProblem) {
  class FailsPathListings : public ForwardingObjectStore {
   public:
    using ForwardingObjectStore::ForwardingObjectStore;
    Status ListPages(const std::string& p, const std::string& after,
                     const ListPageFn& fn) override {
      if (p != "i-1/") return Status::Unavailable("listing " + p + " refused");
      return ForwardingObjectStore::ListPages(p, after, fn);
    }
  } store(&store_);
  // A stray: a copy of chunk 0 under a name the manifest does not hold.
  const StreamRecord& s = manifest_.streams[0];
  ChunkRecord extra = s.chunks.back();
  extra.range = {s.chunks.back().range.end, s.chunks.back().range.end + 10};
  ASSERT_TRUE(
      store_.Put(ChunkKey("i-1", s.path, s.NameOf(extra)), *store_.Get(KeyOf(0)), WriteOptions{})
          .ok());

  auto r = VerifyInstance(&store, "i-1", {false, 2});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->ok());
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_EQ(r->problems[0].code(), StatusCode::kDataLoss);
  EXPECT_NE(r->problems[0].message().find(
                fmt::format("/var/log/a.log (stream 0): {} chunk objects stored, {} in the "
                            "manifest; the strays could not be named: listing i-1/",
                            s.chunks.size() + 1, s.chunks.size())),
            std::string::npos)
      << r->problems[0].message();
}

TEST_F(VerificationTest, NoManifestIsAnError) {
  auto r = VerifyInstance(&store_, "i-404", {});
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("no manifest at file:///store/i-404/.lifeboat/manifest.json"),
            std::string::npos);
}

TEST_F(VerificationTest, RestoreRebuildsTheOriginalBytes) {
  std::string out;
  ASSERT_TRUE(RestoreFile(&store_, manifest_, "/var/log/a.log", [&](std::string_view d) {
                out.append(d);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(out, content_);
  EXPECT_EQ(RestoreFile(&store_, manifest_, "/var/log/other.log",
                        [](std::string_view) { return Status::Ok(); })
                .code(),
            StatusCode::kNotFound);
}

TEST_F(VerificationTest, OnePathIsReadFromEveryPartWithoutTheOthers) {
  // A long file evacuated in small chunks: its manifest is several bounded parts.
  std::string big;
  for (int i = 0; big.size() < 4'500'000; ++i) big += "request " + std::to_string(i) + " served\n";
  env_.SetFile("/var/log/big.log", big);
  env_.SetFile("/var/log/b.log", "the other file\n");
  EvacuationOptions o;
  o.instance_id = "i-2";
  o.chunk_bytes = 4096;
  auto r = Evacuation(&env_, &store_, o).Run({"/var/log/big.log", "/var/log/b.log"});
  ASSERT_TRUE(r.ok() && r->ok());
  auto head = ReadManifestHead(&store_, "i-2");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_GE(head->parts, 2u) << "about 1,100 chunks at most 1,000 a part";

  auto of_big = ReadPathManifest(&store_, *head, "/var/log/big.log");
  ASSERT_TRUE(of_big.ok()) << of_big.status().ToString();
  ASSERT_EQ(of_big->streams.size(), 1u) << "only the asked path's streams";
  EXPECT_EQ(of_big->streams[0].end(), big.size());
  std::string out;
  ASSERT_TRUE(RestoreFile(&store_, *of_big, "/var/log/big.log", [&](std::string_view d) {
                out.append(d);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(out, big);

  auto of_b = ReadPathManifest(&store_, *head, "/var/log/b.log");
  ASSERT_TRUE(of_b.ok());
  ASSERT_EQ(of_b->streams.size(), 1u);
  EXPECT_EQ(of_b->chunk_count(), 1u);
  auto of_none = ReadPathManifest(&store_, *head, "/var/log/none.log");
  ASSERT_TRUE(of_none.ok());
  EXPECT_TRUE(of_none->streams.empty());
}

}  // namespace
}  // namespace lifeboat
