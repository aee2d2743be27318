#include "agent/agent_config.h"

#include <gtest/gtest.h>

#include "common/env.h"
#include "ship/evacuation.h"

namespace lifeboat {
namespace {

Result<AgentConfig> Parse(const std::string& text, ConfigUse use = ConfigUse::kAgent) {
  auto root = ConfigNode::Parse("agent.yaml", text);
  if (!root.ok()) return root.status();
  return ParseAgentConfig(*root, use);
}

std::string MessageOf(const Result<AgentConfig>& c) {
  return c.ok() ? "(parsed)" : c.status().message();
}

constexpr const char* kMinimal =
    "destination: s3://logs/fleet\n"
    "sources:\n"
    "  - path: /var/log/nginx/*.log\n";

TEST(AgentConfigTest, ReadsEveryDocumentedKey) {
  auto c = Parse(
      "destination: s3://logs/fleet\n"
      "instance_id: auto\n"
      "endpoint_url: http://127.0.0.1:4566\n"
      "sources:\n"
      "  - path: /var/log/nginx/*.log\n"
      "    exclude: [\"*.gz\"]\n"
      "  - path: /var/log/nginx/*.log.*\n"
      "compression: {codec: gzip, level: 9}\n"
      "flush: {max_bytes: 8MiB, max_age: 5s}\n"
      "state_dir: /var/lib/lifeboat\n"
      "metrics: {listen: 127.0.0.1:9799}\n"
      "parallel: 3\n"
      "rotate_wait: 2s\n"
      "max_open_files: 10\n"
      "retry: {max_backoff: 10s}\n"
      "storage_class: STANDARD_IA\n"
      "sse: {mode: aws:kms, kms_key_id: alias/logs}\n"
      "log: {format: json, level: debug}\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->destination, "s3://logs/fleet");
  EXPECT_EQ(c->instance_id, "") << "auto means: ask IMDS";
  EXPECT_EQ(c->endpoint_url, "http://127.0.0.1:4566");
  ASSERT_EQ(c->sources.size(), 2u);
  EXPECT_EQ(c->sources[0].pattern, "/var/log/nginx/*.log");
  EXPECT_EQ(c->sources[0].exclude, std::vector<std::string>{"*.gz"});
  EXPECT_EQ(c->codec, Codec::kGzip);
  EXPECT_EQ(c->level, 9);
  EXPECT_EQ(c->flush_max_bytes, uint64_t{8} << 20);
  EXPECT_EQ(c->flush_max_age, std::chrono::seconds(5));
  EXPECT_EQ(c->metrics_listen, "127.0.0.1:9799");
  EXPECT_EQ(c->parallel, 3);
  EXPECT_EQ(c->rotate_wait, std::chrono::seconds(2));
  EXPECT_EQ(c->max_open_files, 10);
  EXPECT_EQ(c->retry_max_backoff, std::chrono::seconds(10));
  EXPECT_EQ(c->s3_attributes.storage_class, "STANDARD_IA");
  EXPECT_EQ(c->s3_attributes.encryption, S3Encryption::kKms);
  EXPECT_EQ(c->s3_attributes.kms_key_id, "alias/logs");
  EXPECT_EQ(c->log_format, "json");
  EXPECT_EQ(c->log_level, "debug");
}

TEST(AgentConfigTest, TheShippedConfigurationIsValid) {
  auto root = ConfigNode::Load(*Env::Default(), LIFEBOAT_SOURCE_DIR "/deploy/config/agent.yaml");
  ASSERT_TRUE(root.ok()) << root.status().message();
  auto c = ParseAgentConfig(*root, ConfigUse::kAgent);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->lifecycle.enabled);
  EXPECT_TRUE(c->lifecycle.imds.lifecycle_state);
  EXPECT_EQ(c->lifecycle.keeper.on_failure, "ABANDON");
}

// The defaults cut for cost (the README prices them): 8 MiB or an hour, a manifest
// update at most every 15 minutes.
TEST(AgentConfigTest, DefaultsAreZstd3AndEightMiBOrAnHour) {
  auto c = Parse(kMinimal);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->codec, Codec::kZstd);
  EXPECT_EQ(c->level, 3);
  EXPECT_EQ(c->flush_max_bytes, uint64_t{8} << 20);
  EXPECT_EQ(c->flush_max_age, std::chrono::hours(1));
  EXPECT_EQ(c->manifest_interval, std::chrono::minutes(15));
  EXPECT_EQ(c->rescan_interval, std::chrono::seconds(10));
  EXPECT_EQ(c->state_dir, "/var/lib/lifeboat");
}

TEST(AgentConfigTest, WithoutStorageClassOrSseTheBucketDecides) {
  auto c = Parse(kMinimal);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->s3_attributes.storage_class, "");
  EXPECT_EQ(c->s3_attributes.encryption, S3Encryption::kBucketDefault);
  auto s3 = Parse(std::string(kMinimal) + "sse: {mode: AES256}\n");
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->s3_attributes.encryption, S3Encryption::kS3);
}

TEST(AgentConfigTest, AnSseSectionNeedsAKnownModeAndAKeyOnlyWithKms) {
  const std::pair<const char*, const char*> cases[] = {
      {"sse: {mode: aes256}\n", "mode 'aes256': expected AES256 or aws:kms"},
      {"sse: {kms_key_id: alias/logs}\n", "sse needs a mode"},
      {"sse: {mode: AES256, kms_key_id: alias/logs}\n", "kms_key_id needs mode aws:kms"},
      {"sse: {mode: aws:kms, key: alias/logs}\n", "unknown key 'sse.key'"},
      {"storage_class: DEEP_ARCHIVE\n", "storage_class 'DEEP_ARCHIVE': objects need a restore"},
  };
  for (const auto& [bad, fragment] : cases) {
    auto c = Parse(std::string(kMinimal) + bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.status().message().find("agent.yaml:4"), std::string::npos) << MessageOf(c);
    EXPECT_NE(c.status().message().find(fragment), std::string::npos) << MessageOf(c);
  }
}

// evacuate reads the agent's file: the same keys, checked the same way, but the
// destination and sources may come from its flags, and what the file leaves out is
// evacuate's default, not the agent's.
TEST(AgentConfigTest, ForEvacuateDestinationAndSourcesAreOptional) {
  EXPECT_TRUE(Parse("instance_id: i-1\n", ConfigUse::kEvacuate).ok());
  EXPECT_FALSE(Parse("instance_id: i-1\n", ConfigUse::kAgent).ok());
  auto c = Parse("destination: file:///logs\n", ConfigUse::kEvacuate);
  ASSERT_TRUE(c.ok()) << MessageOf(c);
  EXPECT_TRUE(c->sources.empty());
  EXPECT_FALSE(Parse("destination: ftp://x\n", ConfigUse::kEvacuate).ok())
      << "a destination given is still checked";
}

TEST(AgentConfigTest, ForEvacuateWhatTheFileLeavesOutIsEvacuatesDefault) {
  auto c = Parse(kMinimal, ConfigUse::kEvacuate);
  ASSERT_TRUE(c.ok()) << MessageOf(c);
  EXPECT_EQ(c->codec, Codec::kZstd);
  EXPECT_EQ(c->level, EvacuationDefaultLevel(Codec::kZstd));
  EXPECT_EQ(c->level, 1);
  EXPECT_EQ(c->parallel, EvacuationDefaultParallel());
  auto zstd = Parse(std::string(kMinimal) + "compression: {codec: zstd}\n", ConfigUse::kEvacuate);
  ASSERT_TRUE(zstd.ok()) << MessageOf(zstd);
  EXPECT_EQ(zstd->level, 1);
  auto set = Parse(std::string(kMinimal) + "compression: {codec: zstd, level: 3}\nparallel: 2\n",
                   ConfigUse::kEvacuate);
  ASSERT_TRUE(set.ok()) << MessageOf(set);
  EXPECT_EQ(set->level, 3) << "what the file says wins over the default";
  EXPECT_EQ(set->parallel, 2);
  EXPECT_EQ(DefaultAgentConfig(ConfigUse::kEvacuate).level, 1);
  EXPECT_EQ(DefaultAgentConfig(ConfigUse::kAgent).level, 3);
  EXPECT_EQ(DefaultAgentConfig(ConfigUse::kAgent).parallel, 2);
}

TEST(AgentConfigTest, ForEvacuateTheAgentsOwnKeysAreCheckedToo) {
  auto shipped = ConfigNode::Load(*Env::Default(), LIFEBOAT_SOURCE_DIR "/deploy/config/agent.yaml");
  ASSERT_TRUE(shipped.ok()) << shipped.status().message();
  auto c = ParseAgentConfig(*shipped, ConfigUse::kEvacuate);
  ASSERT_TRUE(c.ok()) << MessageOf(c);
  EXPECT_EQ(c->level, 3) << "the shipped file sets zstd level 3";
  for (const std::string bad :
       {"flush: {max_bytes: lots}\n", "flush: {max_agee: 5s}\n", "lifecycle: {on_failure: MAYBE}\n",
        "compresion: {codec: gzip}\n"}) {
    auto r = Parse(std::string(kMinimal) + bad, ConfigUse::kEvacuate);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("agent.yaml:4"), std::string::npos) << MessageOf(r);
  }
}

TEST(AgentConfigTest, UnknownKeyNamesFileAndLine) {
  auto c = Parse(std::string(kMinimal) + "flush: {max_bytes: 1MiB, max_agee: 5s}\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("agent.yaml:4"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("max_agee"), std::string::npos) << c.status().message();
}

TEST(AgentConfigTest, WrongTypesAndValuesAreErrorsWithTheLine) {
  for (const std::string bad : {"parallel: many\n", "flush: {max_bytes: lots}\n",
                                "compression: {codec: lz4}\n", "compression: {level: 99}\n",
                                "flush: {max_bytes: 10}\n", "log: {format: xml}\n",
                                "rotate_wait: 0s\n"}) {
    auto c = Parse(std::string(kMinimal) + bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.status().message().find("agent.yaml:4"), std::string::npos)
        << bad << " -> " << c.status().message();
  }
}

TEST(AgentConfigTest, NeedsADestinationAndAbsoluteSources) {
  EXPECT_FALSE(Parse("sources:\n  - path: /x/*.log\n").ok());
  EXPECT_FALSE(Parse("destination: ftp://x\nsources:\n  - path: /x/*.log\n").ok());
  EXPECT_FALSE(Parse("destination: s3://logs\nsources: []\n").ok());
  auto relative = Parse("destination: s3://logs\nsources:\n  - path: logs/*.log\n");
  ASSERT_FALSE(relative.ok());
  EXPECT_NE(relative.status().message().find("absolute"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat
