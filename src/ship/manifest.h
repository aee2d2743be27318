// The manifest: lifeboat's record of what it stored for one instance, kept at
// <instance>/.lifeboat/manifest.json next to the chunks it lists.
//
// For every file stream it holds the source path, the identity that tells this stream
// from a later file at the same path, and each chunk's raw byte range, stored size and
// CRC32C checksums (of the raw bytes and of the stored object). `lifeboat verify` proves
// the store against it; `evacuate` reads it to continue where the last run stopped.
// Chunk keys are not stored: they follow from path, stream, range and codec.
#ifndef LIFEBOAT_SHIP_MANIFEST_H_
#define LIFEBOAT_SHIP_MANIFEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ship/chunk_planner.h"
#include "ship/codec.h"
#include "ship/object_keys.h"

namespace lifeboat {

inline constexpr std::string_view kManifestFormat = "lifeboat-manifest/1";

// What makes a file stream the same stream later: its inode, and a checksum of its first
// bytes (inodes are reused after deletion; the head of a log is not).
struct StreamIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t head_size = 0;     // how many leading bytes head_crc32c covers
  uint32_t head_crc32c = 0;
  bool operator==(const StreamIdentity&) const = default;
};

struct ChunkRecord {
  ByteRange range;
  Codec codec = Codec::kZstd;
  uint64_t stored_size = 0;
  uint32_t raw_crc32c = 0;
  uint32_t stored_crc32c = 0;
};

struct StreamRecord {
  std::string path;  // absolute source path
  uint32_t stream = 0;
  StreamIdentity identity;
  std::vector<ChunkRecord> chunks;  // in byte order

  // One past the last byte stored (0 when nothing is).
  uint64_t end() const { return chunks.empty() ? 0 : chunks.back().range.end; }
  ChunkName NameOf(const ChunkRecord& chunk) const {
    return {stream, chunk.range.begin, chunk.range.end, chunk.codec};
  }
};

struct Manifest {
  std::string instance_id;
  std::string tool;        // "lifeboat 0.1.0"
  std::string updated_at;  // RFC 3339 UTC
  // Sealed: the instance's writer promises nothing more will be added.
  bool sealed = false;
  std::vector<StreamRecord> streams;

  // The newest stream recorded for `path`, or nullptr.
  const StreamRecord* LatestStream(std::string_view path) const;
  StreamRecord* LatestStream(std::string_view path);
  // The id a new stream of `path` gets: one more than any recorded for it.
  uint32_t NextStreamId(std::string_view path) const;
  uint64_t raw_bytes() const;
  uint64_t stored_bytes() const;
  size_t chunk_count() const;
};

std::string ManifestToJson(const Manifest& manifest);
// kDataLoss when the text is not a manifest this version understands, naming the field.
Result<Manifest> ParseManifest(std::string_view json);

// "2026-11-26T17:02:03Z"
std::string FormatRfc3339(std::chrono::system_clock::time_point time);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_MANIFEST_H_
