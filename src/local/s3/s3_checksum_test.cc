#include "local/s3/s3_checksum.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "common/hash.h"

namespace lifeboat {
namespace {

TEST(S3ChecksumTest, Crc32IsZlibs) {
  const std::string data(100000, 'x');
  const uLong z = crc32(0, reinterpret_cast<const Bytef*>(data.data()), data.size());
  EXPECT_EQ(Crc32(data), z);
  EXPECT_EQ(Crc32(data.substr(500), Crc32(data.substr(0, 500))), z);
  EXPECT_EQ(Crc32("123456789"), 0xcbf43926u);  // the catalogue's check value
}

TEST(S3ChecksumTest, Crc64NvmeMatchesTheCatalogueAndExtends) {
  EXPECT_EQ(Crc64Nvme("123456789"), 0xae8b14860a799888ULL);
  const std::string data = std::string(1000, 'a') + "tail bytes, not a multiple of eight";
  EXPECT_EQ(Crc64Nvme(data.substr(13), Crc64Nvme(data.substr(0, 13))), Crc64Nvme(data));
  EXPECT_EQ(Crc64Nvme(""), 0u);
}

TEST(S3ChecksumTest, WireFormsAreBase64OfBigEndianDigests) {
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kCrc32c, "hello"), Crc32cBase64(Crc32c("hello")));
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kCrc32, "123456789"), "y/Q5Jg==");
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kSha256, "hello"), Sha256Base64(Sha256("hello")));
  EXPECT_EQ(ChecksumBase64(ChecksumAlgorithm::kSha1, "abc"), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
  EXPECT_EQ(HexEncode(Md5Raw("")), "d41d8cd98f00b204e9800998ecf8427e");
}

Result<ReceivedChecksum> Validate(Headers headers, std::string_view body) {
  return ValidateUploadChecksums(headers, body, Md5Raw(body));
}

TEST(S3ChecksumTest, AcceptsMatchingHeaders) {
  auto r = Validate({{"content-md5", Base64Encode(Md5Raw("data"))},
                     {"x-amz-checksum-crc32c", ChecksumBase64(ChecksumAlgorithm::kCrc32c, "data")},
                     {"x-amz-sdk-checksum-algorithm", "CRC32C"},
                     {"x-amz-checksum-mode", "ENABLED"}},
                    "data");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->spec->name, "CRC32C");
  EXPECT_EQ(r->value, ChecksumBase64(ChecksumAlgorithm::kCrc32c, "data"));
  auto none = Validate({}, "data");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->spec, nullptr);
}

TEST(S3ChecksumTest, RejectsWithAwsErrors) {
  struct Case {
    Headers headers;
    const char* code;
    const char* message;
  } cases[] = {
      {{{"content-md5", Base64Encode(Md5Raw("other"))}}, "BadDigest", "Content-MD5"},
      {{{"content-md5", "not base64!"}}, "InvalidDigest", "Content-MD5"},
      {{{"x-amz-checksum-crc32c", "AAAAAA=="}},
       "BadDigest",
       "The CRC32C you specified did not match the calculated checksum."},
      {{{"x-amz-checksum-crc32c", "AAAAAAAA"}},
       "InvalidRequest",
       "Value for x-amz-checksum-crc32c header is invalid."},
      {{{"x-amz-checksum-sha256", "AAAA"}},
       "InvalidRequest",
       "Value for x-amz-checksum-sha256 header is invalid."},
      {{{"x-amz-checksum-crc32", ChecksumBase64(ChecksumAlgorithm::kCrc32, "x")}},
       "BadDigest",
       "The CRC32 you specified"},
      {{{"x-amz-checksum-sha1", ChecksumBase64(ChecksumAlgorithm::kSha1, "x")}},
       "BadDigest",
       "The SHA1 you specified"},
      {{{"x-amz-checksum-crc64nvme", ChecksumBase64(ChecksumAlgorithm::kCrc64Nvme, "x")}},
       "BadDigest",
       "The CRC64NVME you specified"},
      {{{"x-amz-checksum-crc32", ChecksumBase64(ChecksumAlgorithm::kCrc32, "data")},
        {"x-amz-checksum-crc32c", ChecksumBase64(ChecksumAlgorithm::kCrc32c, "data")}},
       "InvalidRequest",
       "Multiple checksum Types"},
      {{{"x-amz-sdk-checksum-algorithm", "CRC32C"}},
       "InvalidRequest",
       "no corresponding x-amz-checksum-*"},
      {{{"x-amz-checksum-xxhash64", "AAAAAAAAAAA="}}, "InvalidRequest", "not supported"},
  };
  for (const auto& c : cases) {
    auto r = Validate(c.headers, "data");
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.status().service_code(), c.code) << c.message;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().message();
  }
}

TEST(S3ChecksumTest, ChecksumHeaderFindsTheWholeObjectChecksumUnchecked) {
  ReceivedChecksum c = ChecksumHeader({{"x-amz-checksum-sha256", "abc"}});
  ASSERT_NE(c.spec, nullptr);
  EXPECT_EQ(c.spec->algorithm, ChecksumAlgorithm::kSha256);
  EXPECT_EQ(c.value, "abc");
  EXPECT_EQ(ChecksumHeader({{"x-amz-checksum-mode", "ENABLED"}}).spec, nullptr);
}

}  // namespace
}  // namespace lifeboat
