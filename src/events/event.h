// An EventBridge event as the pattern matcher sees it: parsed once from JSON and flattened
// into leaves, each a scalar with its dotted path ("detail.state") and its place in every
// array around it.
//
// Flattening follows aws/event-ruler: arrays are "crushed" (an array's elements all sit at
// the array's path), an empty array or object contributes no leaf (so the field counts as
// absent), and a key with dots is the same path as the nested form ({"a.b": 1} and
// {"a": {"b": 1}} both give "a.b"). The array positions let a match refuse to combine
// fields from different elements of one array.
//
// An Event owns its text; it is immutable once parsed and safe to share between threads.
#ifndef LIFEBOAT_EVENTS_EVENT_H_
#define LIFEBOAT_EVENTS_EVENT_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "events/event_value.h"

namespace lifeboat {

// Element `index` of the array numbered `array` (arrays are numbered per event).
struct ArrayPosition {
  uint32_t array;
  uint32_t index;
};

struct EventLeaf {
  EventValue value;
  uint32_t path = 0;             // the path's id (Event::path(id))
  uint32_t positions_begin = 0;  // into the owner's position list
  uint32_t positions_size = 0;
};

class Event {
 public:
  // Parses a JSON object. Errors: malformed JSON, or a top level that is not an object.
  static Result<Event> Parse(std::string_view json);

  Event(Event&&) noexcept = default;
  Event& operator=(Event&&) noexcept = default;

  std::span<const EventLeaf> leaves() const { return leaves_; }
  std::span<const ArrayPosition> positions() const { return positions_; }
  // The ids of the leaves at `path` ("detail.state"), in document order; empty if absent.
  std::span<const uint32_t> LeavesAt(std::string_view path) const;
  size_t path_count() const { return path_names_.size(); }
  std::string_view path(uint32_t id) const { return path_names_[id]; }
  // The leaves of path `id`.
  std::span<const uint32_t> LeavesOfPath(uint32_t id) const {
    return std::span<const uint32_t>(by_path_).subspan(path_offsets_[id],
                                                       path_offsets_[id + 1] - path_offsets_[id]);
  }

 private:
  friend class EventBuilder;
  Event() = default;

  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::unique_ptr<char[]>> text_;  // the unescaped strings
  std::vector<EventLeaf> leaves_;
  std::vector<ArrayPosition> positions_;
  std::unordered_map<std::string, uint32_t, ViewHash, std::equal_to<>> path_ids_;
  std::vector<std::string_view> path_names_;  // keys of path_ids_, by id
  std::vector<uint32_t> by_path_;             // leaf ids grouped by path
  std::vector<uint32_t> path_offsets_;        // path id -> start in by_path_ (+1 sentinel)
};

}  // namespace lifeboat

#endif  // LIFEBOAT_EVENTS_EVENT_H_
