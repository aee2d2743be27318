#include "common/config_file.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

constexpr char kAgent[] = R"(destination: s3://logs/fleet
instance_id: auto
sources:
  - path: /var/log/nginx/*.log
    exclude: ["*.gz"]
  - path: /var/log/app.log
compression: {codec: zstd, level: 3}
flush: {max_bytes: 8MiB, max_age: 5s}
)";

TEST(ConfigFileTest, ReadsTypedValuesAndSections) {
  auto c = ConfigNode::Parse("agent.yaml", kAgent);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(**c->String("destination"), "s3://logs/fleet");
  auto sources = **c->SectionList("sources");
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(**sources[0].String("path"), "/var/log/nginx/*.log");
  EXPECT_EQ(**sources[0].StringList("exclude"), std::vector<std::string>{"*.gz"});
  EXPECT_FALSE(sources[1].StringList("exclude")->has_value());
  auto compression = **c->Section("compression");
  EXPECT_EQ(**compression.Int("level"), 3);
  EXPECT_EQ(**compression.String("codec"), "zstd");
  auto flush = **c->Section("flush");
  EXPECT_EQ(**flush.ByteSize("max_bytes"), 8u << 20);
  EXPECT_EQ((**flush.Duration("max_age")).count(), 5000);
  EXPECT_FALSE(c->String("endpoint_url")->has_value());
  c->String("instance_id").value();
  EXPECT_TRUE(c->CheckKnown().ok()) << c->CheckKnown().ToString();
}

TEST(ConfigFileTest, UnknownKeysAreReportedWithFileAndLine) {
  auto c = ConfigNode::Parse("agent.yaml", "destination: s3://a/b\ncompresion: {codec: zstd}\n");
  ASSERT_TRUE(c.ok());
  (void)c->String("destination");
  (void)c->Section("compression");
  EXPECT_EQ(c->CheckKnown().message(), "agent.yaml:2: unknown key 'compresion'");
}

TEST(ConfigFileTest, UnknownNestedKeysAreReported) {
  auto c = ConfigNode::Parse("a.yaml", "flush:\n  max_bytes: 1MiB\n  max_agee: 5s\n");
  ASSERT_TRUE(c.ok());
  auto flush = **c->Section("flush");
  (void)flush.ByteSize("max_bytes");
  (void)flush.Duration("max_age");
  EXPECT_EQ(c->CheckKnown().message(), "a.yaml:3: unknown key 'flush.max_agee'");
}

TEST(ConfigFileTest, WrongTypesNameTheKeyAndLine) {
  auto c = ConfigNode::Parse("a.yaml", "parallel: lots\nsources: /var/log/x\nflush: {max_bytes: 8 parsecs}\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->Int("parallel").status().message(), "a.yaml:1: 'parallel' must be a whole number, not 'lots'");
  EXPECT_EQ(c->SectionList("sources").status().message(), "a.yaml:2: 'sources' must be a list");
  auto flush = **c->Section("flush");
  EXPECT_NE(flush.ByteSize("max_bytes").status().message().find("a.yaml:3: 'flush.max_bytes'"),
            std::string::npos);
}

TEST(ConfigFileTest, SyntaxErrorsHaveALine) {
  auto c = ConfigNode::Parse("a.yaml", "a: b\nc: [unclosed\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("a.yaml:", 0), 0u) << c.status().message();
  EXPECT_FALSE(ConfigNode::Parse("a.yaml", "- just\n- a list\n").ok());
}

}  // namespace
}  // namespace lifeboat
