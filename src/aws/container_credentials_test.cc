#include "aws/container_credentials.h"

#include <gtest/gtest.h>

#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr char kDocument[] = R"({
  "AccessKeyId": "ASIAEXAMPLE",
  "SecretAccessKey": "secret",
  "Token": "session",
  "Expiration": "2015-08-30T13:36:00Z"
})";

system_clock::time_point At(int64_t unix_seconds) {
  return system_clock::time_point(seconds(unix_seconds));
}

TEST(Iso8601Test, ParsesUtcFractionsAndOffsets) {
  EXPECT_EQ(*ParseIso8601("2015-08-30T12:36:00Z"), At(1440938160));
  EXPECT_EQ(*ParseIso8601("1970-01-01T00:00:00Z"), At(0));
  EXPECT_EQ(*ParseIso8601("2015-08-30T14:36:00+02:00"), At(1440938160));
  EXPECT_EQ(*ParseIso8601("2015-08-30T12:36:00.500Z"),
            At(1440938160) + std::chrono::milliseconds(500));
  for (const char* bad : {"", "2015-08-30", "2015-08-30T12:36:00", "2015-13-01T00:00:00Z",
                          "2015-02-30T00:00:00Z", "2015-08-30T12:36:00Zjunk", "not a date"}) {
    EXPECT_FALSE(ParseIso8601(bad).ok()) << bad;
  }
}

TEST(CredentialsDocumentTest, ParsesFieldsAndRejectsFailures) {
  auto creds = ParseCredentialsDocument(kDocument, "origin", "src");
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(creds->secret_access_key, "secret");
  EXPECT_EQ(creds->session_token, "session");
  EXPECT_EQ(creds->expiration, At(1440941760));
  EXPECT_EQ(creds->source, "src");

  auto failed = ParseCredentialsDocument(
      R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"no"})", "origin", "src");
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("AssumeRoleUnauthorizedAccess"), std::string::npos);
  EXPECT_FALSE(ParseCredentialsDocument("{not json", "origin", "src").ok());
  EXPECT_FALSE(ParseCredentialsDocument(R"({"AccessKeyId":"A"})", "origin", "src").ok());
  EXPECT_FALSE(ParseCredentialsDocument(R"(["array"])", "origin", "src").ok());
}

class ContainerCredentialsTest : public ::testing::Test {
 protected:
  Result<Credentials> Get() { return ContainerCredentialsProvider(env_, http_).GetCredentials(); }
  MemEnv env_;
  FakeHttpClient http_;
};

TEST_F(ContainerCredentialsTest, NotConfiguredIsNotFoundWithoutARequest) {
  EXPECT_EQ(Get().status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ContainerCredentialsTest, RelativeUriGoesToTheEcsHost) {
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  http_.Enqueue(200, kDocument);
  auto creds = Get();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(creds->source, "container");
  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& r = requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_FALSE(r.headers.Has("Authorization"));
}

TEST_F(ContainerCredentialsTest, FullUriAllowedHosts) {
  for (const char* uri : {"http://127.0.0.1:8080/creds", "http://127.1.2.3/c", "http://localhost/c",
                          "http://[::1]:9/c", "http://169.254.170.2/c", "http://169.254.170.23/v1",
                          "http://[fd00:ec2::23]/v1", "https://creds.example.com/c"}) {
    env_.SetVar("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);
    http_.Enqueue(200, kDocument);
    auto creds = Get();
    EXPECT_TRUE(creds.ok()) << uri << ": " << creds.status().ToString();
    EXPECT_EQ(http_.requests().back().url, uri);
  }
}

TEST_F(ContainerCredentialsTest, FullUriOverPlainHttpToOtherHostsIsRefused) {
  for (const char* uri : {"http://creds.example.com/c", "http://10.0.0.1/c", "http://128.0.0.1/c",
                          "http://169.254.169.254/c", "ftp://127.0.0.1/c", "not a url"}) {
    env_.SetVar("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);
    auto creds = Get();
    EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument) << uri;
    EXPECT_NE(creds.status().message().find("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
              std::string::npos);
  }
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ContainerCredentialsTest, TokenFileIsReadOnEveryFetch) {
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
  env_.SetVar("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/token");
  env_.SetVar("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable");  // the file wins
  env_.SetFile("/var/run/token", "first-token\n");
  http_.Enqueue(200, kDocument);
  ASSERT_TRUE(Get().ok());
  env_.SetFile("/var/run/token", "second-token");
  http_.Enqueue(200, kDocument);
  ASSERT_TRUE(Get().ok());
  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.Get("Authorization"), "first-token");
  EXPECT_EQ(requests[1].headers.Get("Authorization"), "second-token");
}

TEST_F(ContainerCredentialsTest, TokenFromVariableAndMissingTokenFile) {
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/c");
  env_.SetVar("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc");
  http_.Enqueue(200, kDocument);
  ASSERT_TRUE(Get().ok());
  EXPECT_EQ(http_.requests()[0].headers.Get("Authorization"), "Basic abc");

  env_.SetVar("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/missing");
  auto creds = Get();
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(creds.status().message().find("/missing"), std::string::npos);
}

TEST_F(ContainerCredentialsTest, ServerErrorsAreRetriedWithPauses) {
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c");
  http_.Enqueue(503, "busy");
  http_.Enqueue(Status::Unavailable("connection refused"));
  http_.Enqueue(200, kDocument);
  auto creds = Get();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(env_.total_slept(), seconds(2));
}

TEST_F(ContainerCredentialsTest, GivesUpAfterTheLastAttemptWithoutNotFound) {
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c");
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{500, {}, "internal"};
  });
  auto creds = Get();
  EXPECT_EQ(creds.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(creds.status().message().find("HTTP 500"), std::string::npos);
  EXPECT_EQ(http_.requests().size(), 3u);
}

TEST_F(ContainerCredentialsTest, ClientErrorsAreNotRetried) {
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c");
  http_.Enqueue(403, R"({"code":"AccessDenied","message":"nope"})");
  EXPECT_EQ(Get().status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(http_.requests().size(), 1u);
}

}  // namespace
}  // namespace lifeboat
