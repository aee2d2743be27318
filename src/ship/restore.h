// Restore: the original bytes of a shipped file, from its chunks (`lifeboat cat`).
#ifndef LIFEBOAT_SHIP_RESTORE_H_
#define LIFEBOAT_SHIP_RESTORE_H_

#include <functional>
#include <string>

#include "ship/codec.h"
#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

// Decodes one stored chunk to `sink`, checking that it gives the recorded raw length and
// CRC32C (kDataLoss otherwise; the sink may have had part of it).
Status DecodeChunk(const ChunkRecord& chunk, std::string_view stored, const ByteSink& sink);

// Streams every recorded stream of `path` (oldest first) to `sink`, checking each chunk's
// raw CRC32C on the way; with `keep`, only the chunks it accepts (the others are not read).
// kNotFound when the manifest has no stream for `path`.
Status RestoreFile(ObjectStore* store, const Manifest& manifest, const std::string& path,
                   const ByteSink& sink,
                   const std::function<bool(const ChunkRecord&)>& keep = nullptr);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_RESTORE_H_
