#include "aws/profile_file.h"

#include <gtest/gtest.h>

#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

ProfileFile ParseConfig(std::string_view text) {
  auto r = ParseProfileFile(text, ProfileFileKind::kConfig, "/cfg");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ProfileFile{};
}

TEST(ProfileFileTest, ConfigSectionsNeedTheProfilePrefixExceptDefault) {
  ProfileFile f = ParseConfig(
      "[default]\nregion = us-east-1\n"
      "[profile dev]\nregion=eu-west-1\n"
      "[profile   spaced]\nregion = ap-south-1\n"
      "[preview]\ncloudfront = true\n"
      "[sso-session corp]\nsso_region = us-east-1\n");
  ASSERT_EQ(f.profiles.size(), 3u);
  EXPECT_EQ(f.profiles["default"].Get("region"), "us-east-1");
  EXPECT_EQ(f.profiles["dev"].Get("region"), "eu-west-1");
  EXPECT_EQ(f.profiles["spaced"].Get("region"), "ap-south-1");
  EXPECT_EQ(f.profiles.count("preview"), 0u);
  EXPECT_EQ(f.profiles.count("corp"), 0u);
}

TEST(ProfileFileTest, CredentialsSectionsAreBareNames) {
  auto f = ParseProfileFile("[dev]\naws_access_key_id = AKID\n", ProfileFileKind::kCredentials,
                            "/creds");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->profiles.at("dev").Get("aws_access_key_id"), "AKID");
}

TEST(ProfileFileTest, CommentsFullLineAndInlineAfterWhitespace) {
  ProfileFile f = ParseConfig(
      "# leading comment\n"
      "; another\n"
      "[default] # header comment\n"
      "region = us-west-2 # inline\n"
      "output = json;not-a-comment\n"
      "endpoint_url = http://h:1/p ; inline semicolon\n"
      "   # indented comment line\n");
  const Profile& p = f.profiles["default"];
  EXPECT_EQ(p.Get("region"), "us-west-2");
  EXPECT_EQ(p.Get("output"), "json;not-a-comment");
  EXPECT_EQ(p.Get("endpoint_url"), "http://h:1/p");
}

TEST(ProfileFileTest, WhitespaceAroundEqualsAndKeysLowercased) {
  ProfileFile f = ParseConfig("[default]\n  \nRegion\t=\t  us-east-2   \r\nA=b=c\n");
  EXPECT_EQ(f.profiles["default"].Get("region"), "us-east-2");
  EXPECT_EQ(f.profiles["default"].Get("a"), "b=c");
}

TEST(ProfileFileTest, NestedSubSections) {
  ProfileFile f = ParseConfig(
      "[profile dev]\n"
      "s3 =\n"
      "    addressing_style = path   # comment\n"
      "\tSignature_Version=s3v4\n"
      "region = us-east-1\n");
  const Profile& p = f.profiles["dev"];
  EXPECT_EQ(p.GetSub("s3", "addressing_style"), "path");
  EXPECT_EQ(p.GetSub("s3", "signature_version"), "s3v4");
  EXPECT_EQ(p.Get("s3"), std::nullopt);
  EXPECT_EQ(p.Get("region"), "us-east-1");
}

TEST(ProfileFileTest, IndentedLineContinuesANonEmptyValue) {
  ProfileFile f = ParseConfig("[default]\nk = first\n  second\n");
  EXPECT_EQ(f.profiles["default"].Get("k"), "first\nsecond");
}

TEST(ProfileFileTest, ServicesSections) {
  ProfileFile f = ParseConfig(
      "[profile dev]\nservices = local\n"
      "[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n");
  ASSERT_EQ(f.services.count("local"), 1u);
  EXPECT_EQ(f.services["local"].GetSub("s3", "endpoint_url"), "http://127.0.0.1:9000");
}

TEST(ProfileFileTest, RepeatedSectionsMergeAndProfileDefaultWins) {
  ProfileFile f = ParseConfig(
      "[profile default]\nregion = from-profile-default\n"
      "[default]\nregion = from-default\noutput = json\n"
      "[profile dev]\na = 1\n[profile dev]\nb = 2\na = 3\n");
  EXPECT_EQ(f.profiles["default"].Get("region"), "from-profile-default");
  EXPECT_EQ(f.profiles["default"].Get("output"), "json");
  EXPECT_EQ(f.profiles["dev"].Get("a"), "3");
  EXPECT_EQ(f.profiles["dev"].Get("b"), "2");
}

TEST(ProfileFileTest, MalformedLinesNameFileAndLine) {
  struct Case {
    const char* text;
    const char* prefix;
  };
  for (const Case& c :
       {Case{"[default]\nregion us-east-1\n", "/cfg:2: "}, Case{"region = x\n", "/cfg:1: "},
        Case{"[default\nk=v\n", "/cfg:1: "}, Case{"[default]\n= value\n", "/cfg:2: "},
        Case{"[default]\n\n  orphan\n", "/cfg:3: "},
        Case{"[default]\ns3 =\n  no-equals-here\n", "/cfg:3: "}}) {
    auto r = ParseProfileFile(c.text, ProfileFileKind::kConfig, "/cfg");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(c.prefix, 0), 0u) << r.status().message();
  }
}

class SharedConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.SetVar("HOME", "/home/u"); }
  MemEnv env_;
};

TEST_F(SharedConfigTest, ProfileNameFromEnvironment) {
  EXPECT_EQ(SelectedProfileName(env_), "default");
  env_.SetVar("AWS_DEFAULT_PROFILE", "legacy");
  EXPECT_EQ(SelectedProfileName(env_), "legacy");
  env_.SetVar("AWS_PROFILE", "dev");
  EXPECT_EQ(SelectedProfileName(env_), "dev");
}

TEST_F(SharedConfigTest, DefaultPathsUnderHomeAndMissingFilesAreEmpty) {
  auto c = LoadSharedConfig(env_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->credentials_path, "/home/u/.aws/credentials");
  EXPECT_EQ(c->config_path, "/home/u/.aws/config");
  auto p = c->SelectedProfile();
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
}

TEST_F(SharedConfigTest, CredentialsFileWinsOverConfigFile) {
  env_.SetFile("/home/u/.aws/config",
               "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n");
  env_.SetFile("/home/u/.aws/credentials", "[dev]\naws_access_key_id = FROMCREDS\n");
  env_.SetVar("AWS_PROFILE", "dev");
  auto c = LoadSharedConfig(env_);
  ASSERT_TRUE(c.ok());
  auto p = c->SelectedProfile();
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("aws_access_key_id"), "FROMCREDS");
  EXPECT_EQ(p->Get("region"), "eu-west-1");
}

TEST_F(SharedConfigTest, FileLocationsFromEnvironment) {
  env_.SetVar("AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds");
  env_.SetVar("AWS_CONFIG_FILE", "~/cfg");
  env_.SetFile("/etc/aws/creds", "[default]\naws_access_key_id = A\n");
  env_.SetFile("/home/u/cfg", "[default]\nregion = r1\n");
  auto c = LoadSharedConfig(env_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->config_path, "/home/u/cfg");
  auto p = c->SelectedProfile();
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Get("aws_access_key_id"), "A");
  EXPECT_EQ(p->Get("region"), "r1");
}

TEST_F(SharedConfigTest, NamedProfileMissingIsAnErrorNamingProfileAndFiles) {
  env_.SetFile("/home/u/.aws/config", "[default]\nregion = r\n");
  env_.SetVar("AWS_PROFILE", "ghost");
  auto c = LoadSharedConfig(env_);
  ASSERT_TRUE(c.ok());
  auto p = c->SelectedProfile();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("'ghost'"), std::string::npos);
  EXPECT_NE(p.status().message().find("/home/u/.aws/credentials"), std::string::npos);
  EXPECT_NE(p.status().message().find("/home/u/.aws/config"), std::string::npos);
}

TEST_F(SharedConfigTest, ExplicitProfileOverridesEnvironment) {
  env_.SetFile("/home/u/.aws/config", "[profile cli]\nregion = r2\n");
  env_.SetVar("AWS_PROFILE", "ghost");
  auto c = LoadSharedConfig(env_, std::string("cli"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->SelectedProfile()->Get("region"), "r2");
}

TEST_F(SharedConfigTest, MalformedFileFailsTheLoad) {
  env_.SetFile("/home/u/.aws/credentials", "[default]\nbroken line\n");
  auto c = LoadSharedConfig(env_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("/home/u/.aws/credentials:2: ", 0), 0u)
      << c.status().message();
}

}  // namespace
}  // namespace lifeboat
