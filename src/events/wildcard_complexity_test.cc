// The wildcard complexity measure against the values aws/event-ruler pins for rules built
// with Machine.addRule (src/test/.../MachineComplexityEvaluatorCorpus.java), and against the
// rules EventBridge accepts and refuses (the user guide's wildcard examples).
#include "events/wildcard_complexity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/event_pattern.h"

namespace lifeboat::events_internal {
namespace {

constexpr int kUncapped = 1'000'000;

// Complexity of one field holding `values`: as plain wildcards, or as one anything-but set.
int Complexity(const std::vector<std::string>& values, bool anything_but = false,
               int cap = kUncapped) {
  std::vector<Wildcard> parsed;
  for (const std::string& v : values) parsed.push_back(*Wildcard::Parse(v));
  std::vector<WildcardPattern> patterns;
  if (anything_but) patterns.push_back({true, {}});
  for (const Wildcard& w : parsed) {
    if (anything_but) {
      patterns.back().values.push_back(&w);
    } else {
      patterns.push_back({false, {&w}});
    }
  }
  return WildcardComplexity(patterns, cap);
}

std::string MultiStar(int repeats) {
  std::string s;
  for (int i = 0; i < repeats; ++i) s += "*a";
  return s + "*";
}

std::vector<std::string> LeadingStarSet(int n) {
  std::vector<std::string> values;
  for (int i = 0; i < n; ++i) values.push_back({'*', char('a' + i % 26), char('a' + i / 26), '*'});
  return values;
}

TEST(WildcardComplexityTest, MatchesEventRulersPinnedValues) {
  EXPECT_EQ(Complexity({"abc"}), 1);  // no star: one path
  EXPECT_EQ(Complexity(LeadingStarSet(4)), 12);
  EXPECT_EQ(Complexity(LeadingStarSet(8)), 24);
  EXPECT_EQ(Complexity({"*kiwi*", "*BASE_QuxB*", "*Delta*", "*a/example-lake-abc98765432*"}), 12);
  EXPECT_EQ(Complexity({MultiStar(50)}), 101);
  EXPECT_EQ(
      Complexity({"aahed*", "aal*ii", "aargh*", "aarti*", "a*baca", "*abaci", "a*back", "ab*acs",
                  "abaf*t", "*abaka", "ab*amp", "a*band", "*abase", "abash*", "abas*k", "ab*ate",
                  "aba*ya", "abbas*", "abbed*", "ab*bes", "abbey*", "*abbot", "ab*cee", "abea*m",
                  "abe*ar", "a*bele", "a*bers", "abet*s", "*abhor", "abi*de", "a*bies", "*abled"}),
      45);
}

TEST(WildcardComplexityTest, EqualPatternsCountOnce) {
  EXPECT_EQ(Complexity({"*:stack/A/*", "*:stack/A/*", "*:stack/A/*", "*:stack/A/*"}),
            Complexity({"*:stack/A/*"}));
}

TEST(WildcardComplexityTest, StopsAtTheCap) {
  EXPECT_EQ(Complexity(LeadingStarSet(8), false, kMaxWildcardComplexity + 1),
            kMaxWildcardComplexity + 1);
}

bool TooComplex(const std::string& pattern) {
  auto compiled = EventPattern::Compile(pattern);
  return !compiled.ok() && compiled.status().message() == kTooComplexMessage;
}

// The user guide's wildcard section (docs.aws.amazon.com/eventbridge/latest/userguide/
// eb-create-pattern-operators.html#eb-filtering-wildcard-matching-complexity): a rule with
// many stars refused, the simplified one accepted; repeated characters after a star raise the
// complexity, but this one is still accepted.
TEST(WildcardComplexityTest, RefusesWhatEventBridgeRefuses) {
  EXPECT_TRUE(TooComplex(R"({"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]})"));
  EXPECT_FALSE(
      TooComplex(R"({"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]})"));
  EXPECT_FALSE(
      TooComplex(R"({"FileName": [{"wildcard": "/Users/*/dir/dir/dir/dir/dir/doc.txt"}]})"));
  EXPECT_FALSE(TooComplex(R"({"FileName": [{"wildcard": "/Users/*/doc.txt"}]})"));
  // Four "*:stack/<name>/*" values on one field were refused by EventBridge
  // (three accepted: CompileTest.ThreeStackWildcardsAreNotTooComplex).
  EXPECT_TRUE(TooComplex(R"({"detail": {"stack-id": [{"wildcard": "*:stack/A/*"},
      {"wildcard": "*:stack/B/*"}, {"wildcard": "*:stack/C/*"}, {"wildcard": "*:stack/D/*"}]}})"));
  // Fields are measured apart: three values on each of two fields is fine.
  EXPECT_FALSE(TooComplex(R"({"a": [{"wildcard": "*:s/A/*"}, {"wildcard": "*:s/B/*"},
      {"wildcard": "*:s/C/*"}], "b": [{"wildcard": "*:s/A/*"}, {"wildcard": "*:s/B/*"},
      {"wildcard": "*:s/C/*"}]})"));
}

}  // namespace
}  // namespace lifeboat::events_internal
