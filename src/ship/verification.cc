#include "ship/verification.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <tuple>
#include <set>
#include <thread>

#include "common/hash.h"
#include "ship/object_keys.h"

namespace lifeboat {
namespace {

std::string Where(const StreamRecord& s, const ChunkRecord& c) {
  return fmt::format("bytes {}..{} of {} (stream {})", c.range.begin, c.range.end, s.path, s.stream);
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

Result<Manifest> ReadManifestHead(ObjectStore* store, const std::string& instance_id) {
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

Status ForEachManifestPiece(ObjectStore* store, const Manifest& head,
                            const std::function<Status(const std::vector<StreamRecord>&)>& fn) {
  for (uint64_t n = 1; n <= head.parts; ++n) {
    const std::string key = ManifestPartKey(head.instance_id, n);
    auto text = store->Get(key);
    if (!text.ok()) {
      if (IsNoSuchKey(text.status())) {
        return Status::DataLoss(fmt::format("part {} of the manifest is missing: {}", n,
                                            store->Describe(key)));
      }
      return text.status().WithContext("cannot read " + store->Describe(key));
    }
    auto part = ParseManifestPart(*text);
    if (!part.ok()) return part.status().WithContext(store->Describe(key));
    if (part->number != n || part->instance_id != head.instance_id) {
      return Status::DataLoss(store->Describe(key) + " is not part " + std::to_string(n) +
                              " of the manifest of " + head.instance_id);
    }
    LIFEBOAT_RETURN_IF_ERROR(fn(part->streams));
  }
  return fn(head.streams);
}

Result<Manifest> ReadManifest(ObjectStore* store, const std::string& instance_id) {
  LIFEBOAT_ASSIGN_OR_RETURN(Manifest head, ReadManifestHead(store, instance_id));
  Manifest whole = head;
  whole.parts = 0;
  whole.streams.clear();
  LIFEBOAT_RETURN_IF_ERROR(ForEachManifestPiece(store, head, [&](const auto& streams) {
    MergeIntoManifest(whole, streams);
    return Status::Ok();
  }));
  std::sort(whole.streams.begin(), whole.streams.end(), [](const auto& a, const auto& b) {
    return std::tie(a.path, a.stream) < std::tie(b.path, b.stream);
  });
  return whole;
}

Result<Manifest> ReadPathManifest(ObjectStore* store, const Manifest& head, std::string_view path) {
  Manifest of_path = head;
  of_path.parts = 0;
  of_path.streams.clear();
  std::vector<StreamRecord> matching;
  LIFEBOAT_RETURN_IF_ERROR(ForEachManifestPiece(store, head, [&](const auto& streams) {
    matching.clear();
    for (const StreamRecord& s : streams) {
      if (s.path == path) matching.push_back(s);
    }
    MergeIntoManifest(of_path, matching);
    return Status::Ok();
  }));
  std::sort(of_path.streams.begin(), of_path.streams.end(),
            [](const auto& a, const auto& b) { return a.stream < b.stream; });
  return of_path;
}

namespace {

// Checks one piece's chunks in parallel; problems in byte order of its streams.
struct PieceItem {
  const StreamRecord* stream;
  const ChunkRecord* chunk;
  Status result;  // a gap or overlap before the chunk, or the chunk's own problem
};

void CheckChunks(ObjectStore* store, const std::string& instance_id, bool quick, int parallel,
                 std::vector<PieceItem>& items) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < items.size();) {
      if (items[i].chunk == nullptr) continue;
      items[i].result = CheckChunk(store, instance_id, *items[i].stream, *items[i].chunk, quick);
    }
  };
  std::vector<std::thread> pool;
  const size_t threads = std::min<size_t>(std::max(1, parallel), items.size());
  for (size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
  if (threads > 0) worker();
  for (auto& t : pool) t.join();
}

}  // namespace

Result<VerifyReport> VerifyInstance(ObjectStore* store, const std::string& instance_id,
                                    const VerifyOptions& options) {
  VerifyReport report;
  LIFEBOAT_ASSIGN_OR_RETURN(report.manifest, ReadManifestHead(store, instance_id));
  const Manifest& head = report.manifest;
  if (!head.sealed) report.warnings.push_back("the manifest is not sealed: more may still be shipped");

  struct Progress {
    uint64_t end = 0;
    uint64_t chunks = 0;
    bool broken = false;  // a gap or overlap was reported: one problem per stream
  };
  std::map<std::pair<std::string, uint32_t>, Progress> streams;
  Status read = ForEachManifestPiece(store, head, [&](const std::vector<StreamRecord>& piece) {
    std::vector<PieceItem> items;
    for (const auto& s : piece) {
      Progress& p = streams[{s.path, s.stream}];
      for (const auto& c : s.chunks) {
        if (p.chunks > 0 && c.range.end <= p.end) continue;  // listed again by a retried update
        Status order;
        if (!p.broken && c.range.begin != p.end) {
          p.broken = true;
          order = Status::DataLoss(
              c.range.begin > p.end
                  ? fmt::format("gap in {} (stream {}): bytes {}..{} are in no chunk", s.path,
                                s.stream, p.end, c.range.begin)
                  : fmt::format("overlap in {} (stream {}): bytes {}..{} are in two chunks", s.path,
                                s.stream, c.range.begin, p.end));
        }
        if (!order.ok()) items.push_back({&s, nullptr, order});
        items.push_back({&s, &c, {}});
        p.end = std::max(p.end, c.range.end);
        ++p.chunks;
        report.raw_bytes += c.range.size();
        report.stored_bytes += c.stored_size;
      }
    }
    CheckChunks(store, instance_id, options.quick, options.parallel, items);
    for (auto& item : items) {
      if (item.chunk != nullptr) ++report.chunks_checked;
      if (!item.result.ok()) report.problems.push_back(std::move(item.result));
    }
    return Status::Ok();
  });
  if (!read.ok()) {
    if (read.code() != StatusCode::kDataLoss) return read;
    report.problems.push_back(read);
  }
  report.streams = streams.size();

  // Chunk objects that no manifest entry names: per stream, more objects than chunks.
  // The listing is read a page at a time and only counted, so memory grows with the
  // streams, not with the chunks.
  const std::string metadata_prefix = instance_id + "/" + std::string(kMetadataDir) + "/";
  auto stream_of = [&](const std::string& key) -> std::optional<std::pair<std::string, uint32_t>> {
    if (key.starts_with(metadata_prefix)) return std::nullopt;
    const auto slash = key.rfind('/');
    auto name = ParseChunkName(std::string_view(key).substr(slash + 1));
    if (!name || slash <= instance_id.size()) return std::nullopt;
    return std::make_pair("/" + key.substr(instance_id.size() + 1, slash - instance_id.size() - 1),
                          name->stream);
  };
  std::map<std::pair<std::string, uint32_t>, uint64_t> counted;
  Status listed = store->ListPages(instance_id + "/", "", [&](std::vector<ListedObject>& page) {
    for (const auto& o : page) {
      if (auto s = stream_of(o.key)) ++counted[*s];
    }
    return Status::Ok();
  });
  if (!listed.ok()) {
    report.warnings.push_back("could not list " + store->Describe(instance_id + "/") +
                              " to look for stray chunks: " + listed.message());
    return report;
  }
  std::set<std::pair<std::string, uint32_t>> suspects;
  for (const auto& [s, n] : counted) {
    auto it = streams.find(s);
    if (it == streams.end() || n > it->second.chunks) suspects.insert(s);
  }
  if (suspects.empty()) return report;
  // Only the streams with strays are read again, to name them: their chunk keys are held,
  // and only their paths are listed again.
  std::set<std::string> expected;
  std::set<std::string> paths;
  Status named = ForEachManifestPiece(store, head, [&](const std::vector<StreamRecord>& piece) {
    for (const auto& s : piece) {
      if (!suspects.count({s.path, s.stream})) continue;
      for (const auto& c : s.chunks) expected.insert(ChunkKey(instance_id, s.path, s.NameOf(c)));
    }
    return Status::Ok();
  });
  for (const auto& s : suspects) paths.insert(s.first);
  for (const auto& path : paths) {
    const std::string dir = instance_id + "/" + SourceKeyPath(path) + "/";
    if (!named.ok()) break;
    named = store->ListPages(dir, "", [&](std::vector<ListedObject>& page) {
      for (const auto& o : page) {
        auto s = stream_of(o.key);
        if (!s || s->first != path || !suspects.count(*s) || expected.count(o.key)) continue;
        report.problems.push_back(Status::DataLoss(
            "stray chunk " + store->Describe(o.key) +
            " is not in the manifest: a plain download would add its bytes to the file"));
      }
      return Status::Ok();
    });
  }
  if (!named.ok()) {
    // The counts already prove the strays; only their names are missing. A verify that
    // passed here would call a store safe that a plain download would corrupt.
    for (const auto& s : suspects) {
      auto it = streams.find(s);
      report.problems.push_back(Status::DataLoss(fmt::format(
          "{} (stream {}): {} chunk objects stored, {} in the manifest; the strays could not "
          "be named: {}",
          s.first, s.second, counted[s], it == streams.end() ? 0 : it->second.chunks,
          named.message())));
    }
  }
  return report;
}

}  // namespace lifeboat
