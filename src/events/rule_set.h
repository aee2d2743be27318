// Many named event patterns, matched together: the names of the rules an event matches.
//
//   RuleSet rules;
//   rules.Put("terminations", *EventPattern::Compile(R"({"detail-type": [...]})"));
//   auto names = rules.MatchJson(event_json);  // parses only the fields rules look at
//
// Every alternative of every rule is indexed by one of its fields, the one whose values the
// fewest other rules share, in per-path hash tables (exact values) and radix trees
// (prefixes, suffixes); other operators are checked one by one. MatchJson walks only the
// parts of the event some rule names, so an event is compared with the few rules its
// values can satisfy, not with every rule; those candidates are then confirmed with the
// full, array-consistent match. Put re-indexes every rule (construct a RuleSet from many
// rules at once).
//
// Const methods may run concurrently (each thread keeps its own scratch space); Put needs
// exclusive access. Returned names point into the RuleSet and stay valid
// until it changes.
#ifndef LIFEBOAT_EVENTS_RULE_SET_H_
#define LIFEBOAT_EVENTS_RULE_SET_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "events/event.h"
#include "events/event_pattern.h"

namespace lifeboat {

class RuleSet {
 public:
  RuleSet();
  // A set of many rules at once (Put one by one re-indexes every time).
  explicit RuleSet(std::vector<std::pair<std::string, EventPattern>> rules);
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Adds the rule `name`, replacing a rule of that name.
  void Put(std::string name, EventPattern pattern);
  size_t size() const;

  // The names of the rules `event` matches, in the order they were first put.
  std::vector<std::string_view> Match(const Event& event) const;
  // The same for event JSON, parsed here; only fields some rule names are read, so a
  // malformed part no rule looks at may go unnoticed (Event::Parse checks everything).
  Result<std::vector<std::string_view>> MatchJson(std::string_view json) const;
  // The same into `names` (cleared first), reusing its capacity: for callers matching
  // streams of events, where a fresh vector per event is a measurable cost.
  Status MatchJson(std::string_view json, std::vector<std::string_view>& names) const;
  // The same, parsing `json` where it lies when its spare capacity holds simdjson's 64
  // bytes of padding (reserve them when building it), instead of copying it first.
  Status MatchJsonInPlace(const std::string& json, std::vector<std::string_view>& names) const;

 private:
  Status MatchParsed(std::string_view json, size_t readable,
                     std::vector<std::string_view>& names) const;
  struct Index;
  void Upsert(std::string name, EventPattern pattern);  // without re-indexing
  void Rebuild();

  struct Rule {
    std::string name;
    std::shared_ptr<const EventPattern> pattern;
  };
  std::vector<Rule> rules_;
  std::unique_ptr<Index> index_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_EVENTS_RULE_SET_H_
