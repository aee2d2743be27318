#include "ship/verification.h"

#include <fmt/format.h>

#include <atomic>
#include <set>
#include <thread>

#include "common/hash.h"
#include "ship/object_keys.h"

namespace lifeboat {
namespace {

std::string Where(const StreamRecord& s, const ChunkRecord& c) {
  return fmt::format("bytes {}..{} of {} (stream {})", c.range.begin, c.range.end, s.path, s.stream);
}

// Contiguity from byte 0; returns the first problem of a stream, if any.
Status CheckContiguous(const StreamRecord& s) {
  uint64_t expected = 0;
  for (const auto& c : s.chunks) {
    if (c.range.begin > expected) {
      return Status::DataLoss(fmt::format("gap in {} (stream {}): bytes {}..{} are in no chunk",
                                          s.path, s.stream, expected, c.range.begin));
    }
    if (c.range.begin < expected) {
      return Status::DataLoss(fmt::format("overlap in {} (stream {}): bytes {}..{} are in two chunks",
                                          s.path, s.stream, c.range.begin, expected));
    }
    expected = c.range.end;
  }
  return Status::Ok();
}

Status CheckChunk(ObjectStore* store, const std::string& instance_id, const StreamRecord& s,
                  const ChunkRecord& c, bool quick) {
  const std::string key = ChunkKey(instance_id, s.path, s.NameOf(c));
  const std::string url = store->Describe(key);
  if (quick) {
    auto info = store->Head(key);
    if (!info.ok()) {
      if (IsNoSuchKey(info.status())) {
        return Status::DataLoss(fmt::format("missing chunk {} ({})", url, Where(s, c)));
      }
      return info.status().WithContext(url);
    }
    if (info->size != c.stored_size) {
      return Status::DataLoss(fmt::format("chunk {} has {} bytes, the manifest says {} ({})", url,
                                          info->size, c.stored_size, Where(s, c)));
    }
    return Status::Ok();
  }
  auto data = store->Get(key);
  if (!data.ok()) {
    if (IsNoSuchKey(data.status())) {
      return Status::DataLoss(fmt::format("missing chunk {} ({})", url, Where(s, c)));
    }
    if (data.status().code() == StatusCode::kDataLoss) {
      return Status::DataLoss(fmt::format("corrupted chunk {}: {} ({})", url, data.status().message(),
                                          Where(s, c)));
    }
    return data.status().WithContext(url);
  }
  if (data->size() != c.stored_size || Crc32c(*data) != c.stored_crc32c) {
    return Status::DataLoss(fmt::format("corrupted chunk {}: stored bytes differ from the manifest ({})",
                                        url, Where(s, c)));
  }
  auto digest = DigestFrame(c.codec, *data);
  if (!digest.ok() || *digest != RawDigest{c.range.size(), c.raw_crc32c}) {
    return Status::DataLoss(fmt::format("corrupted chunk {}: it does not decode to the recorded bytes ({})",
                                        url, Where(s, c)));
  }
  return Status::Ok();
}

}  // namespace

Result<Manifest> ReadManifest(ObjectStore* store, const std::string& instance_id) {
  const std::string key = ManifestKey(instance_id);
  auto text = store->Get(key);
  if (!text.ok()) {
    if (IsNoSuchKey(text.status())) {
      return Status(StatusCode::kNotFound,
                    "no manifest at " + store->Describe(key) +
                        " (nothing was evacuated for this instance, or the URL is wrong)",
                    std::string(kNoSuchKey));
    }
    return text.status().WithContext("cannot read the manifest");
  }
  auto manifest = ParseManifest(*text);
  if (!manifest.ok()) return manifest.status().WithContext(store->Describe(key));
  if (manifest->instance_id != instance_id) {
    return Status::DataLoss(store->Describe(key) + " names instance '" + manifest->instance_id +
                            "', not '" + instance_id + "'");
  }
  return manifest;
}

Result<VerifyReport> VerifyInstance(ObjectStore* store, const std::string& instance_id,
                                    const VerifyOptions& options) {
  VerifyReport report;
  LIFEBOAT_ASSIGN_OR_RETURN(report.manifest, ReadManifest(store, instance_id));
  const Manifest& m = report.manifest;
  if (!m.sealed) report.warnings.push_back("the manifest is not sealed: more may still be shipped");

  struct Item {
    const StreamRecord* stream;
    const ChunkRecord* chunk;
    Status result;
  };
  std::vector<Item> items;
  std::vector<Status> stream_problems(m.streams.size());
  for (size_t i = 0; i < m.streams.size(); ++i) {
    stream_problems[i] = CheckContiguous(m.streams[i]);
    for (const auto& c : m.streams[i].chunks) items.push_back({&m.streams[i], &c, {}});
  }

  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < items.size();) {
      items[i].result = CheckChunk(store, instance_id, *items[i].stream, *items[i].chunk, options.quick);
    }
  };
  std::vector<std::thread> pool;
  const size_t threads = std::min<size_t>(std::max(1, options.parallel), items.size());
  for (size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
  if (threads > 0) worker();
  for (auto& t : pool) t.join();
  report.chunks_checked = items.size();

  // Problems in byte order: a stream's gap comes before its chunks' problems.
  size_t item = 0;
  for (size_t i = 0; i < m.streams.size(); ++i) {
    if (!stream_problems[i].ok()) report.problems.push_back(stream_problems[i]);
    for (size_t k = 0; k < m.streams[i].chunks.size(); ++k, ++item) {
      if (!items[item].result.ok()) report.problems.push_back(items[item].result);
    }
  }

  // Chunk objects that no manifest entry names.
  auto listed = store->List(instance_id + "/");
  if (!listed.ok()) {
    report.warnings.push_back("could not list " + store->Describe(instance_id + "/") +
                              " to look for stray chunks: " + listed.status().message());
    return report;
  }
  std::set<std::string> expected;
  for (const auto& s : m.streams) {
    for (const auto& c : s.chunks) expected.insert(ChunkKey(instance_id, s.path, s.NameOf(c)));
  }
  const std::string metadata_prefix = instance_id + "/" + std::string(kMetadataDir) + "/";
  for (const auto& o : listed.value()) {
    if (o.key.starts_with(metadata_prefix) || expected.count(o.key)) continue;
    if (!ParseChunkName(o.key.substr(o.key.rfind('/') + 1))) continue;
    report.problems.push_back(Status::DataLoss(
        "stray chunk " + store->Describe(o.key) +
        " is not in the manifest: a plain download would add its bytes to the file"));
  }
  return report;
}

}  // namespace lifeboat
