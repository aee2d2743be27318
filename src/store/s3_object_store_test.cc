#include "store/s3_object_store.h"

#include <gtest/gtest.h>

#include "aws/aws_session.h"
#include "fakes/fake_http_client.h"
#include "fakes/fake_s3.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

class S3ObjectStoreTest : public ::testing::Test {
 protected:
  S3ObjectStoreTest() {
    http_.SetHandler([this](const HttpRequest& r) -> Result<HttpResponse> { return s3_.Handle(r); });
    AwsTransportOptions t = TransportOptionsFor(AwsService::kS3, "us-east-1");
    t.max_attempts = 3;
    t.backoff.base = std::chrono::milliseconds(1);
    transport_ = std::make_unique<AwsTransport>(http_, credentials_, env_, t);
    client_ = std::make_unique<S3Client>(*transport_, S3RequestOptions{"http://127.0.0.1:9", "us-east-1", S3Addressing::kPath});
    S3StoreOptions o;
    o.bucket = "logs";
    o.prefix = "fleet";
    o.part_size = 1000;
    o.parts_in_flight = 2;
    store_ = std::make_unique<S3ObjectStore>(client_.get(), o);
  }

  Status Write(const std::string& key, const std::string& data, size_t piece) {
    auto writer = *store_->NewWriter(key, {});
    for (size_t at = 0; at < data.size(); at += piece) {
      LIFEBOAT_RETURN_IF_ERROR(writer->Append(std::string_view(data).substr(at, piece)));
    }
    return writer->Commit();
  }

  MemEnv env_;
  FakeS3 s3_;
  FakeHttpClient http_;
  StaticCredentialsProvider credentials_{Credentials{"AKID", "secret", "", std::nullopt, "test"}};
  std::unique_ptr<AwsTransport> transport_;
  std::unique_ptr<S3Client> client_;
  std::unique_ptr<S3ObjectStore> store_;
};

TEST_F(S3ObjectStoreTest, SmallObjectsAreOnePutUnderThePrefix) {
  ASSERT_TRUE(Write("i-1/a", "hello", 2).ok());
  EXPECT_EQ(s3_.objects().at("logs/fleet/i-1/a"), "hello");
  EXPECT_EQ(*store_->Get("i-1/a"), "hello");
  EXPECT_EQ(store_->Describe("i-1/a"), "s3://logs/fleet/i-1/a");
  auto listed = *store_->List("i-1/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, "i-1/a");
  for (const auto& r : http_.requests()) EXPECT_EQ(r.url.find("?uploads"), std::string::npos) << r.url;
}

TEST_F(S3ObjectStoreTest, LargeObjectsAreMultipartWithPartsInParallel) {
  std::string data;
  for (int i = 0; i < 5500; ++i) data += static_cast<char>('a' + i % 26);
  ASSERT_TRUE(Write("i-1/big", data, 700).ok());
  EXPECT_EQ(s3_.objects().at("logs/fleet/i-1/big"), data);
  EXPECT_EQ(s3_.open_uploads(), 0u);
  EXPECT_EQ(s3_.max_parts_at_once(), 2);  // bounded by parts_in_flight, and used
}

TEST_F(S3ObjectStoreTest, AnExistingKeyIsAlreadyExistsAndUnchanged) {
  ASSERT_TRUE(Write("k", "first", 100).ok());
  EXPECT_EQ(Write("k", "second", 100).code(), StatusCode::kAlreadyExists);
  std::string big(3500, 'x');
  ASSERT_TRUE(Write("big", big, 100).ok());
  EXPECT_EQ(Write("big", std::string(3500, 'y'), 100).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(s3_.objects().at("logs/fleet/big"), big);
  EXPECT_EQ(s3_.open_uploads(), 0u);  // the losing upload was aborted
}

TEST_F(S3ObjectStoreTest, AFailedPartAbortsTheUpload) {
  s3_.SetFault([](const HttpRequest& r) -> std::optional<HttpResponse> {
    if (r.url.find("partNumber=3") != std::string::npos) {
      return HttpResponse{403, {}, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>"};
    }
    return std::nullopt;
  });
  Status s = Write("big", std::string(5000, 'z'), 250);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  EXPECT_EQ(s3_.open_uploads(), 0u);
  EXPECT_EQ(s3_.objects().count("logs/fleet/big"), 0u);
}

TEST_F(S3ObjectStoreTest, AWriterDroppedMidwayLeavesNoUpload) {
  {
    auto writer = *store_->NewWriter("big", {});
    ASSERT_TRUE(writer->Append(std::string(2500, 'q')).ok());
    EXPECT_EQ(s3_.open_uploads(), 1u);
  }
  EXPECT_EQ(s3_.open_uploads(), 0u);
  EXPECT_TRUE(s3_.objects().empty());
}

TEST_F(S3ObjectStoreTest, TransientErrorsAreRetried) {
  int failures = 2;
  s3_.SetFault([&](const HttpRequest& r) -> std::optional<HttpResponse> {
    if (r.method == "PUT" && failures-- > 0) return HttpResponse{503, {}, "<Error><Code>SlowDown</Code></Error>"};
    return std::nullopt;
  });
  ASSERT_TRUE(Write("k", "v", 1).ok());
  EXPECT_EQ(s3_.objects().at("logs/fleet/k"), "v");
}

TEST_F(S3ObjectStoreTest, HeadReportsSizeAndMissingKeys) {
  ASSERT_TRUE(Write("k", "12345", 5).ok());
  EXPECT_EQ(store_->Head("k")->size, 5u);
  EXPECT_EQ(store_->Head("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Get("nope").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace lifeboat
