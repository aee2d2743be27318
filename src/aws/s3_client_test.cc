#include "aws/s3_client.h"

#include <gtest/gtest.h>

#include "aws/aws_session.h"
#include "common/hash.h"
#include "fakes/aws_client_test.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

class S3ClientTest : public AwsClientTest<S3Client> {
 protected:
  S3ClientTest()
      : AwsClientTest(
            QuickRetries(TransportOptionsFor(AwsService::kS3, "us-east-1")),
            S3RequestOptions{.endpoint = "http://127.0.0.1:5091", .region = "us-east-1"}) {}
};

TEST_F(S3ClientTest, PutObjectSendsSignedRequestAndReturnsEtagAndChecksum) {
  http_.Enqueue(200, "",
                Headers{{"ETag", "\"25f9e794323b453885f5181f1b624d0b\""},
                        {"x-amz-checksum-crc32c", "4waSgw=="}});
  auto result = client_.PutObject({.bucket = "logs", .key = "i-1/a b.zst", .body = "123456789"});
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->etag, "\"25f9e794323b453885f5181f1b624d0b\"");
  EXPECT_EQ(result->checksum_crc32c, "4waSgw==");

  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.url, "http://127.0.0.1:5091/logs/i-1/a%20b.zst");
  EXPECT_EQ(sent.body, "123456789");
  EXPECT_TRUE(sent.headers.Has("Authorization"));
  EXPECT_EQ(sent.headers.Get("x-amz-content-sha256"), Sha256Hex("123456789"));
  EXPECT_EQ(sent.headers.Get("x-amz-checksum-crc32c"), "4waSgw==");
}

TEST_F(S3ClientTest, ConditionalPutThatFindsTheObjectIsAPreconditionFailure) {
  http_.Enqueue(412,
                "<Error><Code>PreconditionFailed</Code><Message>At least one of the "
                "pre-conditions you specified did not hold</Message>"
                "<Condition>If-None-Match</Condition></Error>");
  auto result =
      client_.PutObject({.bucket = "logs", .key = "k", .body = "x", .if_none_match = true});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(result.status().service_code(), "PreconditionFailed");
  EXPECT_TRUE(result.status().message().starts_with("s3://logs/k: PreconditionFailed: "))
      << result.status().message();
  EXPECT_EQ(LastRequest().headers.Get("If-None-Match"), "*");
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(S3ClientTest, PutObjectDetectsAChecksumS3DidNotKeep) {
  http_.Enqueue(200, "", Headers{{"ETag", "\"e\""}, {"x-amz-checksum-crc32c", "AAAAAA=="}});
  auto result = client_.PutObject({.bucket = "logs", .key = "k", .body = "123456789"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(result.status().message().starts_with("s3://logs/k: ")) << result.status().message();
}

TEST_F(S3ClientTest, ErrorsNameTheObjectOnce) {
  http_.Enqueue(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
  auto denied = client_.PutObject({.bucket = "logs", .key = "dir/k", .body = "x"});
  EXPECT_EQ(denied.status().message(),
            "s3://logs/dir/k: AccessDenied: Access Denied (check that the IAM policy allows this "
            "action on this resource)");
  auto empty_key = client_.PutObject({.bucket = "logs", .key = "", .body = "x"});
  EXPECT_EQ(empty_key.status().message(), "s3://logs/: empty object key");
  auto no_bucket = client_.HeadObject("", "k");
  EXPECT_EQ(no_bucket.status().message(), "s3:///k: S3: empty bucket name");
}

TEST_F(S3ClientTest, HeadObjectReadsHeaders) {
  http_.Enqueue(200, "",
                Headers{{"Content-Length", "1234"},
                        {"ETag", "\"abc\""},
                        {"Content-Type", "application/zstd"},
                        {"x-amz-checksum-crc32c", "4waSgw=="},
                        {"x-amz-checksum-type", "FULL_OBJECT"},
                        {"x-amz-server-side-encryption", "AES256"},
                        {"X-Amz-Meta-Stream", "7"},
                        {"x-amz-meta-offset", "0"},
                        {"Last-Modified", "Sun, 30 Aug 2015 12:36:00 GMT"}});
  auto head = client_.HeadObject("logs", "k");
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->size, 1234u);
  EXPECT_EQ(head->etag, "\"abc\"");
  EXPECT_EQ(head->content_type, "application/zstd");
  EXPECT_EQ(head->checksum_crc32c, "4waSgw==");
  EXPECT_EQ(head->checksum_type, "FULL_OBJECT");
  EXPECT_EQ(head->storage_class, "STANDARD");
  EXPECT_EQ(head->sse, "AES256");
  EXPECT_EQ(head->last_modified, "Sun, 30 Aug 2015 12:36:00 GMT");
  EXPECT_EQ(head->metadata, (std::map<std::string, std::string>{{"offset", "0"}, {"stream", "7"}}));
  EXPECT_EQ(LastRequest().method, "HEAD");
  EXPECT_EQ(LastRequest().headers.Get("x-amz-checksum-mode"), "ENABLED");
}

TEST_F(S3ClientTest, HeadOfAMissingObjectIsNotFound) {
  http_.Enqueue(404, "");
  auto head = client_.HeadObject("logs", "missing");
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(head.status().service_code(), "NotFound");
  EXPECT_EQ(head.status().message(), "s3://logs/missing: NotFound: HTTP 404");
}

TEST_F(S3ClientTest, GetObjectVerifiesAFullObjectChecksum) {
  http_.Enqueue(200, "123456789", Headers{{"x-amz-checksum-crc32c", "4waSgw=="}});
  auto good = client_.GetObject({.bucket = "logs", .key = "k"});
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->body, "123456789");
  EXPECT_EQ(good->object.size, 9u);

  http_.Enqueue(200, "123456780", Headers{{"x-amz-checksum-crc32c", "4waSgw=="}});
  auto bad = client_.GetObject({.bucket = "logs", .key = "k"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(bad.status().message().starts_with("s3://logs/k: ")) << bad.status().message();

  // Composite (multipart) checksums and ranged reads cannot be checked against the body.
  http_.Enqueue(200, "whatever", Headers{{"x-amz-checksum-crc32c", "AAAAAA==-2"}});
  EXPECT_TRUE(client_.GetObject({.bucket = "logs", .key = "k"}).ok());
  http_.Enqueue(206, "345",
                Headers{{"x-amz-checksum-crc32c", "4waSgw=="}, {"Content-Range", "bytes 2-4/9"}});
  auto ranged = client_.GetObject(
      {.bucket = "logs", .key = "k", .range = S3ByteRange{.first = 2, .last = 4}});
  ASSERT_TRUE(ranged.ok()) << ranged.status().message();
  EXPECT_EQ(ranged->content_range, "bytes 2-4/9");
  EXPECT_EQ(LastRequest().headers.Get("Range"), "bytes=2-4");
}

TEST_F(S3ClientTest, ListEachFollowsContinuationTokens) {
  http_.Enqueue(200,
                "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
                "<Contents><Key>p/a</Key><Size>1</Size></Contents>"
                "<Contents><Key>p/b%20c</Key><Size>2</Size></Contents>"
                "<NextContinuationToken>tok/1=</NextContinuationToken></ListBucketResult>");
  http_.Enqueue(200,
                "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
                "<Contents><Key>p/d</Key><Size>3</Size></Contents></ListBucketResult>");
  std::vector<S3ObjectSummary> all;
  Status s = client_.ListEach("logs", "p/", "", [&](std::vector<S3ObjectSummary>& page) {
    all.insert(all.end(), page.begin(), page.end());
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].key, "p/b c");
  EXPECT_EQ(all[2].size, 3u);
  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url,
            "http://127.0.0.1:5091/logs?encoding-type=url&list-type=2&prefix=p%2F");
  EXPECT_EQ(requests[1].url,
            "http://127.0.0.1:5091/logs?continuation-token=tok%2F1%3D&encoding-type=url"
            "&list-type=2&prefix=p%2F");
}

TEST_F(S3ClientTest, ListEachStartsAfterAKeyAndStopsWhenTheCallerHasEnough) {
  http_.Enqueue(200,
                "<ListBucketResult><IsTruncated>true</IsTruncated>"
                "<Contents><Key>p/b</Key><Size>1</Size></Contents>"
                "<NextContinuationToken>t</NextContinuationToken></ListBucketResult>");
  std::vector<std::string> keys;
  Status s = client_.ListEach("logs", "p/", "p/a", [&](std::vector<S3ObjectSummary>& page) {
    for (const auto& o : page) keys.push_back(o.key);
    return Status(StatusCode::kCancelled, "past what we need");
  });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(keys, std::vector<std::string>{"p/b"});
  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 1u) << "the truncated listing is not followed";
  EXPECT_EQ(requests[0].url,
            "http://127.0.0.1:5091/logs?encoding-type=url&list-type=2&prefix=p%2F&start-after=p%2Fa");
}

TEST_F(S3ClientTest, ListEachStopsOnARepeatedToken) {
  const std::string page =
      "<ListBucketResult><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>same</NextContinuationToken></ListBucketResult>";
  http_.SetHandler([&](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{200, {}, page};
  });
  Status s = client_.ListEach("logs", "p/", "", [](auto&) { return Status::Ok(); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(S3ClientTest, ListOfAMissingBucket) {
  http_.Enqueue(404,
                "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not "
                "exist</Message></Error>");
  auto page = client_.ListObjectsV2({.bucket = "nope", .prefix = "p/"});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(page.status().message().starts_with("s3://nope/p/: NoSuchBucket: "));
}

TEST_F(S3ClientTest, MultipartUploadLifecycle) {
  http_.Enqueue(200,
                "<InitiateMultipartUploadResult><Bucket>logs</Bucket><Key>big</Key>"
                "<UploadId>u-1</UploadId></InitiateMultipartUploadResult>");
  auto upload_id = client_.CreateMultipartUpload({.bucket = "logs", .key = "big"});
  ASSERT_TRUE(upload_id.ok()) << upload_id.status().message();
  EXPECT_EQ(*upload_id, "u-1");
  EXPECT_EQ(LastRequest().url, "http://127.0.0.1:5091/logs/big?uploads");
  EXPECT_EQ(LastRequest().headers.Get("x-amz-checksum-algorithm"), "CRC32C");

  http_.Enqueue(200, "", Headers{{"ETag", "\"p1\""}, {"x-amz-checksum-crc32c", "4waSgw=="}});
  auto part = client_.UploadPart(
      {.bucket = "logs", .key = "big", .upload_id = "u-1", .part_number = 1, .body = "123456789"});
  ASSERT_TRUE(part.ok()) << part.status().message();
  EXPECT_EQ(part->etag, "\"p1\"");
  EXPECT_EQ(part->checksum, "4waSgw==");
  EXPECT_EQ(LastRequest().url, "http://127.0.0.1:5091/logs/big?partNumber=1&uploadId=u-1");

  http_.Enqueue(200,
                "<CompleteMultipartUploadResult><ETag>\"m-1\"</ETag>"
                "<ChecksumCRC32C>abcd==-1</ChecksumCRC32C></CompleteMultipartUploadResult>");
  auto done = client_.CompleteMultipartUpload({.bucket = "logs",
                                               .key = "big",
                                               .upload_id = "u-1",
                                               .parts = {{1, part->etag, part->checksum}}});
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->etag, "\"m-1\"");
  EXPECT_EQ(done->checksum_crc32c, "abcd==-1");
  EXPECT_NE(LastRequest().body.find("<ChecksumCRC32C>4waSgw==</ChecksumCRC32C>"),
            std::string::npos);

  http_.Enqueue(204);
  EXPECT_TRUE(client_.AbortMultipartUpload("logs", "big", "u-1").ok());
  EXPECT_EQ(LastRequest().method, "DELETE");
  EXPECT_EQ(LastRequest().url, "http://127.0.0.1:5091/logs/big?uploadId=u-1");
}

TEST_F(S3ClientTest, CompleteRetriesATransientErrorInsideA200) {
  http_.Enqueue(200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError"
                "</Code><Message>We encountered an internal error.</Message></Error>");
  http_.Enqueue(200,
                "<CompleteMultipartUploadResult><ETag>\"m-2\"</ETag>"
                "</CompleteMultipartUploadResult>");
  auto done = client_.CompleteMultipartUpload(
      {.bucket = "logs", .key = "big", .upload_id = "u", .parts = {{1, "\"a\"", ""}}});
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->etag, "\"m-2\"");
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(S3ClientTest, CompleteReportsAPermanentErrorInsideA200) {
  http_.Enqueue(200,
                "<Error><Code>InvalidPart</Code><Message>One or more of the specified "
                "parts could not be found.</Message></Error>");
  auto done = client_.CompleteMultipartUpload(
      {.bucket = "logs", .key = "big", .upload_id = "u", .parts = {{1, "\"a\"", ""}}});
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.status().service_code(), "InvalidPart");
  EXPECT_TRUE(done.status().message().starts_with("s3://logs/big: InvalidPart: "));
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(S3ClientTest, UploadPartErrorNamesThePart) {
  http_.Enqueue(404,
                "<Error><Code>NoSuchUpload</Code><Message>The specified upload does not "
                "exist.</Message></Error>");
  auto part = client_.UploadPart(
      {.bucket = "logs", .key = "big", .upload_id = "u", .part_number = 4, .body = "x"});
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(part.status().message().starts_with("s3://logs/big: NoSuchUpload: "));
  EXPECT_TRUE(part.status().message().ends_with("(part 4)")) << part.status().message();
}

TEST_F(S3ClientTest, RedirectToAnotherRegionIsAnError) {
  http_.Enqueue(301,
                "<Error><Code>PermanentRedirect</Code><Message>The bucket you are "
                "attempting to access must be addressed using the specified endpoint."
                "</Message></Error>",
                Headers{{"x-amz-bucket-region", "eu-central-1"}});
  auto head = client_.DeleteObject("logs", "k");
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(head.message().ends_with("(the bucket is in eu-central-1; use that region)"))
      << head.message();
}

TEST_F(S3ClientTest, DeleteObject) {
  http_.Enqueue(204);
  EXPECT_TRUE(client_.DeleteObject("logs", "k").ok());
  EXPECT_EQ(LastRequest().method, "DELETE");
  EXPECT_EQ(LastRequest().url, "http://127.0.0.1:5091/logs/k");
}

}  // namespace
}  // namespace lifeboat
