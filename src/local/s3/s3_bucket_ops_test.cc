#include <gtest/gtest.h>

#include "local/s3/s3_test_support.h"

namespace lifeboat {
namespace {

class S3BucketTest : public S3ServiceTest {};

TEST_F(S3BucketTest, CreateHeadListDelete) {
  LocalResponse created = Put("/logs");
  EXPECT_EQ(created.status, 200);
  EXPECT_EQ(H(created, "Location"), "/logs");
  EXPECT_FALSE(H(created, "x-amz-request-id").empty());
  MakeBucket("archive");

  LocalResponse head = Call("HEAD", "/logs");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(H(head, "x-amz-bucket-region"), "us-east-1");

  LocalResponse list = Get("/");
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(H(list, "Content-Type"), "application/xml");
  EXPECT_NE(
      list.body.find("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
      std::string::npos);
  EXPECT_EQ(XmlCount(list.body, "Bucket"), 2);
  EXPECT_LT(list.body.find("<Name>archive</Name>"), list.body.find("<Name>logs</Name>"));
  EXPECT_NE(list.body.find("<CreationDate>20"), std::string::npos);
  EXPECT_NE(list.body.find("<Owner><ID>"), std::string::npos);

  EXPECT_EQ(Call("DELETE", "/logs").status, 204);
  EXPECT_EQ(Call("HEAD", "/logs").status, 404);
  EXPECT_EQ(XmlCount(Get("/").body, "Bucket"), 1);
}

TEST_F(S3BucketTest, AwsErrors) {
  MakeBucket("logs");
  LocalResponse again = Put("/logs");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Code(again), "BucketAlreadyOwnedByYou");

  for (const char* bad : {"/ab", "/Upper", "/has_underscore", "/-dash", "/dot.", "/a..b",
                          "/192.168.1.1", "/xn--punycode", "/x-s3alias"}) {
    LocalResponse r = Put(bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(Code(r), "InvalidBucketName") << bad;
  }
  LocalResponse missing = Get("/nope?list-type=2");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Code(missing), "NoSuchBucket");
  EXPECT_EQ(XmlText(missing.body, "Resource"), "/nope");
  EXPECT_EQ(Call("DELETE", "/nope").status, 404);
  // HEAD answers carry no body, as S3's do.
  LocalResponse head = Call("HEAD", "/nope");
  EXPECT_EQ(head.status, 404);
  EXPECT_TRUE(head.body.empty());
  // A path that would escape the store is only ever a missing bucket.
  EXPECT_EQ(Code(Get("/..%2F..%2Fetc/passwd")), "NoSuchBucket");
}

TEST_F(S3BucketTest, DeleteRefusesANonEmptyBucket) {
  MakeBucket("logs");
  ASSERT_EQ(Put("/logs/k", "x").status, 200);
  LocalResponse r = Call("DELETE", "/logs");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Code(r), "BucketNotEmpty");
  EXPECT_EQ(Call("DELETE", "/logs/k").status, 204);
  EXPECT_EQ(Call("DELETE", "/logs").status, 204);
}

TEST_F(S3BucketTest, LocationConstraintIsKeptAndReported) {
  ASSERT_EQ(Put("/euro",
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>")
                .status,
            200);
  EXPECT_NE(Get("/euro?location").body.find(">eu-west-1</LocationConstraint>"), std::string::npos);
  EXPECT_EQ(H(Call("HEAD", "/euro"), "x-amz-bucket-region"), "eu-west-1");
  MakeBucket("usa");
  EXPECT_NE(Get("/usa?location").body.find("\"></LocationConstraint>"), std::string::npos);
  EXPECT_EQ(Code(Put("/badxml", "<not xml")), "MalformedXML");
}

TEST_F(S3BucketTest, VirtualHostedAddressing) {
  MakeBucket("vhost");
  for (const char* host : {"vhost.localhost:4566", "vhost.s3.localhost", "vhost.localhost"}) {
    LocalRequest put = MakeS3Request("PUT", "/dir/key", std::string("via ") + host);
    put.host = host;
    ASSERT_EQ(service_->Handle(put).status, 200) << host;
    EXPECT_EQ(Get("/vhost/dir/key").body, std::string("via ") + host);
  }
  LocalRequest list = MakeS3Request("GET", "/?list-type=2");
  list.host = "vhost.s3.localhost:4566";
  EXPECT_EQ(XmlText(service_->Handle(list).body, "Key"), "dir/key");
  // s3.localhost itself is the service: path-style.
  LocalRequest path_style = MakeS3Request("GET", "/vhost/dir/key");
  path_style.host = "s3.localhost:4566";
  EXPECT_EQ(service_->Handle(path_style).status, 200);
}

TEST_F(S3BucketTest, UnsupportedSubresourcesAreNotImplementedNotMisread) {
  MakeBucket("logs");
  ASSERT_EQ(Put("/logs/k", "x").status, 200);
  LocalResponse r = Put("/logs/k?tagging", "<Tagging/>");
  EXPECT_EQ(r.status, 501);
  EXPECT_EQ(Code(r), "NotImplemented");
  EXPECT_EQ(Get("/logs/k").body, "x");  // the object was not overwritten
  EXPECT_EQ(Get("/logs?acl").status, 501);
  EXPECT_EQ(Get("/logs?versioning").status, 200);
  EXPECT_EQ(Call("POST", "/logs/k").status, 405);
}

}  // namespace
}  // namespace lifeboat
