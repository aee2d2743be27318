// S3ObjectStore: the object layout in s3://bucket/prefix.
//
// A writer gathers what it is given; an object that ends within one part goes as one
// PutObject. A larger one becomes a multipart upload whose parts (part_size each, the last
// smaller) are sent while the rest is still being encoded, up to `parts_in_flight` at once.
// Every request carries a CRC32C that S3 checks on receipt. A create-only write sends
// If-None-Match: * on PutObject or CompleteMultipartUpload; S3's 412 becomes kAlreadyExists.
// Any failure aborts the multipart upload, so no orphaned parts are left to pay for.
//
// Borrows the S3Client, which must outlive the store.
#ifndef LIFEBOAT_STORE_S3_OBJECT_STORE_H_
#define LIFEBOAT_STORE_S3_OBJECT_STORE_H_

#include "aws/s3_client.h"
#include "store/object_store.h"

namespace lifeboat {

struct S3StoreOptions {
  std::string bucket;
  std::string prefix;  // without leading or trailing '/'; may be empty
  // Storage class and server-side encryption for every object written.
  S3ObjectAttributes attributes;
  uint64_t part_size = uint64_t{8} << 20;  // S3 wants at least 5 MiB but for the last part
  int parts_in_flight = 2;                 // per writer
};

class S3ObjectStore final : public ObjectStore {
 public:
  S3ObjectStore(S3Client* client, S3StoreOptions options);

  std::string Describe(std::string_view key) const override;
  Result<std::unique_ptr<ObjectWriter>> NewWriter(const std::string& key,
                                                  const WriteOptions& options) override;
  Result<ObjectInfo> Head(const std::string& key) override;
  Result<std::string> Get(const std::string& key) override;
  Status ListPages(const std::string& prefix, const std::string& start_after,
                   const ListPageFn& fn) override;
  Status Delete(const std::string& key) override;
  uint64_t requests() const override;
  uint64_t retries() const override;
  RequestCounts requests_by_operation() const override;

 private:
  friend class S3ObjectWriter;
  std::string FullKey(std::string_view key) const;

  S3Client* client_;
  S3StoreOptions options_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_STORE_S3_OBJECT_STORE_H_
