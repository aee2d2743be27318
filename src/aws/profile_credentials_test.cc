#include "aws/profile_credentials.h"

#include <gtest/gtest.h>

#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

class ProfileCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.SetVar("HOME", "/home/u"); }
  Result<Credentials> Get(std::optional<std::string> profile = std::nullopt) {
    return ProfileCredentialsProvider(env_, std::move(profile)).GetCredentials();
  }
  MemEnv env_;
};

TEST_F(ProfileCredentialsTest, DefaultProfileFromCredentialsFile) {
  env_.SetFile("/home/u/.aws/credentials",
               "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n"
               "aws_session_token = TOKEN\n");
  auto creds = Get();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "AKID");
  EXPECT_EQ(creds->secret_access_key, "SECRET");
  EXPECT_EQ(creds->session_token, "TOKEN");
  EXPECT_EQ(creds->source, "profile default");
}

TEST_F(ProfileCredentialsTest, NamedProfileFromConfigFileWithCredentialsFileWinning) {
  env_.SetVar("AWS_PROFILE", "dev");
  env_.SetFile("/home/u/.aws/config",
               "[profile dev]\naws_access_key_id = CONFIG_ID\naws_secret_access_key = CONFIG_SK\n");
  env_.SetFile("/home/u/.aws/credentials", "[dev]\naws_secret_access_key = CREDS_SK\n");
  auto creds = Get();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "CONFIG_ID");
  EXPECT_EQ(creds->secret_access_key, "CREDS_SK");
  EXPECT_EQ(creds->source, "profile dev");
}

TEST_F(ProfileCredentialsTest, NoFilesOrNoKeysIsNotFound) {
  EXPECT_EQ(Get().status().code(), StatusCode::kNotFound);
  env_.SetFile("/home/u/.aws/config", "[default]\nregion = us-east-1\n");
  EXPECT_EQ(Get().status().code(), StatusCode::kNotFound);
}

TEST_F(ProfileCredentialsTest, NamedProfileMissingIsAnError) {
  auto creds = Get(std::string("ghost"));
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(creds.status().message().find("'ghost'"), std::string::npos);
}

TEST_F(ProfileCredentialsTest, HalfAPairIsAnErrorNamingTheProfile) {
  env_.SetFile("/home/u/.aws/credentials", "[default]\naws_access_key_id = AKID\n");
  auto creds = Get();
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(creds.status().message().find("'default'"), std::string::npos);
  EXPECT_NE(creds.status().message().find("not aws_secret_access_key"), std::string::npos);
}

TEST_F(ProfileCredentialsTest, UnsupportedCredentialSourceIsAnError) {
  env_.SetFile("/home/u/.aws/config",
               "[default]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n");
  auto creds = Get();
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(creds.status().message().find("role_arn"), std::string::npos);
}

TEST_F(ProfileCredentialsTest, MalformedFileIsAnErrorWithLine) {
  env_.SetFile("/home/u/.aws/credentials", "[default]\naws_access_key_id AKID\n");
  auto creds = Get();
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(creds.status().message().rfind("/home/u/.aws/credentials:2:", 0), 0u);
}

}  // namespace
}  // namespace lifeboat
