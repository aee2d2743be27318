// The checksums S3 validates on receipt and stores with an object: Content-MD5 and the
// "flexible checksums" CRC32 (zlib's), CRC32C, CRC64NVME, SHA1 and SHA256, each sent as
// the base64 of its big-endian digest in an x-amz-checksum-<name> header (or a trailer,
// which lifeboat local's server hands on as a header).
//
// Pure functions; safe from any thread.
#ifndef LIFEBOAT_LOCAL_S3_S3_CHECKSUM_H_
#define LIFEBOAT_LOCAL_S3_S3_CHECKSUM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

struct ChecksumSpec {
  ChecksumAlgorithm algorithm;
  std::string_view name;    // "CRC32C": x-amz-checksum-algorithm, ChecksumAlgorithm in XML
  std::string_view header;  // "x-amz-checksum-crc32c"
  std::string_view member;  // "ChecksumCRC32C": the XML element and botocore member
  size_t digest_size;       // raw bytes
};

// The algorithm called `name` ("crc32c" or "CRC32C"); nullptr when unsupported.
const ChecksumSpec* FindChecksum(std::string_view name);
const ChecksumSpec& SpecOf(ChecksumAlgorithm algorithm);
// All supported algorithms, for loops over headers and XML members.
const ChecksumSpec* AllChecksums(size_t* count);

// Incremental digest of one algorithm; FinishRaw returns the big-endian digest bytes.
class ChecksumHasher {
 public:
  explicit ChecksumHasher(ChecksumAlgorithm algorithm);
  ~ChecksumHasher();
  ChecksumHasher(const ChecksumHasher&) = delete;
  ChecksumHasher& operator=(const ChecksumHasher&) = delete;
  void Update(std::string_view data);
  std::string FinishRaw();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The raw digest / its base64 (the wire form) of `data`.
std::string ChecksumRaw(ChecksumAlgorithm algorithm, std::string_view data);
std::string ChecksumBase64(ChecksumAlgorithm algorithm, std::string_view data);

uint32_t Crc32(std::string_view data, uint32_t crc = 0);      // zlib's CRC-32
uint64_t Crc64Nvme(std::string_view data, uint64_t crc = 0);  // CRC-64/NVME
std::string Md5Raw(std::string_view data);                    // 16 bytes

// A checksum accepted with an upload: its algorithm and base64 value.
struct ReceivedChecksum {
  const ChecksumSpec* spec = nullptr;  // nullptr: the client sent none
  std::string value;
};

// The first x-amz-checksum-<algorithm> header, unchecked (CompleteMultipartUpload's
// whole-object checksum describes the parts, not the request body).
ReceivedChecksum ChecksumHeader(const Headers& headers);

// Checks an upload's Content-MD5 (against `md5_raw`, the body's MD5, computed anyway for
// the ETag) and its x-amz-checksum-* header against `body`, with AWS's errors:
// InvalidDigest / BadDigest for Content-MD5, InvalidRequest for a malformed or unsupported
// checksum header, BadDigest for a mismatch.
Result<ReceivedChecksum> ValidateUploadChecksums(const Headers& headers, std::string_view body,
                                                 std::string_view md5_raw);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_CHECKSUM_H_
