#include "ship/checkpoint_store.h"
#include "ship/sqlite_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "fakes/temp_dir.h"

namespace lifeboat {
namespace {

constexpr char kOwner[] = "s3://bucket/logs i-0abc";

auto Fields(const ChunkRecord& c) {
  return std::tuple(c.range.begin, c.range.end, c.codec, c.stored_size, c.raw_crc32c,
                    c.stored_crc32c);
}

void ExpectSameStreams(const std::vector<CheckpointedStream>& got,
                       const std::vector<CheckpointedStream>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(want[i].key.path + " #" + std::to_string(want[i].key.stream));
    EXPECT_EQ(got[i].key, want[i].key);
    EXPECT_EQ(got[i].identity, want[i].identity);
    EXPECT_EQ(got[i].finished, want[i].finished);
    ASSERT_EQ(got[i].chunks.size(), want[i].chunks.size());
    for (size_t j = 0; j < got[i].chunks.size(); ++j) {
      EXPECT_EQ(Fields(got[i].chunks[j]), Fields(want[i].chunks[j])) << "chunk " << j;
    }
    EXPECT_EQ(got[i].planned, want[i].planned);
  }
}

ChunkRecord Chunk(uint64_t begin, uint64_t end, Codec codec = Codec::kZstd) {
  ChunkRecord c;
  c.range = {begin, end};
  c.codec = codec;
  c.stored_size = (end - begin) / 4 + 1;
  c.raw_crc32c = static_cast<uint32_t>(begin * 7 + 1);
  c.stored_crc32c = static_cast<uint32_t>(end * 13 + 2);
  return c;
}

const StreamKey kA{"/var/log/a.log", 0};
const StreamIdentity kIdA{1, 100, 64, 0xAAAA};

class CheckpointStoreTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return dir_.Join("state/checkpoint.db"); }

  std::unique_ptr<CheckpointStore> OpenStore(const std::string& owner = kOwner) {
    auto store = CheckpointStore::Open(*Env::Default(), dir_.Join("state"), owner);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::vector<CheckpointedStream> LoadAll(CheckpointStore& store) {
    auto loaded = store.Load();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? *loaded : std::vector<CheckpointedStream>{};
  }

  // A store holding stream kA with chunk [0, 100) acked and [100, 200) planned.
  std::unique_ptr<CheckpointStore> OpenWithStreamA() {
    auto store = OpenStore();
    CheckpointBatch batch;
    batch.new_streams.push_back({kA, kIdA});
    batch.planned.push_back({kA, {0, 100}});
    batch.planned.push_back({kA, {100, 200}});
    batch.acked.push_back({kA, Chunk(0, 100)});
    EXPECT_TRUE(store->Apply(batch).ok());
    return store;
  }

  TempDir dir_;
};

TEST_F(CheckpointStoreTest, RoundTripsEveryFieldSorted) {
  auto store = OpenStore();
  // Keys added out of order; byte order puts 'Z' before 'a' and UTF-8 after ASCII.
  const StreamKey keys[] = {
      {"/var/log/é.log", 0}, {"/var/log/a.log", 2}, {"/var/log/a.log", 1}, {"/var/log/Z.log", 7}};
  // Identity fields use the whole uint64/uint32 range.
  const StreamIdentity big{UINT64_MAX, (uint64_t{1} << 63) + 5, UINT64_MAX - 1, UINT32_MAX};
  CheckpointBatch batch;
  for (const StreamKey& key : keys) batch.new_streams.push_back({key, big});
  batch.new_streams[1].identity = {42, 4242, 1024, 0x12345678};
  // Acked and planned out of order; every codec and 32-bit checksum extremes.
  ChunkRecord high = Chunk(1000, 2000, Codec::kGzip);
  high.raw_crc32c = UINT32_MAX;
  high.stored_crc32c = 0;
  ChunkRecord far = Chunk(uint64_t{1} << 40, (uint64_t{1} << 40) + 10, Codec::kNone);
  far.stored_size = (uint64_t{1} << 62);
  batch.acked.push_back({keys[1], high});
  batch.acked.push_back({keys[1], Chunk(0, 1000)});
  batch.acked.push_back({keys[1], far});
  batch.planned.push_back({keys[1], {3000, 4000}});
  batch.planned.push_back({keys[1], {2000, 3000}});
  batch.finished.push_back(keys[3]);
  ASSERT_TRUE(store->Apply(batch).ok());

  std::vector<CheckpointedStream> want(4);
  want[0] = {keys[3], big, true, 0, false, {}, {}};
  want[1] = {keys[2], big, false, 0, false, {}, {}};
  want[2] = {keys[1],
             {42, 4242, 1024, 0x12345678},
             false,
             0,
             false,
             {Chunk(0, 1000), high, far},
             {{2000, 3000}, {3000, 4000}}};
  want[3] = {keys[0], big, false, 0, false, {}, {}};
  auto got = LoadAll(*store);
  ExpectSameStreams(got, want);
  std::vector<StreamKey> got_keys;
  for (const auto& s : got) got_keys.push_back(s.key);
  EXPECT_TRUE(std::is_sorted(got_keys.begin(), got_keys.end()));
}

// An agent that ran for months: what it loads is its open streams and the newest of each
// path, and of those only the chunks the stored manifest parts do not list yet.
TEST_F(CheckpointStoreTest, StoredPartsPruneChunksAndFinishedStreamsStayOutOfLoad) {
  auto store = OpenStore();
  const StreamKey old_a{"/var/log/a.log", 0}, new_a{"/var/log/a.log", 1};
  const StreamIdentity rotated{1, 555, 64, 0xBBBB};
  CheckpointBatch batch;
  batch.new_streams.push_back({old_a, rotated});
  batch.new_streams.push_back({new_a, kIdA});
  for (uint64_t b = 0; b < 500; b += 100) {
    batch.acked.push_back({old_a, Chunk(b, b + 100)});
    batch.acked.push_back({new_a, Chunk(b, b + 100)});
  }
  batch.finished.push_back(old_a);
  ASSERT_TRUE(store->Apply(batch).ok());
  EXPECT_EQ(*store->ManifestParts(), 0u);
  EXPECT_EQ(LoadAll(*store).size(), 2u) << "no part lists the finished stream yet";

  CheckpointBatch stored;  // a head counting 3 parts, which list both streams up to 300
  stored.manifest_parts = 3;
  stored.part_ends.push_back({old_a, {500, 500}});
  stored.part_ends.push_back({new_a, {300, 300}});
  ASSERT_TRUE(store->Apply(stored).ok());
  EXPECT_EQ(*store->ManifestParts(), 3u);

  auto loaded = LoadAll(*store);
  ASSERT_EQ(loaded.size(), 1u) << "the finished, older stream of a.log is not loaded";
  EXPECT_EQ(loaded[0].key, new_a);
  EXPECT_EQ(loaded[0].manifest_end, 300u);
  ASSERT_EQ(loaded[0].chunks.size(), 3u) << "the chunk ending at 300, then the tail";
  EXPECT_EQ(loaded[0].chunks[0].range, (ByteRange{200, 300}));

  auto found = store->FindFinished(1, 555);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->key, old_a);
  ASSERT_EQ((*found)->chunks.size(), 1u);
  EXPECT_EQ((*found)->chunks[0].range.end, 500u) << "its last chunk, to recognise it again";
  EXPECT_FALSE(store->FindFinished(1, 100)->has_value()) << "a.log#1 is not finished";
  EXPECT_FALSE(store->FindFinished(9, 555)->has_value());
}

TEST_F(CheckpointStoreTest, AVersionOneDatabaseIsUpgradedInPlace) {
  const std::string dir = dir_.path() + "/v1";
  ASSERT_TRUE(Env::Default()->CreateDirs(dir).ok());
  {
    auto db = SqliteDb::Open(dir + "/checkpoint.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec(R"sql(
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE streams (id INTEGER PRIMARY KEY, path TEXT NOT NULL, stream INTEGER NOT NULL,
        device INTEGER NOT NULL, inode INTEGER NOT NULL, head_size INTEGER NOT NULL,
        head_crc32c INTEGER NOT NULL, finished INTEGER NOT NULL DEFAULT 0, UNIQUE (path, stream)) STRICT;
      CREATE TABLE chunks (stream_id INTEGER NOT NULL REFERENCES streams (id),
        begin_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, codec TEXT NOT NULL,
        stored_size INTEGER NOT NULL, raw_crc32c INTEGER NOT NULL, stored_crc32c INTEGER NOT NULL,
        PRIMARY KEY (stream_id, begin_offset)) STRICT, WITHOUT ROWID;
      CREATE TABLE planned (stream_id INTEGER NOT NULL REFERENCES streams (id),
        begin_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
        PRIMARY KEY (stream_id, begin_offset)) STRICT, WITHOUT ROWID;
      INSERT INTO meta VALUES ('owner', 'me');
      INSERT INTO streams VALUES (1, '/var/log/a.log', 0, 1, 100, 64, 43690, 0);
      INSERT INTO chunks VALUES (1, 0, 100, 'zstd', 40, 1, 2);
      PRAGMA user_version=1;)sql").ok());
  }
  auto store = CheckpointStore::Open(*Env::Default(), dir, "me");
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto loaded = LoadAll(**store);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].chunks.size(), 1u);
  EXPECT_EQ(loaded[0].manifest_end, 0u);
  EXPECT_TRUE((*store)->Apply({.manifest_parts = 1}).ok());

  // Version 3: a chunk keeps when its lines were written; older rows do not know.
  CheckpointBatch more;
  more.acked.push_back(
      {StreamKey{"/var/log/a.log", 0}, ChunkRecord{{100, 200}, Codec::kZstd, 40, 3, 4, {1000, 2000}}});
  ASSERT_TRUE((*store)->Apply(more).ok());
  auto again = LoadAll(**store);
  ASSERT_EQ(again[0].chunks.size(), 2u);
  EXPECT_EQ(again[0].chunks[0].written, WrittenBounds{});
  EXPECT_EQ(again[0].chunks[1].written, (WrittenBounds{1000, 2000}));
}

TEST_F(CheckpointStoreTest, PathsNeedNotBeUtf8) {
  auto store = OpenStore();
  const StreamKey latin1{"/var/log/caf\xe9.log", 0};  // Linux paths are bytes
  CheckpointBatch batch;
  batch.new_streams.push_back({latin1, kIdA});
  batch.new_streams.push_back({kA, kIdA});
  ASSERT_TRUE(store->Apply(batch).ok());
  auto got = LoadAll(*store);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].key, kA);
  EXPECT_EQ(got[1].key, latin1);
}

TEST_F(CheckpointStoreTest, DataSurvivesCloseAndReopen) {
  std::vector<CheckpointedStream> before;
  {
    auto store = OpenWithStreamA();
    before = LoadAll(*store);
    ASSERT_EQ(before.size(), 1u);
  }
  auto store = OpenStore();
  ExpectSameStreams(LoadAll(*store), before);
}

TEST_F(CheckpointStoreTest, CreatesMissingStateDirsInWalMode) {
  auto store = CheckpointStore::Open(*Env::Default(), dir_.Join("a/b/c"), kOwner);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(dir_.Join("a/b/c/checkpoint.db")));
  // journal_mode=WAL is recorded in the file, so a second connection sees it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.Join("a/b/c/checkpoint.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// Records the directory calls the store makes through the Env it was given.
class DirCallsEnv final : public EnvWrapper {
 public:
  DirCallsEnv() : EnvWrapper(Env::Default()) {}
  Status CreateDirs(const std::string& p) override {
    created.push_back(p);
    return EnvWrapper::CreateDirs(p);
  }
  Status SyncDir(const std::string& p) override {
    synced.push_back(p);
    return EnvWrapper::SyncDir(p);
  }
  std::vector<std::string> created, synced;
};

TEST_F(CheckpointStoreTest, MakesAndSyncsItsDirectoryThroughTheGivenEnv) {
  DirCallsEnv env;
  const std::string state = dir_.Join("state");
  ASSERT_TRUE(CheckpointStore::Open(env, state, kOwner).ok());
  EXPECT_EQ(env.created, std::vector<std::string>{state});
  // A new database file is made durable by syncing its directory; reopening syncs nothing.
  EXPECT_EQ(env.synced, std::vector<std::string>{state});
  ASSERT_TRUE(CheckpointStore::Open(env, state, kOwner).ok());
  EXPECT_EQ(env.synced.size(), 1u);
}

TEST_F(CheckpointStoreTest, AnotherOwnersDatabaseIsRefused) {
  OpenStore("s3://bucket/logs i-111");
  auto other = CheckpointStore::Open(*Env::Default(), dir_.Join("state"), "s3://bucket/logs i-222");
  ASSERT_EQ(other.status().code(), StatusCode::kFailedPrecondition);
  const std::string& m = other.status().message();
  EXPECT_NE(m.find(DbPath()), std::string::npos) << m;
  EXPECT_NE(m.find("'s3://bucket/logs i-111'"), std::string::npos) << m;
  EXPECT_NE(m.find("'s3://bucket/logs i-222'"), std::string::npos) << m;
  // The refusal did not take the database over.
  EXPECT_NE(OpenStore("s3://bucket/logs i-111"), nullptr);
  EXPECT_EQ(CheckpointStore::Open(*Env::Default(), dir_.Join("state"), "").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CheckpointStoreTest, NewerSchemaIsAClearError) {
  OpenStore();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = CheckpointStore::Open(*Env::Default(), dir_.Join("state"), kOwner);
  ASSERT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find(DbPath()), std::string::npos);
  EXPECT_NE(store.status().message().find("schema version 99"), std::string::npos)
      << store.status().ToString();
}

TEST_F(CheckpointStoreTest, UnusablePathsFailAtOpenNamingThePath) {
  // A state_dir that cannot be created.
  auto r = CheckpointStore::Open(*Env::Default(), "/proc/lifeboat-no-such-dir/state", kOwner);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/proc/lifeboat-no-such-dir/state"), std::string::npos)
      << r.status().ToString();
  // A state_dir that exists but where no file can be created.
  r = CheckpointStore::Open(*Env::Default(), "/proc/self", kOwner);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/proc/self/checkpoint.db"), std::string::npos)
      << r.status().ToString();
  // A database path taken by a directory.
  std::filesystem::create_directories(dir_.Join("dirdb/checkpoint.db"));
  r = CheckpointStore::Open(*Env::Default(), dir_.Join("dirdb"), kOwner);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_NE(r.status().message().find(dir_.Join("dirdb/checkpoint.db")), std::string::npos)
      << r.status().ToString();
}

TEST_F(CheckpointStoreTest, AFileThatIsNotADatabaseIsDataLoss) {
  dir_.Write("state/checkpoint.db", std::string(8192, 'x'));
  auto r = CheckpointStore::Open(*Env::Default(), dir_.Join("state"), kOwner);
  ASSERT_EQ(r.status().code(), StatusCode::kDataLoss) << r.status().ToString();
  EXPECT_NE(r.status().message().find(DbPath()), std::string::npos) << r.status().ToString();
}

// chmod does not stop root; these run where the tests run unprivileged (CI). The root
// case is covered by the read-only mount integration test.
// Opens the checkpoint in a child process that, when the test runs as root (CI does),
// first becomes nobody: root ignores file modes. The child reports the Status it got.
Status OpenAsUnprivileged(const std::string& state_dir, const std::string& owner) {
  int fds[2];
  if (::pipe(fds) != 0) return Status::Internal("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(2);
    auto r = CheckpointStore::Open(*Env::Default(), state_dir, owner);
    const std::string report =
        r.ok() ? std::string("OK")
               : std::to_string(static_cast<int>(r.status().code())) + "\n" + r.status().message();
    [[maybe_unused]] auto n = ::write(fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string report;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof(buf))) > 0;) report.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (report.empty()) return Status::Internal("the child did not report");
  if (report == "OK") return Status::Ok();
  const auto nl = report.find('\n');
  return {static_cast<StatusCode>(std::stoi(report.substr(0, nl))), report.substr(nl + 1)};
}

TEST_F(CheckpointStoreTest, ReadOnlyStateDirFailsAtOpen) {
  std::filesystem::create_directories(dir_.Join("state"));
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);  // nobody may look inside
  ASSERT_EQ(::chmod(dir_.Join("state").c_str(), 0555), 0);
  Status s = OpenAsUnprivileged(dir_.Join("state"), kOwner);
  ::chmod(dir_.Join("state").c_str(), 0755);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIoError) << s.ToString();
  EXPECT_NE(s.message().find(DbPath()), std::string::npos) << s.ToString();
}

TEST_F(CheckpointStoreTest, ReadOnlyDatabaseFailsAtOpen) {
  OpenWithStreamA();  // closed again: the WAL is checkpointed and removed
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(DbPath().c_str(), 0444), 0);
  Status s = OpenAsUnprivileged(dir_.Join("state"), kOwner);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIoError) << s.ToString();
  EXPECT_NE(s.message().find(DbPath()), std::string::npos) << s.ToString();
}

TEST_F(CheckpointStoreTest, InvalidBatchesApplyNothing) {
  auto store = OpenWithStreamA();
  const auto before = LoadAll(*store);
  const StreamKey unknown{"/var/log/unknown.log", 0};
  const StreamKey fresh{"/var/log/fresh.log", 0};
  // The expected error names what was being done, on which stream, and what is wrong.
  std::vector<std::pair<std::string, CheckpointBatch>> cases;
  auto add = [&](std::string error) -> CheckpointBatch& {
    // Each batch starts with valid changes that must not survive its failure.
    CheckpointBatch& b = cases.emplace_back(std::move(error), CheckpointBatch{}).second;
    b.new_streams.push_back({fresh, kIdA});
    b.planned.push_back({fresh, {0, 10}});
    b.acked.push_back({kA, Chunk(100, 200)});
    return b;
  };
  add("adding /var/log/a.log (stream 0): the stream is already recorded")
      .new_streams.push_back({kA, kIdA});
  add("adding /var/log/fresh.log (stream 0): the stream is already recorded")
      .new_streams.push_back({fresh, kIdA});
  add("updating the identity of /var/log/unknown.log (stream 0): the stream is not recorded")
      .identities.push_back({unknown, kIdA});
  add("reopening /var/log/unknown.log (stream 0): the stream is not recorded")
      .reopened.push_back(unknown);
  add("planning range [0, 10) of /var/log/unknown.log (stream 0): the stream is not recorded")
      .planned.push_back({unknown, {0, 10}});
  add("planning range [300, 200) of /var/log/a.log (stream 0): not a valid byte range")
      .planned.push_back({kA, {300, 200}});
  add("planning range [0, 20) of /var/log/fresh.log (stream 0): [0, 10) is planned already")
      .planned.push_back({fresh, {0, 20}});
  add("recording chunk range [0, 10) of /var/log/unknown.log (stream 0): the stream is not")
      .acked.push_back({unknown, Chunk(0, 10)});
  add("recording chunk range [0, 99) of /var/log/a.log (stream 0): a different chunk is")
      .acked.push_back({kA, Chunk(0, 99)});
  add("abandoning range [200, 300) of /var/log/a.log (stream 0): the range is not planned")
      .abandoned.push_back({kA, {200, 300}});
  add("finishing /var/log/unknown.log (stream 0): the stream is not recorded")
      .finished.push_back(unknown);
  for (const auto& [error, batch] : cases) {
    SCOPED_TRACE(error);
    Status s = store->Apply(batch);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_EQ(s.message().find(DbPath() + ": applying checkpoint batch: " + error), 0u)
        << s.ToString();
    ExpectSameStreams(LoadAll(*store), before);
  }
  // The store still works after all those rollbacks.
  CheckpointBatch ok;
  ok.new_streams.push_back({fresh, kIdA});
  EXPECT_TRUE(store->Apply(ok).ok());
  EXPECT_EQ(LoadAll(*store).size(), 2u);
}

TEST_F(CheckpointStoreTest, LateFailureInABigBatchLeavesNoTrace) {
  auto store = OpenStore();
  CheckpointBatch batch;
  for (uint32_t i = 0; i < 200; ++i) {
    StreamKey key{"/var/log/app.log", i};
    batch.new_streams.push_back({key, kIdA});
    for (uint64_t c = 0; c < 10; ++c) {
      batch.planned.push_back({key, {c * 100, c * 100 + 100}});
      batch.acked.push_back({key, Chunk(c * 100, c * 100 + 100)});
    }
    batch.finished.push_back(key);
  }
  batch.finished.push_back({"/var/log/never-added.log", 0});  // the very last step fails
  Status s = store->Apply(batch);
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("/var/log/never-added.log"), std::string::npos) << s.ToString();
  EXPECT_TRUE(LoadAll(*store).empty());
  store.reset();
  EXPECT_TRUE(LoadAll(*OpenStore()).empty());  // nothing reached the file either
}

TEST_F(CheckpointStoreTest, AckRemovesThePlannedRange) {
  auto store = OpenWithStreamA();  // [0, 100) was planned and acked in one batch
  auto got = LoadAll(*store);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].planned, (std::vector<ByteRange>{{100, 200}}));
  CheckpointBatch batch;
  batch.acked.push_back({kA, Chunk(100, 200)});
  ASSERT_TRUE(store->Apply(batch).ok());
  got = LoadAll(*store);
  ASSERT_EQ(got[0].chunks.size(), 2u);
  EXPECT_EQ(got[0].chunks[1].range, (ByteRange{100, 200}));
  EXPECT_TRUE(got[0].planned.empty());
}

TEST_F(CheckpointStoreTest, AbandonedRangesAreDropped) {
  auto store = OpenWithStreamA();
  CheckpointBatch batch;
  batch.planned.push_back({kA, {200, 300}});
  batch.abandoned.push_back({kA, {100, 200}});
  batch.abandoned.push_back({kA, {200, 300}});  // planned earlier in the same batch
  ASSERT_TRUE(store->Apply(batch).ok());
  auto got = LoadAll(*store);
  EXPECT_TRUE(got[0].planned.empty());
  EXPECT_EQ(got[0].chunks.size(), 1u);  // acked chunks are untouched
}

TEST_F(CheckpointStoreTest, FinishedReopenedAndNewIdentity) {
  auto store = OpenWithStreamA();
  CheckpointBatch finish;
  finish.finished.push_back(kA);
  ASSERT_TRUE(store->Apply(finish).ok());
  EXPECT_TRUE(LoadAll(*store)[0].finished);

  CheckpointBatch reopen;
  reopen.reopened.push_back(kA);
  reopen.identities.push_back({kA, {1, 100, 4096, 0xBBBB}});
  ASSERT_TRUE(store->Apply(reopen).ok());
  auto got = LoadAll(*store);
  EXPECT_FALSE(got[0].finished);
  EXPECT_EQ(got[0].identity, (StreamIdentity{1, 100, 4096, 0xBBBB}));

  // Reopened is applied before finished: a batch with both leaves the stream finished.
  CheckpointBatch both;
  both.finished.push_back(kA);
  both.reopened.push_back(kA);
  ASSERT_TRUE(store->Apply(both).ok());
  EXPECT_TRUE(LoadAll(*store)[0].finished);
}

TEST_F(CheckpointStoreTest, ReAckingTheSameChunkIsIdempotent) {
  auto store = OpenWithStreamA();
  // After a crash the agent plans and uploads [0, 100) again and gets the same record.
  CheckpointBatch again;
  again.planned.push_back({kA, {0, 100}});
  ASSERT_TRUE(store->Apply(again).ok());
  again.planned.clear();
  again.acked.push_back({kA, Chunk(0, 100)});
  ASSERT_TRUE(store->Apply(again).ok());
  ASSERT_TRUE(store->Apply(again).ok());
  auto got = LoadAll(*store);
  ASSERT_EQ(got[0].chunks.size(), 1u);
  EXPECT_EQ(got[0].planned, (std::vector<ByteRange>{{100, 200}}));

  ChunkRecord other = Chunk(0, 100);
  other.stored_crc32c ^= 1;
  CheckpointBatch conflict;
  conflict.acked.push_back({kA, other});
  Status s = store->Apply(conflict);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(Fields(LoadAll(*store)[0].chunks[0]), Fields(Chunk(0, 100)));
}

TEST_F(CheckpointStoreTest, PlanningTheSameRangeTwiceIsHarmless) {
  auto store = OpenWithStreamA();
  CheckpointBatch batch;
  batch.planned.push_back({kA, {100, 200}});
  batch.planned.push_back({kA, {100, 200}});
  ASSERT_TRUE(store->Apply(batch).ok());
  EXPECT_EQ(LoadAll(*store)[0].planned, (std::vector<ByteRange>{{100, 200}}));
  EXPECT_TRUE(store->Apply(CheckpointBatch{}).ok());
}

}  // namespace
}  // namespace lifeboat
