// S3 requests built as plain HttpRequest values (unsigned), so every header, URL and body
// is unit-tested without a network. AwsTransport signs and sends them; s3_client.h ties the
// two together and parses the answers (s3_xml.h).
//
// Addressing: path-style (http://host:port/bucket/key) or virtual-hosted
// (https://bucket.s3.region.amazonaws.com/key). Keys are URI-encoded per segment with '/'
// kept, which is also the path S3's SigV4 signs (no double encoding).
//
// Checksums travel the way the AWS SDKs send them: `x-amz-sdk-checksum-algorithm: CRC32C`
// plus `x-amz-checksum-crc32c: <base64>` on PutObject and UploadPart,
// `x-amz-checksum-algorithm` on CreateMultipartUpload, and per-part <ChecksumCRC32C> in
// CompleteMultipartUpload.
//
// Pure functions; safe from any thread.
#ifndef LIFEBOAT_AWS_S3_REQUESTS_H_
#define LIFEBOAT_AWS_S3_REQUESTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

enum class S3Addressing {
  kAuto,     // virtual-hosted on *.amazonaws.com for DNS-compatible buckets, else path-style
  kPath,     // http://host:port/bucket/key
  kVirtual,  // https://bucket.host/key
};

struct S3RequestOptions {
  // scheme://host[:port][/base-path] of the S3 service; empty means AWS's regional endpoint
  // https://s3.<region>.amazonaws.com (amazonaws.com.cn for cn-* regions).
  std::string endpoint;
  std::string region = "us-east-1";
  S3Addressing addressing = S3Addressing::kAuto;
};

enum class S3ChecksumAlgorithm { kNone, kCrc32c, kSha256 };
// "CRC32C", "SHA256"; empty for kNone.
std::string_view S3ChecksumAlgorithmName(S3ChecksumAlgorithm algorithm);
// The base64 checksum of `data` in the form S3 sends and expects; empty for kNone.
std::string S3ChecksumOf(S3ChecksumAlgorithm algorithm, std::string_view data);

enum class S3Encryption {
  kBucketDefault,  // send nothing: the bucket's default encryption applies
  kS3,             // SSE-S3: x-amz-server-side-encryption: AES256
  kKms,            // SSE-KMS: aws:kms, with kms_key_id when one is given
};

// The value of x-amz-server-side-encryption, as `--sse` and agent.yaml's `sse.mode` name
// it: "AES256" (kS3) or "aws:kms" (kKms); anything else is kInvalidArgument (its message
// for the caller to prefix with the flag or key).
Result<S3Encryption> ParseS3Encryption(std::string_view name);

// `storage_class` / `--storage-class`: OK for any class whose objects can be read at once.
// GLACIER and DEEP_ARCHIVE are kInvalidArgument: their objects need a restore before a GET,
// and lifeboat reads its own manifests back (a restarted agent, evacuate's second run,
// verify, cat), so the first restart would fail. Other names pass unchecked: S3-compatible
// stores have classes of their own, and S3 refuses an unknown one on the first PUT.
Status CheckStorageClassReadable(std::string_view storage_class);

// What PutObject and CreateMultipartUpload store along with the data.
struct S3ObjectAttributes {
  std::string content_type;                     // empty: S3's default
  std::map<std::string, std::string> metadata;  // sent as x-amz-meta-<name>; printable ASCII
  std::string storage_class;                    // "STANDARD_IA", ...; empty: STANDARD
  S3Encryption encryption = S3Encryption::kBucketDefault;
  std::string kms_key_id;  // with kKms; empty means the account's aws/s3 key
};

struct PutObjectRequest {
  std::string bucket;
  std::string key;
  std::string body;
  S3ObjectAttributes attributes;
  bool if_none_match = false;  // If-None-Match: *, i.e. create only (412 when it exists)
  S3ChecksumAlgorithm checksum_algorithm = S3ChecksumAlgorithm::kCrc32c;
  std::string checksum;  // base64; computed from the body when empty
};

// An inclusive byte range; `last` unset means to the end of the object.
struct S3ByteRange {
  uint64_t first = 0;
  std::optional<uint64_t> last;
};

struct GetObjectRequest {
  std::string bucket;
  std::string key;
  std::optional<S3ByteRange> range;
};

struct ListObjectsV2Request {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string continuation_token;
  std::string start_after;
  int max_keys = 0;  // 0: the service's default (1000)
};

struct CreateMultipartUploadRequest {
  std::string bucket;
  std::string key;
  S3ObjectAttributes attributes;
  S3ChecksumAlgorithm checksum_algorithm = S3ChecksumAlgorithm::kCrc32c;
};

struct UploadPartRequest {
  std::string bucket;
  std::string key;
  std::string upload_id;
  int part_number = 0;  // 1 to 10000
  std::string body;
  S3ChecksumAlgorithm checksum_algorithm = S3ChecksumAlgorithm::kCrc32c;
  std::string checksum;  // base64; computed from the body when empty
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;      // as UploadPart returned it, quotes included
  std::string checksum;  // base64, of the upload's checksum algorithm; may be empty
};

struct CompleteMultipartUploadRequest {
  std::string bucket;
  std::string key;
  std::string upload_id;
  std::vector<CompletedPart> parts;  // any order; sent sorted by part number
  S3ChecksumAlgorithm checksum_algorithm = S3ChecksumAlgorithm::kCrc32c;
  bool if_none_match = false;  // If-None-Match: *
};

// Bucket names that can be a DNS label sequence: 3-63 of [a-z0-9.-], starting and ending
// with a letter or digit, no "..", not an IPv4 address.
bool IsDnsCompatibleBucketName(std::string_view bucket);

// Whether requests for `bucket` go virtual-hosted; an error when kVirtual is forced for a
// name that cannot be a host name, or the endpoint is not a URL.
Result<bool> UseVirtualHostedStyle(const S3RequestOptions& options, std::string_view bucket);

// The URL of an object (or of the bucket when key is empty), with `query` appended as is.
Result<std::string> S3ObjectUrl(const S3RequestOptions& options, std::string_view bucket,
                                std::string_view key, std::string_view query = {});

// "s3://bucket/key", the name errors and logs use.
std::string S3Uri(std::string_view bucket, std::string_view key);

Result<HttpRequest> BuildPutObject(const S3RequestOptions& options, PutObjectRequest request);
// With x-amz-checksum-mode: ENABLED, so the answer carries the stored checksum.
Result<HttpRequest> BuildHeadObject(const S3RequestOptions& options, std::string_view bucket,
                                    std::string_view key);
Result<HttpRequest> BuildGetObject(const S3RequestOptions& options,
                                   const GetObjectRequest& request);
// With encoding-type=url, so keys that XML cannot carry survive; s3_xml.h decodes them.
Result<HttpRequest> BuildListObjectsV2(const S3RequestOptions& options,
                                       const ListObjectsV2Request& request);
Result<HttpRequest> BuildDeleteObject(const S3RequestOptions& options, std::string_view bucket,
                                      std::string_view key);
Result<HttpRequest> BuildCreateMultipartUpload(const S3RequestOptions& options,
                                               const CreateMultipartUploadRequest& request);
Result<HttpRequest> BuildUploadPart(const S3RequestOptions& options, UploadPartRequest request);
Result<HttpRequest> BuildCompleteMultipartUpload(const S3RequestOptions& options,
                                                 const CompleteMultipartUploadRequest& request);
Result<HttpRequest> BuildAbortMultipartUpload(const S3RequestOptions& options,
                                              std::string_view bucket, std::string_view key,
                                              std::string_view upload_id);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_S3_REQUESTS_H_
