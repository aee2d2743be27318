// Test helpers for the pattern tables: every (pattern, event, expected) case is checked
// through all three entry points, EventPattern::Matches, RuleSet::Match and
// RuleSet::MatchJson, which must agree.
#ifndef LIFEBOAT_EVENTS_MATCH_TEST_UTIL_H_
#define LIFEBOAT_EVENTS_MATCH_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "events/event.h"
#include "events/event_pattern.h"
#include "events/rule_set.h"

namespace lifeboat {

struct MatchCase {
  const char* source;  // the documentation the case comes from
  std::string pattern;
  std::string event;
  bool matches;
};

inline void PrintTo(const MatchCase& c, std::ostream* os) {
  *os << c.source << ": pattern " << c.pattern << " event " << c.event;
}

inline void ExpectMatchCase(const MatchCase& c) {
  auto pattern = EventPattern::Compile(c.pattern);
  ASSERT_TRUE(pattern.ok()) << c.source << ": " << pattern.status().message();
  auto event = Event::Parse(c.event);
  ASSERT_TRUE(event.ok()) << c.source << ": " << event.status().message();
  EXPECT_EQ(pattern->Matches(*event), c.matches)
      << c.source << "\npattern: " << c.pattern << "\nevent: " << c.event;

  RuleSet rules;
  rules.Put("other", *EventPattern::Compile(R"({"never-in-any-event": ["x"]})"));
  rules.Put("rule", *pattern);
  auto names = rules.Match(*event);
  EXPECT_EQ(names.size() == 1 && names[0] == "rule", c.matches) << c.source << " (RuleSet::Match)";
  auto from_json = rules.MatchJson(c.event);
  ASSERT_TRUE(from_json.ok()) << from_json.status().message();
  EXPECT_EQ(from_json->size() == 1 && (*from_json)[0] == "rule", c.matches)
      << c.source << " (RuleSet::MatchJson)";
}

}  // namespace lifeboat

#endif  // LIFEBOAT_EVENTS_MATCH_TEST_UTIL_H_
