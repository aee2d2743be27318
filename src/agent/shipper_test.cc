#include "agent/shipper.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "fakes/forwarding_store.h"
#include "fakes/temp_dir.h"
#include "ship/instance_index.h"
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
  // The wall clock moves with it.
  std::chrono::system_clock::time_point Now() override {
    return wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(now_ - start_);
  }
  void Advance(std::chrono::nanoseconds d) { now_ += std::chrono::duration_cast<std::chrono::steady_clock::duration>(d); }

 private:
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  const std::chrono::system_clock::time_point wall_start_ = std::chrono::system_clock::now();
  std::chrono::steady_clock::time_point now_ = start_;
};

int64_t WallMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

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
    auto checkpoint = CheckpointStore::Open(*Env::Default(), dir_.path() + "/state", "file:///store i-test");
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    checkpoint_ = std::move(*checkpoint);
    shipper_ = std::make_unique<Shipper>(&env_, via_ ? via_ : store_.get(), checkpoint_.get(),
                                         &metrics_, options_, [] {});
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
  ObjectStore* via_ = nullptr;  // what the shipper writes through, when not store_ itself
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

// Forwards to a store; while `refuse_head` is set, writes of the manifest head fail.
class HeadGate : public ForwardingObjectStore {
 public:
  using ForwardingObjectStore::ForwardingObjectStore;
  std::atomic<bool> refuse_head{false};
  Result<std::unique_ptr<ObjectWriter>> NewWriter(const std::string& key,
                                                  const WriteOptions& o) override {
    if (refuse_head && key == ManifestKey("i-test")) return Status::Unavailable("503 SlowDown");
    return ForwardingObjectStore::NewWriter(key, o);
  }
};

// Raw sizes of the chunk objects of one stream, in byte order.
std::vector<uint64_t> ChunkSizes(ObjectStore& store, const std::string& path, uint32_t stream) {
  std::vector<uint64_t> sizes;
  auto listed = store.List("i-test" + path + "/");
  if (!listed.ok()) return sizes;
  for (const auto& object : *listed) {
    auto name = ParseChunkName(object.key.substr(object.key.rfind('/') + 1));
    if (name && name->stream == stream) sizes.push_back(name->end - name->begin);
  }
  return sizes;
}

uint64_t Puts(const ObjectStore& store) {
  const auto counts = store.requests_by_operation();
  auto it = counts.find("PutObject");
  return it == counts.end() ? 0 : it->second;
}

TEST_F(ShipperTest, ChunksCutForSizeHoldAtLeastMaxBytes) {
  options_.max_age = std::chrono::hours(1);
  Start();
  for (int i = 0; i < 40; ++i) {
    Append(app_, Lines(i * 25, 25, "a fairly ordinary access log line of some length"));
    Settle();
  }
  const auto sizes = ChunkSizes(*store_, app_, 0);
  ASSERT_GE(sizes.size(), 3u) << "cut for size without waiting for max_age";
  for (uint64_t size : sizes) EXPECT_GE(size, options_.max_bytes);
}

TEST_F(ShipperTest, EachChunkKnowsWhenItsLinesWereWritten) {
  Append(app_, Lines(0, 3, "before the agent"));  // written at a time nobody saw
  Start();
  Settle();
  env_.Advance(milliseconds(60'000));
  Settle();
  const int64_t written = WallMs(env_.Now());
  Append(app_, Lines(3, 3, "a"));
  Settle();
  env_.Advance(options_.max_age);
  Settle();
  Drain();  // publishes a sealed manifest
  auto m = ReadManifest(store_.get(), "i-test");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->streams.size(), 1u);
  const auto& chunks = m->streams[0].chunks;
  ASSERT_FALSE(chunks.empty());
  // The first chunk starts with bytes that were there at start-up: no lower bound.
  EXPECT_EQ(chunks.front().written.after_ms, 0);
  EXPECT_GT(chunks.front().written.by_ms, 0);
  EXPECT_LT(chunks.front().written.by_ms, written) << "seen at start-up, a minute before";
  // A chunk of only the later lines: bounded within a look at the file on either side.
  const ChunkRecord& last = chunks.back();
  ASSERT_GT(last.range.begin, 0u) << "the later lines were cut on their own";
  EXPECT_LE(last.written.after_ms, written);
  EXPECT_GE(last.written.after_ms, written - 2000) << "within the second of slack";
  EXPECT_GE(last.written.by_ms, written);
  EXPECT_LE(last.written.by_ms, written + 2000);
  EXPECT_FALSE(last.written.MayOverlap(written + 5000, 0)) << "a search from later skips it";
  EXPECT_FALSE(last.written.MayOverlap(0, written - 5000)) << "so does one that ends before";
  EXPECT_TRUE(last.written.MayOverlap(written - 5000, written + 5000));
}

TEST_F(ShipperTest, AnOldByteCutsEveryStreamAtOnceWithOneManifestUpdate) {
  options_.max_age = milliseconds(1000);
  // Shorter than the steps below, so only waiting for the flush to settle groups updates.
  options_.manifest_interval = milliseconds(100);
  const std::string b = logs_ + "/b.log", c = logs_ + "/c.log";
  Append(app_, Lines(0, 5, "a"));
  Start();
  Settle();
  env_.Advance(milliseconds(400));
  Append(b, Lines(0, 5, "b"));
  Settle();
  env_.Advance(milliseconds(400));
  Append(c, Lines(0, 5, "c"));
  Settle();
  // Steps until the stored head satisfies `done` (the publisher writes in the background).
  auto wait_for_head = [&](const std::function<bool(const Manifest&)>& done) {
    for (int i = 0; i < 5000; ++i) {
      Settle();
      auto text = store_->Get(ManifestKey("i-test"));
      auto head = text.ok() ? ParseManifest(*text) : Result<Manifest>(text.status());
      if (head.ok() && done(*head)) return true;
      std::this_thread::sleep_for(milliseconds(2));
    }
    return false;
  };
  // The store counts a write when it starts, so a visible head has been counted.
  ASSERT_TRUE(wait_for_head([](const Manifest& m) { return m.streams.size() == 3; }));
  const uint64_t before = Puts(*store_);
  EXPECT_EQ(Stored().size(), 0u) << "nothing is max_age old yet";

  env_.Advance(milliseconds(200));  // a.log's first byte is now max_age old; c.log's 200 ms
  Settle();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 5, "a"));
  EXPECT_EQ(StoredStream(b, 0), Lines(0, 5, "b"));
  EXPECT_EQ(StoredStream(c, 0), Lines(0, 5, "c")) << "cut with the others, though young";
  ASSERT_TRUE(wait_for_head([](const Manifest& m) { return m.chunk_count() == 3; }));
  EXPECT_EQ(Puts(*store_), before + 3 + 1) << "three chunks and one manifest update";
}

TEST_F(ShipperTest, APartialLineDoesNotTurnEveryTickIntoAFlush) {
  options_.max_age = milliseconds(1000);
  const std::string b = logs_ + "/b.log";
  Append(app_, "a line that never ends");
  Start();
  for (int tick = 0; tick < 40; ++tick) {  // 10 s of a line every 250 ms
    Append(b, Lines(tick, 1, "b"));
    Settle();
    env_.Advance(milliseconds(250));
  }
  Settle();
  EXPECT_EQ(StoredStream(app_, 0), "") << "a partial line waits for its end or a drain";
  EXPECT_LE(ChunkSizes(*store_, b, 0).size(), 11u) << "one flush per max_age, not per tick";
  EXPECT_GE(ChunkSizes(*store_, b, 0).size(), 8u);
}

// The shipped defaults on a quiet instance: three logs of 100 bytes a second for a
// simulated day cost at most 100 write requests (chunks and manifests together), and a
// drain still ships every byte.
TEST_F(ShipperTest, AQuietDayAtTheShippedDefaultsMakesAtMostAHundredWrites) {
  AgentConfig defaults;
  defaults.sources = options_.sources;
  options_ = ShipperOptionsFrom(defaults, "i-test");
  const std::vector<std::string> files = {app_, logs_ + "/b.log", logs_ + "/c.log"};
  std::vector<std::string> written(files.size());
  Start();
  Settle();
  int line = 0;
  for (auto elapsed = milliseconds(0); elapsed < std::chrono::hours(24);) {
    const auto wait = shipper_->NextWait();
    ASSERT_GE(wait, milliseconds(1000)) << "an idle agent sleeps";
    env_.Advance(wait);
    elapsed += wait;
    // 100 bytes a second: one line of 100 bytes per file per second.
    std::vector<std::string> text(files.size());
    for (; line < elapsed.count() / 1000; ++line) {
      for (size_t f = 0; f < files.size(); ++f) {
        std::string one = fmt::format("{} {:08d} ", f, line);  // files differ from their first byte
        one.resize(99, 'x');
        text[f] += one + "\n";
      }
    }
    for (size_t f = 0; f < files.size(); ++f) {
      Append(files[f], text[f]);
      written[f] += text[f];
    }
    Settle();
  }
  std::this_thread::sleep_for(milliseconds(100));
  Settle();
  const uint64_t writes = Puts(*store_);
  EXPECT_LE(writes, 100u) << "write requests in a quiet day";
  EXPECT_GE(writes, 3u * 23) << "a chunk per stream about every max_age";
  Drain();
  for (size_t f = 0; f < files.size(); ++f) {
    EXPECT_TRUE(StoredStream(files[f], 0) == written[f]) << files[f] << " not stored whole";
  }
}

// Hundreds of chunks: the head stays small while parts take the history; an agent killed
// after a part was stored but before the head that counts it continues, and the sealed
// manifest verifies with every byte once.
TEST_F(ShipperTest, ManifestPartsKeepTheHeadSmallAndSurviveACrashBeforeTheHead) {
  options_.max_age = std::chrono::hours(1);
  options_.manifest_interval = milliseconds(0);
  options_.max_backoff = milliseconds(20);
  HeadGate gate(store_.get());
  via_ = &gate;
  std::string written;
  Start();
  size_t largest_head = 0;
  auto write_chunks = [&](int from, int n) {
    for (int i = from; i < from + n; ++i) {
      const std::string text = Lines(i * 40, 40, std::string(95, 'p'));  // over 4 KiB: a chunk
      Append(app_, text);
      written += text;
      Settle();
      auto head = store_->Get(ManifestKey("i-test"));
      if (head.ok()) largest_head = std::max(largest_head, head->size());
    }
  };
  write_chunks(0, 450);
  std::this_thread::sleep_for(milliseconds(50));
  Settle();
  EXPECT_TRUE(store_->Head(ManifestPartKey("i-test", 2)).ok()) << "over 400 chunks: two parts";
  EXPECT_LT(largest_head, 64u << 10) << "the head holds at most the tails";

  gate.refuse_head = true;  // the next part is stored, its head is not
  write_chunks(450, 220);
  for (int i = 0; i < 2000 && !store_->Head(ManifestPartKey("i-test", 3)).ok(); ++i) {
    Settle();
    std::this_thread::sleep_for(milliseconds(2));
  }
  ASSERT_TRUE(store_->Head(ManifestPartKey("i-test", 3)).ok());
  Stop();  // killed: the stored head still counts two parts
  gate.refuse_head = false;
  Append(app_, Lines(0, 3, "after the restart"));
  written += Lines(0, 3, "after the restart");
  Start();
  write_chunks(670, 10);
  shipper_->EndWith(EndCause::kShutdown);
  Drain();

  EXPECT_EQ(StoredStream(app_, 0), written);
  auto report = VerifyInstance(store_.get(), "i-test", {});
  ASSERT_TRUE(report.ok()) << report.status().message();
  for (const auto& p : report->problems) ADD_FAILURE() << p.message();
  EXPECT_TRUE(report->manifest.sealed);
  EXPECT_GE(report->manifest.parts, 3u);
  EXPECT_EQ(report->raw_bytes, written.size());
  auto whole = ReadManifest(store_.get(), "i-test");
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->streams.size(), 1u);
  EXPECT_EQ(whole->streams[0].chunks.size(), report->chunks_checked);
  // The instance record counts every chunk once: the parts stored before the restart (read
  // back), the part written again, and the head's tail.
  auto record = ReadInstanceRecord(store_.get(), "i-test");
  ASSERT_TRUE(record.ok() && record->has_value());
  ASSERT_EQ((*record)->files.size(), 1u);
  EXPECT_EQ((*record)->files[0].raw_bytes, written.size());
  EXPECT_EQ((*record)->files[0].stored_bytes, whole->stored_bytes());
}

// A rotated stream shipped to its end leaves memory once the parts list it; its file,
// found again under the rotated name (here after a restart), is not shipped a second
// time, and if it grows it continues its own stream.
TEST_F(ShipperTest, AFinishedStreamLeavesMemoryAndIsRecognisedAgainFromTheCheckpoint) {
  options_.max_age = std::chrono::hours(1);
  options_.manifest_interval = milliseconds(0);
  Start();
  std::string first;
  for (int i = 0; i < 210; ++i) {  // over kMaxTailChunks: the next update writes a part
    const std::string text = Lines(i * 40, 40, std::string(95, 'r'));
    Append(app_, text);
    first += text;
    Settle();
  }
  std::filesystem::rename(app_, app_ + ".1");
  Append(app_, Lines(0, 3, "new"));
  LetRotatedStreamsFinish();
  for (int i = 0; i < 2000 && !store_->Head(ManifestPartKey("i-test", 1)).ok(); ++i) {
    Settle();
    std::this_thread::sleep_for(milliseconds(2));
  }
  ASSERT_TRUE(store_->Head(ManifestPartKey("i-test", 1)).ok());
  Settle();
  Stop();
  Start();  // app.log#0 is finished and not the newest of its path: not loaded
  LetRotatedStreamsFinish();
  EXPECT_EQ(StoredStream(app_ + ".1", 0), "") << "the rotated file is not a new stream";
  Append(app_ + ".1", Lines(0, 2, "late"));
  LetRotatedStreamsFinish();
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), first + Lines(0, 2, "late"));
  EXPECT_EQ(StoredStream(app_, 1), Lines(0, 3, "new"));
  EXPECT_EQ(StoredStream(app_ + ".1", 0), "");
  auto report = VerifyInstance(store_.get(), "i-test", {});
  ASSERT_TRUE(report.ok());
  for (const auto& p : report->problems) ADD_FAILURE() << p.message();
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

// Forwards to a store and remembers the key of every write begun.
class KeyLog : public ForwardingObjectStore {
 public:
  using ForwardingObjectStore::ForwardingObjectStore;
  Result<std::unique_ptr<ObjectWriter>> NewWriter(const std::string& key,
                                                  const WriteOptions& o) override {
    {
      std::lock_guard lock(mu_);
      keys_.push_back(key);
    }
    return ForwardingObjectStore::NewWriter(key, o);
  }
  size_t Count(std::string_view prefix) {
    std::lock_guard lock(mu_);
    return std::count_if(keys_.begin(), keys_.end(), [&](const auto& k) { return k.starts_with(prefix); });
  }

 private:
  std::mutex mu_;
  std::vector<std::string> keys_;
};

// The agent's instance record: written with its first manifest (with the day's marker),
// and at the seal with the cause, the time and what was shipped.
TEST_F(ShipperTest, TheInstanceRecordSaysWhatWasShippedAndWhyItEnded) {
  options_.instance.group = "web";
  options_.instance.instance_type = "t3.micro";
  options_.instance.launch_time = env_.Now() - std::chrono::hours(1);
  KeyLog log(store_.get());
  via_ = &log;
  const WallTime started = env_.Now();
  Append(app_, Lines(0, 30, "r"));
  Start();
  ShipWholeLines();
  auto record = [&]() -> std::optional<InstanceRecord> {
    for (int i = 0; i < 2000; ++i) {
      auto r = ReadInstanceRecord(store_.get(), "i-test");
      if (r.ok() && r->has_value()) return **r;
      std::this_thread::sleep_for(milliseconds(2));
    }
    return std::nullopt;
  };
  auto first = record();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->writer, "agent");
  EXPECT_EQ(first->group, "web");
  EXPECT_EQ(first->instance_type, "t3.micro");
  EXPECT_TRUE(first->running());
  EXPECT_FALSE(first->sealed);
  EXPECT_TRUE(store_->Head(DayIndexKey(UtcDay(started), "i-test")).ok()) << "today's marker";
  EXPECT_TRUE(store_->Head(DayIndexKey(UtcDay(*options_.instance.launch_time), "i-test")).ok())
      << "the launch day's marker";

  shipper_->EndWith(EndCause::kScaleIn);
  shipper_->EndWith(EndCause::kShutdown);  // the first cause sticks
  Append(app_, Lines(30, 5, "r"));
  Drain();
  const WallTime drained = env_.Now();
  auto sealed = ReadInstanceRecord(store_.get(), "i-test");
  ASSERT_TRUE(sealed.ok() && sealed->has_value());
  const InstanceRecord& r = **sealed;
  EXPECT_TRUE(r.sealed);
  ASSERT_TRUE(r.cause.has_value());
  EXPECT_EQ(*r.cause, EndCause::kScaleIn);
  ASSERT_TRUE(r.terminated_at && r.first_byte_time && r.last_byte_time);
  EXPECT_GE(*r.terminated_at, std::chrono::floor<std::chrono::seconds>(started));
  EXPECT_LE(*r.terminated_at, drained);
  EXPECT_LE(*r.first_byte_time, *r.last_byte_time);
  EXPECT_LE(*r.last_byte_time, *r.terminated_at + std::chrono::seconds(1));
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].path, app_);
  EXPECT_EQ(r.files[0].raw_bytes, Lines(0, 35, "r").size());
  auto whole = ReadManifest(store_.get(), "i-test");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(r.files[0].stored_bytes, whole->stored_bytes());

  // A restart learns from the stored record which days are indexed: no marker again.
  const size_t markers = log.Count(".lifeboat/days/");
  Stop();
  Append(app_, Lines(35, 5, "r"));
  Start();
  Drain();
  EXPECT_EQ(log.Count(".lifeboat/days/"), markers);
  auto again = ReadInstanceRecord(store_.get(), "i-test");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->files[0].raw_bytes, Lines(0, 40, "r").size()) << "counted from the parts and head";
  EXPECT_EQ((*again)->first_byte_time, r.first_byte_time) << "kept from the earlier run";
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
    auto checkpoint = CheckpointStore::Open(*Env::Default(), dir_.path() + "/state", "file:///store i-test");
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

// S3 without s3:ListBucket (the instance policy): the manifest's read is 403 whether it
// exists or not.
class ManifestDeniedStore : public ForwardingObjectStore {
 public:
  using ForwardingObjectStore::ForwardingObjectStore;
  Result<std::string> Get(const std::string& key) override {
    if (key != ManifestKey("i-test")) return ForwardingObjectStore::Get(key);
    return Status(StatusCode::kPermissionDenied, "AccessDenied: Access Denied", "AccessDenied");
  }
};

TEST_F(ShipperTest, AFirstStartWhoseManifestReadIsDeniedShips) {
  ManifestDeniedStore s3(store_.get());
  via_ = &s3;
  Append(app_, Lines(0, 30, "p"));
  ASSERT_NO_FATAL_FAILURE(Start());
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 30, "p"));
}

TEST_F(ShipperTest, ALostStateDirWithADeniedManifestReadStopsTheStartInsteadOfShippingAgain) {
  Append(app_, Lines(0, 30, "q"));
  Start();
  Drain();
  Stop();
  std::filesystem::remove_all(dir_.path() + "/state");
  const size_t objects = store_->List("i-test/")->size();
  ManifestDeniedStore s3(store_.get());
  auto checkpoint = CheckpointStore::Open(*Env::Default(), dir_.path() + "/state", "file:///store i-test");
  ASSERT_TRUE(checkpoint.ok());
  Shipper shipper(&env_, &s3, checkpoint->get(), &metrics_, options_, [] {});
  Status s = shipper.Start();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.message();
  EXPECT_NE(s.message().find("exists but reading it (s3:GetObject) is denied"), std::string::npos)
      << s.message();
  EXPECT_EQ(store_->List("i-test/")->size(), objects);
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

// Forwards to a store and records where each listing started.
class ListingRecorder : public ForwardingObjectStore {
 public:
  using ForwardingObjectStore::ForwardingObjectStore;
  std::vector<std::pair<std::string, std::string>> listings;  // prefix, start_after
  Status ListPages(const std::string& p, const std::string& after, const ListPageFn& fn) override {
    listings.emplace_back(p, after);
    return ForwardingObjectStore::ListPages(p, after, fn);
  }
};

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
  ListingRecorder recorder(store_.get());
  via_ = &recorder;
  Start();
  Drain();
  EXPECT_EQ(StoredStream(app_, 0), Lines(0, 35, "q")) << "no overlap: Stored() checks each begin";
  // The stream's own directory, from where the manifest's record of it ends: not every
  // chunk the instance ever shipped.
  ASSERT_EQ(recorder.listings.size(), 1u);
  EXPECT_EQ(recorder.listings[0].first, "i-test" + app_ + "/");
  EXPECT_EQ(recorder.listings[0].second,
            ChunkKey("i-test", app_, ChunkName{0, 0, 0, Codec::kNone}));
  auto report = VerifyInstance(store_.get(), "i-test", {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_TRUE(report->warnings.empty());
}

}  // namespace
}  // namespace lifeboat
