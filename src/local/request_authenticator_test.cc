#include "local/request_authenticator.h"

#include <gtest/gtest.h>

#include "aws/sigv4.h"
#include "fakes/mem_env.h"
#include "local/aws_chunked.h"

namespace lifeboat {
namespace {

// Requests signed by lifeboat's own signer (checked against AWS's suite), then taken
// apart the way the server receives them.
class RequestAuthenticatorTest : public ::testing::Test {
 protected:
  RawRequest Signed(const std::string& service, HttpRequest request,
                    const std::string& secret = "test") {
    SigningConfig config = Config(service, secret);
    auto signed_request = SignRequest(std::move(request), config);
    EXPECT_TRUE(signed_request.ok());
    return ToRaw(*signed_request);
  }
  SigningConfig Config(const std::string& service, const std::string& secret = "test") {
    SigningConfig c;
    c.region = "us-east-1";
    c.service = service;
    c.time = env_.Now();
    c.credentials.access_key_id = "test";
    c.credentials.secret_access_key = secret;
    const bool s3 = service == "s3";
    c.double_uri_encode = !s3;
    c.normalize_path = !s3;
    c.add_content_sha256_header = s3;
    return c;
  }
  static RawRequest ToRaw(const HttpRequest& r) {
    RawRequest raw;
    raw.method = r.method;
    const auto after_scheme = r.url.find("//") + 2;
    const auto slash = r.url.find('/', after_scheme);
    const std::string target = r.url.substr(slash);
    const auto q = target.find('?');
    raw.path = target.substr(0, q);
    raw.query = q == std::string::npos ? "" : target.substr(q + 1);
    for (const auto& [k, v] : r.headers) {
      std::string lower = k;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      raw.headers.Add(lower, v);
    }
    raw.body = r.body;
    return raw;
  }

  MemEnv env_;
  RequestAuthenticator auth_{&env_, {{"test", "test"}}};
};

TEST_F(RequestAuthenticatorTest, AcceptsHeaderSignaturesOfEveryProtocol) {
  auto s3 = auth_.Authenticate(Signed("s3", {"PUT", "http://127.0.0.1:4566/bucket/a%20key.log", {}, "data"}));
  EXPECT_TRUE(s3.ok) << s3.message;
  EXPECT_EQ(s3.service, "s3");
  auto query = auth_.Authenticate(Signed(
      "autoscaling", {"POST", "http://127.0.0.1:4566/",
                      {{"Content-Type", "application/x-www-form-urlencoded"}},
                      "Action=DescribeAutoScalingGroups&Version=2011-01-01"}));
  EXPECT_TRUE(query.ok) << query.message;
  EXPECT_EQ(query.service, "autoscaling");
  EXPECT_EQ(query.region, "us-east-1");
}

TEST_F(RequestAuthenticatorTest, RejectsWhatAwsRejects) {
  HttpRequest put{"PUT", "http://127.0.0.1:4566/bucket/key", {}, "data"};
  auto bad_secret = auth_.Authenticate(Signed("s3", put, "wrong"));
  EXPECT_EQ(bad_secret.error_code, "SignatureDoesNotMatch");
  EXPECT_EQ(bad_secret.http_status, 403);

  RawRequest tampered = Signed("s3", put);
  tampered.path = "/bucket/other";
  EXPECT_EQ(auth_.Authenticate(tampered).error_code, "SignatureDoesNotMatch");

  RawRequest body_changed = Signed("s3", put);
  body_changed.body = "DATA";
  EXPECT_EQ(auth_.Authenticate(body_changed).error_code, "XAmzContentSHA256Mismatch");

  RawRequest sqs_body = Signed("sqs", {"POST", "http://127.0.0.1:4566/", {}, "Action=ListQueues"});
  sqs_body.body = "Action=DeleteQueue";
  EXPECT_EQ(auth_.Authenticate(sqs_body).error_code, "SignatureDoesNotMatch");

  RequestAuthenticator other_keys(&env_, {{"other", "x"}});
  EXPECT_EQ(other_keys.Authenticate(Signed("s3", put)).error_code, "InvalidAccessKeyId");
  EXPECT_EQ(other_keys.Authenticate(Signed("sqs", {"POST", "http://127.0.0.1:4566/", {}, "x"})).error_code,
            "InvalidClientTokenId");

  RawRequest unsigned_request{"GET", "/bucket", "", {{"host", "127.0.0.1:4566"}}, ""};
  EXPECT_EQ(auth_.Authenticate(unsigned_request).error_code, "MissingAuthenticationToken");
}

TEST_F(RequestAuthenticatorTest, RejectsRequestsSignedMoreThanFifteenMinutesAway) {
  RawRequest old = Signed("s3", {"GET", "http://127.0.0.1:4566/bucket/key", {}, ""});
  env_.Advance(std::chrono::minutes(16));
  EXPECT_EQ(auth_.Authenticate(old).error_code, "RequestTimeTooSkewed");
}

TEST_F(RequestAuthenticatorTest, AcceptsPresignedUrlsUntilTheyExpire) {
  auto url = PresignUrl({"GET", "http://127.0.0.1:4566/bucket/a%2Bb", {}, ""}, Config("s3"),
                        std::chrono::seconds(60));
  ASSERT_TRUE(url.ok());
  HttpRequest get{"GET", *url, {{"Host", "127.0.0.1:4566"}}, ""};
  EXPECT_TRUE(auth_.Authenticate(ToRaw(get)).ok);
  env_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(auth_.Authenticate(ToRaw(get)).error_code, "AccessDenied");
}

TEST_F(RequestAuthenticatorTest, APresignedParameterThatDoesNotDecodeIsNamed) {
  auto url = PresignUrl({"GET", "http://127.0.0.1:4566/bucket/key", {}, ""}, Config("s3"),
                        std::chrono::seconds(60));
  ASSERT_TRUE(url.ok());
  RawRequest raw = ToRaw(HttpRequest{"GET", *url, {{"Host", "127.0.0.1:4566"}}, ""});
  raw.query += "&X-Amz-Expires=6%0";  // a second, malformed Expires
  auto refused = auth_.Authenticate(raw);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.http_status, 400);
  EXPECT_EQ(refused.error_code, "AuthorizationQueryParametersError");
  EXPECT_NE(refused.message.find("'X-Amz-Expires'"), std::string::npos) << refused.message;
}

TEST_F(RequestAuthenticatorTest, RefusesSignatureVersionTwoAsSigV4OnlyRegionsDo) {
  RawRequest v2_header{"GET", "/bucket/key", "", {{"host", "127.0.0.1:4566"},
                                                  {"authorization", "AWS test:c2lnbmF0dXJl"}}, ""};
  auto header = auth_.Authenticate(v2_header);
  EXPECT_EQ(header.error_code, "InvalidRequest");
  EXPECT_EQ(header.http_status, 400);
  RawRequest v2_query{"GET", "/bucket/key", "AWSAccessKeyId=test&Signature=c2ln&Expires=1",
                      {{"host", "127.0.0.1:4566"}}, ""};
  auto query = auth_.Authenticate(v2_query);
  EXPECT_EQ(query.error_code, "InvalidRequest");
  EXPECT_NE(query.message.find("Please use AWS4-HMAC-SHA256"), std::string::npos);
}

std::string Chunk(std::string_view data, const std::string& signature) {
  char size[32];
  std::snprintf(size, sizeof(size), "%zx", data.size());
  return std::string(size) + (signature.empty() ? "" : ";chunk-signature=" + signature) + "\r\n" +
         std::string(data) + "\r\n";
}

TEST(AwsChunkedTest, DecodesUnsignedChunksWithATrailingChecksum) {
  const std::string body = Chunk("hello ", "") + Chunk("world", "") +
                           "0\r\nx-amz-checksum-crc32c:yZRlqg==\r\n\r\n";
  auto decoded = DecodeAwsChunked(body, nullptr);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->data, "hello world");
  EXPECT_EQ(decoded->trailers.Get("x-amz-checksum-crc32c").value_or(""), "yZRlqg==");
}

TEST(AwsChunkedTest, VerifiesTheChainOfChunkSignatures) {
  ChunkSigning signing;
  signing.config.region = "us-east-1";
  signing.config.service = "s3";
  signing.config.time = std::chrono::system_clock::from_time_t(1369353600);  // 20130524T000000Z
  signing.config.credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  signing.seed_signature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  // The chunk signatures of AWS's documented example (sigv4-streaming, "Example: PUT
  // Object"): 64 KiB of 'a', then 1 KiB of 'a', then the empty final chunk.
  const std::string body =
      Chunk(std::string(65536, 'a'), "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
      Chunk(std::string(1024, 'a'), "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
      Chunk("", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  auto decoded = DecodeAwsChunked(body, &signing);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->data, std::string(66560, 'a'));

  std::string tampered = body;
  tampered[100] = 'b';
  EXPECT_EQ(DecodeAwsChunked(tampered, &signing).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(DecodeAwsChunked(body.substr(0, 1000), &signing).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lifeboat
