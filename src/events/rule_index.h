// The lookup structures behind RuleSet: per event path, which (branch, field) pairs a
// value can satisfy, found by hashing for exact values and by walking a radix tree for
// prefixes and suffixes, so matching costs about the same for 100 rules as for 1.
// Internal to src/events.
#ifndef LIFEBOAT_EVENTS_RULE_INDEX_H_
#define LIFEBOAT_EVENTS_RULE_INDEX_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "events/value_pattern.h"

namespace lifeboat::events_internal {

// A field of a branch that a value satisfies.
struct Target {
  uint32_t branch;
  uint32_t field;
};

// An open-addressing hash table from strings to small integers.
class StringTable {
 public:
  static constexpr uint32_t kMissing = UINT32_MAX;

  // Inserts `key` if new; returns its value (new keys get `value`).
  uint32_t Insert(std::string_view key, uint32_t value);
  uint32_t Find(std::string_view key) const {
    if (slots_.empty()) return kMissing;
    uint64_t hash = Hash(key);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.value == kMissing) return kMissing;
      if (slot.hash == hash && slot.key == key) return slot.value;
    }
  }
  bool empty() const { return size_ == 0; }

 private:
  struct Slot {
    uint64_t hash = 0;
    std::string key;
    uint32_t value = kMissing;
  };
  static uint64_t Hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  void Grow();

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Keys to values for the steps of a path trie: a short list compared by length and first
// eight bytes (most objects have few keys a rule names), a hash table once it grows.
class KeyTable {
 public:
  uint32_t Insert(std::string_view key, uint32_t value);
  uint32_t Find(std::string_view key) const {
    if (large_) return table_.Find(key);
    const uint64_t head = Head(key);
    for (const Entry& e : entries_) {
      if (e.head == head && e.key.size() == key.size() &&
          (key.size() <= 8 || std::memcmp(e.key.data() + 8, key.data() + 8, key.size() - 8) == 0)) {
        return e.value;
      }
    }
    return StringTable::kMissing;
  }
  bool empty() const { return entries_.empty(); }
  // Whether some key could start a dotted `key` ("a.b" when "a" is a key): cheap for short
  // lists, where most keys of an event object are rejected by length alone.
  bool MayStartDotted(std::string_view key) const {
    if (large_) return key.find('.') != std::string_view::npos;
    for (const Entry& e : entries_) {
      if (key.size() > e.key.size() && key[e.key.size()] == '.') return true;
    }
    return false;
  }

 private:
  struct Entry {
    uint64_t head;  // the key's first eight bytes, zero-padded
    std::string key;
    uint32_t value;
  };
  // The first eight bytes in a register, read without going through memory (a byte-wise
  // copy into a stack word stalls the following load).
  static uint64_t Head(std::string_view key) {
    const auto* p = reinterpret_cast<const unsigned char*>(key.data());
    const size_t n = key.size();
    auto load32 = [](const unsigned char* q) {
      uint32_t v;
      std::memcpy(&v, q, 4);
      return static_cast<uint64_t>(v);
    };
    if (n >= 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
    if (n >= 4) return load32(p) | (load32(p + n - 4) << (8 * (n - 4)));
    if (n == 0) return 0;
    return static_cast<uint64_t>(p[0]) | (static_cast<uint64_t>(p[n / 2]) << (8 * (n / 2))) |
           (static_cast<uint64_t>(p[n - 1]) << (8 * (n - 1)));
  }
  static constexpr size_t kMaxScanned = 8;
  std::vector<Entry> entries_;
  StringTable table_;
  bool large_ = false;
};

// A radix tree of prefixes (or, built reversed, suffixes) to the targets they satisfy.
class AffixTree {
 public:
  explicit AffixTree(bool suffixes) : suffixes_(suffixes) { nodes_.emplace_back(); }

  void Insert(std::string_view affix, Target target);
  bool empty() const { return nodes_.size() == 1 && nodes_[0].targets.empty(); }

  // Calls `hit(target)` for every stored affix of `value`.
  template <typename Hit>
  void Walk(std::string_view value, Hit&& hit) const {
    uint32_t node = 0;
    size_t pos = 0;  // bytes of `value` consumed (from the end, for suffixes)
    while (true) {
      for (const Target& t : nodes_[node].targets) hit(t);
      if (pos == value.size()) return;
      char next = suffixes_ ? value[value.size() - 1 - pos] : value[pos];
      uint32_t child = UINT32_MAX;
      for (uint32_t c : nodes_[node].children) {
        if (nodes_[c].first == next) {
          child = c;
          break;
        }
      }
      if (child == UINT32_MAX) return;
      const std::string& text = nodes_[child].text;
      if (value.size() - pos < text.size()) return;
      size_t at = suffixes_ ? value.size() - pos - text.size() : pos;
      if (value.compare(at, text.size(), text) != 0) return;
      pos += text.size();
      node = child;
    }
  }

 private:
  struct Node {
    std::string edge;  // bytes from the parent, in walking order (reversed for suffixes)
    std::string text;  // the same bytes as they appear in a value
    char first = 0;    // edge[0]
    std::vector<uint32_t> children;
    std::vector<Target> targets;
  };
  void SetEdge(Node& node, std::string edge) {
    node.edge = std::move(edge);
    node.text = suffixes_ ? std::string(node.edge.rbegin(), node.edge.rend()) : node.edge;
    node.first = node.edge.empty() ? 0 : node.edge[0];
  }

  bool suffixes_;
  std::vector<Node> nodes_;
};

// Everything indexed for one event path.
struct PathIndex {
  StringTable exact_strings;  // string -> slot in target_lists
  StringTable exact_numbers;  // comparable number (as 8 bytes) -> slot
  std::vector<std::vector<Target>> target_lists;
  std::vector<Target> trues, falses, nulls;
  AffixTree prefixes{false};
  AffixTree suffixes{true};
  // Values checked one by one: ignore-case, wildcard, anything-but, numeric, cidr,
  // exists, and numbers outside the comparable range.
  std::vector<std::pair<const ValuePattern*, Target>> scan;

  void Add(const ValuePattern& value, Target target);
  bool empty() const {
    return target_lists.empty() && trues.empty() && falses.empty() && nulls.empty() &&
           prefixes.empty() && suffixes.empty() && scan.empty();
  }

  template <typename Hit>
  void Probe(const EventValue& value, Hit&& hit) const {
    switch (value.type) {
      case EventValueType::kString:
        if (!exact_strings.empty()) HitList(exact_strings.Find(value.text), hit);
        if (!prefixes.empty()) prefixes.Walk(value.text, hit);
        if (!suffixes.empty()) suffixes.Walk(value.text, hit);
        break;
      case EventValueType::kNumber:
        if (value.has_comparable && !exact_numbers.empty()) {
          HitList(exact_numbers.Find(NumberKey(value.comparable)), hit);
        }
        break;
      case EventValueType::kTrue:
        for (const Target& t : trues) hit(t);
        break;
      case EventValueType::kFalse:
        for (const Target& t : falses) hit(t);
        break;
      case EventValueType::kNull:
        for (const Target& t : nulls) hit(t);
        break;
    }
    for (const auto& [pattern, target] : scan) {
      if (pattern->Matches(value)) hit(target);
    }
  }

 private:
  template <typename Hit>
  void HitList(uint32_t slot, Hit& hit) const {
    if (slot == StringTable::kMissing) return;
    for (const Target& t : target_lists[slot]) hit(t);
  }
  static std::string_view NumberKey(const int64_t& n) {
    return std::string_view(reinterpret_cast<const char*>(&n), sizeof(n));
  }
  void AddToTable(StringTable& table, std::string_view key, Target target);
};

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_RULE_INDEX_H_
