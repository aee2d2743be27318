#include <gtest/gtest.h>

#include <filesystem>

#include "common/hash.h"
#include "http/percent_encoding.h"
#include "local/s3/s3_checksum.h"
#include "local/s3/s3_http.h"
#include "local/s3/s3_test_support.h"

namespace lifeboat {
namespace {

class S3ObjectTest : public S3ServiceTest {
 protected:
  void SetUp() override { MakeBucket("bkt"); }
  size_t FilesUnder(const std::string& rel) {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(Root() + "/" + rel)) {
      n += e.is_regular_file();
    }
    return n;
  }
};

TEST_F(S3ObjectTest, PutGetHeadDelete) {
  LocalResponse put = Put("/bkt/dir/hello.txt", "hello world",
                          {{"Content-Type", "text/plain"},
                           {"x-amz-meta-Owner", "me"},
                           {"Cache-Control", "max-age=60"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(H(put, "ETag"), "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");

  LocalResponse get = Get("/bkt/dir/hello.txt");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "hello world");
  EXPECT_EQ(H(get, "ETag"), "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
  EXPECT_EQ(H(get, "Content-Type"), "text/plain");
  EXPECT_EQ(H(get, "x-amz-meta-owner"), "me");
  EXPECT_EQ(H(get, "Cache-Control"), "max-age=60");
  EXPECT_EQ(H(get, "Accept-Ranges"), "bytes");
  auto modified = ParseHttpDateMs(H(get, "Last-Modified"));
  ASSERT_TRUE(modified.has_value()) << H(get, "Last-Modified");
  EXPECT_NEAR(static_cast<double>(*modified),
              static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()),
              5000);

  LocalResponse head = Call("HEAD", "/bkt/dir/hello.txt");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(H(head, "Content-Length"), "11");
  EXPECT_EQ(H(head, "x-amz-meta-owner"), "me");

  EXPECT_EQ(Put("/bkt/dir/hello.txt", "replaced").status, 200);
  EXPECT_EQ(Get("/bkt/dir/hello.txt").body, "replaced");
  EXPECT_EQ(H(Get("/bkt/dir/hello.txt"), "Content-Type"), "binary/octet-stream");

  EXPECT_EQ(Call("DELETE", "/bkt/dir/hello.txt").status, 204);
  LocalResponse gone = Get("/bkt/dir/hello.txt");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(Code(gone), "NoSuchKey");
  EXPECT_EQ(Call("HEAD", "/bkt/dir/hello.txt").status, 404);
  EXPECT_EQ(Call("DELETE", "/bkt/dir/hello.txt").status, 204);  // idempotent
  EXPECT_EQ(Code(Call("DELETE", "/nobucket/k")), "NoSuchBucket");
  EXPECT_EQ(Code(Put("/nobucket/k", "x")), "NoSuchBucket");
}

TEST_F(S3ObjectTest, EmptyObject) {
  ASSERT_EQ(Put("/bkt/empty", "").status, 200);
  LocalResponse get = Get("/bkt/empty");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "");
  EXPECT_EQ(H(get, "ETag"), "\"d41d8cd98f00b204e9800998ecf8427e\"");
  EXPECT_EQ(Get("/bkt/empty", {{"Range", "bytes=0-"}}).status, 416);
}

TEST_F(S3ObjectTest, KeysWithAnyCharactersStayDistinct) {
  const std::vector<std::string> keys = {"a/../b",
                                         "a/b",
                                         "a//b",
                                         "dir/",
                                         "dir",
                                         ".",
                                         "..",
                                         "sp ace",
                                         "plus+sign",
                                         "%41",
                                         "A",
                                         "\xc3\xa9t\xc3\xa9",
                                         std::string(600, 'x'),
                                         std::string(300, '/') + "deep"};
  for (const auto& key : keys) {
    ASSERT_EQ(Put("/bkt/" + UriEncode(key, true), "value of " + key).status, 200) << key;
  }
  for (const auto& key : keys) {
    EXPECT_EQ(Get("/bkt/" + UriEncode(key, true)).body, "value of " + key) << key;
  }
  LocalResponse list = Get("/bkt?list-type=2&encoding-type=url");
  EXPECT_EQ(XmlCount(list.body, "Contents"), static_cast<int>(keys.size()));
  // Nothing escaped the bucket's objects directory.
  EXPECT_EQ(FilesUnder("bkt/objects"), keys.size());
  EXPECT_EQ(FilesUnder("bkt"), keys.size() + 1);  // + bucket.json
  LocalResponse too_long = Put("/bkt/" + std::string(1025, 'k'), "x");
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(Code(too_long), "KeyTooLongError");
}

TEST_F(S3ObjectTest, Ranges) {
  ASSERT_EQ(Put("/bkt/r", "0123456789").status, 200);
  struct Case {
    const char* range;
    int status;
    const char* body;
    const char* content_range;
  } cases[] = {
      {"bytes=2-5", 206, "2345", "bytes 2-5/10"}, {"bytes=7-", 206, "789", "bytes 7-9/10"},
      {"bytes=-3", 206, "789", "bytes 7-9/10"},   {"bytes=8-50", 206, "89", "bytes 8-9/10"},
      {"bytes=0-0", 206, "0", "bytes 0-0/10"},    {"bytes=5-2", 200, "0123456789", ""},
  };
  for (const auto& c : cases) {
    LocalResponse r = Get("/bkt/r", {{"Range", c.range}});
    EXPECT_EQ(r.status, c.status) << c.range;
    EXPECT_EQ(r.body, c.body) << c.range;
    EXPECT_EQ(H(r, "Content-Range"), c.content_range) << c.range;
  }
  LocalResponse bad = Get("/bkt/r", {{"Range", "bytes=10-"}});
  EXPECT_EQ(bad.status, 416);
  EXPECT_EQ(Code(bad), "InvalidRange");
  EXPECT_EQ(H(bad, "Content-Range"), "bytes */10");
  LocalResponse head = Call("HEAD", "/bkt/r", "", {{"Range", "bytes=2-5"}});
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(H(head, "Content-Length"), "4");
}

TEST_F(S3ObjectTest, IfNoneMatchStarCreatesOnlyOnce) {
  EXPECT_EQ(Put("/bkt/once", "first", {{"If-None-Match", "*"}}).status, 200);
  LocalResponse second = Put("/bkt/once", "second", {{"If-None-Match", "*"}});
  EXPECT_EQ(second.status, 412);
  EXPECT_EQ(Code(second), "PreconditionFailed");
  EXPECT_EQ(Get("/bkt/once").body, "first");
  EXPECT_EQ(FilesUnder("bkt/.tmp"), 0u);
  EXPECT_EQ(Put("/bkt/once", "x", {{"If-None-Match", "\"etag\""}}).status, 501);
}

TEST_F(S3ObjectTest, IfMatchWritesOnlyOverTheExpectedVersion) {
  const std::string etag = H(Put("/bkt/v", "one"), "ETag");
  EXPECT_EQ(Put("/bkt/v", "two", {{"If-Match", "\"0000\""}}).status, 412);
  EXPECT_EQ(Put("/bkt/v", "two", {{"If-Match", etag}}).status, 200);
  EXPECT_EQ(Get("/bkt/v").body, "two");
  EXPECT_EQ(Code(Put("/bkt/missing", "x", {{"If-Match", etag}})), "NoSuchKey");
}

TEST_F(S3ObjectTest, ConditionalReads) {
  const std::string etag = H(Put("/bkt/c", "data"), "ETag");
  EXPECT_EQ(Get("/bkt/c", {{"If-Match", etag}}).status, 200);
  EXPECT_EQ(Get("/bkt/c", {{"If-Match", "\"other\""}}).status, 412);
  LocalResponse not_modified = Get("/bkt/c", {{"If-None-Match", etag}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(Get("/bkt/c", {{"If-None-Match", "\"other\""}}).status, 200);
  EXPECT_EQ(Get("/bkt/c", {{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}}).status, 200);
  EXPECT_EQ(Get("/bkt/c", {{"If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"}}).status, 304);
  EXPECT_EQ(Get("/bkt/c", {{"If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}}).status, 412);
}

TEST_F(S3ObjectTest, ChecksumsAreValidatedStoredAndReturnedWhenAsked) {
  const std::string data = "checksummed";
  for (auto algorithm :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme,
        ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256}) {
    const ChecksumSpec& spec = SpecOf(algorithm);
    const std::string header(spec.header);
    const std::string value = ChecksumBase64(algorithm, data);
    LocalResponse put =
        Put("/bkt/sum", data,
            {{header, value}, {"x-amz-sdk-checksum-algorithm", std::string(spec.name)}});
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(H(put, header), value);
    EXPECT_EQ(H(Get("/bkt/sum"), header), "") << "only with x-amz-checksum-mode";
    LocalResponse get = Get("/bkt/sum", {{"x-amz-checksum-mode", "ENABLED"}});
    EXPECT_EQ(H(get, header), value);
    EXPECT_EQ(H(get, "x-amz-checksum-type"), "FULL_OBJECT");
    EXPECT_EQ(H(Call("HEAD", "/bkt/sum", "", {{"x-amz-checksum-mode", "ENABLED"}}), header), value);
    // A range is not the object its checksum describes.
    EXPECT_EQ(
        H(Get("/bkt/sum", {{"x-amz-checksum-mode", "ENABLED"}, {"Range", "bytes=0-1"}}), header),
        "");
    LocalResponse list = Get("/bkt?list-type=2");
    EXPECT_EQ(XmlText(list.body, "ChecksumAlgorithm"), spec.name);
  }
}

TEST_F(S3ObjectTest, ChecksumMismatchIsRejectedAndNothingIsStored) {
  ASSERT_EQ(Put("/bkt/keep", "original").status, 200);
  struct Case {
    std::string header, value, code, message;
  } cases[] = {
      {"x-amz-checksum-crc32c", ChecksumBase64(ChecksumAlgorithm::kCrc32c, "other"), "BadDigest",
       "The CRC32C you specified did not match the calculated checksum."},
      {"x-amz-checksum-sha256", ChecksumBase64(ChecksumAlgorithm::kSha256, "other"), "BadDigest",
       "The SHA256 you specified did not match the calculated checksum."},
      {"x-amz-checksum-crc32c", "garbage", "InvalidRequest",
       "Value for x-amz-checksum-crc32c header is invalid."},
      {"Content-MD5", Base64Encode(Md5Raw("other")), "BadDigest",
       "The Content-MD5 you specified did not match what we received."},
      {"Content-MD5", "short", "InvalidDigest", "The Content-MD5 you specified was not valid."},
  };
  for (const auto& c : cases) {
    for (const char* key : {"/bkt/keep", "/bkt/new"}) {
      LocalResponse r = Put(key, "corrupted in flight", {{c.header, c.value}});
      EXPECT_EQ(r.status, 400) << c.header;
      EXPECT_EQ(Code(r), c.code) << c.header;
      EXPECT_EQ(XmlText(r.body, "Message"), c.message);
    }
  }
  EXPECT_EQ(Get("/bkt/keep").body, "original");
  EXPECT_EQ(Get("/bkt/new").status, 404);
  EXPECT_EQ(FilesUnder("bkt/objects"), 1u);
  EXPECT_EQ(FilesUnder("bkt/.tmp"), 0u);
  // The right digest is accepted.
  EXPECT_EQ(Put("/bkt/new", "payload", {{"Content-MD5", Base64Encode(Md5Raw("payload"))}}).status,
            200);
}

TEST_F(S3ObjectTest, ResponseOverridesForPresignedDownloads) {
  ASSERT_EQ(Put("/bkt/o", "x", {{"Content-Type", "text/plain"}}).status, 200);
  LocalResponse r =
      Get("/bkt/o?response-content-type=application%2Fjson&"
          "response-content-disposition=attachment");
  EXPECT_EQ(H(r, "Content-Type"), "application/json");
  EXPECT_EQ(H(r, "Content-Disposition"), "attachment");
}

TEST_F(S3ObjectTest, CopyObject) {
  ASSERT_EQ(
      Put("/bkt/src key", "payload", {{"x-amz-meta-a", "1"}, {"Content-Type", "text/x"}}).status,
      200);
  MakeBucket("other");
  LocalResponse copy = Put("/other/dst", "", {{"x-amz-copy-source", "/bkt/src%20key"}});
  ASSERT_EQ(copy.status, 200) << copy.body;
  EXPECT_NE(copy.body.find("<CopyObjectResult"), std::string::npos);
  EXPECT_EQ(XmlText(copy.body, "ETag"), "&quot;" + HexEncode(Md5Raw("payload")) + "&quot;");
  LocalResponse got = Get("/other/dst");
  EXPECT_EQ(got.body, "payload");
  EXPECT_EQ(H(got, "x-amz-meta-a"), "1");
  EXPECT_EQ(H(got, "Content-Type"), "text/x");
  LocalResponse replaced = Put("/other/dst2", "",
                               {{"x-amz-copy-source", "bkt/src%20key"},
                                {"x-amz-metadata-directive", "REPLACE"},
                                {"x-amz-meta-b", "2"}});
  ASSERT_EQ(replaced.status, 200);
  EXPECT_EQ(H(Get("/other/dst2"), "x-amz-meta-a"), "");
  EXPECT_EQ(H(Get("/other/dst2"), "x-amz-meta-b"), "2");
  EXPECT_EQ(Code(Put("/other/x", "", {{"x-amz-copy-source", "/bkt/missing"}})), "NoSuchKey");
  EXPECT_EQ(Code(Put("/bkt/src%20key", "", {{"x-amz-copy-source", "/bkt/src%20key"}})),
            "InvalidRequest");
}

TEST_F(S3ObjectTest, DeleteObjects) {
  for (const char* k : {"a", "b", "c & d"})
    ASSERT_EQ(Put(std::string("/bkt/") + UriEncode(k), "x").status, 200);
  const std::string xml =
      "<Delete><Object><Key>a</Key></Object><Object><Key>c &amp; d</Key></Object>"
      "<Object><Key>never-existed</Key></Object></Delete>";
  LocalResponse r = Call("POST", "/bkt?delete", xml, {{"Content-MD5", Base64Encode(Md5Raw(xml))}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(XmlCount(r.body, "Deleted"), 3);
  EXPECT_NE(r.body.find("<Key>c &amp; d</Key>"), std::string::npos);
  EXPECT_EQ(Get("/bkt/a").status, 404);
  EXPECT_EQ(Get("/bkt/b").status, 200);
  const std::string quiet = "<Delete><Quiet>true</Quiet><Object><Key>b</Key></Object></Delete>";
  EXPECT_EQ(XmlCount(Call("POST", "/bkt?delete", quiet).body, "Deleted"), 0);
  EXPECT_EQ(Get("/bkt/b").status, 404);
  EXPECT_EQ(Code(Call("POST", "/bkt?delete", "<Delete/>")), "MalformedXML");
  EXPECT_EQ(Code(Call("POST", "/bkt?delete", xml, {{"Content-MD5", Base64Encode(Md5Raw("x"))}})),
            "BadDigest");
}

}  // namespace
}  // namespace lifeboat
