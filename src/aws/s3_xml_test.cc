#include "aws/s3_xml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(S3XmlTest, ListObjectsV2Page) {
  auto result = ParseListObjectsV2(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>logs</Name><Prefix>i-1/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys>
  <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
  <Contents>
    <Key>i-1/a.zst</Key><LastModified>2024-05-01T12:00:00.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>
    <ChecksumAlgorithm>CRC32C</ChecksumAlgorithm><Size>1234</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>i-1/b.zst</Key><LastModified>2024-05-01T12:00:01.000Z</LastModified>
    <ETag>"abc-2"</ETag><Size>10485760</Size><StorageClass>STANDARD_IA</StorageClass>
  </Contents>
  <CommonPrefixes><Prefix>i-1/var/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)");
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->objects.size(), 2u);
  EXPECT_EQ(result->objects[0].key, "i-1/a.zst");
  EXPECT_EQ(result->objects[0].size, 1234u);
  EXPECT_EQ(result->objects[0].etag, "\"9b2cf535f27731c974343645a3985328\"");
  EXPECT_EQ(result->objects[0].last_modified, "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(result->objects[0].checksum_algorithm, "CRC32C");
  EXPECT_EQ(result->objects[1].checksum_algorithm, "");
  EXPECT_EQ(result->objects[1].size, 10485760u);
  EXPECT_EQ(result->objects[1].storage_class, "STANDARD_IA");
  EXPECT_EQ(result->common_prefixes, std::vector<std::string>{"i-1/var/"});
  EXPECT_TRUE(result->is_truncated);
  EXPECT_EQ(result->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_EQ(result->key_count, 3);
}

TEST(S3XmlTest, LastPageOfAnEmptyListing) {
  auto result = ParseListObjectsV2(
      "<ListBucketResult><Name>logs</Name><KeyCount>0</KeyCount>"
      "<IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->objects.empty());
  EXPECT_FALSE(result->is_truncated);
  EXPECT_EQ(result->key_count, 0);
}

TEST(S3XmlTest, UrlEncodedListingIsDecoded) {
  // S3 encodes a space as '+' and '+' as %2B; moto encodes a space as %20.
  auto result = ParseListObjectsV2(
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>dir/a+b%2Bc%3D%C3%BC</Key><Size>1</Size></Contents>"
      "<Contents><Key>dir/x%20y%01</Key><Size>2</Size></Contents>"
      "<CommonPrefixes><Prefix>dir/sub+dir/</Prefix></CommonPrefixes></ListBucketResult>");
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->objects.size(), 2u);
  EXPECT_EQ(result->objects[0].key, "dir/a b+c=\xC3\xBC");
  EXPECT_EQ(result->objects[1].key, std::string("dir/x y\x01"));
  EXPECT_EQ(result->common_prefixes[0], "dir/sub dir/");
}

TEST(S3XmlTest, PlainListingKeepsPlusSigns) {
  auto result = ParseListObjectsV2(
      "<ListBucketResult><IsTruncated>false</IsTruncated>"
      "<Contents><Key>a+b%20</Key><Size>1</Size></Contents></ListBucketResult>");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->objects[0].key, "a+b%20");
}

TEST(S3XmlTest, MalformedListings) {
  EXPECT_EQ(ParseListObjectsV2("not xml").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ParseListObjectsV2("<Other/>").status().code(), StatusCode::kInternal);
  EXPECT_FALSE(ParseListObjectsV2("<ListBucketResult><Contents><Key>k</Key><Size>x</Size>"
                                  "</Contents></ListBucketResult>")
                   .ok());
  // Truncated without a token would make a paginating caller loop forever.
  EXPECT_FALSE(
      ParseListObjectsV2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
          .ok());
  // A url-encoded key that does not decode is S3's error, named, not a key to act on.
  auto bad_key = ParseListObjectsV2(
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>dir/100%</Key><Size>1</Size></Contents></ListBucketResult>");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.status().code(), StatusCode::kInternal);
  EXPECT_THAT(bad_key.status().message(), testing::HasSubstr("'dir/100%'"));
}

TEST(S3XmlTest, ErrorDocumentInsteadOfAListing) {
  auto result = ParseListObjectsV2(
      "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
      "</Error>");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(result.status().service_code(), "NoSuchBucket");
}

TEST(S3XmlTest, CreateMultipartUpload) {
  auto id = ParseCreateMultipartUpload(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Bucket>logs</Bucket><Key>big.zst</Key>"
      "<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>"
      "</InitiateMultipartUploadResult>");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
  EXPECT_FALSE(
      ParseCreateMultipartUpload("<InitiateMultipartUploadResult></InitiateMultipartUploadResult>")
          .ok());
}

TEST(S3XmlTest, CompleteMultipartUpload) {
  auto result = ParseCompleteMultipartUpload(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Location>https://logs.s3.amazonaws.com/big.zst</Location><Bucket>logs</Bucket>"
      "<Key>big.zst</Key><ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag>"
      "<ChecksumCRC32C>AAAAAA==-9</ChecksumCRC32C></CompleteMultipartUploadResult>");
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->etag, "\"3858f62230ac3c915f300c664312c11f-9\"");
  EXPECT_EQ(result->checksum_crc32c, "AAAAAA==-9");
  EXPECT_EQ(result->checksum_sha256, "");
  EXPECT_EQ(result->location, "https://logs.s3.amazonaws.com/big.zst");
}

TEST(S3XmlTest, CompleteMultipartUploadAsMotoNamesIt) {
  auto result = ParseCompleteMultipartUpload(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CompleteMultipartUploadResponse "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>logs</Bucket><Key>k</Key>"
      "<ETag>\"9affad555af89da9b0bfcd5e45bc93da-1\"</ETag></CompleteMultipartUploadResponse>");
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->etag, "\"9affad555af89da9b0bfcd5e45bc93da-1\"");
}

TEST(S3XmlTest, CompleteMultipartUploadErrorInsideA200) {
  auto result = ParseCompleteMultipartUpload(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n"
      "<Error><Code>InvalidPart</Code><Message>One or more of the specified parts could not be "
      "found.</Message><UploadId>u</UploadId><PartNumber>2</PartNumber></Error>");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().service_code(), "InvalidPart");
  EXPECT_EQ(result.status().message(),
            "InvalidPart: One or more of the specified parts could not be found. "
            "(the part list does not match the uploaded parts)");
}

}  // namespace
}  // namespace lifeboat
