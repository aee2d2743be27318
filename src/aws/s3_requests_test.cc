#include "aws/s3_requests.h"

#include <gtest/gtest.h>

#include "common/hash.h"

namespace lifeboat {
namespace {

const S3RequestOptions kMoto{.endpoint = "http://127.0.0.1:5091", .region = "us-east-1"};
const S3RequestOptions kAws{.endpoint = "", .region = "eu-west-1"};

TEST(S3RequestsTest, PathStyleUrlEncodesTrickyKeysPerSegment) {
  auto url = S3ObjectUrl(kMoto, "logs", "i-0abc/var/log/a b+c=d~e/\xC3\xBC.log");
  ASSERT_TRUE(url.ok()) << url.status().message();
  EXPECT_EQ(*url, "http://127.0.0.1:5091/logs/i-0abc/var/log/a%20b%2Bc%3Dd~e/%C3%BC.log");
}

TEST(S3RequestsTest, ReservedCharactersInKeysAreEncoded) {
  auto url = S3ObjectUrl(kMoto, "logs", "a?b#c%d&e:f");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, "http://127.0.0.1:5091/logs/a%3Fb%23c%25d%26e%3Af");
}

TEST(S3RequestsTest, VirtualHostedOnAwsForDnsCompatibleBuckets) {
  auto url = S3ObjectUrl(kAws, "my-logs", "dir/x y.zst");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, "https://my-logs.s3.eu-west-1.amazonaws.com/dir/x%20y.zst");
  auto bucket_url = S3ObjectUrl(kAws, "my-logs", "", "list-type=2");
  ASSERT_TRUE(bucket_url.ok());
  EXPECT_EQ(*bucket_url, "https://my-logs.s3.eu-west-1.amazonaws.com/?list-type=2");
}

TEST(S3RequestsTest, AutoAddressingFallsBackToPathStyle) {
  // Dots break the wildcard certificate over https.
  EXPECT_EQ(*S3ObjectUrl(kAws, "my.logs", "k"), "https://s3.eu-west-1.amazonaws.com/my.logs/k");
  // Not a DNS name.
  EXPECT_EQ(*S3ObjectUrl(kAws, "My_Logs", "k"), "https://s3.eu-west-1.amazonaws.com/My_Logs/k");
  // Custom endpoints and addresses stay path-style.
  S3RequestOptions localhost{.endpoint = "http://localhost:9000"};
  EXPECT_EQ(*S3ObjectUrl(localhost, "logs", "k"), "http://localhost:9000/logs/k");
  S3RequestOptions minio{.endpoint = "https://minio.example.com"};
  EXPECT_EQ(*S3ObjectUrl(minio, "logs", "k"), "https://minio.example.com/logs/k");
  // Over plain http a dotted bucket can be a host name.
  S3RequestOptions http_aws{.endpoint = "http://s3.us-east-1.amazonaws.com"};
  EXPECT_EQ(*S3ObjectUrl(http_aws, "my.logs", "k"), "http://my.logs.s3.us-east-1.amazonaws.com/k");
}

TEST(S3RequestsTest, ForcedAddressing) {
  S3RequestOptions path{.endpoint = "", .region = "us-west-2", .addressing = S3Addressing::kPath};
  EXPECT_EQ(*S3ObjectUrl(path, "logs", "k"), "https://s3.us-west-2.amazonaws.com/logs/k");
  S3RequestOptions virt{.endpoint = "http://s3.local:8080",
                        .region = "us-east-1",
                        .addressing = S3Addressing::kVirtual};
  EXPECT_EQ(*S3ObjectUrl(virt, "logs", "k"), "http://logs.s3.local:8080/k");
  auto bad = S3ObjectUrl(virt, "Bad_Name", "k");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(S3RequestsTest, EndpointBasePathAndChinaRegions) {
  S3RequestOptions proxied{.endpoint = "http://127.0.0.1:8080/s3/"};
  EXPECT_EQ(*S3ObjectUrl(proxied, "logs", "k"), "http://127.0.0.1:8080/s3/logs/k");
  S3RequestOptions china{.endpoint = "", .region = "cn-north-1"};
  EXPECT_EQ(*S3ObjectUrl(china, "logs", "k"), "https://logs.s3.cn-north-1.amazonaws.com.cn/k");
  S3RequestOptions broken{.endpoint = "127.0.0.1:9000"};
  EXPECT_EQ(S3ObjectUrl(broken, "logs", "k").status().code(), StatusCode::kInvalidArgument);
}

TEST(S3RequestsTest, DnsCompatibleBucketNames) {
  EXPECT_TRUE(IsDnsCompatibleBucketName("abc"));
  EXPECT_TRUE(IsDnsCompatibleBucketName("my.logs-2024"));
  EXPECT_FALSE(IsDnsCompatibleBucketName("ab"));
  EXPECT_FALSE(IsDnsCompatibleBucketName("Logs"));
  EXPECT_FALSE(IsDnsCompatibleBucketName("-logs"));
  EXPECT_FALSE(IsDnsCompatibleBucketName("a..b"));
  EXPECT_FALSE(IsDnsCompatibleBucketName("a.-b"));
  EXPECT_FALSE(IsDnsCompatibleBucketName("192.168.1.1"));
  EXPECT_FALSE(IsDnsCompatibleBucketName(std::string(64, 'a')));
}

TEST(S3RequestsTest, PutObjectCarriesBodyChecksumAndAttributes) {
  PutObjectRequest put{.bucket = "logs", .key = "i-1/app.log/000.zst", .body = "123456789"};
  put.attributes.content_type = "application/zstd";
  put.attributes.metadata = {{"Lifeboat-Offset", "0"}, {"stream", "7"}};
  put.attributes.storage_class = "STANDARD_IA";
  put.attributes.encryption = S3Encryption::kS3;
  put.if_none_match = true;
  auto http = BuildPutObject(kMoto, put);
  ASSERT_TRUE(http.ok()) << http.status().message();
  EXPECT_EQ(http->method, "PUT");
  EXPECT_EQ(http->url, "http://127.0.0.1:5091/logs/i-1/app.log/000.zst");
  EXPECT_EQ(http->body, "123456789");
  EXPECT_EQ(http->headers.Get("Content-Type"), "application/zstd");
  EXPECT_EQ(http->headers.Get("x-amz-meta-lifeboat-offset"), "0");
  EXPECT_EQ(http->headers.Get("x-amz-meta-stream"), "7");
  EXPECT_EQ(http->headers.Get("x-amz-storage-class"), "STANDARD_IA");
  EXPECT_EQ(http->headers.Get("x-amz-server-side-encryption"), "AES256");
  EXPECT_FALSE(http->headers.Has("x-amz-server-side-encryption-aws-kms-key-id"));
  EXPECT_EQ(http->headers.Get("If-None-Match"), "*");
  EXPECT_EQ(http->headers.Get("x-amz-sdk-checksum-algorithm"), "CRC32C");
  // The CRC-32C check value of "123456789" is 0xE3069283.
  EXPECT_EQ(http->headers.Get("x-amz-checksum-crc32c"), "4waSgw==");
}

TEST(S3RequestsTest, ParsesTheServerSideEncryptionNamesS3Uses) {
  EXPECT_EQ(*ParseS3Encryption("AES256"), S3Encryption::kS3);
  EXPECT_EQ(*ParseS3Encryption("aws:kms"), S3Encryption::kKms);
  for (const char* bad : {"", "aes256", "kms", "aws:kms:dsse"}) {
    auto e = ParseS3Encryption(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(e.status().message().find("expected AES256 or aws:kms"), std::string::npos)
        << e.status().message();
  }
}

TEST(S3RequestsTest, StorageClassesThatNeedARestoreBeforeAReadAreRefused) {
  for (const char* readable : {"", "STANDARD", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR",
                               "INTELLIGENT_TIERING", "REDUCED_REDUNDANCY", "CUSTOM_CLASS"}) {
    EXPECT_TRUE(CheckStorageClassReadable(readable).ok()) << readable;
  }
  for (const char* archive : {"GLACIER", "DEEP_ARCHIVE"}) {
    Status s = CheckStorageClassReadable(archive);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << archive;
    EXPECT_NE(s.message().find("need a restore"), std::string::npos) << s.message();
  }
}

TEST(S3RequestsTest, PutObjectWithSha256KmsAndAGivenChecksum) {
  PutObjectRequest put{.bucket = "logs", .key = "k", .body = "abc"};
  put.attributes.encryption = S3Encryption::kKms;
  put.attributes.kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/abcd";
  put.checksum_algorithm = S3ChecksumAlgorithm::kSha256;
  auto http = BuildPutObject(kMoto, put);
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->headers.Get("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(http->headers.Get("x-amz-server-side-encryption-aws-kms-key-id"),
            "arn:aws:kms:us-east-1:111122223333:key/abcd");
  EXPECT_EQ(http->headers.Get("x-amz-sdk-checksum-algorithm"), "SHA256");
  EXPECT_EQ(http->headers.Get("x-amz-checksum-sha256"),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  EXPECT_FALSE(http->headers.Has("If-None-Match"));

  put.checksum = "precomputed=";
  EXPECT_EQ(BuildPutObject(kMoto, put)->headers.Get("x-amz-checksum-sha256"), "precomputed=");

  put.checksum_algorithm = S3ChecksumAlgorithm::kNone;
  auto plain = BuildPutObject(kMoto, put);
  EXPECT_FALSE(plain->headers.Has("x-amz-sdk-checksum-algorithm"));
}

TEST(S3RequestsTest, RejectsBadInput) {
  EXPECT_FALSE(BuildPutObject(kMoto, {.bucket = "", .key = "k"}).ok());
  EXPECT_FALSE(BuildPutObject(kMoto, {.bucket = "b", .key = ""}).ok());
  EXPECT_FALSE(BuildPutObject(kMoto, {.bucket = "b", .key = std::string(1025, 'k')}).ok());
  PutObjectRequest bad_meta{.bucket = "b", .key = "k"};
  bad_meta.attributes.metadata = {{"name", "line\nbreak"}};
  auto r = BuildPutObject(kMoto, bad_meta);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "s3://b/k: metadata 'name' must be printable ASCII");
}

TEST(S3RequestsTest, HeadAndGetAskForTheChecksum) {
  auto head = BuildHeadObject(kMoto, "logs", "a b");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->method, "HEAD");
  EXPECT_EQ(head->url, "http://127.0.0.1:5091/logs/a%20b");
  EXPECT_EQ(head->headers.Get("x-amz-checksum-mode"), "ENABLED");

  auto get = BuildGetObject(kMoto, {.bucket = "logs", .key = "k"});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->method, "GET");
  EXPECT_FALSE(get->headers.Has("Range"));
  EXPECT_EQ(get->headers.Get("x-amz-checksum-mode"), "ENABLED");

  auto ranged = BuildGetObject(
      kMoto, {.bucket = "logs", .key = "k", .range = S3ByteRange{.first = 10, .last = 19}});
  EXPECT_EQ(ranged->headers.Get("Range"), "bytes=10-19");
  auto tail = BuildGetObject(kMoto, {.bucket = "logs", .key = "k", .range = S3ByteRange{100}});
  EXPECT_EQ(tail->headers.Get("Range"), "bytes=100-");
  EXPECT_FALSE(
      BuildGetObject(kMoto,
                     {.bucket = "logs", .key = "k", .range = S3ByteRange{.first = 5, .last = 4}})
          .ok());
}

TEST(S3RequestsTest, ListObjectsV2Query) {
  auto first = BuildListObjectsV2(kMoto, {.bucket = "logs", .prefix = "i-1/var log/"});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->method, "GET");
  EXPECT_EQ(first->url,
            "http://127.0.0.1:5091/logs?encoding-type=url&list-type=2&prefix=i-1%2Fvar%20log%2F");

  auto next = BuildListObjectsV2(
      kMoto, {.bucket = "logs",
              .prefix = "p/",
              .delimiter = "/",
              .continuation_token = "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=",
              .start_after = "p/a+b",
              .max_keys = 2});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->url,
            "http://127.0.0.1:5091/logs?continuation-token="
            "1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D&delimiter=%2F&encoding-type=url"
            "&list-type=2&max-keys=2&prefix=p%2F&start-after=p%2Fa%2Bb");
}

TEST(S3RequestsTest, DeleteObject) {
  auto http = BuildDeleteObject(kMoto, "logs", "k=1");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->method, "DELETE");
  EXPECT_EQ(http->url, "http://127.0.0.1:5091/logs/k%3D1");
  EXPECT_TRUE(http->body.empty());
}

TEST(S3RequestsTest, CreateMultipartUpload) {
  CreateMultipartUploadRequest create{.bucket = "logs", .key = "big.zst"};
  create.attributes.encryption = S3Encryption::kKms;
  auto http = BuildCreateMultipartUpload(kMoto, create);
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->method, "POST");
  EXPECT_EQ(http->url, "http://127.0.0.1:5091/logs/big.zst?uploads");
  EXPECT_EQ(http->headers.Get("x-amz-checksum-algorithm"), "CRC32C");
  EXPECT_EQ(http->headers.Get("x-amz-server-side-encryption"), "aws:kms");
  EXPECT_FALSE(http->headers.Has("x-amz-server-side-encryption-aws-kms-key-id"));
  EXPECT_TRUE(http->body.empty());
}

TEST(S3RequestsTest, UploadPart) {
  auto http = BuildUploadPart(kMoto, {.bucket = "logs",
                                      .key = "big.zst",
                                      .upload_id = "abc/def+=",
                                      .part_number = 3,
                                      .body = "123456789"});
  ASSERT_TRUE(http.ok()) << http.status().message();
  EXPECT_EQ(http->method, "PUT");
  EXPECT_EQ(http->url, "http://127.0.0.1:5091/logs/big.zst?partNumber=3&uploadId=abc%2Fdef%2B%3D");
  EXPECT_EQ(http->headers.Get("x-amz-sdk-checksum-algorithm"), "CRC32C");
  EXPECT_EQ(http->headers.Get("x-amz-checksum-crc32c"), "4waSgw==");
  EXPECT_EQ(http->body, "123456789");
  EXPECT_FALSE(BuildUploadPart(kMoto, {.bucket = "b", .key = "k", .upload_id = "u"}).ok());
  EXPECT_FALSE(
      BuildUploadPart(kMoto, {.bucket = "b", .key = "k", .upload_id = "u", .part_number = 10001})
          .ok());
}

TEST(S3RequestsTest, CompleteMultipartUploadBody) {
  CompleteMultipartUploadRequest complete{.bucket = "logs",
                                          .key = "big.zst",
                                          .upload_id = "u-1",
                                          .parts = {{2, "\"bbb\"", "Ag=="}, {1, "\"a&a\"", "AQ=="}},
                                          .if_none_match = true};
  auto http = BuildCompleteMultipartUpload(kMoto, complete);
  ASSERT_TRUE(http.ok()) << http.status().message();
  EXPECT_EQ(http->method, "POST");
  EXPECT_EQ(http->url, "http://127.0.0.1:5091/logs/big.zst?uploadId=u-1");
  EXPECT_EQ(http->headers.Get("If-None-Match"), "*");
  EXPECT_EQ(http->body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Part><ETag>\"a&amp;a\"</ETag><ChecksumCRC32C>AQ==</ChecksumCRC32C>"
            "<PartNumber>1</PartNumber></Part>"
            "<Part><ETag>\"bbb\"</ETag><ChecksumCRC32C>Ag==</ChecksumCRC32C>"
            "<PartNumber>2</PartNumber></Part>"
            "</CompleteMultipartUpload>");

  complete.checksum_algorithm = S3ChecksumAlgorithm::kSha256;
  EXPECT_NE(BuildCompleteMultipartUpload(kMoto, complete)->body.find("<ChecksumSHA256>AQ=="),
            std::string::npos);
  complete.parts.push_back({1, "\"dup\"", ""});
  EXPECT_FALSE(BuildCompleteMultipartUpload(kMoto, complete).ok());
  complete.parts.clear();
  EXPECT_FALSE(BuildCompleteMultipartUpload(kMoto, complete).ok());
}

TEST(S3RequestsTest, AbortMultipartUpload) {
  auto http = BuildAbortMultipartUpload(kAws, "logs", "big.zst", "u 1");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->method, "DELETE");
  EXPECT_EQ(http->url, "https://logs.s3.eu-west-1.amazonaws.com/big.zst?uploadId=u%201");
  EXPECT_FALSE(BuildAbortMultipartUpload(kAws, "logs", "big.zst", "").ok());
}

TEST(S3RequestsTest, ChecksumHelpers) {
  EXPECT_EQ(S3ChecksumOf(S3ChecksumAlgorithm::kCrc32c, ""), "AAAAAA==");
  EXPECT_EQ(S3ChecksumOf(S3ChecksumAlgorithm::kSha256, ""), Sha256Base64(Sha256("")));
  EXPECT_EQ(S3ChecksumOf(S3ChecksumAlgorithm::kNone, "x"), "");
  EXPECT_EQ(S3Uri("b", "k/x"), "s3://b/k/x");
}

}  // namespace
}  // namespace lifeboat
