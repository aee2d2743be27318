#include "ship/evacuation.h"
#include "ship/verification.h"

#include <gtest/gtest.h>

#include "common/hash.h"
#include "fakes/forwarding_store.h"
#include "fakes/mem_env.h"
#include "ship/object_keys.h"
#include "store/file_object_store.h"

namespace lifeboat {
namespace {

std::string Lines(const std::string& tag, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += tag + " line " + std::to_string(i) + " GET /index.html 200\n";
  return s;
}

class EvacuationTest : public ::testing::Test {
 protected:
  EvacuationReport Evacuate(const std::vector<std::string>& args, uint64_t chunk = 4096,
                            Codec codec = Codec::kZstd, Env* env = nullptr) {
    EvacuationOptions o;
    o.instance_id = "i-1";
    o.codec = codec;
    o.level = CodecDefaultLevel(codec);
    o.chunk_bytes = chunk;
    o.parallel = 3;
    o.tool = "lifeboat test";
    Evacuation evacuation(env != nullptr ? env : &env_, &store_, o);
    auto r = evacuation.Run(args);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : EvacuationReport{};
  }

  Manifest StoredManifest() {
    auto text = store_.Get(ManifestKey("i-1"));
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    return *ParseManifest(*text);
  }

  // The bytes of a stream, rebuilt from the chunk objects alone, in key order.
  std::string Rebuild(const std::string& path, uint32_t stream) {
    std::string out;
    auto listed = *store_.List("i-1" + path + "/");
    for (const auto& o : listed) {
      auto name = ParseChunkName(o.key.substr(o.key.rfind('/') + 1));
      if (!name || name->stream != stream) continue;
      EXPECT_TRUE(DecodeFrame(name->codec, *store_.Get(o.key), [&](std::string_view d) {
                    out.append(d);
                    return Status::Ok();
                  }).ok());
    }
    return out;
  }

  MemEnv env_;
  FileObjectStore store_{&env_, "/store"};
};

TEST_F(EvacuationTest, ShipsEveryByteInLineAlignedChunksAndAManifest) {
  const std::string a = Lines("a", 400), b = Lines("b", 3) + "no newline at end";
  env_.SetFile("/var/log/a.log", a);
  env_.SetFile("/var/log/b.log", b);
  auto report = Evacuate({"/var/log/*.log"});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.files.size(), 2u);
  EXPECT_EQ(report.raw_bytes, a.size() + b.size());
  EXPECT_GT(report.chunks_uploaded, 3u);
  EXPECT_EQ(Rebuild("/var/log/a.log", 0), a);
  EXPECT_EQ(Rebuild("/var/log/b.log", 0), b);

  Manifest m = StoredManifest();
  EXPECT_TRUE(m.sealed);
  ASSERT_EQ(m.streams.size(), 2u);
  const StreamRecord& s = *m.LatestStream("/var/log/a.log");
  uint64_t expect_begin = 0;
  for (const auto& c : s.chunks) {
    EXPECT_EQ(c.range.begin, expect_begin);
    EXPECT_EQ(a[c.range.end - 1], '\n');  // every chunk of a.log ends on a line end
    EXPECT_EQ(c.raw_crc32c, Crc32c(std::string_view(a).substr(c.range.begin, c.range.size())));
    expect_begin = c.range.end;
  }
  EXPECT_EQ(expect_begin, a.size());
}

TEST_F(EvacuationTest, RunningTwiceUploadsNothing) {
  env_.SetFile("/l/a.log", Lines("a", 300));
  ASSERT_TRUE(Evacuate({"/l/a.log"}).ok());
  const uint64_t requests_before = store_.requests();
  auto again = Evacuate({"/l/a.log"});
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(again.chunks_uploaded, 0u);
  EXPECT_FALSE(again.manifest_written);
  EXPECT_EQ(store_.requests() - requests_before, 1u);  // reading the manifest
}

TEST_F(EvacuationTest, AGrownFileContinuesItsStream) {
  const std::string first = Lines("x", 200), more = Lines("y", 50);
  env_.SetFile("/l/a.log", first);
  ASSERT_TRUE(Evacuate({"/l/a.log"}).ok());
  env_.AppendToFile("/l/a.log", more);
  auto report = Evacuate({"/l/a.log"});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.raw_bytes, more.size());
  EXPECT_EQ(StoredManifest().streams.size(), 1u);
  EXPECT_EQ(Rebuild("/l/a.log", 0), first + more);
}

// Over kMaxTailChunks chunks: the history goes to a part, the head keeps where it ends,
// and a second run continues from the head alone.
TEST_F(EvacuationTest, ALongHistoryGoesToAPartAndTheNextRunContinuesFromTheHead) {
  std::string first;
  for (int i = 0; i < 300; ++i) first += Lines("x" + std::to_string(i), 120);  // ~300 chunks
  const std::string more = Lines("y", 50);
  env_.SetFile("/l/a.log", first);
  ASSERT_TRUE(Evacuate({"/l/a.log"}).ok());
  Manifest head = StoredManifest();
  EXPECT_EQ(head.parts, 1u);
  ASSERT_EQ(head.streams.size(), 1u);
  EXPECT_TRUE(head.streams[0].chunks.empty());
  EXPECT_EQ(head.streams[0].base_end, first.size());
  env_.AppendToFile("/l/a.log", more);
  auto report = Evacuate({"/l/a.log"});
  EXPECT_EQ(report.raw_bytes, more.size());
  EXPECT_EQ(Rebuild("/l/a.log", 0), first + more);
  auto verified = VerifyInstance(&store_, "i-1", {});
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_TRUE(verified->ok()) << verified->problems.front().message();
  EXPECT_EQ(verified->raw_bytes, first.size() + more.size());
}

TEST_F(EvacuationTest, AReplacedFileIsANewStream) {
  env_.SetFile("/l/a.log", Lines("old", 100));
  ASSERT_TRUE(Evacuate({"/l/a.log"}).ok());
  ASSERT_TRUE(env_.Remove("/l/a.log").ok());
  env_.SetFile("/l/a.log", Lines("new", 120));  // a new inode, as after rotation
  auto report = Evacuate({"/l/a.log"});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.files[0].stream, 1u);
  EXPECT_EQ(Rebuild("/l/a.log", 0), Lines("old", 100));
  EXPECT_EQ(Rebuild("/l/a.log", 1), Lines("new", 120));
}

TEST_F(EvacuationTest, ATruncatedFileIsANewStream) {
  env_.SetFile("/l/a.log", Lines("a", 100));
  ASSERT_TRUE(Evacuate({"/l/a.log"}).ok());
  env_.SetFile("/l/a.log", Lines("a", 10));  // same inode, shorter: copytruncate-like
  auto report = Evacuate({"/l/a.log"});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.files[0].stream, 1u);
  EXPECT_EQ(Rebuild("/l/a.log", 1), Lines("a", 10));
}

TEST_F(EvacuationTest, BadPathsFailAloneAndTheRestIsShipped) {
  env_.SetFile("/l/good.log", Lines("g", 10));
  ASSERT_TRUE(env_.CreateDirs("/l/dir").ok());
  auto report = Evacuate({"/l/missing.log", "/l/good.log", "/l/dir", "/nothing/*.log"});
  EXPECT_FALSE(report.ok());
  ASSERT_EQ(report.files.size(), 4u);
  EXPECT_EQ(report.files[0].status.code(), StatusCode::kNotFound);
  EXPECT_TRUE(report.files[1].status.ok());
  EXPECT_NE(report.files[2].status.message().find("is a directory"), std::string::npos);
  EXPECT_NE(report.files[3].status.message().find("no file matches"), std::string::npos);
  Manifest m = StoredManifest();
  EXPECT_FALSE(m.sealed);  // not everything asked for is stored
  EXPECT_EQ(m.streams.size(), 1u);
  EXPECT_EQ(Rebuild("/l/good.log", 0), Lines("g", 10));
}

TEST_F(EvacuationTest, DirectoriesMatchedByAGlobAreSkipped) {
  env_.SetFile("/l/a.log", "x\n");
  ASSERT_TRUE(env_.CreateDirs("/l/old.log").ok());
  auto report = Evacuate({"/l/*.log"});
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.files.size(), 1u);
}

TEST_F(EvacuationTest, AnEmptyFileIsRecordedAndThenContinued) {
  env_.SetFile("/l/empty.log", "");
  auto report = Evacuate({"/l/empty.log"});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.chunks_uploaded, 0u);
  ASSERT_EQ(StoredManifest().streams.size(), 1u);
  env_.AppendToFile("/l/empty.log", "now\n");
  ASSERT_TRUE(Evacuate({"/l/empty.log"}).ok());
  EXPECT_EQ(StoredManifest().streams.size(), 1u);
  EXPECT_EQ(Rebuild("/l/empty.log", 0), "now\n");
}

TEST_F(EvacuationTest, AStoredChunkWithOtherContentIsNotOverwritten) {
  const std::string a = Lines("a", 5);
  env_.SetFile("/l/a.log", a);
  const std::string key = ChunkKey("i-1", "/l/a.log", {0, 0, a.size(), Codec::kNone});
  ASSERT_TRUE(store_.Put(key, std::string(a.size(), 'Z'), {}).ok());
  auto report = Evacuate({"/l/a.log"}, 4096, Codec::kNone);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.files[0].status.code(), StatusCode::kDataLoss);
  EXPECT_EQ(*store_.Get(key), std::string(a.size(), 'Z'));
}

TEST_F(EvacuationTest, AChunkStoredAtAnotherLevelIsAccepted) {
  const std::string a = Lines("a", 50);
  env_.SetFile("/l/a.log", a);
  const std::string key = ChunkKey("i-1", "/l/a.log", {0, 0, a.size(), Codec::kZstd});
  auto enc = *Encoder::Create(Codec::kZstd, 19);
  std::string frame;
  ASSERT_TRUE(enc->Begin(a.size()).ok());
  ASSERT_TRUE(enc->Update(a, &frame).ok());
  ASSERT_TRUE(enc->Finish(&frame).ok());
  ASSERT_TRUE(store_.Put(key, frame, {}).ok());
  auto report = Evacuate({"/l/a.log"}, 1 << 20);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.chunks_already_stored, 1u);
  EXPECT_EQ(StoredManifest().streams[0].chunks[0].stored_size, frame.size());
}

// A writer appending to the file while lifeboat reads it: the second fstat of the open
// file sees more bytes (the first is taken when the file is opened).
class GrowingEnv : public EnvWrapper {
 public:
  GrowingEnv(MemEnv* mem, std::string path, std::string more)
      : EnvWrapper(mem), mem_(mem), path_(std::move(path)), more_(std::move(more)) {}
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& p) override {
    LIFEBOAT_ASSIGN_OR_RETURN(auto f, target()->OpenForRead(p));
    if (p != path_) return f;
    return std::unique_ptr<RandomAccessFile>(std::make_unique<File>(std::move(f), this));
  }

 private:
  class File : public RandomAccessFile {
   public:
    File(std::unique_ptr<RandomAccessFile> f, GrowingEnv* env) : f_(std::move(f)), env_(env) {}
    Result<size_t> ReadAt(uint64_t o, char* b, size_t n) const override { return f_->ReadAt(o, b, n); }
    Result<FileInfo> Stat() const override {
      if (++stats_ == 2) env_->mem_->AppendToFile(env_->path_, env_->more_);
      return f_->Stat();
    }

   private:
    std::unique_ptr<RandomAccessFile> f_;
    GrowingEnv* env_;
    mutable int stats_ = 0;
  };
  MemEnv* mem_;
  std::string path_, more_;
};

TEST_F(EvacuationTest, AFileGrowingWhileReadIsShippedToALineEnd) {
  env_.SetFile("/l/a.log", "one\ntwo\nthr");
  GrowingEnv growing(&env_, "/l/a.log", "ee\nfour\n");
  auto report = Evacuate({"/l/a.log"}, 4096, Codec::kZstd, &growing);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Rebuild("/l/a.log", 0), "one\ntwo\n");
  EXPECT_EQ(report.files[0].stored_end, 8u);
  EXPECT_EQ(report.files[0].bytes_written_since, 11u);
  // The next run continues from the line end with the rest.
  ASSERT_TRUE(Evacuate({"/l/a.log"}).ok());
  EXPECT_EQ(Rebuild("/l/a.log", 0), "one\ntwo\nthree\nfour\n");
}

TEST_F(EvacuationTest, AnUnreadableManifestStopsEverythingAndIsKept) {
  env_.SetFile("/l/a.log", "x\n");
  ASSERT_TRUE(store_.Put(ManifestKey("i-1"), "not json", {}).ok());
  EvacuationOptions o;
  o.instance_id = "i-1";
  Evacuation evacuation(&env_, &store_, o);
  auto r = evacuation.Run({"/l/a.log"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("left untouched"), std::string::npos);
  EXPECT_EQ(*store_.Get(ManifestKey("i-1")), "not json");
}

// A store that cannot be read at all (no credentials, no bucket) answers kNotFound too,
// but without kNoSuchKey: that must stop the run, not pass for "no manifest yet".
class UnreadableStore : public ForwardingObjectStore {
 public:
  using ForwardingObjectStore::ForwardingObjectStore;
  Result<std::string> Get(const std::string&) override {
    return Status::NotFound("no AWS credentials found; tried environment, profile");
  }
};

TEST_F(EvacuationTest, AStoreThatCannotBeReadStopsBeforeUploading) {
  env_.SetFile("/l/a.log", "x\n");
  UnreadableStore store(&store_);
  EvacuationOptions o;
  o.instance_id = "i-1";
  auto r = Evacuation(&env_, &store, o).Run({"/l/a.log"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot read the manifest: no AWS credentials found; tried environment, profile");
  EXPECT_TRUE(store_.List("i-1/")->empty());
}

// S3 without s3:ListBucket answers 403 for the manifest whether it exists or not.
class ManifestDeniedStore : public ForwardingObjectStore {
 public:
  using ForwardingObjectStore::ForwardingObjectStore;
  Result<std::string> Get(const std::string& key) override {
    if (key != ManifestKey("i-1")) return ForwardingObjectStore::Get(key);
    return Status(StatusCode::kPermissionDenied, "AccessDenied: Access Denied", "AccessDenied");
  }
};

TEST_F(EvacuationTest, ADeniedManifestReadStartsAFirstRunButStopsARerunBeforeShipping) {
  env_.SetFile("/l/a.log", Lines("a", 300));
  ManifestDeniedStore s3(&store_);
  EvacuationOptions o;
  o.instance_id = "i-1";
  o.chunk_bytes = 4096;
  auto first = Evacuation(&env_, &s3, o).Run({"/l/a.log"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->ok());
  EXPECT_GT(first->chunks_uploaded, 1u);
  const std::string manifest = *store_.Get(ManifestKey("i-1"));
  const size_t objects = store_.List("i-1/")->size();

  env_.SetFile("/l/a.log", Lines("a", 300) + Lines("b", 300));  // new bytes to ship
  auto again = Evacuation(&env_, &s3, o).Run({"/l/a.log"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(again.status().message().find("exists but reading it (s3:GetObject) is denied"),
            std::string::npos)
      << again.status().message();
  EXPECT_EQ(store_.List("i-1/")->size(), objects);
  EXPECT_EQ(*store_.Get(ManifestKey("i-1")), manifest);
}

TEST_F(EvacuationTest, BadOptionsAreRejected) {
  EvacuationOptions o;
  o.instance_id = "a/b";
  EXPECT_EQ(Evacuation(&env_, &store_, o).Run({"/x"}).status().code(), StatusCode::kInvalidArgument);
  o.instance_id = "i-1";
  o.level = 99;
  EXPECT_EQ(Evacuation(&env_, &store_, o).Run({"/x"}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(EvacuationTest, EveryChunkWasWrittenByWhenTheFileWasRead) {
  auto ms = [](std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  };
  env_.SetFile("/var/log/a.log", Lines("a", 300));
  const int64_t first_read = ms(env_.Now());
  Evacuate({"/var/log/a.log"});
  env_.Advance(std::chrono::hours(1));
  env_.SetFile("/var/log/a.log", Lines("a", 300) + Lines("b", 10));
  const int64_t second_read = ms(env_.Now());
  Evacuate({"/var/log/a.log"});
  Manifest m = StoredManifest();
  ASSERT_EQ(m.streams.size(), 1u);
  const auto& chunks = m.streams[0].chunks;
  ASSERT_GE(chunks.size(), 3u);
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {
    // No modification time here: what was read was there when it was read.
    EXPECT_EQ(chunks[i].written.by_ms, first_read) << i;
    EXPECT_EQ(chunks[i].written.after_ms, 0) << "evacuate cannot know when a line began";
  }
  EXPECT_EQ(chunks.back().written.by_ms, second_read) << "the second run's lines";
  EXPECT_FALSE(chunks.front().written.MayOverlap(first_read + 1, 0));
}

}  // namespace
}  // namespace lifeboat
