// CheckpointStore: the agent's durable memory, one SQLite database in its state_dir.
//
// It records, per file stream, the identity that finds the stream again after a restart,
// the chunks the object store acknowledged, and the chunks planned but not yet
// acknowledged. A planned range is written (and fsync'd) before its upload starts, so after
// a crash the very same range is sent again under the very same key: the store ends up
// with one object per range, never two overlapping ones. A range becomes a chunk only
// after the store acknowledged it. Every Apply() is one transaction: after a crash or a
// failed write (disk full, read-only) the database holds the last applied batch whole.
#ifndef LIFEBOAT_SHIP_CHECKPOINT_STORE_H_
#define LIFEBOAT_SHIP_CHECKPOINT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "ship/chunk_planner.h"
#include "ship/manifest.h"

namespace lifeboat {

// A stream is named by its source path and its number among that path's streams; the
// pair also names its objects in the store.
struct StreamKey {
  std::string path;
  uint32_t stream = 0;
  auto operator<=>(const StreamKey&) const = default;
};

struct CheckpointedStream {
  StreamKey key;
  StreamIdentity identity;
  bool finished = false;              // shipped to its end and closed; kept for matching
  // Bytes [0, manifest_end) are listed by stored manifest parts; of the chunks before it
  // only the last is kept (it tells a copy of the stream from a new file).
  uint64_t manifest_end = 0;
  bool in_parts = false;              // a stored part lists the stream (to manifest_end)
  std::vector<ChunkRecord> chunks;    // acknowledged, sorted by range.begin
  std::vector<ByteRange> planned;     // recorded but not acknowledged, sorted by begin
};

struct CheckpointBatch {
  struct NewStream {
    StreamKey key;
    StreamIdentity identity;
    uint64_t manifest_end = 0;  // continued from a manifest whose parts list this much
  };
  struct Planned {
    StreamKey key;
    ByteRange range;
  };
  struct Acked {
    StreamKey key;
    ChunkRecord chunk;  // removes the planned row with the same range, if any
  };
  struct Identity {
    StreamKey key;
    StreamIdentity identity;
  };

  std::vector<NewStream> new_streams;
  std::vector<Planned> planned;
  std::vector<Acked> acked;
  std::vector<Planned> abandoned;     // planned ranges dropped unshipped (their bytes are gone)
  std::vector<Identity> identities;   // a longer head fingerprint, or a new device/inode
  std::vector<StreamKey> finished;
  std::vector<StreamKey> reopened;    // finished streams that grew again
  // A manifest head counting `manifest_parts` parts was stored; the parts list each
  // stream up to its end here, so the chunk rows before it are dropped.
  std::optional<uint64_t> manifest_parts;
  std::vector<Planned> part_ends;     // range.end is the stream's new manifest_end

  bool empty() const {
    return new_streams.empty() && planned.empty() && acked.empty() && abandoned.empty() &&
           identities.empty() && finished.empty() && reopened.empty() &&
           !manifest_parts.has_value() && part_ends.empty();
  }
};

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;

  // Opens (creating if needed) <state_dir>/checkpoint.db. `owner` says whose checkpoint
  // this is (destination URL and instance id); a database recorded for another owner is
  // kFailedPrecondition naming both, because its positions mean nothing for this one.
  // A state_dir that cannot be created or written is an error naming the path. The
  // directory is made and synced through `env`; the database file itself is SQLite's to
  // read and write (its own VFS), so state_dir must be a real directory.
  static Result<std::unique_ptr<CheckpointStore>> Open(Env& env, const std::string& state_dir,
                                                       const std::string& owner);

  // The streams an agent keeps in memory, sorted by key: every stream not finished, the
  // newest stream of each path, and finished streams that stored manifest parts do not
  // list whole yet. The others stay recorded (FindFinished).
  virtual Result<std::vector<CheckpointedStream>> Load() = 0;
  // The newest finished stream on this device and inode, if any: a shipped file found
  // again (a rotated name, or a restart).
  virtual Result<std::optional<CheckpointedStream>> FindFinished(uint64_t device,
                                                                 uint64_t inode) = 0;
  // How many manifest parts the last stored head counted (0 before any).
  virtual Result<uint64_t> ManifestParts() = 0;

  // Applies the whole batch in one fsync'd transaction, or nothing of it. Adding a stream
  // that exists, or acking/planning for an unknown stream, is kInvalidArgument (a bug in
  // the caller) and applies nothing. A full disk is kResourceExhausted, a read-only or
  // vanished database kIoError, both naming the database path.
  virtual Status Apply(const CheckpointBatch& batch) = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_CHECKPOINT_STORE_H_
