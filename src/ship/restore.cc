#include "ship/restore.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/hash.h"
#include "ship/object_keys.h"

namespace lifeboat {

Status DecodeChunk(const ChunkRecord& chunk, std::string_view stored, const ByteSink& sink) {
  uint32_t crc = 0;
  uint64_t size = 0;
  LIFEBOAT_RETURN_IF_ERROR(DecodeFrame(chunk.codec, stored, [&](std::string_view raw) {
    crc = Crc32cExtend(crc, raw);
    size += raw.size();
    return sink(raw);
  }));
  if (size != chunk.range.size() || crc != chunk.raw_crc32c) {
    return Status::DataLoss("decoded bytes do not match the manifest");
  }
  return Status::Ok();
}

Status RestoreFile(ObjectStore* store, const Manifest& manifest, const std::string& path,
                   const ByteSink& sink, const std::function<bool(const ChunkRecord&)>& keep) {
  std::vector<const StreamRecord*> streams;
  for (const auto& s : manifest.streams) {
    if (s.path == path) streams.push_back(&s);
  }
  if (streams.empty()) {
    return Status::NotFound(fmt::format("{} was not shipped for instance {}", path, manifest.instance_id));
  }
  std::sort(streams.begin(), streams.end(),
            [](const StreamRecord* a, const StreamRecord* b) { return a->stream < b->stream; });
  for (const StreamRecord* s : streams) {
    for (const auto& c : s->chunks) {
      if (keep && !keep(c)) continue;
      const std::string key = ChunkKey(manifest.instance_id, s->path, s->NameOf(c));
      auto data = store->Get(key);
      if (!data.ok()) return data.status().WithContext(store->Describe(key));
      LIFEBOAT_RETURN_IF_ERROR(DecodeChunk(c, *data, sink).WithContext(store->Describe(key)));
    }
  }
  return Status::Ok();
}

}  // namespace lifeboat
