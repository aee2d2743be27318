#include "agent/shipper.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "fakes/temp_dir.h"
#include "ship/object_keys.h"
#include "ship/verification.h"
#include "store/file_object_store.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

// The real filesystem with a steady clock the test moves, so that age-based cuts and
// rotate_wait happen exactly when a test says.
class ClockEnv : public EnvWrapper {
 public:
  ClockEnv() : EnvWrapper(Env::Default()) {}
  std::chrono::steady_clock::time_point SteadyNow() override { return now_; }
  void Advance(std::chrono::nanoseconds d) { now_ += std::chrono::duration_cast<std::chrono::steady_clock::duration>(d); }

 private:
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::now();
};

void Append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app | std::ios::binary) << text;
}

std::string Lines(int first, int count, const std::string& tag) {
  std::string out;
  for (int i = first; i < first + count; ++i) out += tag + " line " + std::to_string(i) + "\n";
  return out;
}

class ShipperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.CreateDirs(logs_).ok());
    store_ = std::make_unique<FileObjectStore>(&env_, dir_.path() + "/store");
  }
  void TearDown() override { Stop(); }

  ShipperOptions Options() {
    ShipperOptions o;
    o.instance_id = "i-test";
    o.tool = "test";
    o.sources = {{logs_ + "/*.log", {}}, {logs_ + "/*.log.*", {"*.gz"}}};
    o.max_bytes = 4096;
    o.max_age = milliseconds(1000);
    o.rotate_wait = milliseconds(2000);
    o.rescan_interval = milliseconds(100);
    o.parallel = 2;
    o.max_backoff = milliseconds(50);
    return o;
  }

  void Start() {
    auto checkpoint = CheckpointStore::Open(dir_.path() + "/state", "file:///store i-test");
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    checkpoint_ = std::move(*checkpoint);
    shipper_ = std::make_unique<Shipper>(&env_, store_.get(), checkpoint_.get(), &metrics_,
                                         options_, [] {});
    Status s = shipper_->Start();
    ASSERT_TRUE(s.ok()) << s.message();
  }
  void Stop() {
    shipper_.reset();
    checkpoint_.reset();
  }

  // Steps (without moving the clock) until every upload started has settled.
  void Settle() {
    for (int i = 0; i < 2000; ++i) {
      ASSERT_TRUE(shipper_->Step(true).ok());
      if (!shipper_->Busy()) {
        ASSERT_TRUE(shipper_->Step(true).ok());
        if (!shipper_->Busy()) return;
      }
      std::this_thread::sleep_for(milliseconds(2));
    }
    FAIL() << "uploads did not settle";
  }
  // Opens what is new, lets max_age pass, and ships every whole line.
  void ShipWholeLines() {
    Settle();
    env_.Advance(options_.max_age);
    Settle();
  }
  // Lets rotate_wait pass twice (a stream rotated away drains, then one whose copy
  // appeared after it lost its file), settling in between.
  void LetRotatedStreamsFinish() {
    for (int i = 0; i < 2; ++i) {
      Settle();
      env_.Advance(options_.rotate_wait + milliseconds(500));
    }
    Settle();
  }
  void Drain() {
    Status s = shipper_->Drain([] { return false; });
    ASSERT_TRUE(s.ok()) << s.message();
  }

  // Every stored stream rebuilt from its chunk objects, checking that each chunk begins
  // where the one before ended.
  std::map<std::pair<std::string, uint32_t>, std::string> Stored() {
    std::map<std::pair<std::string, uint32_t>, std::string> out;
    auto listed = store_->List("i-test/");
    EXPECT_TRUE(listed.ok());
    for (const auto& object : *listed) {
      const auto slash = object.key.rfind('/');
      auto name = ParseChunkName(object.key.substr(slash + 1));
      if (!name) continue;
      const std::string path = object.key.substr(std::string("i-test").size(), slash - 6);
      std::string& data = out[{path, name->stream}];
      EXPECT_EQ(data.size(), name->begin) << "gap or overlap at " << object.key;
      auto frame = store_->Get(object.key);
      EXPECT_TRUE(frame.ok());
      EXPECT_TRUE(DecodeFrame(name->codec, *frame, [&](std::string_view b) {
                    data.append(b);
                    return Status::Ok();
                  }).ok());
      EXPECT_EQ(data.size(), name->end) << object.key;
    }
    return out;
  }
  std::string StoredStream(const std::string& path, uint32_t stream) {
    auto all = Stored();
    auto it = all.find({path, stream});
    return it == all.end() ? std::string() : it->second;
  }

  TempDir dir_;
  ClockEnv env_;
  std::string logs_ = dir_.path() + "/logs";
  std::string app_ = logs_ + "/app.log";
  ShipperOptions options_ = Options();
  std::unique_ptr<FileObjectStore> store_;
  std::unique_ptr<CheckpointStore> checkpoint_;
  Metrics metrics_;
  std::unique_ptr<Shipper> shipper_;
};

TEST_F(ShipperTest, CutsByAgeAtLineEndsAndDrainsThePartialLine) {
  Append(app_, Lines(0, 10, "a") + "partial");
  Start();
  Settle();
  EXPECT_EQ(Stored().size(), 0u) << "nothing is old enough yet";
  ShipWholeLines();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 10, "a")) << "whole lines only";
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 10, "a") + "partial");
  auto report = VerifyInstance(store_.get(), "i-test", {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_TRUE(report->manifest.sealed);
}

TEST_F(ShipperTest, CutsBySizeWithoutWaitingForAge) {
  const std::string text = Lines(0, 1000, "b");
  Append(app_, text);
  Start();
  Settle();
  const std::string stored = StoredStream(app_, 0);
  EXPECT_GE(stored.size(), text.size() - 4096);
  EXPECT_EQ(stored, text.substr(0, stored.size()));
  EXPECT_EQ(stored.back(), '\n');
}

TEST_F(ShipperTest, RenamedFileIsOneStreamEvenWhenItsNewNameIsListed) {
  Start();
  Append(app_, Lines(0, 50, "c"));
  Settle();
  ASSERT_TRUE(env_.Rename(app_, app_ + ".1").ok());
  Append(app_ + ".1", Lines(50, 5, "c"));  // the writer has not reopened yet
  Append(app_, Lines(100, 5, "d"));
  LetRotatedStreamsFinish();
  Drain();
  auto stored = Stored();
  EXPECT_EQ((stored[{app_, 0}]), Lines(0, 55, "c"));
  EXPECT_EQ((stored[{app_, 1}]), Lines(100, 5, "d"));
  EXPECT_EQ(stored.count({app_ + ".1", 0}), 0u) << "the rotated name is the same stream";
}

TEST_F(ShipperTest, RotatedAndDeletedFileIsShippedThroughTheOpenDescriptor) {
  Start();
  Append(app_, Lines(0, 20, "e"));
  Settle();  // opened; nothing old enough to ship
  ASSERT_TRUE(env_.Rename(app_, app_ + ".1").ok());
  Append(app_ + ".1", Lines(20, 20, "e"));
  ASSERT_TRUE(env_.Remove(app_ + ".1").ok());
  LetRotatedStreamsFinish();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 40, "e"));
  EXPECT_EQ(metrics_.Value("lifeboat_open_files"), 0) << "closed once shipped";
}

TEST_F(ShipperTest, CopytruncateShipsOnlyWhatTheCopyAddsAndNeverTheCopyAsANewStream) {
  Start();
  Append(app_, Lines(0, 30, "f"));
  ShipWholeLines();
  ASSERT_EQ(StoredStream(app_, 0), Lines(0, 30, "f"));
  Append(app_, Lines(30, 10, "f"));  // written, not yet shipped
  // logrotate copytruncate: copy, then truncate in place; the writer goes on at 0.
  std::string all = *env_.ReadFileToString(app_);
  Append(app_ + ".1", all);
  ASSERT_EQ(::truncate(app_.c_str(), 0), 0);
  Append(app_, Lines(0, 5, "g"));
  LetRotatedStreamsFinish();
  Drain();
  auto stored = Stored();
  EXPECT_EQ((stored[{app_, 0}]), Lines(0, 40, "f"));
  EXPECT_EQ((stored[{app_, 1}]), Lines(0, 5, "g"));
  EXPECT_EQ(stored.count({app_ + ".1", 0}), 0u);
  EXPECT_EQ(metrics_.Value("lifeboat_bytes_lost_total"), 0);
}

TEST_F(ShipperTest, TruncationWithoutACopyStartsANewStreamAndCountsTheLoss) {
  Start();
  Append(app_, Lines(0, 30, "h"));
  ShipWholeLines();
  ASSERT_EQ(StoredStream(app_, 0), Lines(0, 30, "h"));
  ASSERT_EQ(::truncate(app_.c_str(), 0), 0);
  Append(app_, Lines(0, 3, "i"));
  Settle();
  Drain();
  auto stored = Stored();
  EXPECT_EQ((stored[{app_, 0}]), Lines(0, 30, "h"));
  EXPECT_EQ((stored[{app_, 1}]), Lines(0, 3, "i"));
}

TEST_F(ShipperTest, RestartContinuesWithoutShippingAgain) {
  Append(app_, Lines(0, 30, "j"));
  Start();
  ShipWholeLines();
  const double chunks = metrics_.Value("lifeboat_chunks_shipped_total");
  ASSERT_GT(chunks, 0);
  Stop();
  Append(app_, Lines(30, 30, "j"));
  Start();
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 60, "j"));
  EXPECT_EQ(Stored().size(), 1u);
  EXPECT_EQ(metrics_.Value("lifeboat_chunks_already_stored_total"), 0);
}

TEST_F(ShipperTest, PlannedRangeIsResentUnderTheSameKeyAfterACrash) {
  Append(app_, Lines(0, 30, "k"));
  Start();
  ShipWholeLines();
  Stop();
  // The crash: the store acknowledged the next chunk, the checkpoint only has its plan.
  Append(app_, Lines(30, 10, "k"));
  const uint64_t begin = Lines(0, 30, "k").size();
  const uint64_t end = begin + Lines(30, 10, "k").size();
  {
    auto checkpoint = CheckpointStore::Open(dir_.path() + "/state", "file:///store i-test");
    ASSERT_TRUE(checkpoint.ok());
    CheckpointBatch batch;
    batch.planned.push_back({{app_, 0}, {begin, end}});
    ASSERT_TRUE((*checkpoint)->Apply(batch).ok());
  }
  const std::string key =
      ChunkKey("i-test", app_, ChunkName{0, begin, end, Codec::kZstd});
  {
    auto encoder = Encoder::Create(Codec::kZstd, 3);
    std::string frame;
    ASSERT_TRUE((*encoder)->Begin(end - begin).ok());
    ASSERT_TRUE((*encoder)->Update(Lines(30, 10, "k"), &frame).ok());
    ASSERT_TRUE((*encoder)->Finish(&frame).ok());
    ASSERT_TRUE(store_->Put(key, frame, {}).ok());
  }
  Start();
  Settle();
  EXPECT_EQ(metrics_.Value("lifeboat_chunks_already_stored_total"), 1);
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 40, "k"));
  auto report = VerifyInstance(store_.get(), "i-test", {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

TEST_F(ShipperTest, LostStateDirContinuesFromTheStoredManifest) {
  Append(app_, Lines(0, 30, "m"));
  Start();
  Drain();
  Stop();
  std::filesystem::remove_all(dir_.path() + "/state");
  Append(app_, Lines(30, 5, "m"));
  Start();
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 35, "m"));
  EXPECT_EQ(Stored().size(), 1u) << "not shipped again as a new stream";
}

TEST_F(ShipperTest, OpenFileLimitDefersNewFilesUntilADescriptorIsFree) {
  options_.max_open_files = 1;
  Append(app_, Lines(0, 5, "n"));
  Start();
  Settle();
  Append(logs_ + "/other.log", Lines(0, 5, "o"));
  Settle();
  EXPECT_GT(metrics_.Value("lifeboat_open_file_limit_hits_total"), 0);
  EXPECT_EQ(metrics_.Value("lifeboat_open_files"), 1);
  // app.log rotates away and is shipped to its end: its descriptor is freed.
  ASSERT_TRUE(env_.Rename(app_, app_ + ".1").ok());
  LetRotatedStreamsFinish();
  Drain();
  auto stored = Stored();
  EXPECT_EQ((stored[{app_, 0}]), Lines(0, 5, "n"));
  EXPECT_EQ((stored[{logs_ + "/other.log", 0}]), Lines(0, 5, "o"));
}

TEST_F(ShipperTest, IdleFileAtItsPathIsClosedAndOpenedAgainWhenItGrows) {
  Append(app_, Lines(0, 5, "p"));
  Start();
  ShipWholeLines();
  env_.Advance(std::chrono::seconds(61));
  Settle();
  EXPECT_EQ(metrics_.Value("lifeboat_open_files"), 0);
  Append(app_, Lines(5, 5, "p"));
  ShipWholeLines();
  EXPECT_EQ(metrics_.Value("lifeboat_open_files"), 1);
  Drain();
  auto stored = Stored();
  EXPECT_EQ((stored[{app_, 0}]), Lines(0, 10, "p"));
  EXPECT_EQ(stored.size(), 1u) << "the same stream, not a new one";
}

TEST_F(ShipperTest, NewFileThatStartsLikeAShippedStreamIsNotMistakenForItsCopy) {
  const std::string banner = Lines(0, 100, "banner");  // more than the 1 KiB fingerprint
  Append(app_, banner + Lines(0, 50, "first"));
  Start();
  ShipWholeLines();
  ASSERT_TRUE(env_.Rename(app_, app_ + ".1").ok());
  Settle();
  env_.Advance(milliseconds(2500));
  Settle();  // stream 0 shipped to its end and closed
  // A new file with the same banner, shorter than stream 0.
  Append(app_, banner + Lines(0, 5, "second"));
  ShipWholeLines();
  Drain();
  auto stored = Stored();
  EXPECT_EQ((stored[{app_, 0}]), banner + Lines(0, 50, "first"));
  EXPECT_EQ((stored[{app_, 1}]), banner + Lines(0, 5, "second"));
}

TEST_F(ShipperTest, LostStateDirRecordsChunksStoredAfterTheLastManifest) {
  Append(app_, Lines(0, 30, "q"));
  Start();
  Settle();  // the first manifest lists the stream, without chunks
  const std::string manifest = ManifestKey("i-test");
  for (int i = 0; i < 500 && !store_->Head(manifest).ok(); ++i) std::this_thread::sleep_for(milliseconds(2));
  ASSERT_TRUE(store_->Head(manifest).ok());
  env_.Advance(options_.max_age);
  Settle();  // chunks stored; the next manifest is 30 s away
  ASSERT_EQ(StoredStream(app_, 0), Lines(0, 30, "q"));
  Stop();  // killed: no drain, no newer manifest
  std::filesystem::remove_all(dir_.path() + "/state");
  Append(app_, Lines(30, 5, "q"));
  Start();
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 35, "q")) << "no overlap: Stored() checks each begin";
  auto report = VerifyInstance(store_.get(), "i-test", {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_TRUE(report->warnings.empty());
}

}  // namespace
}  // namespace lifeboat
