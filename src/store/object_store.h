// ObjectStore: where chunks and manifests go. Two implementations share one layout:
// S3 (s3://bucket/prefix, s3_object_store.h) and a directory (file:///dir,
// file_object_store.h, for EFS/NFS mounts and the offline default). Keys are relative to
// the store's root and use '/' separators.
//
// Writes are atomic: a reader sees a whole object or none. A create-only write
// (if_none_match) that finds the key taken fails with kAlreadyExists and changes nothing,
// which is how exactly-once shipping tells "already stored" from "stored now".
// Implementations are thread-safe; an ObjectWriter belongs to one thread.
#ifndef LIFEBOAT_STORE_OBJECT_STORE_H_
#define LIFEBOAT_STORE_OBJECT_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

// The service code every store gives to "there is no object at this key", so callers can
// tell it from a missing bucket, missing credentials or a missing directory (all kNotFound).
inline constexpr std::string_view kNoSuchKey = "NoSuchKey";
inline bool IsNoSuchKey(const Status& s) { return s.service_code() == kNoSuchKey; }

using RequestCounts = std::map<std::string, uint64_t, std::less<>>;

// A thread-safe tally of requests by operation, for stores that count their own.
class RequestCounter {
 public:
  void Count(std::string_view operation);
  RequestCounts Snapshot() const;

 private:
  mutable std::mutex mu_;
  RequestCounts counts_;
};

struct WriteOptions {
  bool if_none_match = true;  // create-only
  std::string content_type = "application/octet-stream";
  std::map<std::string, std::string> metadata;  // S3 x-amz-meta-*; ignored by directories
};

struct ObjectInfo {
  uint64_t size = 0;
  // The CRC32C of the whole object when the store can tell it cheaply (a directory always;
  // S3 for single-part objects written with a checksum).
  std::optional<uint32_t> crc32c;
  std::map<std::string, std::string> metadata;
};

struct ListedObject {
  std::string key;
  uint64_t size = 0;
};

// An object being written. Append as often as needed, then Commit; an object that is
// neither committed nor aborted is aborted when the writer is destroyed.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual Status Append(std::string_view data) = 0;
  // Makes the object visible, all at once. kAlreadyExists (nothing changed) when the
  // write was create-only and the key exists.
  virtual Status Commit() = 0;
  // Discards what was written: no partial object, no orphaned multipart upload.
  virtual void Abort() = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // The URL of a key, for messages: "s3://bucket/prefix/key", "file:///dir/key".
  virtual std::string Describe(std::string_view key) const = 0;

  virtual Result<std::unique_ptr<ObjectWriter>> NewWriter(const std::string& key,
                                                          const WriteOptions& options) = 0;
  // An absent object is kNotFound with service code kNoSuchKey.
  virtual Result<ObjectInfo> Head(const std::string& key) = 0;
  virtual Result<std::string> Get(const std::string& key) = 0;
  // The keys under `prefix` that sort after `start_after` (all when empty), in key order,
  // one page at a time (S3's pages: up to 1,000 keys), so that a reader of a long
  // history holds one page, not the whole listing. An error `fn` returns stops the
  // listing and is returned.
  using ListPageFn = std::function<Status(std::vector<ListedObject>& page)>;
  virtual Status ListPages(const std::string& prefix, const std::string& start_after,
                           const ListPageFn& fn) = 0;
  virtual Status Delete(const std::string& key) = 0;

  // Requests made so far (S3 requests, or file operations for a directory).
  virtual uint64_t requests() const = 0;
  // The same, per S3 operation ("PutObject", "UploadPart", ...; a directory counts its
  // operations under the names of the S3 requests they stand for): what a bill counts.
  virtual RequestCounts requests_by_operation() const = 0;
  // Of those, how many repeated a failed request (S3's retries; a directory has none).
  virtual uint64_t retries() const { return 0; }

  // A whole object in one call.
  Status Put(const std::string& key, std::string_view data, const WriteOptions& options);
  // Every key under `prefix`, sorted, in one vector: for listings known to be small.
  Result<std::vector<ListedObject>> List(const std::string& prefix);
};

}  // namespace lifeboat

#endif  // LIFEBOAT_STORE_OBJECT_STORE_H_
