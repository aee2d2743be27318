#include <gtest/gtest.h>

#include <filesystem>

#include "common/hash.h"
#include "local/s3/s3_checksum.h"
#include "local/s3/s3_multipart.h"
#include "local/s3/s3_test_support.h"

namespace lifeboat {
namespace {

class S3MultipartTest : public S3ServiceTest {
 protected:
  void SetUp() override { MakeBucket("bkt"); }

  std::string Create(const std::string& key, HeaderList headers = {}) {
    LocalResponse r = Call("POST", "/bkt/" + key + "?uploads", "", std::move(headers));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("<InitiateMultipartUploadResult"), std::string::npos);
    EXPECT_EQ(XmlText(r.body, "Key"), key);
    return XmlText(r.body, "UploadId");
  }
  LocalResponse Part(const std::string& key, const std::string& id, int n, const std::string& data,
                     HeaderList headers = {}) {
    return Put("/bkt/" + key + "?partNumber=" + std::to_string(n) + "&uploadId=" + id, data,
               std::move(headers));
  }
  static std::string PartXml(int n, const std::string& etag, const std::string& extra = "") {
    return "<Part><PartNumber>" + std::to_string(n) + "</PartNumber><ETag>" + etag + "</ETag>" +
           extra + "</Part>";
  }
  LocalResponse Complete(const std::string& key, const std::string& id, const std::string& parts,
                         HeaderList headers = {}) {
    return Call("POST", "/bkt/" + key + "?uploadId=" + id,
                "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
                    parts + "</CompleteMultipartUpload>",
                std::move(headers));
  }
  size_t UploadFiles() {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(Root() + "/bkt/uploads")) {
      (void)e;
      ++n;
    }
    return n;
  }

  const std::string p1_ = std::string(kMinPartSize, 'a');
  const std::string p2_ = std::string(kMinPartSize, 'b');
  const std::string p3_ = "the short last part";
};

TEST_F(S3MultipartTest, UploadCompleteAndReadBack) {
  const std::string id = Create("big", {{"Content-Type", "text/plain"}, {"x-amz-meta-k", "v"}});
  ASSERT_EQ(id.size(), 32u);
  // Parts may arrive in any order and be replaced.
  const std::string e3 = H(Part("big", id, 3, p3_), "ETag");
  ASSERT_EQ(Part("big", id, 1, "to be replaced").status, 200);
  const std::string e1 = H(Part("big", id, 1, p1_), "ETag");
  const std::string e2 = H(Part("big", id, 2, p2_), "ETag");
  EXPECT_EQ(e1, "\"" + HexEncode(Md5Raw(p1_)) + "\"");
  EXPECT_EQ(Get("/bkt/big").status, 404) << "invisible until completed";

  LocalResponse list = Get("/bkt/big?uploadId=" + id);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(XmlCount(list.body, "Part"), 3);
  EXPECT_EQ(XmlText(list.body, "Size"), std::to_string(kMinPartSize));
  EXPECT_EQ(XmlText(list.body, "UploadId"), id);
  LocalResponse paged = Get("/bkt/big?uploadId=" + id + "&max-parts=2");
  EXPECT_EQ(XmlCount(paged.body, "Part"), 2);
  EXPECT_EQ(XmlText(paged.body, "IsTruncated"), "true");
  EXPECT_EQ(XmlText(paged.body, "NextPartNumberMarker"), "2");
  LocalResponse rest = Get("/bkt/big?uploadId=" + id + "&part-number-marker=2");
  EXPECT_EQ(XmlText(rest.body, "PartNumber"), "3");

  LocalResponse uploads = Get("/bkt?uploads");
  EXPECT_EQ(XmlText(uploads.body, "UploadId"), id);
  EXPECT_EQ(XmlText(uploads.body, "Key"), "big");

  LocalResponse done = Complete("big", id, PartXml(1, e1) + PartXml(2, e2) + PartXml(3, e3));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("<CompleteMultipartUploadResult"), std::string::npos);
  const std::string want_etag = HexEncode(Md5Raw(Md5Raw(p1_) + Md5Raw(p2_) + Md5Raw(p3_))) + "-3";
  EXPECT_EQ(XmlText(done.body, "ETag"), "&quot;" + want_etag + "&quot;");
  EXPECT_EQ(XmlText(done.body, "Key"), "big");

  LocalResponse got = Get("/bkt/big");
  EXPECT_EQ(got.body, p1_ + p2_ + p3_);
  EXPECT_EQ(H(got, "ETag"), "\"" + want_etag + "\"");
  EXPECT_EQ(H(got, "Content-Type"), "text/plain");
  EXPECT_EQ(H(got, "x-amz-meta-k"), "v");
  EXPECT_EQ(Get("/bkt/big", {{"Range", "bytes=-19"}}).body, p3_);
  // GetObject by part number, as the CRT's parallel downloads ask.
  LocalResponse part2 = Get("/bkt/big?partNumber=2");
  EXPECT_EQ(part2.status, 206);
  EXPECT_TRUE(part2.body == p2_);
  EXPECT_EQ(H(part2, "Content-Range"), "bytes " + std::to_string(kMinPartSize) + "-" +
                                           std::to_string(2 * kMinPartSize - 1) + "/" +
                                           std::to_string(2 * kMinPartSize + p3_.size()));
  EXPECT_EQ(H(part2, "x-amz-mp-parts-count"), "3");
  EXPECT_EQ(H(Call("HEAD", "/bkt/big?partNumber=3"), "Content-Length"), std::to_string(p3_.size()));
  EXPECT_EQ(Code(Get("/bkt/big?partNumber=4")), "InvalidPartNumber");
  EXPECT_EQ(Get("/bkt/big?partNumber=4").status, 416);
  EXPECT_EQ(Code(Get("/bkt/big?partNumber=1", {{"Range", "bytes=0-1"}})), "InvalidRequest");
  ASSERT_EQ(Put("/bkt/single", "one part").status, 200);
  EXPECT_EQ(Get("/bkt/single?partNumber=1").body, "one part");
  EXPECT_EQ(H(Get("/bkt/single?partNumber=1"), "x-amz-mp-parts-count"), "");
  EXPECT_EQ(UploadFiles(), 0u) << "record and parts are removed";
  EXPECT_EQ(XmlCount(Get("/bkt?uploads").body, "Upload"), 0);
  EXPECT_EQ(Code(Get("/bkt/big?uploadId=" + id)), "NoSuchUpload");
}

TEST_F(S3MultipartTest, SizeAndOrderRules) {
  const std::string id = Create("k");
  const std::string small = H(Part("k", id, 1, "tiny"), "ETag");
  const std::string e2 = H(Part("k", id, 2, p2_), "ETag");
  LocalResponse too_small = Complete("k", id, PartXml(1, small) + PartXml(2, e2));
  EXPECT_EQ(too_small.status, 400);
  EXPECT_EQ(Code(too_small), "EntityTooSmall");
  LocalResponse order = Complete("k", id, PartXml(2, e2) + PartXml(1, small));
  EXPECT_EQ(Code(order), "InvalidPartOrder");
  EXPECT_EQ(Code(Complete("k", id, PartXml(2, e2) + PartXml(2, e2))), "InvalidPartOrder");
  EXPECT_EQ(Code(Complete("k", id, PartXml(1, "\"0123\""))), "InvalidPart");
  EXPECT_EQ(Code(Complete("k", id, PartXml(7, e2))), "InvalidPart");
  EXPECT_EQ(Code(Complete("k", id, "")), "MalformedXML");
  EXPECT_EQ(Code(Call("POST", "/bkt/k?uploadId=" + id, "<oops")), "MalformedXML");
  // A single small part is a valid (last) part; parts may be skipped.
  LocalResponse ok = Complete("k", id, PartXml(2, e2));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Get("/bkt/k").body, p2_);
}

TEST_F(S3MultipartTest, PartNumbersAndUnknownUploads) {
  const std::string id = Create("k");
  for (const char* n : {"0", "10001", "x"}) {
    LocalResponse r = Put(std::string("/bkt/k?partNumber=") + n + "&uploadId=" + id, "d");
    EXPECT_EQ(r.status, 400) << n;
    EXPECT_EQ(Code(r), "InvalidArgument") << n;
  }
  EXPECT_EQ(Code(Part("k", "0123456789abcdef0123456789abcdef", 1, "d")), "NoSuchUpload");
  EXPECT_EQ(Code(Part("k", "../../etc", 1, "d")), "NoSuchUpload");
  EXPECT_EQ(Code(Part("other-key", id, 1, "d")), "NoSuchUpload");
  EXPECT_EQ(Code(Call("POST", "/nobucket/k?uploads")), "NoSuchBucket");
}

TEST_F(S3MultipartTest, AbortRemovesEverythingAndIsNotRepeatable) {
  const std::string id = Create("k");
  ASSERT_EQ(Part("k", id, 1, p1_).status, 200);
  EXPECT_EQ(Call("DELETE", "/bkt/k?uploadId=" + id).status, 204);
  EXPECT_EQ(UploadFiles(), 0u);
  LocalResponse again = Call("DELETE", "/bkt/k?uploadId=" + id);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(Code(again), "NoSuchUpload");
  EXPECT_EQ(Code(Part("k", id, 2, "x")), "NoSuchUpload");
  EXPECT_EQ(Code(Complete("k", id, PartXml(1, "\"x\""))), "NoSuchUpload");
  EXPECT_EQ(Get("/bkt/k").status, 404);
}

TEST_F(S3MultipartTest, IfNoneMatchOnComplete) {
  ASSERT_EQ(Put("/bkt/k", "existing").status, 200);
  const std::string id = Create("k");
  const std::string e1 = H(Part("k", id, 1, "new"), "ETag");
  LocalResponse r = Complete("k", id, PartXml(1, e1), {{"If-None-Match", "*"}});
  EXPECT_EQ(r.status, 412);
  EXPECT_EQ(Code(r), "PreconditionFailed");
  EXPECT_EQ(Get("/bkt/k").body, "existing");
  // The upload survives a failed precondition, as on S3.
  EXPECT_EQ(Complete("k", id, PartXml(1, e1)).status, 200);
  EXPECT_EQ(Get("/bkt/k").body, "new");
}

TEST_F(S3MultipartTest, CompositeChecksum) {
  const std::string id = Create("k", {{"x-amz-checksum-algorithm", "CRC32C"}});
  const std::string c1 = ChecksumBase64(ChecksumAlgorithm::kCrc32c, p1_);
  const std::string c2 = ChecksumBase64(ChecksumAlgorithm::kCrc32c, p3_);
  LocalResponse part1 = Part("k", id, 1, p1_, {{"x-amz-checksum-crc32c", c1}});
  EXPECT_EQ(H(part1, "x-amz-checksum-crc32c"), c1);
  LocalResponse bad = Part("k", id, 2, p3_, {{"x-amz-checksum-crc32c", c1}});
  EXPECT_EQ(Code(bad), "BadDigest");
  EXPECT_EQ(
      Code(Part("k", id, 2, p3_,
                {{"x-amz-checksum-sha256", ChecksumBase64(ChecksumAlgorithm::kSha256, p3_)}})),
      "InvalidRequest");
  // A part sent without a checksum gets one computed.
  LocalResponse part2 = Part("k", id, 2, p3_);
  EXPECT_EQ(H(part2, "x-amz-checksum-crc32c"), c2);
  EXPECT_NE(Get("/bkt/k?uploadId=" + id).body.find("<ChecksumCRC32C>" + c1 + "</ChecksumCRC32C>"),
            std::string::npos);
  // A listed part checksum that differs from the stored one is an InvalidPart.
  EXPECT_EQ(
      Code(Complete("k", id,
                    PartXml(1, H(part1, "ETag"), "<ChecksumCRC32C>" + c2 + "</ChecksumCRC32C>"))),
      "InvalidPart");
  LocalResponse done =
      Complete("k", id,
               PartXml(1, H(part1, "ETag"), "<ChecksumCRC32C>" + c1 + "</ChecksumCRC32C>") +
                   PartXml(2, H(part2, "ETag"), "<ChecksumCRC32C>" + c2 + "</ChecksumCRC32C>"));
  ASSERT_EQ(done.status, 200) << done.body;
  const std::string composite =
      ChecksumBase64(ChecksumAlgorithm::kCrc32c, *Base64Decode(c1) + *Base64Decode(c2)) + "-2";
  EXPECT_EQ(XmlText(done.body, "ChecksumCRC32C"), composite);
  EXPECT_EQ(XmlText(done.body, "ChecksumType"), "COMPOSITE");
  LocalResponse head = Call("HEAD", "/bkt/k", "", {{"x-amz-checksum-mode", "ENABLED"}});
  EXPECT_EQ(H(head, "x-amz-checksum-crc32c"), composite);
  EXPECT_EQ(H(head, "x-amz-checksum-type"), "COMPOSITE");
}

TEST_F(S3MultipartTest, FullObjectChecksum) {
  const std::string id =
      Create("k", {{"x-amz-checksum-algorithm", "CRC32"}, {"x-amz-checksum-type", "FULL_OBJECT"}});
  const std::string e1 = H(Part("k", id, 1, p1_), "ETag");
  const std::string e2 = H(Part("k", id, 2, p3_), "ETag");
  const std::string whole = ChecksumBase64(ChecksumAlgorithm::kCrc32, p1_ + p3_);
  LocalResponse wrong =
      Complete("k", id, PartXml(1, e1) + PartXml(2, e2),
               {{"x-amz-checksum-crc32", ChecksumBase64(ChecksumAlgorithm::kCrc32, "x")}});
  EXPECT_EQ(Code(wrong), "BadDigest");
  LocalResponse done =
      Complete("k", id, PartXml(1, e1) + PartXml(2, e2), {{"x-amz-checksum-crc32", whole}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(XmlText(done.body, "ChecksumCRC32"), whole);
  EXPECT_EQ(XmlText(done.body, "ChecksumType"), "FULL_OBJECT");
  EXPECT_EQ(H(Get("/bkt/k", {{"x-amz-checksum-mode", "ENABLED"}}), "x-amz-checksum-crc32"), whole);
  EXPECT_EQ(
      Code(Call("POST", "/bkt/k?uploads", "",
                {{"x-amz-checksum-algorithm", "SHA256"}, {"x-amz-checksum-type", "FULL_OBJECT"}})),
      "InvalidRequest");
  EXPECT_EQ(Code(Call("POST", "/bkt/k?uploads", "", {{"x-amz-checksum-algorithm", "MD4"}})),
            "InvalidRequest");
}

}  // namespace
}  // namespace lifeboat
