// S3Client: the S3 operations lifeboat uses, one request each (plus ListEach, which pages).
// Builds requests with s3_requests.h, sends them through an AwsTransport (signing, retries,
// clock skew), and parses answers into structs. Every error's message starts with
// "s3://bucket/key: ". A conditional write that finds the object already there
// (If-None-Match: *) fails with kFailedPrecondition and service_code "PreconditionFailed",
// so the caller can compare the stored checksum (HeadObject) with its own.
//
// Integrity: payload checksums go with every PutObject and UploadPart; a checksum S3 echoes
// that differs from the one sent, and a whole-object GET whose body does not match its
// stored full-object checksum, fail with kDataLoss.
//
// Multipart orchestration (parallel parts, abort on give-up) belongs to the caller.
//
// Borrows the transport, which must outlive it and must use S3 signing
// (TransportOptionsFor(AwsService::kS3, ...)). Thread-safe: holds no mutable state of its own.
#ifndef LIFEBOAT_AWS_S3_CLIENT_H_
#define LIFEBOAT_AWS_S3_CLIENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_transport.h"
#include "aws/s3_requests.h"
#include "aws/s3_xml.h"
#include "common/status.h"

namespace lifeboat {

struct PutObjectResult {
  std::string etag;             // quotes included
  std::string checksum_crc32c;  // as S3 stored it; empty when none was sent
  std::string checksum_sha256;
  std::string version_id;  // empty unless the bucket is versioned
};

struct HeadObjectResult {
  uint64_t size = 0;
  std::string etag;
  // Stored checksums; a multipart object's composite one reads "<base64>-<parts>".
  std::string checksum_crc32c;
  std::string checksum_sha256;
  std::string checksum_type;  // "FULL_OBJECT" or "COMPOSITE" when S3 says
  std::string content_type;
  std::string storage_class;  // "STANDARD" when S3 omits the header
  std::string sse;            // "AES256", "aws:kms", or empty
  std::string sse_kms_key_id;
  std::string last_modified;  // the HTTP date S3 sent
  std::string version_id;
  std::map<std::string, std::string> metadata;  // x-amz-meta-<name>, names lower-cased
};

struct GetObjectResult {
  std::string body;
  HeadObjectResult object;    // size is the length of `body`
  std::string content_range;  // for ranged reads: "bytes 0-9/1234"
};

struct UploadPartResult {
  std::string etag;
  std::string checksum;  // base64, of the request's algorithm; what CompleteMultipartUpload needs
};

class S3Client {
 public:
  S3Client(AwsTransport& transport, S3RequestOptions options);
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  Result<PutObjectResult> PutObject(PutObjectRequest request);
  // kNotFound (service code "NotFound") when there is no such object.
  Result<HeadObjectResult> HeadObject(std::string_view bucket, std::string_view key);
  Result<GetObjectResult> GetObject(const GetObjectRequest& request);
  // One page.
  Result<ListObjectsV2Result> ListObjectsV2(const ListObjectsV2Request& request);
  // Every object under `prefix` (no delimiter) after `start_after` (all when empty), in
  // key order, paging to the end and handing each page to `fn` as it arrives; an error
  // from `fn` stops the listing.
  Status ListEach(std::string_view bucket, std::string_view prefix, std::string_view start_after,
                  const std::function<Status(std::vector<S3ObjectSummary>&)>& fn);
  // Succeeds also when the object does not exist (S3 answers 204 either way).
  Status DeleteObject(std::string_view bucket, std::string_view key);

  // Returns the upload id.
  Result<std::string> CreateMultipartUpload(const CreateMultipartUploadRequest& request);
  Result<UploadPartResult> UploadPart(UploadPartRequest request);
  // Retries a 200 that carries a transient <Error>. If a retry follows a success whose answer
  // was lost, S3 says NoSuchUpload (or, with If-None-Match, PreconditionFailed): the caller
  // checks the object with HeadObject.
  Result<CompleteMultipartUploadResult> CompleteMultipartUpload(
      const CompleteMultipartUploadRequest& request);
  Status AbortMultipartUpload(std::string_view bucket, std::string_view key,
                              std::string_view upload_id);

  const S3RequestOptions& options() const { return options_; }
  AwsTransport& transport() { return transport_; }

 private:
  // Sends and turns any answer that is not 2xx into an error, with the object named.
  Result<HttpResponse> Send(HttpRequest request, std::string_view uri,
                            const AwsSendOptions& send_options = {});

  AwsTransport& transport_;
  const S3RequestOptions options_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_S3_CLIENT_H_
