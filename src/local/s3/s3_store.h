// S3Store: lifeboat local's buckets and objects in a directory, durably.
//
//   <root>/<bucket>/bucket.json   creation time and region
//   <root>/<bucket>/objects/<f>   one file per object, header + data (s3_object_file.h)
//   <root>/<bucket>/uploads/      multipart uploads (s3_multipart.h)
//   <root>/<bucket>/.tmp/         objects being written; emptied when a store opens
//   <root>/.tmp/, <root>/.trash/  buckets being created / deleted; emptied when it opens
//
// Every write goes to a temporary file that is fsync'd, renamed into place, and its
// directory fsync'd: after a crash an object is the old one or the new one, never torn.
//
// Thread-safe. Data is written with no lock held; only the rename that publishes an
// object takes a lock, striped by key (so conditional writes are atomic) and shared per
// bucket (so DeleteBucket cannot race an object into a bucket it is removing). One process
// owns a root directory at a time.
#ifndef LIFEBOAT_LOCAL_S3_S3_STORE_H_
#define LIFEBOAT_LOCAL_S3_S3_STORE_H_

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "local/s3/s3_object_file.h"

namespace lifeboat {

struct BucketInfo {
  std::string name;
  int64_t created_ms = 0;
  std::string region;
};

// Preconditions of a write, checked atomically with the rename that publishes it.
struct WriteConditions {
  bool if_none_match = false;  // If-None-Match: * (412 PreconditionFailed when the key exists)
  std::string if_match;        // If-Match: an ETag without quotes, or "*"; empty: none
};

class S3Store;

// A temporary file in a bucket's .tmp area; removed unless committed.
class StagedFile {
 public:
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  Status Append(std::string_view data) { return file_->Append(data); }

 private:
  friend class S3Store;
  StagedFile(Env* env, std::string path, std::unique_ptr<WritableFile> file)
      : env_(env), path_(std::move(path)), file_(std::move(file)) {}
  // fsync and close; then Publish renames to `to` (refusing to replace with no_replace).
  Status Finish();
  Status Publish(const std::string& to, bool no_replace);

  Env* env_;
  std::string path_;
  std::unique_ptr<WritableFile> file_;
  bool published_ = false;
};

class S3Store {
 public:
  // With `direct_io`, object data bypasses the page cache (s3_direct_file.h); only for
  // Env::Default().
  S3Store(Env* env, std::string root, bool direct_io = false);
  S3Store(const S3Store&) = delete;
  S3Store& operator=(const S3Store&) = delete;

  // Creates the root and clears what a crash left in the temporary areas.
  Status Open();

  Status CreateBucket(const std::string& bucket, const std::string& region);
  // BucketNotEmpty while it holds objects; discards its unfinished uploads.
  Status DeleteBucket(const std::string& bucket);
  Result<BucketInfo> GetBucket(const std::string& bucket);
  Result<std::vector<BucketInfo>> ListBuckets();

  // A new temporary file in `bucket`; NoSuchBucket when there is no such bucket.
  Result<std::unique_ptr<StagedFile>> Stage(const std::string& bucket);
  // Publishes `staged` as `key` when `conditions` hold. `under_lock`, when given, runs
  // with the key's lock held just before the rename and can veto it.
  Status CommitObject(const std::string& bucket, const std::string& key,
                      std::unique_ptr<StagedFile> staged, const WriteConditions& conditions,
                      const std::function<Status()>& under_lock = nullptr);
  Result<StoredObject> OpenObject(const std::string& bucket, const std::string& key);
  // Idempotent: deleting a missing key is fine.
  Status DeleteObject(const std::string& bucket, const std::string& key);
  // Every key in the bucket starting with `prefix`, sorted.
  Result<std::vector<std::string>> ListKeys(const std::string& bucket, std::string_view prefix);

  // For multipart uploads: publishes `staged` as `name` in the bucket's uploads directory,
  // holding the lock of the upload's `key` while `under_lock` (when given) allows it.
  Status CommitUploadFile(const std::string& bucket, const std::string& key,
                          const std::string& name, std::unique_ptr<StagedFile> staged,
                          const std::function<Status()>& under_lock = nullptr);
  std::string UploadsDir(const std::string& bucket) const;
  // Runs `fn` holding the lock of `key` (and the bucket's shared lock).
  Status WithKeyLock(const std::string& bucket, const std::string& key,
                     const std::function<Status()>& fn);
  // NoSuchBucket unless `bucket` exists.
  Status CheckBucket(const std::string& bucket);
  Env* env() const { return env_; }

 private:
  std::string BucketDir(const std::string& bucket) const;
  std::string ObjectPath(const std::string& bucket, const std::string& key) const;
  std::string UniqueName();
  std::shared_mutex& BucketLock(const std::string& bucket);
  std::mutex& KeyLock(const std::string& bucket, const std::string& key);
  Status ClearTempAreas();

  Env* env_;
  std::string root_;
  bool direct_io_;
  std::atomic<uint64_t> counter_{0};
  std::string instance_;  // random, so temporary names never repeat across restarts
  std::mutex buckets_mu_;
  std::map<std::string, std::unique_ptr<std::shared_mutex>> bucket_locks_;
  std::array<std::mutex, 64> key_locks_;
};

// S3's bucket naming rules: 3-63 of [a-z0-9.-], a letter or digit at both ends, no "..",
// not an IPv4 address, none of AWS's reserved prefixes and suffixes.
bool IsValidBucketName(std::string_view name);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_STORE_H_
