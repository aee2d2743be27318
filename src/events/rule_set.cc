#include "events/rule_set.h"

#include <algorithm>
#include <unordered_map>

#include "events/branch_matcher.h"
#include "events/json_reader.h"
#include "events/rule_index.h"

namespace lifeboat {

using events_internal::PathIndex;
using events_internal::PatternBranch;
using events_internal::StringTable;
using events_internal::Target;

namespace {

using events_internal::KeyTable;
using events_internal::ValueOp;
using events_internal::ValuePattern;

// A node of the path trie: one step of a dotted path ("detail", then "state").
struct TrieNode {
  int64_t path = -1;  // the path id ending here, if any
  KeyTable children;  // step -> node index
};

struct BranchInfo {
  const PatternBranch* branch;
  uint32_t rule;
  std::vector<uint32_t> field_paths;
  int64_t anchor = -1;          // the field indexed for this branch (-1: none, always checked)
  bool anchor_decides = false;  // one field, so a hit on it is the match
};

// What an anchor value costs: how many branches share it (each becomes a candidate to
// confirm when an event has it); values checked one by one cost far more.
std::string PopularityKey(uint32_t path, const ValuePattern& value) {
  std::string key = std::to_string(path) + ":";
  switch (value.op) {
    case ValueOp::kExactString:
      return key + "s" + value.text;
    case ValueOp::kExactNumber:
      return value.has_comparable ? key + "n" + std::to_string(value.comparable) : key + "scan";
    case ValueOp::kTrue:
    case ValueOp::kFalse:
    case ValueOp::kNull:
      return key + "l" + std::to_string(static_cast<int>(value.op));
    case ValueOp::kPrefix:
      return key + "p" + value.text;
    case ValueOp::kSuffix:
      return key + "x" + value.text;
    default:
      return key + "scan";
  }
}

// Per-thread working memory for one match; stamps avoid clearing per-path and
// per-branch arrays between events.
struct Scratch {
  std::vector<EventLeaf> leaves;
  std::vector<ArrayPosition> positions;
  std::vector<ArrayPosition> stack;
  uint32_t next_array = 0;
  uint32_t epoch = 0;
  std::vector<uint32_t> path_stamp, path_count, path_start, path_fill, touched, by_path;
  std::vector<uint32_t> branch_stamp;
  std::vector<uint32_t> rule_stamp;
  std::vector<uint32_t> candidates, matched;
  bool grouped = false;

  void Begin(size_t paths, size_t branches, size_t rules) {
    if (++epoch == 0) {  // wrapped: forget every stamp
      std::fill(path_stamp.begin(), path_stamp.end(), 0);
      std::fill(branch_stamp.begin(), branch_stamp.end(), 0);
      std::fill(rule_stamp.begin(), rule_stamp.end(), 0);
      epoch = 1;
    }
    if (path_stamp.size() < paths) {
      path_stamp.resize(paths, 0);
      path_count.resize(paths);
      path_start.resize(paths);
      path_fill.resize(paths);
    }
    if (branch_stamp.size() < branches) branch_stamp.resize(branches, 0);
    if (rule_stamp.size() < rules) rule_stamp.resize(rules, 0);
    leaves.clear();
    positions.clear();
    stack.clear();
    touched.clear();
    candidates.clear();
    matched.clear();
    next_array = 0;
    grouped = false;
  }

  void Emit(uint32_t path, const EventValue& value, std::span<const ArrayPosition> where) {
    NewLeaf(path, where).value = value;
  }

  // Adds a leaf for `path` and returns it for the caller to fill in its value (read straight
  // into place, not through a copy).
  EventLeaf& NewLeaf(uint32_t path, std::span<const ArrayPosition> where) {
    EventLeaf& leaf = leaves.emplace_back();
    leaf.path = path;
    leaf.positions_begin = static_cast<uint32_t>(positions.size());
    leaf.positions_size = static_cast<uint32_t>(where.size());
    if (!where.empty()) positions.insert(positions.end(), where.begin(), where.end());
    if (path_stamp[path] != epoch) {
      path_stamp[path] = epoch;
      path_count[path] = 0;
      touched.push_back(path);
    }
    ++path_count[path];
    return leaf;
  }

  // Leaf ids grouped by path (a counting sort over the paths this event touched).
  void Group() {
    if (grouped) return;
    grouped = true;
    uint32_t start = 0;
    for (uint32_t p : touched) {
      path_start[p] = path_fill[p] = start;
      start += path_count[p];
    }
    by_path.resize(leaves.size());
    for (uint32_t i = 0; i < leaves.size(); ++i) by_path[path_fill[leaves[i].path]++] = i;
  }

  std::span<const uint32_t> LeavesOf(uint32_t path) const {
    if (path_stamp[path] != epoch) return {};
    return std::span<const uint32_t>(by_path).subspan(path_start[path], path_count[path]);
  }

  static Scratch& ForThisThread() {
    thread_local Scratch scratch;
    return scratch;
  }
};

}  // namespace

struct RuleSet::Index {
  std::vector<PathIndex> paths;
  std::vector<std::string> path_names;                    // by id
  StringTable path_ids;                                   // dotted path -> id
  std::vector<TrieNode> trie = std::vector<TrieNode>(1);  // [0] is the root
  std::vector<BranchInfo> branches;
  std::vector<uint32_t> always;  // branches with no field that must have a value

  uint32_t AddPath(const std::string& path) {
    auto id = static_cast<uint32_t>(paths.size());
    uint32_t found = path_ids.Insert(path, id);
    if (found != id) return found;
    paths.emplace_back();
    path_names.push_back(path);
    uint32_t node = 0;
    size_t start = 0;
    while (true) {
      size_t dot = path.find('.', start);
      std::string_view step = std::string_view(path).substr(
          start, dot == std::string::npos ? std::string::npos : dot - start);
      auto next = static_cast<uint32_t>(trie.size());
      uint32_t child = trie[node].children.Insert(step, next);
      if (child == next) trie.emplace_back();
      node = child;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    trie[node].path = id;
    return id;
  }

  // Indexes every rule. Each branch is indexed by one "anchor" field that must have a value,
  // the one whose values the fewest other branches share; an event becomes a candidate
  // for the branch when that field matches, and the full match confirms it.
  void Build(const std::vector<const EventPattern*>& patterns) {
    std::unordered_map<std::string, uint32_t> popularity;
    for (const EventPattern* pattern : patterns) {
      for (const PatternBranch& branch : pattern->branches()) {
        for (const auto& field : branch.fields) {
          uint32_t path = AddPath(field.path);
          for (const auto& value : field.values) ++popularity[PopularityKey(path, value)];
        }
      }
    }
    for (uint32_t rule = 0; rule < patterns.size(); ++rule) {
      for (const PatternBranch& branch : patterns[rule]->branches()) {
        auto b = static_cast<uint32_t>(branches.size());
        BranchInfo info{&branch, rule, {}};
        int64_t anchor = -1;
        uint64_t anchor_cost = UINT64_MAX;
        for (uint32_t k = 0; k < branch.fields.size(); ++k) {
          const auto& field = branch.fields[k];
          uint32_t path = path_ids.Find(field.path);
          info.field_paths.push_back(path);
          if (field.matches_absent) continue;  // satisfied without a value: cannot anchor
          uint64_t cost = 0;
          for (const auto& value : field.values) {
            std::string key = PopularityKey(path, value);
            cost += popularity[key] + (key.ends_with(":scan")              ? 1000
                                       : value.op == ValueOp::kExactString ? 0
                                                                           : 1);
          }
          if (cost < anchor_cost) {
            anchor_cost = cost;
            anchor = k;
          }
        }
        if (anchor < 0) {
          always.push_back(b);
        } else {
          info.anchor = anchor;
          info.anchor_decides = branch.fields.size() == 1;
          for (const auto& value : branch.fields[anchor].values) {
            paths[info.field_paths[anchor]].Add(value, Target{b, static_cast<uint32_t>(anchor)});
          }
        }
        branches.push_back(std::move(info));
      }
    }
  }

  // Finds the node for an event object's key under `node`; a dotted key takes several steps.
  uint32_t Child(uint32_t node, std::string_view key) const {
    uint32_t child = trie[node].children.Find(key);
    if (child != StringTable::kMissing || !trie[node].children.MayStartDotted(key)) return child;
    size_t start = 0;
    while (true) {
      size_t dot = key.find('.', start);
      node = trie[node].children.Find(
          key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
      if (node == StringTable::kMissing || dot == std::string_view::npos) return node;
      start = dot + 1;
    }
  }

  void WalkObject(simdjson::dom::object object, uint32_t node, Scratch& s) const {
    for (simdjson::dom::key_value_pair field : object) {
      uint32_t child = Child(node, field.key);
      if (child != StringTable::kMissing) WalkValue(field.value, child, s);
    }
  }

  void WalkValue(simdjson::dom::element value, uint32_t node, Scratch& s) const {
    using simdjson::dom::element_type;
    switch (value.type()) {
      case element_type::OBJECT:
        if (!trie[node].children.empty()) WalkObject(value.get_object().value_unsafe(), node, s);
        return;
      case element_type::ARRAY: {
        uint32_t id = s.next_array++;
        uint32_t index = 0;
        simdjson::dom::array array =
            value.get_array().value_unsafe();  // not a temporary: it must outlive the loop
        for (simdjson::dom::element element : array) {
          s.stack.push_back({id, index++});
          WalkValue(element, node, s);
          s.stack.pop_back();
        }
        return;
      }
      default:
        if (trie[node].path >= 0) {
          EventLeaf& leaf = s.NewLeaf(static_cast<uint32_t>(trie[node].path), s.stack);
          events_internal::ReadScalar(value, leaf.value);
        }
        return;
    }
  }

  // Confirms a candidate without the array-consistent search when no leaf it looks at is
  // inside an array (then any choice of leaves is consistent): 1 match, 0 no match, -1 when
  // arrays are involved. The anchor field already matched, so it is not looked at again.
  int QuickMatch(const BranchInfo& info, const Scratch& s) const {
    const auto& fields = info.branch->fields;
    for (size_t k = 0; k < fields.size(); ++k) {
      if (static_cast<int64_t>(k) == info.anchor) continue;
      std::span<const uint32_t> ids = s.LeavesOf(info.field_paths[k]);
      bool found = false;
      for (uint32_t id : ids) {
        const EventLeaf& leaf = s.leaves[id];
        if (leaf.positions_size != 0) return -1;
        for (const ValuePattern& value : fields[k].values) {
          if (value.Matches(leaf.value)) {
            found = true;
            break;
          }
        }
        if (found) break;
      }
      if (!found && !(fields[k].matches_absent && ids.empty())) return 0;
    }
    return 1;
  }

  // Probes every leaf, confirms the candidate branches, and collects matched rule ids.
  void Match(Scratch& s) const {
    for (uint32_t b : always) {
      s.branch_stamp[b] = s.epoch;
      s.candidates.push_back(b);
    }
    auto hit = [&](const Target& t) {
      if (s.branch_stamp[t.branch] == s.epoch) return;
      s.branch_stamp[t.branch] = s.epoch;
      const BranchInfo& info = branches[t.branch];
      if (!info.anchor_decides) {
        s.candidates.push_back(t.branch);
      } else if (s.rule_stamp[info.rule] != s.epoch) {
        s.rule_stamp[info.rule] = s.epoch;
        s.matched.push_back(info.rule);
      }
    };
    for (const EventLeaf& leaf : s.leaves) {
      const PathIndex& index = paths[leaf.path];
      if (!index.empty()) index.Probe(leaf.value, hit);
    }
    for (uint32_t b : s.candidates) {
      const BranchInfo& info = branches[b];
      if (s.rule_stamp[info.rule] == s.epoch) continue;
      s.Group();
      int quick = QuickMatch(info, s);
      bool matches = quick >= 0 ? quick == 1 : [&] {
        auto leaves_at = [&](size_t k) { return s.LeavesOf(info.field_paths[k]); };
        events_internal::BranchMatcher matcher(*info.branch, s.leaves, s.positions, leaves_at);
        return matcher.Match();
      }();
      if (matches) {
        s.rule_stamp[info.rule] = s.epoch;
        s.matched.push_back(info.rule);
      }
    }
    std::sort(s.matched.begin(), s.matched.end());
  }
};

RuleSet::RuleSet() : index_(std::make_unique<Index>()) {}

RuleSet::RuleSet(std::vector<std::pair<std::string, EventPattern>> rules) {
  for (auto& [name, pattern] : rules) Upsert(std::move(name), std::move(pattern));
  Rebuild();
}
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

size_t RuleSet::size() const { return rules_.size(); }

void RuleSet::Put(std::string name, EventPattern pattern) {
  Upsert(std::move(name), std::move(pattern));
  Rebuild();
}

void RuleSet::Upsert(std::string name, EventPattern pattern) {
  auto shared = std::make_shared<const EventPattern>(std::move(pattern));
  auto it =
      std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.name == name; });
  if (it != rules_.end()) {
    it->pattern = std::move(shared);
  } else {
    rules_.push_back({std::move(name), std::move(shared)});
  }
}

void RuleSet::Rebuild() {
  std::vector<const EventPattern*> patterns;
  for (const Rule& rule : rules_) patterns.push_back(rule.pattern.get());
  index_ = std::make_unique<Index>();
  index_->Build(patterns);
}

Result<std::vector<std::string_view>> RuleSet::MatchJson(std::string_view json) const {
  std::vector<std::string_view> names;
  LIFEBOAT_RETURN_IF_ERROR(MatchJson(json, names));
  return names;
}

Status RuleSet::MatchJson(std::string_view json, std::vector<std::string_view>& names) const {
  return MatchParsed(json, json.size(), names);
}

Status RuleSet::MatchJsonInPlace(const std::string& json,
                                 std::vector<std::string_view>& names) const {
  return MatchParsed(json, json.capacity(), names);
}

Status RuleSet::MatchParsed(std::string_view json, size_t readable,
                            std::vector<std::string_view>& names) const {
  names.clear();
  LIFEBOAT_ASSIGN_OR_RETURN(simdjson::dom::element root,
                            events_internal::JsonScratch::ForThisThread().Parse(json, readable));
  if (root.type() != simdjson::dom::element_type::OBJECT) {
    return Status::InvalidArgument("event is not a JSON object");
  }
  Scratch& s = Scratch::ForThisThread();
  s.Begin(index_->paths.size(), index_->branches.size(), rules_.size());
  index_->WalkObject(root.get_object().value_unsafe(), 0, s);
  index_->Match(s);
  for (uint32_t r : s.matched) names.push_back(rules_[r].name);
  return Status::Ok();
}

std::vector<std::string_view> RuleSet::Match(const Event& event) const {
  Scratch& s = Scratch::ForThisThread();
  s.Begin(index_->paths.size(), index_->branches.size(), rules_.size());
  auto emit = [&](uint32_t path, std::span<const uint32_t> ids) {
    for (uint32_t id : ids) {
      const EventLeaf& leaf = event.leaves()[id];
      s.Emit(path, leaf.value,
             event.positions().subspan(leaf.positions_begin, leaf.positions_size));
    }
  };
  // Look up whichever side names fewer paths: the rules' paths in the event, or the event's.
  if (index_->paths.size() <= event.path_count()) {
    for (uint32_t p = 0; p < index_->paths.size(); ++p)
      emit(p, event.LeavesAt(index_->path_names[p]));
  } else {
    for (uint32_t q = 0; q < event.path_count(); ++q) {
      uint32_t p = index_->path_ids.Find(event.path(q));
      if (p != StringTable::kMissing) emit(p, event.LeavesOfPath(q));
    }
  }
  index_->Match(s);
  std::vector<std::string_view> names;
  names.reserve(s.matched.size());
  for (uint32_t r : s.matched) names.push_back(rules_[r].name);
  return names;
}

}  // namespace lifeboat
