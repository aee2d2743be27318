// The manifest: lifeboat's record of what it stored for one instance, under
// <instance>/.lifeboat/ next to the chunks it lists.
//
// For every file stream it holds the source path, the identity that tells this stream
// from a later file at the same path, and each chunk's raw byte range, stored size and
// CRC32C checksums (of the raw bytes and of the stored object). `lifeboat verify` proves
// the store against it; `evacuate` and a restarted agent read it to continue.
// Chunk keys are not stored: they follow from path, stream, range and codec.
//
// An agent lives for months, so the manifest is written as immutable numbered parts
// (.lifeboat/manifest/part-00000001.json, ...) plus a small head (.lifeboat/manifest.json)
// that is rewritten at each update. The head names how many parts there are and holds,
// for each stream still open and for the newest stream of each path, the chunks not yet
// in a part (its tail) and where the parts' record of it ends (base_end). When the tails
// grow past a limit they become the next part. So an update writes the new chunks and a
// head whose size depends on the open streams, never on the history; reading everything
// is the parts in order, then the head. A part is written before the head that counts
// it; a part beyond the head's count is a leftover of an interrupted update and is
// ignored (the next update writes it again).
#ifndef LIFEBOAT_SHIP_MANIFEST_H_
#define LIFEBOAT_SHIP_MANIFEST_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ship/chunk_planner.h"
#include "ship/codec.h"
#include "ship/object_keys.h"

namespace lifeboat {

inline constexpr std::string_view kManifestFormat = "lifeboat-manifest/2";
inline constexpr std::string_view kManifestPartFormat = "lifeboat-manifest-part/2";

// What makes a file stream the same stream later: its inode, and a checksum of its first
// bytes (inodes are reused after deletion; the head of a log is not).
struct StreamIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t head_size = 0;     // how many leading bytes head_crc32c covers
  uint32_t head_crc32c = 0;
  bool operator==(const StreamIdentity&) const = default;
};

// When a chunk's lines were written, as far as its writer could tell: after
// `after_ms` and at or before `by_ms` (Unix milliseconds; 0: not known, no bound). A
// search for a time window reads only the chunks whose bounds overlap it.
struct WrittenBounds {
  int64_t after_ms = 0;
  int64_t by_ms = 0;
  bool operator==(const WrittenBounds&) const = default;
  // Whether lines written in [from_ms, to_ms] (0: open on that side) may be in the chunk.
  bool MayOverlap(int64_t from_ms, int64_t to_ms) const {
    if (from_ms != 0 && by_ms != 0 && by_ms < from_ms) return false;
    if (to_ms != 0 && after_ms != 0 && after_ms >= to_ms) return false;
    return true;
  }
};

struct ChunkRecord {
  ByteRange range;
  Codec codec = Codec::kZstd;
  uint64_t stored_size = 0;
  uint32_t raw_crc32c = 0;
  uint32_t stored_crc32c = 0;
  WrittenBounds written;  // not part of the chunk's identity: a re-send may know better
};

struct StreamRecord {
  std::string path;  // absolute source path
  uint32_t stream = 0;
  StreamIdentity identity;
  // Bytes [0, base_end) are listed by the manifest's parts; `chunks` continue from there.
  // Always 0 in a whole manifest (ReadManifest) and in a part.
  uint64_t base_end = 0;
  bool finished = false;            // shipped to its end: nothing more will be added
  std::vector<ChunkRecord> chunks;  // in byte order

  // One past the last byte stored (0 when nothing is).
  uint64_t end() const { return chunks.empty() ? base_end : chunks.back().range.end; }
  ChunkName NameOf(const ChunkRecord& chunk) const {
    return {stream, chunk.range.begin, chunk.range.end, chunk.codec};
  }
};

// The head, or (parts == 0, every base_end 0) the whole manifest.
struct Manifest {
  std::string instance_id;
  std::string tool;        // "lifeboat 0.1.0"
  std::string updated_at;  // RFC 3339 UTC
  // Sealed: the instance's writer promises nothing more will be added.
  bool sealed = false;
  uint64_t parts = 0;  // parts 1..parts come before the head's chunks
  std::vector<StreamRecord> streams;

  // The newest stream recorded for `path`, or nullptr.
  const StreamRecord* LatestStream(std::string_view path) const;
  StreamRecord* LatestStream(std::string_view path);
  // The id a new stream of `path` gets: one more than any recorded for it.
  uint32_t NextStreamId(std::string_view path) const;
  // Of the chunks listed here (a head lists only its tails).
  uint64_t raw_bytes() const;
  uint64_t stored_bytes() const;
  size_t chunk_count() const;
};

// One immutable part: the chunks that left the head's tails in one update, and the
// streams that left the head with them.
struct ManifestPart {
  std::string instance_id;
  uint64_t number = 0;  // from 1
  std::vector<StreamRecord> streams;
};

// How many tail chunks a head may hold before they become a part: a head of this many
// chunks is about 40 KiB.
inline constexpr size_t kMaxTailChunks = 200;
// How many chunks one part may list: about 170 KiB of JSON. A burst (a backlog shipped
// after a restart, a large file evacuated) becomes several parts, so no reader ever holds
// more than this many chunk records of one part at once.
inline constexpr size_t kMaxPartChunks = 1000;

// Moves every tail into parts numbered from head.parts + 1 when the tails hold more than
// `max_tail_chunks` chunks (or `force`), at most `max_part_chunks` chunks a part, and
// drops from the head the finished streams that are not the newest of their path.
// Returns the parts to store, in order, before the head; none when the head stays as it is.
std::vector<ManifestPart> RollManifest(Manifest& head, size_t max_tail_chunks = kMaxTailChunks,
                                       bool force = false, size_t max_part_chunks = kMaxPartChunks);

// Adds a part's (or a head's) streams to a whole manifest being rebuilt: chunks already
// listed (a part written again after an interruption) are skipped.
void MergeIntoManifest(Manifest& whole, const std::vector<StreamRecord>& streams);

std::string ManifestToJson(const Manifest& manifest);
// kDataLoss when the text is not a manifest this version understands, naming the field.
Result<Manifest> ParseManifest(std::string_view json);
std::string ManifestPartToJson(const ManifestPart& part);
Result<ManifestPart> ParseManifestPart(std::string_view json);

// "2026-11-26T17:02:03Z"
std::string FormatRfc3339(std::chrono::system_clock::time_point time);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_MANIFEST_H_
