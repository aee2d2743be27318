#include "events/rule_index.h"

namespace lifeboat::events_internal {

uint32_t StringTable::Insert(std::string_view key, uint32_t value) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  uint64_t hash = Hash(key);
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.value == kMissing) {
      slot = {hash, value, static_cast<uint32_t>(key.size()), keys_.size()};
      keys_.append(key);
      ++size_;
      return value;
    }
    if (slot.hash == hash && SameKey(slot, key)) return slot.value;
  }
}

void StringTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 8 : old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (Slot& slot : old) {
    if (slot.value == kMissing) continue;
    size_t i = slot.hash & mask_;
    while (slots_[i].value != kMissing) i = (i + 1) & mask_;
    slots_[i] = std::move(slot);
  }
}

uint32_t KeyTable::Insert(std::string_view key, uint32_t value) {
  uint32_t found = Find(key);
  if (found != StringTable::kMissing) return found;
  entries_.push_back({Head(key), static_cast<uint32_t>(key.size()), value});
  keys_.emplace_back(key);
  length_mask_ |= LengthBit(key.size());
  if (large_) {
    table_.Insert(key, value);
  } else if (entries_.size() > kMaxScanned) {
    large_ = true;
    for (size_t i = 0; i < entries_.size(); ++i) table_.Insert(keys_[i], entries_[i].value);
  }
  return value;
}

void AffixTree::Insert(std::string_view affix, Target target) {
  std::string key(affix);
  if (suffixes_) key.assign(affix.rbegin(), affix.rend());
  uint32_t node = 0;
  size_t pos = 0;
  while (true) {
    if (pos == key.size()) {
      nodes_[node].targets.push_back(target);
      return;
    }
    uint32_t child = UINT32_MAX;
    for (uint32_t c : nodes_[node].children) {
      if (nodes_[c].edge[0] == key[pos]) child = c;
    }
    if (child == UINT32_MAX) {
      Node leaf;
      SetEdge(leaf, key.substr(pos));
      leaf.targets.push_back(target);
      nodes_.push_back(std::move(leaf));
      nodes_[node].children.push_back(static_cast<uint32_t>(nodes_.size() - 1));
      nodes_[node].child_firsts.push_back(key[pos]);
      return;
    }
    const std::string edge = nodes_[child].edge;
    size_t common = 0;
    while (common < edge.size() && pos + common < key.size() && edge[common] == key[pos + common])
      ++common;
    if (common < edge.size()) {
      // Split the edge: parent -> middle (shared part) -> child (the rest).
      Node middle;
      SetEdge(middle, edge.substr(0, common));
      middle.children.push_back(child);
      SetEdge(nodes_[child], edge.substr(common));
      middle.child_firsts.push_back(nodes_[child].first);  // the parent's byte stays edge[0]
      nodes_.push_back(std::move(middle));
      auto middle_id = static_cast<uint32_t>(nodes_.size() - 1);
      for (uint32_t& c : nodes_[node].children) {
        if (c == child) c = middle_id;
      }
      child = middle_id;
    }
    node = child;
    pos += common;
  }
}

void PathIndex::AddToTable(StringTable& table, std::string_view key, Target target) {
  uint32_t slot = table.Insert(key, static_cast<uint32_t>(target_lists.size()));
  if (slot == target_lists.size()) target_lists.emplace_back();
  target_lists[slot].push_back(target);
}

void PathIndex::Add(const ValuePattern& value, Target target) {
  switch (value.op) {
    case ValueOp::kExactString:
      AddToTable(exact_strings, value.text, target);
      return;
    case ValueOp::kExactNumber:
      if (value.has_comparable) {
        AddToTable(exact_numbers, NumberKey(value.comparable), target);
      } else {
        scan.emplace_back(&value, target);
      }
      return;
    case ValueOp::kTrue:
      trues.push_back(target);
      return;
    case ValueOp::kFalse:
      falses.push_back(target);
      return;
    case ValueOp::kNull:
      nulls.push_back(target);
      return;
    case ValueOp::kPrefix:
      prefixes.Insert(value.text, target);
      return;
    case ValueOp::kSuffix:
      suffixes.Insert(value.text, target);
      return;
    case ValueOp::kAbsent:
      return;
    default:
      scan.emplace_back(&value, target);
      return;
  }
}

}  // namespace lifeboat::events_internal
