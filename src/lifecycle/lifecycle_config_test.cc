#include "lifecycle/lifecycle_config.h"

#include <gtest/gtest.h>

#include "agent/agent_config.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Result<AgentConfig> Parse(const std::string& lifecycle) {
  auto root = ConfigNode::Parse("agent.yaml",
                                "destination: s3://logs/fleet\n"
                                "sources:\n"
                                "  - path: /var/log/app.log\n" +
                                    lifecycle);
  if (!root.ok()) return root.status();
  return ParseAgentConfig(*root, ConfigUse::kAgent);
}

std::string ErrorOf(const std::string& lifecycle) {
  auto c = Parse(lifecycle);
  EXPECT_FALSE(c.ok()) << lifecycle;
  return c.ok() ? "" : c.status().message();
}

TEST(LifecycleConfigTest, WithoutTheSectionNothingIsWatched) {
  auto c = Parse("");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_FALSE(c->lifecycle.enabled);
}

TEST(LifecycleConfigTest, AnEmptySectionWatchesImdsWithTheDefaults) {
  auto c = Parse("lifecycle: {}\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const LifecycleConfig& l = c->lifecycle;
  EXPECT_TRUE(l.enabled);
  EXPECT_EQ(l.group, "auto");
  EXPECT_EQ(l.hook, "auto");
  EXPECT_TRUE(l.imds.lifecycle_state);
  EXPECT_TRUE(l.imds.spot);
  EXPECT_TRUE(l.imds.rebalance);
  EXPECT_EQ(l.imds.interval, seconds(5));
  EXPECT_EQ(l.sqs_queue_url, "");
  EXPECT_EQ(l.keeper.on_failure, "ABANDON");
  EXPECT_EQ(l.keeper.heartbeat.interval, milliseconds(0));
  EXPECT_EQ(l.keeper.heartbeat.stall_timeout, std::chrono::minutes(15));
  EXPECT_EQ(l.warm_pool, WarmPoolAction::kFlush);
  EXPECT_EQ(l.pre_stop_timeout, seconds(60));
  EXPECT_EQ(l.time_scale, 1.0);
}

TEST(LifecycleConfigTest, ReadsEveryKey) {
  auto c = Parse(
      "lifecycle:\n"
      "  group: web\n"
      "  hook: lifeboat\n"
      "  watch: {imds: false, imds_interval: 250ms, spot: false, rebalance: true,\n"
      "          sqs_queue_url: 'https://sqs.us-east-1.amazonaws.com/1/lifecycle'}\n"
      "  pre_stop: ['systemctl stop php-fpm', 'sleep 1']\n"
      "  pre_stop_timeout: 30s\n"
      "  on_failure: continue\n"
      "  warm_pool: evacuate\n"
      "  heartbeat_interval: 20s\n"
      "  stall_timeout: 0\n"
      "  time_scale: 60\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const LifecycleConfig& l = c->lifecycle;
  EXPECT_EQ(l.group, "web");
  EXPECT_EQ(l.hook, "lifeboat");
  EXPECT_FALSE(l.imds.lifecycle_state);
  EXPECT_FALSE(l.imds.spot);
  EXPECT_TRUE(l.imds.rebalance);
  EXPECT_EQ(l.imds.interval, milliseconds(250));
  EXPECT_EQ(l.sqs_queue_url, "https://sqs.us-east-1.amazonaws.com/1/lifecycle");
  EXPECT_EQ(l.pre_stop, (std::vector<std::string>{"systemctl stop php-fpm", "sleep 1"}));
  EXPECT_EQ(l.pre_stop_timeout, seconds(30));
  EXPECT_EQ(l.keeper.on_failure, "CONTINUE");
  EXPECT_EQ(l.warm_pool, WarmPoolAction::kEvacuate);
  EXPECT_EQ(l.keeper.heartbeat.interval, seconds(20));
  EXPECT_EQ(l.keeper.heartbeat.stall_timeout, milliseconds(0));
  EXPECT_EQ(l.time_scale, 60.0);
}

TEST(LifecycleConfigTest, BadValuesNameTheKeyAndLine) {
  EXPECT_NE(ErrorOf("lifecycle: {on_failure: retry}\n").find("agent.yaml:4"), std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {on_failure: retry}\n").find("CONTINUE or ABANDON"),
            std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {warm_pool: park}\n").find("flush, evacuate or ignore"),
            std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {time_scale: 0}\n").find("above 0"), std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {time_scale: fast}\n").find("time_scale"), std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {watch: {imds_interval: 0}}\n").find("longer than 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {watch: {sqs_queue_url: lifecycle}}\n").find("queue URL"),
            std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {watch: {imds: sometimes}}\n").find("imds"), std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {hook: ''}\n").find("hook"), std::string::npos);
  EXPECT_NE(ErrorOf("lifecycle: {heartbeat_intervall: 5s}\n").find("unknown"), std::string::npos);
}

TEST(LifecycleConfigTest, TimeScaleAcceptsFractions) {
  auto scale = ParseTimeScale("0.5", "x");
  ASSERT_TRUE(scale.ok());
  EXPECT_EQ(*scale, 0.5);
  EXPECT_FALSE(ParseTimeScale("-1", "x").ok());
  EXPECT_FALSE(ParseTimeScale("1e400", "x").ok());
  EXPECT_FALSE(ParseTimeScale("", "x").ok());
}

}  // namespace
}  // namespace lifeboat
