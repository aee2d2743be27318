#include "aws/imds_credentials.h"

#include <gtest/gtest.h>

#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

constexpr char kRoleDocument[] = R"({
  "Code" : "Success",
  "LastUpdated" : "2015-08-30T12:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIAROLE",
  "SecretAccessKey" : "role-secret",
  "Token" : "role-token",
  "Expiration" : "2015-08-30T18:36:00Z"
})";

class ImdsCredentialsTest : public ::testing::Test {
 protected:
  // Answers the token request, then GETs from `answers` by URL path (404 otherwise).
  void Serve(std::map<std::string, std::pair<int, std::string>> answers) {
    http_.SetHandler([answers](const HttpRequest& r) -> Result<HttpResponse> {
      if (r.method == "PUT") return HttpResponse{200, {}, "tok"};
      if (r.headers.Get("X-aws-ec2-metadata-token") != "tok") return HttpResponse{401, {}, ""};
      auto it = answers.find(r.url.substr(std::string("http://169.254.169.254").size()));
      if (it == answers.end()) return HttpResponse{404, {}, ""};
      return HttpResponse{it->second.first, {}, it->second.second};
    });
  }
  Result<Credentials> Get() {
    ImdsClient client(env_, http_);
    return ImdsCredentialsProvider(client).GetCredentials();
  }
  MemEnv env_;
  FakeHttpClient http_;
};

TEST_F(ImdsCredentialsTest, ReadsTheRoleThenItsCredentials) {
  Serve({{"/latest/meta-data/iam/security-credentials/", {200, "lifeboat-role\n"}},
         {"/latest/meta-data/iam/security-credentials/lifeboat-role", {200, kRoleDocument}}});
  auto creds = Get();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "ASIAROLE");
  EXPECT_EQ(creds->secret_access_key, "role-secret");
  EXPECT_EQ(creds->session_token, "role-token");
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_EQ(*creds->expiration - env_.Now(), std::chrono::hours(6));
  EXPECT_EQ(creds->source, "imds role lifeboat-role");
}

TEST_F(ImdsCredentialsTest, OwningConstructorWorksToo) {
  Serve({{"/latest/meta-data/iam/security-credentials/", {200, "r"}},
         {"/latest/meta-data/iam/security-credentials/r", {200, kRoleDocument}}});
  ImdsCredentialsProvider provider(std::make_unique<ImdsClient>(env_, http_));
  EXPECT_TRUE(provider.GetCredentials().ok());
}

TEST_F(ImdsCredentialsTest, NoRoleIsNotFound) {
  Serve({});
  EXPECT_EQ(Get().status().code(), StatusCode::kNotFound);
}

TEST_F(ImdsCredentialsTest, NotOnEc2IsNotFound) {
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return Status::DeadlineExceeded("timed out");
  });
  auto creds = Get();
  EXPECT_EQ(creds.status().code(), StatusCode::kNotFound);
  EXPECT_NE(creds.status().message().find("not running on EC2?"), std::string::npos);
}

TEST_F(ImdsCredentialsTest, DisabledIsNotFound) {
  env_.SetVar("AWS_EC2_METADATA_DISABLED", "true");
  EXPECT_EQ(Get().status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ImdsCredentialsTest, FailureCodeIsABrokenSourceNotNotFound) {
  Serve({{"/latest/meta-data/iam/security-credentials/", {200, "r"}},
         {"/latest/meta-data/iam/security-credentials/r",
          {200, R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume r"})"}}});
  auto creds = Get();
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.status().code(), StatusCode::kNotFound);
  EXPECT_NE(creds.status().message().find("AssumeRoleUnauthorizedAccess"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat
