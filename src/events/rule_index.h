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

// Whether n bytes at a and b are equal, inline: keys and values are short, and a call to
// memcmp per comparison showed in profiles of matching.
inline bool BytesEqual(const char* a, const char* b, size_t n) {
  auto load64 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (load64(a + i) != load64(b + i)) return false;
    }
    return load64(a + n - 8) == load64(b + n - 8);  // the last eight, overlapping
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

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
      if (slot.hash == hash && SameKey(slot, key)) return slot.value;
    }
  }
  bool empty() const { return size_ == 0; }

 private:
  // Slots hold no strings (the keys live in one buffer), so more of a table shares a cache
  // line: matching a stream of events that do not stay in cache evicts the index too.
  struct Slot {
    uint64_t hash = 0;
    uint32_t value = kMissing;
    uint32_t key_size = 0;
    size_t key_offset = 0;  // in keys_
  };
  bool SameKey(const Slot& slot, std::string_view key) const {
    return slot.key_size == key.size() &&
           BytesEqual(keys_.data() + slot.key_offset, key.data(), key.size());
  }
  // Inline, eight bytes a step (std::hash is an out-of-line library call): every event
  // value a rule looks at is hashed once per match.
  static uint64_t Hash(std::string_view key) {
    const char* p = key.data();
    size_t n = key.size();
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    for (; n >= 8; p += 8, n -= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      h = (h ^ word) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < n; ++i) {
      tail |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    }
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
  }
  void Grow();

  std::vector<Slot> slots_;
  std::string keys_;  // every key, back to back
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
    if ((length_mask_ & LengthBit(key.size())) == 0) return StringTable::kMissing;
    const uint64_t head = Head(key);
    for (const Entry& e : entries_) {
      if (e.head == head && e.size == key.size() &&
          (key.size() <= 8 ||
           BytesEqual(keys_[&e - entries_.data()].data() + 8, key.data() + 8, key.size() - 8))) {
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
    // Only keys shorter than `key` can start it: most lookups end on the length mask.
    const uint64_t shorter = key.size() > 63 ? ~uint64_t{0} : LengthBit(key.size()) - 1;
    if ((length_mask_ & shorter) == 0) return false;
    for (const Entry& e : entries_) {
      if (key.size() > e.size && key[e.size] == '.') return true;
    }
    return false;
  }

 private:
  // 16 bytes, the key itself kept apart (keys_[i] for entries_[i]): a scan reads few lines.
  struct Entry {
    uint64_t head;  // the key's first eight bytes, zero-padded
    uint32_t size;
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
  // One bit per key length (the top bit for every length from 63 on): an event key of a
  // length no entry has, the usual case, is rejected without touching the entries.
  static uint64_t LengthBit(size_t size) { return uint64_t{1} << (size < 63 ? size : 63); }

  static constexpr size_t kMaxScanned = 8;
  uint64_t length_mask_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::string> keys_;
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
      const Node& here = nodes_[node];
      const void* first = here.child_firsts.empty() ? nullptr
                                                    : std::memchr(here.child_firsts.data(), next,
                                                                  here.child_firsts.size());
      if (first == nullptr) return;
      uint32_t child = here.children[static_cast<const char*>(first) - here.child_firsts.data()];
      const std::string& text = nodes_[child].text;
      if (value.size() - pos < text.size()) return;
      size_t at = suffixes_ ? value.size() - pos - text.size() : pos;
      if (!BytesEqual(value.data() + at, text.data(), text.size())) return;
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
    // children[i]'s first byte: a step reads this, not every child node.
    std::string child_firsts;
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
