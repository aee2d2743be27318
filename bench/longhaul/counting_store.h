// CountingObjectStore: an ObjectStore for bench/longhaul that counts what an S3 bill
// counts and keeps only what the agent may read back.
//
// Requests are counted by S3 operation as S3ObjectStore would send them: an object
// smaller than one part (S3StoreOptions::part_size) is one PutObject; a larger one is
// CreateMultipartUpload, one UploadPart per part and CompleteMultipartUpload.
//
// Memory stays the agent's, not the bench's: the bytes of chunk objects (keys that
// ParseChunkName reads) are dropped. Per stream the store keeps the byte ranges its
// chunks cover, merged, so a create-only write of a range already stored is refused
// (kAlreadyExists) however long the run; the agent re-sends a range only under the same
// key, so a covered range stands for that key. The last few chunks of each stream also
// keep their size and CRC32C, which is all a re-sent chunk needs to be recognised (Head)
// after a restart; older chunk bytes cannot be read (counted as unserved reads).
// Every other object, the manifest under <instance>/.lifeboat/ included, is kept whole
// in files under `metadata_dir` (a FileObjectStore), so the agent can read it back
// without it counting as the agent's memory.
//
// Thread-safe.
#ifndef LIFEBOAT_BENCH_LONGHAUL_COUNTING_STORE_H_
#define LIFEBOAT_BENCH_LONGHAUL_COUNTING_STORE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ship/codec.h"
#include "store/file_object_store.h"
#include "store/object_store.h"

namespace lifeboat {

// What the agent wrote and asked, so far.
struct StoreTally {
  std::map<std::string, uint64_t, std::less<>> requests;  // by S3 operation
  uint64_t chunk_objects = 0;                             // chunk objects created
  uint64_t chunk_bytes = 0;                               // their stored (compressed) bytes
  uint64_t metadata_writes = 0;  // objects written under .lifeboat/ (each write counts)
  uint64_t metadata_bytes = 0;
  uint64_t metadata_write_max = 0;  // the largest single write under .lifeboat/
  uint64_t manifest_writes = 0;     // of those, writes to the manifest's own key
  uint64_t refused_writes = 0;      // create-only writes to a key that exists
  uint64_t overlapping_chunks = 0;  // chunks overlapping another of their stream: a bug
  uint64_t unserved_reads = 0;      // reads of chunk bytes, which this store does not keep
  uint64_t streams = 0;             // (source path, stream) pairs with chunks stored

  // PutObject and multipart requests: the writes.
  uint64_t write_requests() const;
  uint64_t Requests(std::string_view operation) const;
};

// One write under .lifeboat/: how big it was, whether it was the manifest's own key (the
// manifest, or the head that ends an update of a manifest kept in parts), and how many
// chunk objects existed then.
struct MetadataWrite {
  uint64_t bytes = 0;
  bool manifest = false;
  uint64_t chunks_stored = 0;
};

class CountingObjectStore final : public ObjectStore {
 public:
  // `metadata_dir` holds the objects kept whole; a later store on the same directory
  // (a restart) finds them there, but knows nothing of the chunks.
  CountingObjectStore(std::string instance_id, std::string metadata_dir);
  ~CountingObjectStore() override;

  StoreTally tally() const;
  // Cheap reads of single figures, for a loop that polls them.
  uint64_t chunk_objects() const;
  uint64_t metadata_writes() const;
  // Writes to <instance>/.lifeboat/manifest.json (the manifest, or its head).
  uint64_t manifest_writes() const;
  // Writes under .lifeboat/ opened and not yet committed or aborted.
  uint64_t metadata_writes_open() const { return metadata_writes_open_.load(); }
  // Every write under .lifeboat/ so far, in order.
  std::vector<MetadataWrite> metadata_log() const;

  // ObjectStore.
  std::string Describe(std::string_view key) const override;
  Result<std::unique_ptr<ObjectWriter>> NewWriter(const std::string& key,
                                                  const WriteOptions& options) override;
  Result<ObjectInfo> Head(const std::string& key) override;
  Result<std::string> Get(const std::string& key) override;
  // The objects under .lifeboat/ and the chunks whose names the store still knows (the
  // last few of each stream): enough for the agent's bootstrap to adopt recent chunks.
  Status ListPages(const std::string& prefix, const std::string& start_after,
                   const ListPageFn& fn) override;
  Status Delete(const std::string& key) override;
  uint64_t requests() const override;
  RequestCounts requests_by_operation() const override;

 private:
  class ChunkWriter;
  class MetadataWriter;
  struct StoredChunk {
    uint64_t begin = 0, end = 0;
    Codec codec = Codec::kZstd;
    uint64_t size = 0;
    uint32_t crc32c = 0;
  };
  // The chunks of one (source path, stream): `covered` merges their ranges [begin, end).
  struct StreamObjects {
    std::map<uint64_t, uint64_t> covered;
    std::deque<StoredChunk> recent;  // newest last
  };
  struct ParsedKey {
    std::string stream;  // "<instance>/<source path>/<stream id>"
    std::string dir;     // "<instance>/<source path>"
    uint64_t begin = 0, end = 0;
    Codec codec = Codec::kZstd;
  };

  static bool Covers(const StreamObjects& stream, uint64_t begin, uint64_t end);
  static bool Overlaps(const StreamObjects& stream, uint64_t begin, uint64_t end);
  bool IsMetadata(std::string_view key) const;
  static std::optional<ParsedKey> ParseChunkKey(std::string_view key);
  void CountRequest(std::string_view operation, uint64_t n = 1);  // mu_ held
  void CountUpload(uint64_t size);                                // mu_ held
  // Records a chunk object; false (and nothing recorded) when a create-only write finds
  // its range stored already.
  bool AddChunk(const ParsedKey& key, uint64_t size, uint32_t crc32c, bool create_only);
  void AddMetadataWrite(const std::string& key, uint64_t size);
  const StoredChunk* FindRecent(const ParsedKey& key) const;  // mu_ held

  const std::string metadata_prefix_;  // "<instance>/.lifeboat/"
  const std::string manifest_key_;
  FileObjectStore metadata_;

  std::atomic<uint64_t> metadata_writes_open_{0};
  mutable std::mutex mu_;
  StoreTally tally_;
  std::vector<MetadataWrite> metadata_log_;
  std::map<std::string, StreamObjects> streams_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_BENCH_LONGHAUL_COUNTING_STORE_H_
