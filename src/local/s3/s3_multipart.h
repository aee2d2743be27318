// Multipart uploads for lifeboat local's S3, with AWS's rules: part numbers 1-10000, every
// part but the last at least 5 MiB (EntityTooSmall), parts listed in ascending order
// (InvalidPartOrder) with their ETags (InvalidPart), the ETag "<md5 of part md5s>-<n>",
// and checksums COMPOSITE ("<digest of part digests>-<n>") or FULL_OBJECT.
//
// On disk, in the bucket's uploads directory: "<upload id>.upload" holds the upload's
// record (key, Content-Type, metadata, checksum algorithm) and "<upload id>.<part 00001>"
// each part, both in the object file format, each published by fsync and rename.
// Completing copies the parts into one object file, published like any PutObject.
//
// Thread-safe; the lock of the upload's key orders part uploads, completion and abort.
#ifndef LIFEBOAT_LOCAL_S3_S3_MULTIPART_H_
#define LIFEBOAT_LOCAL_S3_S3_MULTIPART_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "local/s3/s3_checksum.h"
#include "local/s3/s3_object_file.h"
#include "local/s3/s3_store.h"

namespace lifeboat {

inline constexpr uint64_t kMinPartSize = 5 << 20;
inline constexpr int kMaxPartNumber = 10000;

struct UploadRecord {
  std::string upload_id;
  // key, Content-Type, headers, metadata, checksum algorithm and type of the object to be;
  // last_modified_ms is when the upload was initiated.
  ObjectMeta meta;
};

struct PartInfo {
  int part_number = 0;
  uint64_t size = 0;
  std::string etag;  // without quotes
  int64_t last_modified_ms = 0;
  std::string checksum_algorithm;
  std::string checksum;  // base64
};

struct CompletedPartSpec {
  int part_number = 0;
  std::string etag;                              // quotes allowed
  std::map<std::string, std::string> checksums;  // "CRC32C" -> base64, as listed
};

class S3Multipart {
 public:
  explicit S3Multipart(S3Store* store) : store_(store) {}

  // Removes parts whose upload record is gone (an abort that crashed half-way).
  Status Recover();

  // `meta` carries what the object will be stored with. Returns the upload id.
  Result<std::string> Create(const std::string& bucket, ObjectMeta meta);
  // NoSuchUpload unless `upload_id` is an upload of `key` in `bucket`.
  Result<UploadRecord> GetUpload(const std::string& bucket, const std::string& key,
                                 const std::string& upload_id);
  Result<PartInfo> UploadPart(const std::string& bucket, const std::string& key,
                              const std::string& upload_id, int part_number, std::string_view data,
                              const std::string& md5_raw, const ReceivedChecksum& checksum);
  Result<std::vector<PartInfo>> ListParts(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id);
  // `full_checksum` is a whole-object x-amz-checksum-* header sent with the request.
  Result<ObjectMeta> Complete(const std::string& bucket, const std::string& key,
                              const std::string& upload_id,
                              const std::vector<CompletedPartSpec>& parts,
                              const ReceivedChecksum& full_checksum,
                              const WriteConditions& conditions);
  Status Abort(const std::string& bucket, const std::string& key, const std::string& upload_id);
  // Unfinished uploads whose key starts with `prefix`, by key then initiation time.
  Result<std::vector<UploadRecord>> ListUploads(const std::string& bucket, std::string_view prefix);

 private:
  Status RemoveUploadFiles(const std::string& bucket, const std::string& upload_id);
  Result<std::vector<std::string>> PartFiles(const std::string& bucket,
                                             const std::string& upload_id);

  S3Store* store_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_MULTIPART_H_
