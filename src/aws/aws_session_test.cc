#include "aws/aws_session.h"

#include <gtest/gtest.h>

#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

TEST(AwsSessionTest, TransportsTakeTheSessionsAttemptsAndBackoffCap) {
  MemEnv env;
  env.SetVar("AWS_EC2_METADATA_DISABLED", "true");
  AwsSessionOptions options;
  options.region = "eu-west-1";
  options.max_attempts = 3;
  options.max_backoff = std::chrono::milliseconds(500);
  auto session = AwsSession::Create(&env, std::make_unique<FakeHttpClient>(), options);
  ASSERT_TRUE(session.ok()) << session.status().message();
  for (AwsService service : {AwsService::kS3, AwsService::kAutoScaling, AwsService::kSqs}) {
    auto transport = (*session)->Transport(service);
    ASSERT_TRUE(transport.ok()) << transport.status().message();
    EXPECT_EQ((*transport)->options().max_attempts, 3);
    EXPECT_EQ((*transport)->options().backoff.cap, std::chrono::milliseconds(500));
    EXPECT_EQ((*transport)->options().region, "eu-west-1");
  }
  env.SetVar("AWS_REGION", "us-west-2");
  auto plain = AwsSession::Create(&env, std::make_unique<FakeHttpClient>(), {});
  ASSERT_TRUE(plain.ok());
  auto transport = (*plain)->Transport(AwsService::kS3);
  ASSERT_TRUE(transport.ok()) << transport.status().message();
  EXPECT_EQ((*transport)->options().backoff.cap, BackoffPolicy{}.cap);
}

TEST(AwsSessionTest, OnlyS3IsSignedByS3sOwnRules) {
  AwsTransportOptions s3 = TransportOptionsFor(AwsService::kS3, "eu-west-1");
  EXPECT_EQ(s3.service, "s3");
  EXPECT_EQ(s3.region, "eu-west-1");
  EXPECT_TRUE(s3.s3_signing);
  AwsTransportOptions asg = TransportOptionsFor(AwsService::kAutoScaling, "eu-west-1");
  EXPECT_EQ(asg.service, "autoscaling");
  EXPECT_FALSE(asg.s3_signing);
}

}  // namespace
}  // namespace lifeboat
