#include "events/rule_set.h"

#include <gtest/gtest.h>

#include <random>

namespace lifeboat {
namespace {

EventPattern Compile(const std::string& json) {
  auto pattern = EventPattern::Compile(json);
  EXPECT_TRUE(pattern.ok()) << json << ": " << pattern.status().message();
  return std::move(*pattern);
}

std::vector<std::string> Names(const std::vector<std::string_view>& views) {
  return std::vector<std::string>(views.begin(), views.end());
}

TEST(RuleSetTest, ReturnsEveryMatchingRuleInPutOrder) {
  RuleSet rules;
  rules.Put("terminate",
            Compile(R"({"detail-type": ["EC2 Instance-terminate Lifecycle Action"]})"));
  rules.Put("autoscaling", Compile(R"({"source": ["aws.autoscaling"]})"));
  rules.Put("ec2", Compile(R"({"source": ["aws.ec2"]})"));
  rules.Put("any-group", Compile(R"({"detail": {"AutoScalingGroupName": [{"prefix": "web-"}]}})"));
  auto names = rules.MatchJson(
      R"({"source": "aws.autoscaling", "detail-type": "EC2 Instance-terminate Lifecycle Action",
                                   "detail": {"AutoScalingGroupName": "web-1"}})");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(Names(*names), (std::vector<std::string>{"terminate", "autoscaling", "any-group"}));
}

TEST(RuleSetTest, MatchesInPlaceWithPaddingAndByCopyWithout) {
  RuleSet rules;
  rules.Put("autoscaling", Compile(R"({"source": ["aws.autoscaling"]})"));
  rules.Put("group", Compile(R"({"detail": {"AutoScalingGroupName": [{"prefix": "web-"}]}})"));
  const std::string text =
      R"({"source": "aws.autoscaling", "detail": {"AutoScalingGroupName": "web-1"}})";
  std::string padded = text;
  padded.reserve(text.size() + 64);
  std::string tight = text;
  tight.shrink_to_fit();
  std::vector<std::string_view> names;
  for (const std::string* json : {&padded, &tight}) {
    ASSERT_TRUE(rules.MatchJsonInPlace(*json, names).ok());
    EXPECT_EQ(Names(names), (std::vector<std::string>{"autoscaling", "group"}));
  }
  // Parsed where it lies: what follows the text in the spare capacity is never read as JSON.
  std::string truncated = text.substr(0, text.size() - 1);
  truncated.reserve(text.size() + 64);
  EXPECT_FALSE(rules.MatchJsonInPlace(truncated, names).ok());
}

TEST(RuleSetTest, PutReplacesARuleOfTheSameName) {
  RuleSet rules;
  rules.Put("r", Compile(R"({"source": ["a"]})"));
  rules.Put("s", Compile(R"({"source": ["b"]})"));
  rules.Put("r", Compile(R"({"source": ["b"]})"));
  EXPECT_EQ(rules.size(), 2u);
  EXPECT_EQ(Names(*rules.MatchJson(R"({"source": "a"})")), std::vector<std::string>{});
  EXPECT_EQ(Names(*rules.MatchJson(R"({"source": "b"})")), (std::vector<std::string>{"r", "s"}));
}

TEST(RuleSetTest, RulesWithOnlyAbsentFieldsAreAlwaysChecked) {
  RuleSet rules;
  rules.Put("no-detail-state", Compile(R"({"detail": {"state": [{"exists": false}]}})"));
  EXPECT_EQ(Names(*rules.MatchJson(R"({"source": "x"})")),
            std::vector<std::string>{"no-detail-state"});
  EXPECT_EQ(Names(*rules.MatchJson(R"({"detail": {"state": "on"}})")), std::vector<std::string>{});
}

TEST(RuleSetTest, SharedValuesAndManyFields) {
  RuleSet rules;
  std::string wide = R"({"source": ["s"])";
  for (int i = 0; i < 70; ++i)
    wide += ", \"f" + std::to_string(i) + "\": [" + std::to_string(i) + "]";
  wide += "}";
  rules.Put("wide", Compile(wide));  // more fields than the candidate bitmask holds
  std::string event = R"({"source": "s")";
  for (int i = 0; i < 70; ++i) event += ", \"f" + std::to_string(i) + "\": " + std::to_string(i);
  EXPECT_EQ(Names(*rules.MatchJson(event + "}")), std::vector<std::string>{"wide"});
  EXPECT_EQ(Names(*rules.MatchJson(event + R"(, "f69": 0})")).size(),
            1u);  // a repeated key adds a value
  std::string missing_last = event.substr(0, event.rfind(", \"f69\"")) + "}";
  EXPECT_EQ(Names(*rules.MatchJson(missing_last)), std::vector<std::string>{});
}

TEST(RuleSetTest, RefusesMalformedEvents) {
  RuleSet rules;
  rules.Put("r", Compile(R"({"source": ["a"]})"));
  EXPECT_FALSE(rules.MatchJson("[]").ok());
  EXPECT_FALSE(rules.MatchJson(R"({"source": )").ok());
}

// 100 rules of every kind against generated events: the indexed RuleSet must agree with
// matching each pattern on its own.
TEST(RuleSetTest, AgreesWithEachPatternAlone) {
  std::mt19937 random(7);
  auto pick = [&](std::vector<std::string> options) { return options[random() % options.size()]; };
  const std::vector<std::string> sources = {"aws.ec2", "aws.autoscaling", "aws.s3", "custom.app"};
  const std::vector<std::string> states = {"running", "pending", "stopped", "terminated",
                                           "RUNNING"};
  std::vector<std::string> patterns;
  for (int i = 0; i < 100; ++i) {
    std::string value;
    switch (i % 10) {
      case 0:
        value = R"({"source": [")" + pick(sources) + R"("]})";
        break;
      case 1:
        value = R"({"detail": {"state": [{"prefix": ")" + pick(states).substr(0, 3) + R"("}]}})";
        break;
      case 2:
        value = R"({"detail": {"state": [{"suffix": "ing"}], "n": [{"numeric": [">", )" +
                std::to_string(i) + "]}]}}";
        break;
      case 3:
        value = R"({"detail": {"state": [{"equals-ignore-case": "running"}]}})";
        break;
      case 4:
        value = R"({"detail": {"ip": [{"cidr": "10.)" + std::to_string(i % 4) + R"(.0.0/16"}]}})";
        break;
      case 5:
        value = R"({"detail": {"state": [{"anything-but": [")" + pick(states) + R"("]}]}})";
        break;
      case 6:
        value = R"({"detail": {"items": {"k": [")" + pick(states) +
                R"("], "v": [{"numeric": ["<", 50]}]}}})";
        break;
      case 7:
        value = R"({"$or": [{"source": [")" + pick(sources) + R"("]}, {"detail": {"n": [)" +
                std::to_string(i) + "]}}]}";
        break;
      case 8:
        value = R"({"detail": {"gone": [{"exists": false}], "state": [{"wildcard": "*n*"}]}})";
        break;
      default:
        value =
            R"({"source": [")" + pick(sources) + R"("], "detail": {"n": [{"anything-but": 3}]}})";
        break;
    }
    patterns.push_back(value);
  }
  RuleSet rules;
  std::vector<EventPattern> compiled;
  for (size_t i = 0; i < patterns.size(); ++i) {
    compiled.push_back(Compile(patterns[i]));
    rules.Put("rule" + std::to_string(i), compiled.back());
  }
  for (int e = 0; e < 300; ++e) {
    std::string items = "[";
    for (int k = 0; k < static_cast<int>(random() % 3); ++k) {
      items += (k ? ", " : "") + std::string(R"({"k": ")") + pick(states) + R"(", "v": )" +
               std::to_string(random() % 100) + "}";
    }
    items += "]";
    std::string json = R"({"source": ")" + pick(sources) + R"(", "detail": {"state": ")" +
                       pick(states) + R"(", "n": )" + std::to_string(random() % 100) +
                       R"(, "ip": "10.)" + std::to_string(random() % 5) +
                       ".1.2\", \"items\": " + items + (random() % 2 ? R"(, "gone": 1)" : "") +
                       "}}";
    auto event = Event::Parse(json);
    ASSERT_TRUE(event.ok()) << json;
    std::vector<std::string> expected;
    for (size_t i = 0; i < compiled.size(); ++i) {
      if (compiled[i].Matches(*event)) expected.push_back("rule" + std::to_string(i));
    }
    EXPECT_EQ(Names(rules.Match(*event)), expected) << json;
    EXPECT_EQ(Names(*rules.MatchJson(json)), expected) << json;
  }
}

}  // namespace
}  // namespace lifeboat
