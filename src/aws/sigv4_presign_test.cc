#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/aws4_suite.h"

#include "aws/sigv4.h"

namespace lifeboat {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

HttpRequest ExampleGet(std::string url = "https://examplebucket.s3.amazonaws.com/test.txt") {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

// The query parameter `name` of a URL, still encoded; "<absent>" if there is none.
std::string QueryParam(const std::string& url, const std::string& name) {
  auto parsed = ParseUrl(url);
  if (!parsed) return "<bad url>";
  std::string_view query = parsed->query;
  while (!query.empty()) {
    std::string_view param = query.substr(0, query.find('&'));
    if (param.substr(0, param.find('=')) == name) {
      return param.find('=') == std::string_view::npos
                 ? ""
                 : std::string(param.substr(param.find('=') + 1));
    }
    query.remove_prefix(std::min(query.size(), param.size() + 1));
  }
  return "<absent>";
}

// Recomputes the signature of a presigned URL the way S3 checks it: the canonical request
// of the URL without X-Amz-Signature, signing the headers it names, UNSIGNED-PAYLOAD.
std::string VerifierSignature(const std::string& presigned, Headers headers,
                              const SigningConfig& config) {
  std::string unsigned_url = presigned.substr(0, presigned.find("&X-Amz-Signature="));
  HttpRequest request{"GET", unsigned_url, std::move(headers), ""};
  SigningConfig verifier = config;
  verifier.payload_hash = std::string(kUnsignedPayload);
  auto canonical = BuildCanonicalRequest(request, verifier);
  if (!canonical.ok()) return canonical.status().ToString();
  return ComputeSignature(BuildStringToSign(canonical->text, verifier), verifier);
}

TEST(PresignUrlTest, MatchesAwsPublishedExample) {
  auto url = PresignUrl(ExampleGet(), S3ExampleSigningConfig(), 86400s);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(*url,
            "https://examplebucket.s3.amazonaws.com/test.txt"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(PresignUrlTest, PublishedCanonicalRequestIsWhatTheVerifierRebuilds) {
  // The example's canonical request, as published, from the URL our presigner produced.
  auto url = PresignUrl(ExampleGet(), S3ExampleSigningConfig(), 86400s);
  ASSERT_TRUE(url.ok());
  SigningConfig config = S3ExampleSigningConfig();
  config.payload_hash = std::string(kUnsignedPayload);
  HttpRequest request{"GET",
                      url->substr(0, url->find("&X-Amz-Signature=")),
                      {{"Host", "examplebucket.s3.amazonaws.com"}},
                      ""};
  auto canonical = BuildCanonicalRequest(request, config);
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(canonical->text,
            "GET\n/test.txt\n"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
            "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
            "X-Amz-SignedHeaders=host\n"
            "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD");
  EXPECT_EQ(BuildStringToSign(canonical->text, config),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
}

TEST(PresignUrlTest, SessionTokenIsEncodedAndSigned) {
  SigningConfig config = S3ExampleSigningConfig();
  config.credentials.session_token = "IQoJ/b3Jp+Z2lu=";
  auto url = PresignUrl(ExampleGet(), config, 3600s);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(QueryParam(*url, "X-Amz-Security-Token"), "IQoJ%2Fb3Jp%2BZ2lu%3D");
  EXPECT_THAT(
      *url, testing::HasSubstr("&X-Amz-Security-Token=IQoJ%2Fb3Jp%2BZ2lu%3D&X-Amz-SignedHeaders="));
  EXPECT_EQ(QueryParam(*url, "X-Amz-Signature"),
            VerifierSignature(*url, {{"Host", "examplebucket.s3.amazonaws.com"}}, config));
  // Without the token the signature differs, so the token is part of what was signed.
  auto without = PresignUrl(ExampleGet(), S3ExampleSigningConfig(), 3600s);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(QueryParam(*without, "X-Amz-Security-Token"), "<absent>");
  EXPECT_NE(QueryParam(*without, "X-Amz-Signature"), QueryParam(*url, "X-Amz-Signature"));
}

TEST(PresignUrlTest, KeepsAndSignsExistingQueryAndHeaders) {
  HttpRequest request = ExampleGet(
      "http://127.0.0.1:9000/b/a%20key.log?versionId=v%2B1&response-content-type=text%2Fplain");
  request.method = "GET";
  request.headers.Add("x-amz-meta-origin", "i-123");
  SigningConfig config = S3ExampleSigningConfig();
  auto url = PresignUrl(request, config, 60s);
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->starts_with(
      "http://127.0.0.1:9000/b/"
      "a%20key.log?versionId=v%2B1&response-content-type=text%2Fplain&X-Amz-Algorithm="))
      << *url;
  EXPECT_EQ(QueryParam(*url, "X-Amz-SignedHeaders"), "host%3Bx-amz-meta-origin");
  EXPECT_EQ(QueryParam(*url, "X-Amz-Expires"), "60");
  EXPECT_EQ(QueryParam(*url, "X-Amz-Signature"),
            VerifierSignature(*url, {{"Host", "127.0.0.1:9000"}, {"x-amz-meta-origin", "i-123"}},
                              config));
}

TEST(PresignUrlTest, ExpiryOutsideOneSecondToSevenDaysIsRejected) {
  for (auto expires : {0s, -5s, 604801s}) {
    auto url = PresignUrl(ExampleGet(), S3ExampleSigningConfig(), expires);
    ASSERT_FALSE(url.ok()) << expires.count();
    EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(url.status().message(), testing::HasSubstr("test.txt"));
  }
  EXPECT_TRUE(PresignUrl(ExampleGet(), S3ExampleSigningConfig(), 1s).ok());
  auto week = PresignUrl(ExampleGet(), S3ExampleSigningConfig(), 604800s);
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(QueryParam(*week, "X-Amz-Expires"), "604800");
}

TEST(PresignUrlTest, AlreadyPresignedUrlIsRejected) {
  auto url = PresignUrl(ExampleGet(), S3ExampleSigningConfig(), 60s);
  ASSERT_TRUE(url.ok());
  auto again = PresignUrl(ExampleGet(*url), S3ExampleSigningConfig(), 60s);
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidArgument);
}

TEST(PresignUrlTest, NoCredentialsIsUnauthenticated) {
  SigningConfig config = S3ExampleSigningConfig();
  config.credentials.secret_access_key.clear();
  EXPECT_EQ(PresignUrl(ExampleGet(), config, 60s).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace lifeboat
