// Parsers for the XML bodies of S3's answers (pugixml): ListObjectsV2, CreateMultipartUpload
// and CompleteMultipartUpload. A body that is an <Error> document (S3 sends one with HTTP
// 200 when CompleteMultipartUpload fails late) comes back as that error.
//
// Pure functions; safe from any thread.
#ifndef LIFEBOAT_AWS_S3_XML_H_
#define LIFEBOAT_AWS_S3_XML_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct S3ObjectSummary {
  std::string key;
  uint64_t size = 0;
  std::string etag;                // quotes included, as S3 sends it
  std::string last_modified;       // ISO 8601, "2024-05-01T12:00:00.000Z"
  std::string checksum_algorithm;  // "CRC32C", ... ; empty when stored without one
  std::string storage_class;
};

struct ListObjectsV2Result {
  std::vector<S3ObjectSummary> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;  // set when is_truncated
  int key_count = 0;
};

struct CompleteMultipartUploadResult {
  std::string etag;             // "<md5 of part md5s>-<part count>", quotes included
  std::string checksum_crc32c;  // composite: "<base64>-<part count>"; empty when none
  std::string checksum_sha256;
  std::string location;
};

// ListBucketResult. With <EncodingType>url</EncodingType> the keys, prefixes and
// start-after are URL-decoded ('+' meaning space, as S3 encodes them).
Result<ListObjectsV2Result> ParseListObjectsV2(std::string_view xml);
// InitiateMultipartUploadResult: the upload id.
Result<std::string> ParseCreateMultipartUpload(std::string_view xml);
// CompleteMultipartUploadResult, or the error an <Error> body reports.
Result<CompleteMultipartUploadResult> ParseCompleteMultipartUpload(std::string_view xml);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_S3_XML_H_
