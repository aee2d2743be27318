#include "aws/environment_credentials.h"

#include <gtest/gtest.h>

#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

TEST(EnvironmentCredentialsTest, ReadsKeysAndSessionToken) {
  MemEnv env;
  env.SetVar("AWS_ACCESS_KEY_ID", "AKID");
  env.SetVar("AWS_SECRET_ACCESS_KEY", "SECRET");
  env.SetVar("AWS_SESSION_TOKEN", "TOKEN");
  auto creds = EnvironmentCredentialsProvider(env).GetCredentials();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "AKID");
  EXPECT_EQ(creds->secret_access_key, "SECRET");
  EXPECT_EQ(creds->session_token, "TOKEN");
  EXPECT_FALSE(creds->expiration.has_value());
  EXPECT_EQ(creds->source, "environment");
}

TEST(EnvironmentCredentialsTest, NothingSetIsNotFound) {
  MemEnv env;
  env.SetVar("AWS_ACCESS_KEY_ID", "");  // empty counts as unset
  auto creds = EnvironmentCredentialsProvider(env).GetCredentials();
  EXPECT_EQ(creds.status().code(), StatusCode::kNotFound);
}

TEST(EnvironmentCredentialsTest, HalfAPairIsAnErrorNamingTheMissingVariable) {
  MemEnv only_id;
  only_id.SetVar("AWS_ACCESS_KEY_ID", "AKID");
  auto a = EnvironmentCredentialsProvider(only_id).GetCredentials();
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(), "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");

  MemEnv only_secret;
  only_secret.SetVar("AWS_SECRET_ACCESS_KEY", "SECRET");
  auto b = EnvironmentCredentialsProvider(only_secret).GetCredentials();
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(b.status().message(), "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
}

}  // namespace
}  // namespace lifeboat
