#include "local/ssm/ssm_output.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(SsmOutputTest, StandardOutputKeepsTheFirst24000Bytes) {
  EXPECT_EQ(SsmOutputPrefix("short", kSsmStdoutLimit), "short");
  const std::string fits(kSsmStdoutLimit - 1, 'a');
  EXPECT_EQ(SsmOutputPrefix(fits, kSsmStdoutLimit), fits);
  const std::string big = std::string(30000, 'b');
  const std::string kept = SsmOutputPrefix(big, kSsmStdoutLimit);
  EXPECT_EQ(kept.size(), kSsmStdoutLimit);
  EXPECT_EQ(kept, std::string(kSsmStdoutLimit - 20, 'b') + "--output truncated--");
  // The agent cannot tell "exactly the limit" from "more": it marks it truncated too.
  EXPECT_EQ(SsmOutputPrefix(std::string(kSsmStdoutLimit, 'c'), kSsmStdoutLimit).substr(23980),
            "--output truncated--");
  EXPECT_EQ(SsmOutputPrefix(std::string(9000, 'e'), kSsmStderrLimit).size(), kSsmStderrLimit);
}

TEST(SsmOutputTest, PluginOutputJoinsStdoutAndStderrWithinCapacity) {
  EXPECT_EQ(SsmPluginOutput("out", ""), "out");
  EXPECT_EQ(SsmPluginOutput("out", "err"), "out\n----------ERROR-------\nerr");

  // Long stdout, short stderr: stdout is cut, the whole stderr stays.
  std::string out = SsmPluginOutput(std::string(5000, 'o'), "boom");
  EXPECT_EQ(out.size(), kSsmPluginOutputLimit);
  EXPECT_NE(out.find("\n---Output truncated---\n----------ERROR-------\nboom"), std::string::npos);

  // Short stdout, long stderr: stderr is cut.
  out = SsmPluginOutput("ok", std::string(5000, 'e'));
  EXPECT_EQ(out.size(), kSsmPluginOutputLimit);
  EXPECT_TRUE(out.starts_with("ok\n----------ERROR-------\neee"));
  EXPECT_TRUE(out.ends_with("\n---Error truncated----"));

  // Both long: half each.
  out = SsmPluginOutput(std::string(5000, 'o'), std::string(5000, 'e'));
  EXPECT_LE(out.size(), kSsmPluginOutputLimit);
  EXPECT_NE(out.find("---Output truncated---"), std::string::npos);
  EXPECT_TRUE(out.ends_with("---Error truncated----"));

  // Without stderr the whole capacity is stdout's.
  out = SsmPluginOutput(std::string(5000, 'o'), "");
  EXPECT_EQ(out.size(), kSsmPluginOutputLimit);
  EXPECT_TRUE(out.ends_with("\n---Output truncated---"));
}

}  // namespace
}  // namespace lifeboat
