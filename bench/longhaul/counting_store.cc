#include "longhaul/counting_store.h"

#include <iterator>

#include "common/hash.h"
#include "ship/object_keys.h"
#include "store/s3_object_store.h"

namespace lifeboat {
namespace {

// What S3ObjectStore sends, so the counts are S3's.
const uint64_t kPartSize = S3StoreOptions{}.part_size;
// A re-sent chunk is one planned before a restart and not acknowledged: at most
// `parallel` per stream. A few more cost nothing.
constexpr size_t kRecentPerStream = 8;
constexpr uint64_t kListPage = 1000;  // keys per ListObjectsV2 response

Status Unserved(std::string_view key) {
  return Status::Unavailable("bench/longhaul keeps no chunk bytes: cannot serve " +
                             std::string(key));
}

Status NoSuchKey(std::string_view key) {
  return Status(StatusCode::kNotFound, std::string(key) + ": no such key", std::string(kNoSuchKey));
}

}  // namespace

uint64_t StoreTally::Requests(std::string_view operation) const {
  auto it = requests.find(operation);
  return it == requests.end() ? 0 : it->second;
}

uint64_t StoreTally::write_requests() const {
  return Requests("PutObject") + Requests("CreateMultipartUpload") + Requests("UploadPart") +
         Requests("CompleteMultipartUpload");
}

// Gathers a chunk's size and CRC32C; the bytes themselves are dropped.
class CountingObjectStore::ChunkWriter final : public ObjectWriter {
 public:
  ChunkWriter(CountingObjectStore* store, ParsedKey key, bool create_only)
      : store_(store), key_(std::move(key)), create_only_(create_only) {}

  Status Append(std::string_view data) override {
    size_ += data.size();
    crc_ = Crc32cExtend(crc_, data);
    return Status::Ok();
  }
  Status Commit() override {
    if (!store_->AddChunk(key_, size_, crc_, create_only_)) {
      return Status::AlreadyExists(key_.dir + "/...: bytes " + std::to_string(key_.begin) + ".." +
                                   std::to_string(key_.end) + " are stored already");
    }
    return Status::Ok();
  }
  void Abort() override {}

 private:
  CountingObjectStore* store_;
  ParsedKey key_;
  bool create_only_;
  uint64_t size_ = 0;
  uint32_t crc_ = 0;
};

// Writes through to the directory store and counts the write when it commits.
class CountingObjectStore::MetadataWriter final : public ObjectWriter {
 public:
  MetadataWriter(CountingObjectStore* store, std::string key, std::unique_ptr<ObjectWriter> target,
                 bool counted)
      : store_(store), key_(std::move(key)), target_(std::move(target)), counted_(counted) {
    if (counted_) ++store_->metadata_writes_open_;
  }
  ~MetadataWriter() override { Close(); }

  Status Append(std::string_view data) override {
    size_ += data.size();
    return target_->Append(data);
  }
  Status Commit() override {
    Status s = target_->Commit();
    {
      std::lock_guard lock(store_->mu_);
      store_->CountUpload(size_);
      if (s.code() == StatusCode::kAlreadyExists) ++store_->tally_.refused_writes;
    }
    if (s.ok() && counted_) store_->AddMetadataWrite(key_, size_);
    Close();
    return s;
  }
  void Abort() override {
    target_->Abort();
    Close();
  }

 private:
  void Close() {
    if (counted_ && !closed_) --store_->metadata_writes_open_;
    closed_ = true;
  }

  CountingObjectStore* store_;
  std::string key_;
  std::unique_ptr<ObjectWriter> target_;
  bool counted_;
  bool closed_ = false;
  uint64_t size_ = 0;
};

CountingObjectStore::CountingObjectStore(std::string instance_id, std::string metadata_dir)
    : metadata_prefix_(instance_id + "/" + std::string(kMetadataDir) + "/"),
      manifest_key_(ManifestKey(instance_id)),
      metadata_(Env::Default(), std::move(metadata_dir)) {}

CountingObjectStore::~CountingObjectStore() = default;

StoreTally CountingObjectStore::tally() const {
  std::lock_guard lock(mu_);
  StoreTally tally = tally_;
  tally.streams = streams_.size();
  return tally;
}

uint64_t CountingObjectStore::chunk_objects() const {
  std::lock_guard lock(mu_);
  return tally_.chunk_objects;
}

uint64_t CountingObjectStore::metadata_writes() const {
  std::lock_guard lock(mu_);
  return tally_.metadata_writes;
}

uint64_t CountingObjectStore::manifest_writes() const {
  std::lock_guard lock(mu_);
  return tally_.manifest_writes;
}

std::vector<MetadataWrite> CountingObjectStore::metadata_log() const {
  std::lock_guard lock(mu_);
  return metadata_log_;
}

RequestCounts CountingObjectStore::requests_by_operation() const {
  std::lock_guard lock(mu_);
  return tally_.requests;
}

uint64_t CountingObjectStore::requests() const {
  std::lock_guard lock(mu_);
  uint64_t total = 0;
  for (const auto& [operation, n] : tally_.requests) total += n;
  return total;
}

std::string CountingObjectStore::Describe(std::string_view key) const {
  return "longhaul://" + std::string(key);
}

bool CountingObjectStore::IsMetadata(std::string_view key) const {
  return key.starts_with(metadata_prefix_);
}

// "<instance>/<source path>/<chunk name>" -> its stream and range; nullopt for keys that
// are not chunks.
std::optional<CountingObjectStore::ParsedKey> CountingObjectStore::ParseChunkKey(
    std::string_view key) {
  const auto slash = key.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto name = ParseChunkName(key.substr(slash + 1));
  if (!name) return std::nullopt;
  ParsedKey parsed;
  parsed.dir = std::string(key.substr(0, slash));
  parsed.stream = parsed.dir + "/" + std::to_string(name->stream);
  parsed.begin = name->begin;
  parsed.end = name->end;
  parsed.codec = name->codec;
  return parsed;
}

void CountingObjectStore::CountRequest(std::string_view operation, uint64_t n) {
  auto it = tally_.requests.find(operation);
  if (it == tally_.requests.end()) it = tally_.requests.emplace(std::string(operation), 0).first;
  it->second += n;
}

// As S3ObjectStore sends it: one PutObject below a part, a multipart upload from there.
void CountingObjectStore::CountUpload(uint64_t size) {
  if (size < kPartSize) {
    CountRequest("PutObject");
    return;
  }
  CountRequest("CreateMultipartUpload");
  CountRequest("UploadPart", (size + kPartSize - 1) / kPartSize);
  CountRequest("CompleteMultipartUpload");
}

bool CountingObjectStore::AddChunk(const ParsedKey& key, uint64_t size, uint32_t crc32c,
                                   bool create_only) {
  std::lock_guard lock(mu_);
  CountUpload(size);
  StreamObjects& stream = streams_[key.stream];
  if (Covers(stream, key.begin, key.end)) {
    // The agent re-sends a range only under its own key, so a covered range is that key.
    if (create_only) {
      ++tally_.refused_writes;
      return false;
    }
  } else {
    if (Overlaps(stream, key.begin, key.end)) ++tally_.overlapping_chunks;
    // Merged with what it touches, so a stream costs one entry, not one a chunk.
    uint64_t begin = key.begin, end = key.end;
    auto it = stream.covered.upper_bound(begin);
    if (it != stream.covered.begin() && std::prev(it)->second >= begin) --it;
    while (it != stream.covered.end() && it->first <= end) {
      begin = std::min(begin, it->first);
      end = std::max(end, it->second);
      it = stream.covered.erase(it);
    }
    stream.covered[begin] = end;
    ++tally_.chunk_objects;
    tally_.chunk_bytes += size;
  }
  std::erase_if(stream.recent,
                [&](const StoredChunk& c) { return c.begin == key.begin && c.end == key.end; });
  stream.recent.push_back({key.begin, key.end, key.codec, size, crc32c});
  if (stream.recent.size() > kRecentPerStream) stream.recent.pop_front();
  return true;
}

bool CountingObjectStore::Covers(const StreamObjects& stream, uint64_t begin, uint64_t end) {
  auto next = stream.covered.upper_bound(begin);
  return next != stream.covered.begin() && std::prev(next)->second >= end;
}

bool CountingObjectStore::Overlaps(const StreamObjects& stream, uint64_t begin, uint64_t end) {
  auto next = stream.covered.upper_bound(begin);
  return (next != stream.covered.end() && next->first < end) ||
         (next != stream.covered.begin() && std::prev(next)->second > begin);
}

void CountingObjectStore::AddMetadataWrite(const std::string& key, uint64_t size) {
  std::lock_guard lock(mu_);
  const bool manifest = key == manifest_key_;
  tally_.manifest_writes += manifest;
  ++tally_.metadata_writes;
  tally_.metadata_bytes += size;
  tally_.metadata_write_max = std::max(tally_.metadata_write_max, size);
  metadata_log_.push_back({size, manifest, tally_.chunk_objects});
}

const CountingObjectStore::StoredChunk* CountingObjectStore::FindRecent(
    const ParsedKey& key) const {
  auto it = streams_.find(key.stream);
  if (it == streams_.end()) return nullptr;
  for (const auto& chunk : it->second.recent) {
    if (chunk.begin == key.begin && chunk.end == key.end) return &chunk;
  }
  return nullptr;
}

Result<std::unique_ptr<ObjectWriter>> CountingObjectStore::NewWriter(const std::string& key,
                                                                     const WriteOptions& options) {
  if (auto chunk = ParseChunkKey(key)) {
    return std::unique_ptr<ObjectWriter>(
        std::make_unique<ChunkWriter>(this, std::move(*chunk), options.if_none_match));
  }
  // Anything else is kept whole; writes under .lifeboat/ are the ones counted as metadata.
  LIFEBOAT_ASSIGN_OR_RETURN(auto target, metadata_.NewWriter(key, options));
  return std::unique_ptr<ObjectWriter>(
      std::make_unique<MetadataWriter>(this, key, std::move(target), IsMetadata(key)));
}

Result<ObjectInfo> CountingObjectStore::Head(const std::string& key) {
  auto chunk = ParseChunkKey(key);
  {
    std::lock_guard lock(mu_);
    CountRequest("HeadObject");
    if (chunk) {
      if (const StoredChunk* stored = FindRecent(*chunk)) {
        ObjectInfo info;
        info.size = stored->size;
        info.crc32c = stored->crc32c;
        return info;
      }
      auto it = streams_.find(chunk->stream);
      const bool covered = it != streams_.end() && Covers(it->second, chunk->begin, chunk->end);
      if (!covered) return NoSuchKey(key);
      ++tally_.unserved_reads;
      return Unserved(key);
    }
  }
  return metadata_.Head(key);
}

Result<std::string> CountingObjectStore::Get(const std::string& key) {
  auto chunk = ParseChunkKey(key);
  {
    std::lock_guard lock(mu_);
    CountRequest("GetObject");
    if (chunk) {
      auto it = streams_.find(chunk->stream);
      if (it == streams_.end() || !Covers(it->second, chunk->begin, chunk->end))
        return NoSuchKey(key);
      ++tally_.unserved_reads;
      return Unserved(key);
    }
  }
  return metadata_.Get(key);
}

Status CountingObjectStore::ListPages(const std::string& prefix, const std::string& start_after,
                                      const ListPageFn& fn) {
  std::vector<ListedObject> out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [stream, objects] : streams_) {
      const std::string dir = stream.substr(0, stream.rfind('/'));
      const auto id = static_cast<uint32_t>(std::stoul(stream.substr(dir.size() + 1)));
      for (const auto& c : objects.recent) {
        std::string key = dir + "/" + FormatChunkName({id, c.begin, c.end, c.codec});
        if (key.starts_with(prefix) && key > start_after) out.push_back({std::move(key), c.size});
      }
    }
  }
  Status kept = metadata_.ListPages(prefix, start_after, [&out](std::vector<ListedObject>& page) {
    std::move(page.begin(), page.end(), std::back_inserter(out));
    return Status::Ok();
  });
  if (!kept.ok() && !IsNoSuchKey(kept) && kept.code() != StatusCode::kNotFound) return kept;
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  {
    std::lock_guard lock(mu_);
    CountRequest("ListObjectsV2", std::max<uint64_t>(1, (out.size() + kListPage - 1) / kListPage));
  }
  return fn(out);  // one page: the store keeps only the last few chunks of each stream
}

Status CountingObjectStore::Delete(const std::string& key) {
  auto chunk = ParseChunkKey(key);
  {
    std::lock_guard lock(mu_);
    CountRequest("DeleteObject");
    if (chunk) {
      auto it = streams_.find(chunk->stream);
      if (it == streams_.end() || !Covers(it->second, chunk->begin, chunk->end))
        return Status::Ok();
      StreamObjects& stream = it->second;
      std::erase_if(stream.recent, [&](const StoredChunk& c) {
        return c.begin == chunk->begin && c.end == chunk->end;
      });
      auto around = std::prev(stream.covered.upper_bound(chunk->begin));
      const auto [begin, end] = *around;
      stream.covered.erase(around);
      if (begin < chunk->begin) stream.covered[begin] = chunk->begin;
      if (chunk->end < end) stream.covered[chunk->end] = end;
      return Status::Ok();
    }
  }
  return metadata_.Delete(key);
}

}  // namespace lifeboat
