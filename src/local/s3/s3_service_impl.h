// The S3 service's handlers, one group per file: routing (s3_service.cc), buckets and
// listings (s3_bucket_ops.cc), objects (s3_object_ops.cc), multipart (s3_multipart_ops.cc).
// Internal to src/local/s3.
#ifndef LIFEBOAT_LOCAL_S3_S3_SERVICE_IMPL_H_
#define LIFEBOAT_LOCAL_S3_S3_SERVICE_IMPL_H_

#include <string>

#include "local/local_service.h"
#include "local/s3/s3_multipart.h"
#include "local/s3/s3_store.h"

namespace lifeboat {

// Where a request points: a bucket (maybe empty: the service) and a key (maybe empty).
struct S3Target {
  std::string bucket;
  std::string key;
  std::string resource;  // "/bucket/key", for error documents
};

class S3Service final : public LocalService {
 public:
  S3Service(Env* env, std::string root);
  LocalResponse Handle(const LocalRequest& request) override;

 private:
  LocalResponse Route(const LocalRequest& r, const S3Target& t);

  // s3_bucket_ops.cc
  LocalResponse ListBuckets(const LocalRequest& r);
  LocalResponse CreateBucket(const LocalRequest& r, const S3Target& t);
  LocalResponse HeadBucket(const S3Target& t);
  LocalResponse DeleteBucket(const S3Target& t);
  LocalResponse GetBucketLocation(const S3Target& t);
  LocalResponse GetBucketVersioning(const S3Target& t);
  LocalResponse ListObjects(const LocalRequest& r, const S3Target& t, bool v2);
  LocalResponse DeleteObjects(const LocalRequest& r, const S3Target& t);

  // s3_object_ops.cc
  LocalResponse PutObject(const LocalRequest& r, const S3Target& t);
  LocalResponse CopyObject(const LocalRequest& r, const S3Target& t);
  LocalResponse GetObject(const LocalRequest& r, const S3Target& t, bool head);
  LocalResponse DeleteObject(const S3Target& t);

  // s3_multipart_ops.cc
  LocalResponse CreateMultipartUpload(const LocalRequest& r, const S3Target& t);
  LocalResponse UploadPart(const LocalRequest& r, const S3Target& t);
  LocalResponse CompleteMultipartUpload(const LocalRequest& r, const S3Target& t);
  LocalResponse AbortMultipartUpload(const LocalRequest& r, const S3Target& t);
  LocalResponse ListParts(const LocalRequest& r, const S3Target& t);
  LocalResponse ListMultipartUploads(const LocalRequest& r, const S3Target& t);

  Env* env_;
  S3Store store_;
  S3Multipart multipart_;
  Status open_status_;
};

// If-None-Match: * and If-Match of a write; InvalidArgument-style errors for other forms.
Result<WriteConditions> WriteConditionsOf(const LocalRequest& r);

// The owner every listing names: lifeboat local has one account.
std::string OwnerXml(std::string_view element = "Owner");

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_SERVICE_IMPL_H_
