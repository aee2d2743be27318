#include "events/wildcard_complexity.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace lifeboat::events_internal {
namespace {

// A value as event-ruler's wildcard parser reads it: the bytes of the quoted JSON string,
// with kStar for each unescaped '*'.
constexpr int kStar = -1;

std::vector<int> Characters(const Wildcard& w) {
  std::vector<int> chars{'"'};
  for (size_t k = 0; k < w.pieces().size(); ++k) {
    if (k > 0) chars.push_back(kStar);
    for (unsigned char c : w.pieces()[k]) chars.push_back(c);
  }
  chars.push_back('"');
  return chars;
}

std::string Identity(const Wildcard& w) {
  std::string id;
  for (const std::string& piece : w.pieces()) id += std::to_string(piece.size()) + ":" + piece;
  return id;
}

// A byte is the first of a character with an upper and a lower case form. event-ruler asks
// Java; ASCII letters are exact here, and other characters are taken to have case.
bool HasCase(int byte) {
  if (byte < 0x80) return (byte | 0x20) >= 'a' && (byte | 0x20) <= 'z';
  return true;
}

// The states and match transitions event-ruler's ByteMachine builds for wildcard patterns
// (addMatchValue, addEndOfMatch, findOrMakeNextByteState, insertMatch). A transition into a
// state is the state itself, so a node is both. Edges only ever lead to newer nodes or to
// the node itself (a star's loop), which the weights below rely on.
class ByteMachine {
 public:
  ByteMachine() : nodes_(1) {}

  void Add(const std::vector<int>& chars, int pattern) {
    int state = 0;
    int prev = -1;
    size_t i = 0;
    // Walk the existing states as far as they can be shared.
    for (; i + 1 < chars.size(); ++i) {
      int reuse = -1;
      for (int next : Targets(state, chars[i])) {
        if (!nodes_[next].is_match && CanReuse(state, next, chars, i)) {
          reuse = next;
          break;
        }
      }
      if (reuse < 0) break;
      prev = state;
      state = reuse;
    }
    // The rest gets new states: a star loops on every byte, and the character after a star
    // is also reachable from the state before it (the star matching nothing).
    for (; i + 1 < chars.size(); ++i) {
      int next = NewNode(nodes_[state].indeterminate);
      if (chars[i] == kStar) {
        nodes_[next].indeterminate = true;
        nodes_[next].on_any.push_back(next);
        nodes_[state].on_any.push_back(next);
      } else {
        nodes_[state].on_byte[chars[i]].push_back(next);
        if (prev >= 0 && chars[i - 1] == kStar) nodes_[prev].on_byte[chars[i]].push_back(next);
      }
      prev = state;
      state = next;
    }
    const int last = chars.back();  // the closing quote, never a star
    for (int t : Targets(state, last)) {
      if (nodes_[t].is_match && nodes_[t].pattern == pattern) return;
    }
    int match = NewNode(false);
    nodes_[match].is_match = true;
    nodes_[match].pattern = pattern;
    nodes_[state].on_byte[last].push_back(match);
    if (prev >= 0 && chars[chars.size() - 2] == kStar) nodes_[prev].on_byte[last].push_back(match);
  }

  // MachineComplexityEvaluator.evaluate: walk every set of transitions one input can be in
  // at once; a set's size is the patterns reachable from each of its transitions, plus
  // those reachable through the star loop of a state the set leads to but does not hold.
  int Evaluate(int cap) const {
    std::vector<int> weight = Weights();
    std::set<int> bytes;
    for (const Node& n : nodes_) {
      for (const auto& [b, unused] : n.on_byte) bytes.insert(b);
    }
    std::vector<int> alphabet(bytes.begin(), bytes.end());
    for (int b = 0; b < 256; ++b) {
      if (!bytes.contains(b)) {
        alphabet.push_back(b);  // one byte no pattern names stands for all of them
        break;
      }
    }
    std::set<std::vector<int>> seen;
    std::vector<std::vector<int>> pending;
    for (int b : alphabet) pending.push_back(Step({0}, b));
    int worst = 0;
    constexpr size_t kMaxSets = 200'000;  // bounds the walk on pathological input
    while (!pending.empty() && seen.size() < kMaxSets) {
      std::vector<int> set = std::move(pending.back());
      pending.pop_back();
      if (set.empty() || !seen.insert(set).second) continue;
      int size = 0;
      for (int t : set) {
        size += weight[t];
        for (int loop : nodes_[t].on_any) {
          if (!std::binary_search(set.begin(), set.end(), loop)) size += weight[loop];
        }
      }
      if (size >= cap) return cap;
      worst = std::max(worst, size);
      for (int b : alphabet) pending.push_back(Step(set, b));
    }
    return worst;
  }

 private:
  struct Node {
    bool is_match = false;
    int pattern = -1;            // a match: the pattern it completes
    bool indeterminate = false;  // reached through a star
    std::map<int, std::vector<int>> on_byte;
    std::vector<int> on_any;  // the transition for all bytes
  };

  int NewNode(bool indeterminate) {
    nodes_.emplace_back();
    nodes_.back().indeterminate = indeterminate;
    return static_cast<int>(nodes_.size()) - 1;
  }

  std::vector<int> Targets(int state, int c) const {
    const Node& n = nodes_[state];
    std::vector<int> out;
    if (c != kStar) {
      auto it = n.on_byte.find(c);
      if (it != n.on_byte.end()) out = it->second;
    }
    out.insert(out.end(), n.on_any.begin(), n.on_any.end());
    return out;
  }

  // ByteMachine.canReuseNextByteState: a state reached before any star is shared freely; one
  // after a star only when no second path from `state` could lead to it as well (a star out
  // of `state`, or the other case of a letter).
  bool CanReuse(int state, int next, const std::vector<int>& chars, size_t i) const {
    if (next == state) return false;
    if (!nodes_[next].indeterminate) return true;
    const int c = chars[i];
    if (c == kStar || (c >= 0x80 && c <= 0xbf)) return true;
    const std::vector<int>& any = nodes_[state].on_any;
    if (!any.empty() && !(any.size() == 1 && any[0] == state)) return false;
    return !HasCase(c);
  }

  // Patterns whose match each node leads to; nodes only lead to newer ones.
  std::vector<int> Weights() const {
    std::vector<std::set<int>> reach(nodes_.size());
    for (size_t k = nodes_.size(); k-- > 0;) {
      const Node& n = nodes_[k];
      if (n.is_match) reach[k].insert(n.pattern);
      auto add = [&](int t) {
        if (t != static_cast<int>(k)) reach[k].insert(reach[t].begin(), reach[t].end());
      };
      for (const auto& [b, targets] : n.on_byte) std::for_each(targets.begin(), targets.end(), add);
      std::for_each(n.on_any.begin(), n.on_any.end(), add);
    }
    std::vector<int> weight;
    for (const auto& r : reach) weight.push_back(static_cast<int>(r.size()));
    return weight;
  }

  std::vector<int> Step(const std::vector<int>& set, int byte) const {
    std::vector<int> next;
    for (int s : set) {
      if (nodes_[s].is_match) continue;
      std::vector<int> t = Targets(s, byte);
      next.insert(next.end(), t.begin(), t.end());
    }
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    return next;
  }

  std::vector<Node> nodes_;
};

}  // namespace

int WildcardComplexity(const std::vector<WildcardPattern>& patterns, int cap) {
  ByteMachine machine;
  std::map<std::string, int> ids;  // equal patterns are one pattern, added once
  for (const WildcardPattern& p : patterns) {
    std::set<std::string> values;
    for (const Wildcard* w : p.values) values.insert(Identity(*w));
    std::string id = p.anything_but ? "!" : "=";
    for (const std::string& v : values) id += std::to_string(v.size()) + ";" + v;
    if (ids.contains(id)) continue;
    const int pattern = static_cast<int>(ids.size());
    ids.emplace(id, pattern);
    std::set<std::string> added;
    for (const Wildcard* w : p.values) {
      if (added.insert(Identity(*w)).second) machine.Add(Characters(*w), pattern);
    }
  }
  return machine.Evaluate(cap);
}

}  // namespace lifeboat::events_internal
