// The object layout every lifeboat writer and reader shares (DESIGN.md, "Object layout"):
//
//   <instance-id>/<source path without leading '/'>/<stream>-<begin>-<end><ext>
//   <instance-id>/.lifeboat/manifest.json
//
// relative to the store's root (s3://bucket/prefix or file:///dir). Stream ids and byte
// offsets are zero-padded decimals, so the keys of one source path sort in byte order
// of its streams: `aws s3 cp --recursive` then `zstd -dc` of the files in name order
// rebuilds every file.
#ifndef LIFEBOAT_SHIP_OBJECT_KEYS_H_
#define LIFEBOAT_SHIP_OBJECT_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ship/codec.h"

namespace lifeboat {

inline constexpr std::string_view kMetadataDir = ".lifeboat";
inline constexpr std::string_view kManifestName = "manifest.json";

struct ChunkName {
  uint32_t stream = 0;
  uint64_t begin = 0;
  uint64_t end = 0;
  Codec codec = Codec::kNone;
};

// Checks an instance id before it becomes a key prefix: non-empty, no '/', not ".", ".."
// or ".lifeboat" (the day index at the store's root).
Status ValidateInstanceId(std::string_view instance_id);

// "000003-0000000000001024-0000000000002048.zst"
std::string FormatChunkName(const ChunkName& chunk);
// The inverse of FormatChunkName; nullopt for anything else.
std::optional<ChunkName> ParseChunkName(std::string_view name);

// An absolute, lexically normal path ("/var/log/app.log") -> "var/log/app.log".
std::string SourceKeyPath(std::string_view absolute_path);

// "<instance>/<source>/<chunk name>"
std::string ChunkKey(std::string_view instance_id, std::string_view absolute_path,
                     const ChunkName& chunk);
// "<instance>/.lifeboat/manifest.json"
std::string ManifestKey(std::string_view instance_id);
// "<instance>/.lifeboat/manifest/part-00000001.json": the manifest's immutable parts.
std::string ManifestPartKey(std::string_view instance_id, uint64_t number);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_OBJECT_KEYS_H_
