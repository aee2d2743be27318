#include "cli/lifecycle_flags.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "common/units.h"

namespace lifeboat {
namespace {

// Parses `args` as evacuate would, then builds the LifecycleConfig.
Result<LifecycleConfig> ConfigFrom(std::vector<std::string> args, std::string* help = nullptr) {
  CLI::App app("evacuate");
  LifecycleFlags flags;
  flags.AddTo(&app);
  args.insert(args.begin(), "evacuate");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  if (help) *help = app.help();
  return flags.ToConfig();
}

// The timeouts' defaults live in LifecycleConfig and HeartbeatOptions only: the flags
// neither repeat nor override them unless given, and --help shows the same values.
TEST(LifecycleFlagsTest, UnsetTimeoutsAreTheConfigDefaultsAndHelpShowsThem) {
  std::string help;
  auto c = ConfigFrom({}, &help);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->pre_stop_timeout, LifecycleConfig{}.pre_stop_timeout);
  EXPECT_EQ(c->keeper.heartbeat.stall_timeout, HeartbeatOptions{}.stall_timeout);
  EXPECT_NE(
      help.find("--pre-stop-timeout TEXT=" + FormatDuration(LifecycleConfig{}.pre_stop_timeout)),
      std::string::npos)
      << help;
  EXPECT_NE(help.find("--stall-timeout TEXT=" + FormatDuration(HeartbeatOptions{}.stall_timeout)),
            std::string::npos)
      << help;
}

TEST(LifecycleFlagsTest, GivenTimeoutsWinAndAZeroPreStopTimeoutIsRefused) {
  auto c = ConfigFrom({"--pre-stop-timeout", "5s", "--stall-timeout", "0"});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->pre_stop_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c->keeper.heartbeat.stall_timeout.count(), 0);  // never give up

  auto zero = ConfigFrom({"--pre-stop-timeout", "0"});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().message(), "--pre-stop-timeout must be longer than 0");
  auto bad = ConfigFrom({"--stall-timeout", "soon"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--stall-timeout"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace lifeboat
