#include "ship/checkpoint_store.h"

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/env.h"
#include "ship/sqlite_db.h"

namespace lifeboat {
namespace {

constexpr int kSchemaVersion = 3;

// Unsigned identity fields (device, inode, head size) are stored as the int64 with the
// same bits, so every value survives; byte offsets and sizes are sorted and compared, so
// they must stay below 2^63 (a file offset, off_t, always does).
constexpr std::string_view kSchema = R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE streams (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  stream INTEGER NOT NULL,
  device INTEGER NOT NULL,
  inode INTEGER NOT NULL,
  head_size INTEGER NOT NULL,
  head_crc32c INTEGER NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0,
  manifest_end INTEGER NOT NULL DEFAULT 0,
  in_parts INTEGER NOT NULL DEFAULT 0,
  UNIQUE (path, stream)
) STRICT;
CREATE INDEX streams_by_inode ON streams (device, inode);
CREATE TABLE chunks (
  stream_id INTEGER NOT NULL REFERENCES streams (id),
  begin_offset INTEGER NOT NULL CHECK (begin_offset >= 0),
  end_offset INTEGER NOT NULL CHECK (end_offset >= begin_offset),
  codec TEXT NOT NULL,
  stored_size INTEGER NOT NULL CHECK (stored_size >= 0),
  raw_crc32c INTEGER NOT NULL,
  stored_crc32c INTEGER NOT NULL,
  written_after_ms INTEGER NOT NULL DEFAULT 0,
  written_by_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (stream_id, begin_offset)
) STRICT, WITHOUT ROWID;
CREATE TABLE planned (
  stream_id INTEGER NOT NULL REFERENCES streams (id),
  begin_offset INTEGER NOT NULL CHECK (begin_offset >= 0),
  end_offset INTEGER NOT NULL CHECK (end_offset >= begin_offset),
  PRIMARY KEY (stream_id, begin_offset)
) STRICT, WITHOUT ROWID;
)sql";

// Version 1 kept every chunk row and had no record of the manifest's parts.
constexpr std::string_view kUpgradeFrom1 = R"sql(
ALTER TABLE streams ADD COLUMN manifest_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streams ADD COLUMN in_parts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX streams_by_inode ON streams (device, inode);
)sql";

// Version 2 did not know when a chunk's lines were written.
constexpr std::string_view kUpgradeFrom2 = R"sql(
ALTER TABLE chunks ADD COLUMN written_after_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chunks ADD COLUMN written_by_ms INTEGER NOT NULL DEFAULT 0;
)sql";

int64_t Bits(uint64_t v) { return static_cast<int64_t>(v); }
uint64_t Unbits(int64_t v) { return static_cast<uint64_t>(v); }

std::string Describe(const StreamKey& key) {
  return key.path + " (stream " + std::to_string(key.stream) + ")";
}

std::string Describe(const StreamKey& key, const ByteRange& range) {
  return "range [" + std::to_string(range.begin) + ", " + std::to_string(range.end) + ") of " +
         Describe(key);
}

constexpr uint64_t kMaxOffset = std::numeric_limits<int64_t>::max();

Status CheckRange(const ByteRange& range) {
  if (range.begin > range.end || range.end > kMaxOffset) {
    return Status::InvalidArgument("not a valid byte range");
  }
  return Status::Ok();
}

// A chunk from a row of (stream_id, begin_offset, end_offset, codec, stored_size,
// raw_crc32c, stored_crc32c, written_after_ms, written_by_ms).
Result<ChunkRecord> ReadChunk(const SqliteQuery& row) {
  ChunkRecord c;
  c.range = {Unbits(row.Int(1)), Unbits(row.Int(2))};
  auto codec = ParseCodec(row.Text(3));
  if (!codec.ok()) {
    return Status::DataLoss("chunk at " + std::to_string(c.range.begin) + " has unknown codec '" +
                            row.Text(3) + "'");
  }
  c.codec = *codec;
  c.stored_size = Unbits(row.Int(4));
  c.raw_crc32c = static_cast<uint32_t>(row.Int(5));
  c.stored_crc32c = static_cast<uint32_t>(row.Int(6));
  c.written = {row.Int(7), row.Int(8)};
  return c;
}

bool SameRecord(const ChunkRecord& a, const ChunkRecord& b) {
  return a.range == b.range && a.codec == b.codec && a.stored_size == b.stored_size &&
         a.raw_crc32c == b.raw_crc32c && a.stored_crc32c == b.stored_crc32c;
}

class SqliteCheckpointStore final : public CheckpointStore {
 public:
  SqliteCheckpointStore(Env* env, std::string path) : env_(env), path_(std::move(path)) {}

  Status Init(const std::string& owner);
  const std::string& path() const { return path_; }
  Result<std::vector<CheckpointedStream>> Load() override;
  Result<std::optional<CheckpointedStream>> FindFinished(uint64_t device, uint64_t inode) override;
  Result<uint64_t> ManifestParts() override;
  Status Apply(const CheckpointBatch& batch) override;

 private:
  // Runs `body` between `begin` and COMMIT; rolls back if anything fails.
  Status InTransaction(const std::string& begin, const std::function<Status()>& body);
  Result<std::string> QueryText(std::string_view sql);  // first column of the first row
  Status CreateSchemaAndClaim(const std::string& owner, bool* created);
  Status Prepare();
  Result<std::vector<CheckpointedStream>> LoadInTransaction();
  // The streams of `query` (rows as load_streams_), each with its chunks and plans.
  Result<std::vector<CheckpointedStream>> ReadStreams(SqliteQuery& query);
  Status SetPartEnd(const StreamKey& key, uint64_t end);
  Status ApplyInTransaction(const CheckpointBatch& batch);
  // Batch steps: kInvalidArgument for a caller's mistake; the caller adds context.
  Result<int64_t> StreamId(const StreamKey& key);
  Status AddStream(const StreamKey& key, const StreamIdentity& id, uint64_t manifest_end);
  Status SetIdentity(const StreamKey& key, const StreamIdentity& id);
  Status SetFinished(const StreamKey& key, bool finished);
  Status Plan(const StreamKey& key, const ByteRange& range);
  Result<std::optional<ChunkRecord>> FindChunk(int64_t stream_id, uint64_t begin);
  Status Ack(const StreamKey& key, const ChunkRecord& chunk);
  Status Abandon(const StreamKey& key, const ByteRange& range);

  Env* const env_;
  const std::string path_;
  std::mutex mu_;  // serializes Load and Apply: a connection runs one transaction at a time
  SqliteDb db_;    // declared before the statements, which must go first
  SqliteStatement find_stream_, insert_stream_, set_identity_, set_finished_;
  SqliteStatement find_planned_, insert_planned_, delete_planned_;
  SqliteStatement find_chunk_, insert_chunk_;
  SqliteStatement load_streams_, load_chunks_, load_planned_, find_finished_;
  SqliteStatement set_manifest_end_, prune_chunks_, set_meta_, get_meta_;
};

Status SqliteCheckpointStore::InTransaction(const std::string& begin,
                                            const std::function<Status()>& body) {
  Status s = db_.Exec(begin);
  if (s.ok()) s = body();
  if (s.ok()) s = db_.Exec("COMMIT");
  // SQLite may already have rolled back by itself (disk full, I/O error); the first error
  // is the one worth reporting, so a failing ROLLBACK adds nothing.
  if (!s.ok() && db_.in_transaction()) (void)db_.Exec("ROLLBACK");
  return s;
}

Status SqliteCheckpointStore::Init(const std::string& owner) {
  LIFEBOAT_ASSIGN_OR_RETURN(db_, SqliteDb::Open(path_));
  if (db_.read_only()) {
    return Status::IoError("the database is read-only; state_dir and it must be writable");
  }
  db_.SetBusyTimeout(10000);
  // WAL with synchronous=FULL fsyncs the log at every commit: an applied batch survives
  // a power loss, and readers never see half of one.
  LIFEBOAT_ASSIGN_OR_RETURN(std::string mode, QueryText("PRAGMA journal_mode=WAL"));
  if (mode != "wal") {
    return Status::IoError("the filesystem does not support SQLite's write-ahead log");
  }
  LIFEBOAT_RETURN_IF_ERROR(db_.Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON"));
  bool created = false;
  LIFEBOAT_RETURN_IF_ERROR(CreateSchemaAndClaim(owner, &created));
  LIFEBOAT_RETURN_IF_ERROR(Prepare());
  // SQLite fsyncs the directory for its journal files but not for a new database file.
  if (created) LIFEBOAT_RETURN_IF_ERROR(env_->SyncDir(DirName(path_)));
  return Status::Ok();
}

Result<std::string> SqliteCheckpointStore::QueryText(std::string_view sql) {
  LIFEBOAT_ASSIGN_OR_RETURN(SqliteStatement stmt, db_.Prepare(sql));
  SqliteQuery query = stmt.Query();
  LIFEBOAT_ASSIGN_OR_RETURN(bool row, query.Next());
  return row ? query.Text(0) : std::string();
}

// One write transaction: creates the schema on first use, checks the owner and bumps an
// open counter, so a database that cannot be written fails here rather than at the first
// Apply.
Status SqliteCheckpointStore::CreateSchemaAndClaim(const std::string& owner, bool* created) {
  return InTransaction("BEGIN IMMEDIATE", [&]() -> Status {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text, QueryText("PRAGMA user_version"));
    int version = std::atoi(text.c_str());
    if (version > kSchemaVersion) {
      return Status::FailedPrecondition("its schema version " + std::to_string(version) +
                                        " is newer than this lifeboat understands (" +
                                        std::to_string(kSchemaVersion) + ")");
    }
    if (version == 0) {
      LIFEBOAT_RETURN_IF_ERROR(db_.Exec(std::string(kSchema)));
      LIFEBOAT_RETURN_IF_ERROR(db_.Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion)));
      *created = true;
    } else if (version < kSchemaVersion) {
      if (version == 1) LIFEBOAT_RETURN_IF_ERROR(db_.Exec(std::string(kUpgradeFrom1)));
      LIFEBOAT_RETURN_IF_ERROR(db_.Exec(std::string(kUpgradeFrom2)));
      LIFEBOAT_RETURN_IF_ERROR(db_.Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion)));
    }
    LIFEBOAT_ASSIGN_OR_RETURN(std::string recorded,
                              QueryText("SELECT value FROM meta WHERE key = 'owner'"));
    if (!recorded.empty() && recorded != owner) {
      return Status::FailedPrecondition("it is the checkpoint of '" + recorded + "', not of '" +
                                        owner + "'; use another state_dir or remove the database");
    }
    LIFEBOAT_ASSIGN_OR_RETURN(auto claim, db_.Prepare(R"sql(
        INSERT INTO meta (key, value) VALUES ('owner', ?1), ('opens', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
        WHERE key = 'opens')sql"));
    return claim.Run(owner).status().WithContext("recording the owner");
  });
}

Status SqliteCheckpointStore::Prepare() {
  struct Item {
    SqliteStatement* stmt;
    const char* sql;
  };
  const Item items[] = {
      {&find_stream_, "SELECT id FROM streams WHERE path = ?1 AND stream = ?2"},
      {&insert_stream_,
       "INSERT INTO streams (path, stream, device, inode, head_size, head_crc32c, manifest_end) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&set_identity_,
       "UPDATE streams SET device = ?2, inode = ?3, head_size = ?4, head_crc32c = ?5 "
       "WHERE id = ?1"},
      {&set_finished_, "UPDATE streams SET finished = ?2 WHERE id = ?1"},
      {&find_planned_, "SELECT end_offset FROM planned WHERE stream_id = ?1 AND begin_offset = ?2"},
      {&insert_planned_,
       "INSERT INTO planned (stream_id, begin_offset, end_offset) VALUES (?1, ?2, ?3)"},
      {&delete_planned_,
       "DELETE FROM planned WHERE stream_id = ?1 AND begin_offset = ?2 AND end_offset = ?3"},
      {&find_chunk_,
       "SELECT stream_id, begin_offset, end_offset, codec, stored_size, raw_crc32c, "
       "stored_crc32c, written_after_ms, written_by_ms FROM chunks "
       "WHERE stream_id = ?1 AND begin_offset = ?2"},
      {&insert_chunk_,
       "INSERT INTO chunks (stream_id, begin_offset, end_offset, codec, stored_size, "
       "raw_crc32c, stored_crc32c, written_after_ms, written_by_ms) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      // What an agent keeps in memory: open streams, the newest of each path, and finished
      // streams that no stored manifest part lists whole yet.
      {&load_streams_,
       "SELECT id, path, stream, device, inode, head_size, head_crc32c, finished, manifest_end, "
       "in_parts FROM streams AS s WHERE finished = 0 OR in_parts = 0 "
       "OR stream = (SELECT MAX(stream) FROM streams AS t WHERE t.path = s.path) "
       "OR manifest_end < (SELECT MAX(end_offset) FROM chunks WHERE stream_id = s.id) "
       "ORDER BY path, stream"},
      {&find_finished_,
       "SELECT id, path, stream, device, inode, head_size, head_crc32c, finished, manifest_end, "
       "in_parts FROM streams WHERE device = ?1 AND inode = ?2 AND finished = 1 "
       "ORDER BY id DESC LIMIT 1"},
      {&load_chunks_,
       "SELECT stream_id, begin_offset, end_offset, codec, stored_size, raw_crc32c, "
       "stored_crc32c, written_after_ms, written_by_ms FROM chunks WHERE stream_id = ?1 "
       "ORDER BY begin_offset"},
      {&load_planned_,
       "SELECT stream_id, begin_offset, end_offset FROM planned WHERE stream_id = ?1 "
       "ORDER BY begin_offset"},
      {&set_manifest_end_, "UPDATE streams SET manifest_end = ?2, in_parts = 1 WHERE id = ?1"},
      {&prune_chunks_, "DELETE FROM chunks WHERE stream_id = ?1 AND end_offset < ?2"},
      {&set_meta_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"},
      {&get_meta_, "SELECT value FROM meta WHERE key = ?1"},
  };
  for (const Item& item : items) {
    LIFEBOAT_ASSIGN_OR_RETURN(*item.stmt, db_.Prepare(item.sql));
  }
  return Status::Ok();
}

Result<std::vector<CheckpointedStream>> SqliteCheckpointStore::Load() {
  std::lock_guard lock(mu_);
  std::vector<CheckpointedStream> streams;
  // One read transaction: the three queries see the same committed state.
  Status s = InTransaction("BEGIN", [&]() -> Status {
    LIFEBOAT_ASSIGN_OR_RETURN(streams, LoadInTransaction());
    return Status::Ok();
  });
  if (!s.ok()) return s.WithContext(path_ + ": loading checkpoint");
  return streams;
}

Result<std::vector<CheckpointedStream>> SqliteCheckpointStore::LoadInTransaction() {
  SqliteQuery rows = load_streams_.Query();
  return ReadStreams(rows);
}

Result<std::vector<CheckpointedStream>> SqliteCheckpointStore::ReadStreams(SqliteQuery& rows) {
  std::vector<CheckpointedStream> streams;
  std::vector<int64_t> ids;
  for (;;) {
    LIFEBOAT_ASSIGN_OR_RETURN(bool row, rows.Next());
    if (!row) break;
    CheckpointedStream& s = streams.emplace_back();
    ids.push_back(rows.Int(0));
    s.key = {rows.Text(1), static_cast<uint32_t>(rows.Int(2))};
    s.identity = {Unbits(rows.Int(3)), Unbits(rows.Int(4)), Unbits(rows.Int(5)),
                  static_cast<uint32_t>(rows.Int(6))};
    s.finished = rows.Int(7) != 0;
    s.manifest_end = Unbits(rows.Int(8));
    s.in_parts = rows.Int(9) != 0;
  }
  for (size_t i = 0; i < streams.size(); ++i) {
    CheckpointedStream& s = streams[i];
    SqliteQuery chunks = load_chunks_.Query(ids[i]);
    for (;;) {
      LIFEBOAT_ASSIGN_OR_RETURN(bool row, chunks.Next());
      if (!row) break;
      auto chunk = ReadChunk(chunks);
      if (!chunk.ok()) return chunk.status().WithContext(Describe(s.key));
      s.chunks.push_back(*chunk);
    }
    SqliteQuery planned = load_planned_.Query(ids[i]);
    for (;;) {
      LIFEBOAT_ASSIGN_OR_RETURN(bool row, planned.Next());
      if (!row) break;
      s.planned.push_back({Unbits(planned.Int(1)), Unbits(planned.Int(2))});
    }
  }
  return streams;
}

Result<std::optional<CheckpointedStream>> SqliteCheckpointStore::FindFinished(uint64_t device,
                                                                               uint64_t inode) {
  std::lock_guard lock(mu_);
  std::vector<CheckpointedStream> found;
  Status s = InTransaction("BEGIN", [&]() -> Status {
    SqliteQuery rows = find_finished_.Query(Bits(device), Bits(inode));
    LIFEBOAT_ASSIGN_OR_RETURN(found, ReadStreams(rows));
    return Status::Ok();
  });
  if (!s.ok()) return s.WithContext(path_ + ": looking up a finished stream");
  if (found.empty()) return std::optional<CheckpointedStream>();
  return std::optional<CheckpointedStream>(std::move(found.front()));
}

Result<uint64_t> SqliteCheckpointStore::ManifestParts() {
  std::lock_guard lock(mu_);
  SqliteQuery query = get_meta_.Query(std::string("manifest_parts"));
  auto row = query.Next();
  if (!row.ok()) return row.status().WithContext(path_ + ": reading the manifest's parts");
  return *row ? Unbits(query.Int(0)) : uint64_t{0};
}

Status SqliteCheckpointStore::Apply(const CheckpointBatch& batch) {
  if (batch.empty()) return Status::Ok();
  std::lock_guard lock(mu_);
  Status s = InTransaction("BEGIN IMMEDIATE", [&] { return ApplyInTransaction(batch); });
  return s.WithContext(path_ + ": applying checkpoint batch");
}

// Each step's error says what was being done; the order is the one the header promises.
Status SqliteCheckpointStore::ApplyInTransaction(const CheckpointBatch& batch) {
  for (const auto& n : batch.new_streams) {
    Status s = AddStream(n.key, n.identity, n.manifest_end);
    LIFEBOAT_RETURN_IF_ERROR(s.WithContext("adding " + Describe(n.key)));
  }
  for (const auto& i : batch.identities) {
    Status s = SetIdentity(i.key, i.identity);
    LIFEBOAT_RETURN_IF_ERROR(s.WithContext("updating the identity of " + Describe(i.key)));
  }
  for (const StreamKey& key : batch.reopened) {
    LIFEBOAT_RETURN_IF_ERROR(SetFinished(key, false).WithContext("reopening " + Describe(key)));
  }
  for (const auto& p : batch.planned) {
    Status s = Plan(p.key, p.range);
    LIFEBOAT_RETURN_IF_ERROR(s.WithContext("planning " + Describe(p.key, p.range)));
  }
  for (const auto& a : batch.acked) {
    Status s = Ack(a.key, a.chunk);
    LIFEBOAT_RETURN_IF_ERROR(s.WithContext("recording chunk " + Describe(a.key, a.chunk.range)));
  }
  for (const auto& p : batch.abandoned) {
    Status s = Abandon(p.key, p.range);
    LIFEBOAT_RETURN_IF_ERROR(s.WithContext("abandoning " + Describe(p.key, p.range)));
  }
  for (const StreamKey& key : batch.finished) {
    LIFEBOAT_RETURN_IF_ERROR(SetFinished(key, true).WithContext("finishing " + Describe(key)));
  }
  for (const auto& p : batch.part_ends) {
    LIFEBOAT_RETURN_IF_ERROR(SetPartEnd(p.key, p.range.end).WithContext("recording the manifest of " + Describe(p.key)));
  }
  if (batch.manifest_parts) {
    LIFEBOAT_RETURN_IF_ERROR(set_meta_.Run(std::string("manifest_parts"),
                                           std::to_string(*batch.manifest_parts))
                                 .status()
                                 .WithContext("recording the manifest's parts"));
  }
  return Status::Ok();
}

// The chunks before `end` are in stored parts: only the one ending there stays.
Status SqliteCheckpointStore::SetPartEnd(const StreamKey& key, uint64_t end) {
  LIFEBOAT_ASSIGN_OR_RETURN(int64_t sid, StreamId(key));
  LIFEBOAT_RETURN_IF_ERROR(set_manifest_end_.Run(sid, Bits(end)).status());
  return prune_chunks_.Run(sid, Bits(end)).status();
}

Result<int64_t> SqliteCheckpointStore::StreamId(const StreamKey& key) {
  SqliteQuery query = find_stream_.Query(key.path, key.stream);
  LIFEBOAT_ASSIGN_OR_RETURN(bool found, query.Next());
  if (!found) return Status::InvalidArgument("the stream is not recorded");
  return query.Int(0);
}

Status SqliteCheckpointStore::AddStream(const StreamKey& key, const StreamIdentity& id,
                                        uint64_t manifest_end) {
  LIFEBOAT_ASSIGN_OR_RETURN(bool exists, find_stream_.Query(key.path, key.stream).Next());
  if (exists) return Status::InvalidArgument("the stream is already recorded");
  return insert_stream_
      .Run(key.path, key.stream, Bits(id.device), Bits(id.inode), Bits(id.head_size),
           id.head_crc32c, Bits(manifest_end))
      .status();
}

Status SqliteCheckpointStore::SetIdentity(const StreamKey& key, const StreamIdentity& id) {
  LIFEBOAT_ASSIGN_OR_RETURN(int64_t sid, StreamId(key));
  return set_identity_.Run(sid, Bits(id.device), Bits(id.inode), Bits(id.head_size), id.head_crc32c)
      .status();
}

Status SqliteCheckpointStore::SetFinished(const StreamKey& key, bool finished) {
  LIFEBOAT_ASSIGN_OR_RETURN(int64_t sid, StreamId(key));
  return set_finished_.Run(sid, finished).status();
}

Status SqliteCheckpointStore::Plan(const StreamKey& key, const ByteRange& range) {
  LIFEBOAT_RETURN_IF_ERROR(CheckRange(range));
  LIFEBOAT_ASSIGN_OR_RETURN(int64_t sid, StreamId(key));
  SqliteQuery existing = find_planned_.Query(sid, Bits(range.begin));
  LIFEBOAT_ASSIGN_OR_RETURN(bool found, existing.Next());
  if (!found) return insert_planned_.Run(sid, Bits(range.begin), Bits(range.end)).status();
  // The same range planned again is harmless; another range from the same offset means
  // the caller lost track of what it is uploading.
  if (Unbits(existing.Int(0)) == range.end) return Status::Ok();
  return Status::InvalidArgument("[" + std::to_string(range.begin) + ", " +
                                 std::to_string(existing.Int(0)) + ") is planned already");
}

Result<std::optional<ChunkRecord>> SqliteCheckpointStore::FindChunk(int64_t sid, uint64_t begin) {
  SqliteQuery query = find_chunk_.Query(sid, Bits(begin));
  LIFEBOAT_ASSIGN_OR_RETURN(bool found, query.Next());
  if (!found) return std::optional<ChunkRecord>();
  LIFEBOAT_ASSIGN_OR_RETURN(ChunkRecord chunk, ReadChunk(query));
  return std::optional<ChunkRecord>(chunk);
}

Status SqliteCheckpointStore::Ack(const StreamKey& key, const ChunkRecord& chunk) {
  LIFEBOAT_RETURN_IF_ERROR(CheckRange(chunk.range));
  if (chunk.stored_size > kMaxOffset) return Status::InvalidArgument("impossible stored size");
  LIFEBOAT_ASSIGN_OR_RETURN(int64_t sid, StreamId(key));
  LIFEBOAT_ASSIGN_OR_RETURN(auto recorded, FindChunk(sid, chunk.range.begin));
  if (!recorded) {
    LIFEBOAT_RETURN_IF_ERROR(insert_chunk_
                                 .Run(sid, Bits(chunk.range.begin), Bits(chunk.range.end),
                                      CodecName(chunk.codec), Bits(chunk.stored_size),
                                      chunk.raw_crc32c, chunk.stored_crc32c,
                                      chunk.written.after_ms, chunk.written.by_ms)
                                 .status());
  } else if (!SameRecord(*recorded, chunk)) {
    // The same record again is a re-upload after a crash; anything else is a bug.
    return Status::InvalidArgument("a different chunk is recorded from that offset");
  }
  return delete_planned_.Run(sid, Bits(chunk.range.begin), Bits(chunk.range.end)).status();
}

Status SqliteCheckpointStore::Abandon(const StreamKey& key, const ByteRange& range) {
  LIFEBOAT_ASSIGN_OR_RETURN(int64_t sid, StreamId(key));
  LIFEBOAT_ASSIGN_OR_RETURN(int deleted,
                            delete_planned_.Run(sid, Bits(range.begin), Bits(range.end)));
  if (deleted == 0) return Status::InvalidArgument("the range is not planned");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<CheckpointStore>> CheckpointStore::Open(Env& env,
                                                               const std::string& state_dir,
                                                               const std::string& owner) {
  if (owner.empty()) return Status::InvalidArgument("a checkpoint needs a non-empty owner");
  Status s = env.CreateDirs(state_dir);
  if (!s.ok()) return s.WithContext("creating checkpoint state directory");
  auto store = std::make_unique<SqliteCheckpointStore>(&env, JoinPath(state_dir, "checkpoint.db"));
  s = store->Init(owner);
  if (!s.ok()) return s.WithContext(store->path() + ": opening checkpoint");
  return std::unique_ptr<CheckpointStore>(std::move(store));
}

}  // namespace lifeboat
