#include "aws/aws_settings.h"

#include <gtest/gtest.h>

#include "aws/imds_client.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

class AwsSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.SetVar("HOME", "/home/u"); }
  AwsSettings Load() {
    auto s = AwsSettings::Load(env_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }
  std::string Endpoint(AwsService service, std::optional<std::string> override_url = {}) {
    auto e = Load().ResolveEndpoint(service, "us-west-2", override_url);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? e->url : "";
  }
  MemEnv env_;
  FakeHttpClient http_;
};

TEST_F(AwsSettingsTest, RegionPrecedence) {
  http_.Enqueue(200, "tok");
  http_.Enqueue(200, "ap-northeast-1\n");
  ImdsClient imds(env_, http_);
  EXPECT_EQ(*Load().ResolveRegion(std::nullopt, &imds), "ap-northeast-1");
  env_.SetFile("/home/u/.aws/config", "[default]\nregion = eu-central-1\n");
  EXPECT_EQ(*Load().ResolveRegion(std::nullopt, &imds), "eu-central-1");
  env_.SetVar("AWS_DEFAULT_REGION", "us-east-2");
  EXPECT_EQ(*Load().ResolveRegion(std::nullopt, &imds), "us-east-2");
  env_.SetVar("AWS_REGION", "us-west-1");
  EXPECT_EQ(*Load().ResolveRegion(std::nullopt, &imds), "us-west-1");
  EXPECT_EQ(*Load().ResolveRegion(std::string("sa-east-1"), &imds), "sa-east-1");
  EXPECT_EQ(http_.requests().size(), 2u);  // IMDS only asked when nothing else said
}

TEST_F(AwsSettingsTest, RegionFromTheSelectedProfile) {
  env_.SetFile("/home/u/.aws/config",
               "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-north-1\n");
  env_.SetVar("AWS_PROFILE", "dev");
  EXPECT_EQ(*Load().ResolveRegion(), "eu-north-1");
  auto explicit_profile = AwsSettings::Load(env_, std::string("default"));
  ASSERT_TRUE(explicit_profile.ok());
  EXPECT_EQ(explicit_profile->profile_name(), "default");
  EXPECT_EQ(*explicit_profile->ResolveRegion(), "us-east-1");
}

TEST_F(AwsSettingsTest, NoRegionIsAClearError) {
  env_.SetVar("AWS_EC2_METADATA_DISABLED", "true");
  ImdsClient imds(env_, http_);
  auto r = Load().ResolveRegion(std::nullopt, &imds);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("AWS_REGION"), std::string::npos);
  EXPECT_NE(r.status().message().find("/home/u/.aws/config"), std::string::npos);
  EXPECT_NE(r.status().message().find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_FALSE(Load().ResolveRegion().ok());
}

TEST_F(AwsSettingsTest, MalformedRegionIsRejected) {
  env_.SetVar("AWS_REGION", "us-east-1/../evil");
  auto r = Load().ResolveRegion();
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("AWS_REGION"), std::string::npos);
}

TEST_F(AwsSettingsTest, MissingNamedProfileFailsTheLoad) {
  env_.SetVar("AWS_PROFILE", "ghost");
  auto s = AwsSettings::Load(env_);
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("'ghost'"), std::string::npos);
}

TEST_F(AwsSettingsTest, DefaultEndpoints) {
  EXPECT_EQ(Endpoint(AwsService::kS3), "https://s3.us-west-2.amazonaws.com");
  EXPECT_EQ(Endpoint(AwsService::kSqs), "https://sqs.us-west-2.amazonaws.com");
  EXPECT_EQ(Endpoint(AwsService::kSsm), "https://ssm.us-west-2.amazonaws.com");
  EXPECT_EQ(Endpoint(AwsService::kAutoScaling), "https://autoscaling.us-west-2.amazonaws.com");
  EXPECT_EQ(Endpoint(AwsService::kEventBridge), "https://events.us-west-2.amazonaws.com");
  EXPECT_EQ(Endpoint(AwsService::kLambda), "https://lambda.us-west-2.amazonaws.com");
  EXPECT_EQ(Endpoint(AwsService::kEc2), "https://ec2.us-west-2.amazonaws.com");
  auto cn = Load().ResolveEndpoint(AwsService::kS3, "cn-north-1");
  EXPECT_EQ(cn->url, "https://s3.cn-north-1.amazonaws.com.cn");
  EXPECT_FALSE(cn->custom);
  EXPECT_FALSE(Load().ResolveEndpoint(AwsService::kS3, "").ok());
}

TEST_F(AwsSettingsTest, EndpointPrecedence) {
  env_.SetFile("/home/u/.aws/config",
               "[default]\nendpoint_url = http://profile-global:1\nservices = local\n"
               "[services local]\ns3 =\n  endpoint_url = http://profile-s3:2\n");
  env_.SetVar("AWS_ENDPOINT_URL", "http://env-global:3");
  env_.SetVar("AWS_ENDPOINT_URL_S3", "http://env-s3:4/");

  auto e = Load().ResolveEndpoint(AwsService::kS3, "us-west-2", std::string("http://flag:5"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->url, "http://flag:5");
  EXPECT_TRUE(e->custom);
  EXPECT_EQ(e->source, "--endpoint-url");

  EXPECT_EQ(Endpoint(AwsService::kS3), "http://env-s3:4");  // trailing '/' dropped
  EXPECT_EQ(Endpoint(AwsService::kSqs), "http://env-global:3");
  env_.SetVar("AWS_ENDPOINT_URL_S3", "");
  EXPECT_EQ(Endpoint(AwsService::kS3), "http://env-global:3");
  env_.SetVar("AWS_ENDPOINT_URL", "");
  EXPECT_EQ(Endpoint(AwsService::kS3), "http://profile-s3:2");
  EXPECT_EQ(Endpoint(AwsService::kSqs), "http://profile-global:1");
  env_.SetFile("/home/u/.aws/config", "[default]\nendpoint_url = http://profile-global:1\n");
  EXPECT_EQ(Endpoint(AwsService::kS3), "http://profile-global:1");
  env_.SetFile("/home/u/.aws/config", "");
  auto d = Load().ResolveEndpoint(AwsService::kS3, "us-west-2");
  EXPECT_EQ(d->url, "https://s3.us-west-2.amazonaws.com");
  EXPECT_FALSE(d->custom);
}

TEST_F(AwsSettingsTest, ServiceSpecificVariableNames) {
  env_.SetVar("AWS_ENDPOINT_URL_AUTO_SCALING", "http://asg:1");
  env_.SetVar("AWS_ENDPOINT_URL_EVENTBRIDGE", "http://eb:1");
  env_.SetFile("/home/u/.aws/config",
               "[default]\nservices = s\n[services s]\nauto_scaling =\n  endpoint_url = http://x\n"
               "lambda =\n  endpoint_url = http://fn:9\n");
  EXPECT_EQ(Endpoint(AwsService::kAutoScaling), "http://asg:1");
  EXPECT_EQ(Endpoint(AwsService::kEventBridge), "http://eb:1");
  EXPECT_EQ(Endpoint(AwsService::kLambda), "http://fn:9");
  EXPECT_EQ(Endpoint(AwsService::kSsm), "https://ssm.us-west-2.amazonaws.com");
}

TEST_F(AwsSettingsTest, IgnoreConfiguredEndpointUrls) {
  env_.SetFile("/home/u/.aws/config", "[default]\nendpoint_url = http://profile:1\n");
  env_.SetVar("AWS_ENDPOINT_URL", "http://env:2");
  env_.SetVar("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "True");
  EXPECT_EQ(Endpoint(AwsService::kS3), "https://s3.us-west-2.amazonaws.com");
  EXPECT_EQ(Endpoint(AwsService::kS3, "http://flag:3"), "http://flag:3");  // still honoured

  env_.SetVar("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "");
  env_.SetVar("AWS_ENDPOINT_URL", "");
  env_.SetFile(
      "/home/u/.aws/config",
      "[default]\nendpoint_url = http://profile:1\nignore_configured_endpoint_urls = true\n");
  EXPECT_EQ(Endpoint(AwsService::kS3), "https://s3.us-west-2.amazonaws.com");
  env_.SetVar("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");  // the variable wins
  EXPECT_EQ(Endpoint(AwsService::kS3), "http://profile:1");
}

TEST_F(AwsSettingsTest, InvalidEndpointUrlsNameTheirSource) {
  env_.SetVar("AWS_ENDPOINT_URL_SQS", "localhost:9324");
  auto e = Load().ResolveEndpoint(AwsService::kSqs, "us-west-2");
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("AWS_ENDPOINT_URL_SQS 'localhost:9324'"), std::string::npos);
  for (const char* bad : {"ftp://host", "http://", "not a url"}) {
    auto f = Load().ResolveEndpoint(AwsService::kS3, "us-west-2", std::string(bad));
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(f.status().message().find("--endpoint-url"), std::string::npos);
  }
  EXPECT_EQ(*ValidateEndpointUrl("https://h:1/base/", "x"), "https://h:1/base");
}

TEST_F(AwsSettingsTest, MissingServicesSectionIsAnError) {
  env_.SetFile("/home/u/.aws/config", "[default]\nservices = nowhere\n");
  auto e = Load().ResolveEndpoint(AwsService::kS3, "us-west-2");
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("'nowhere'"), std::string::npos);
}

TEST_F(AwsSettingsTest, S3AddressingStyle) {
  EXPECT_EQ(*Load().S3Addressing(), S3AddressingStyle::kAuto);
  env_.SetFile("/home/u/.aws/config", "[default]\ns3 =\n    addressing_style = path\n");
  EXPECT_EQ(*Load().S3Addressing(), S3AddressingStyle::kPath);
  env_.SetFile("/home/u/.aws/config", "[default]\ns3 =\n    addressing_style = virtual\n");
  EXPECT_EQ(*Load().S3Addressing(), S3AddressingStyle::kVirtual);
  env_.SetFile("/home/u/.aws/config", "[default]\ns3 =\n    addressing_style = sideways\n");
  EXPECT_EQ(Load().S3Addressing().status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lifeboat
