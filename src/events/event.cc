#include "events/event.h"

#include <algorithm>
#include <cstring>

#include "events/json_reader.h"

namespace lifeboat {

using events_internal::JsonScratch;

// Walks the whole document depth-first, building dotted paths and array positions.
class EventBuilder {
 public:
  explicit EventBuilder(size_t json_size) : chunk_size_(json_size + 1) {}

  Status Build(simdjson::dom::element root) {
    if (root.type() != simdjson::dom::element_type::OBJECT) {
      return Status::InvalidArgument("event is not a JSON object");
    }
    WalkObject(root.get_object().value_unsafe());
    Index();
    return Status::Ok();
  }

  Event Take() { return std::move(event_); }

 private:
  void WalkObject(simdjson::dom::object object) {
    for (simdjson::dom::key_value_pair field : object) {
      size_t mark = path_.size();
      if (mark != 0) path_.push_back('.');
      path_.append(field.key);
      WalkValue(field.value);
      path_.resize(mark);
    }
  }

  void WalkValue(simdjson::dom::element value) {
    using simdjson::dom::element_type;
    element_type type = value.type();
    if (type == element_type::OBJECT) return WalkObject(value.get_object().value_unsafe());
    if (type == element_type::ARRAY) {
      uint32_t id = next_array_++;
      uint32_t index = 0;
      simdjson::dom::array array =
          value.get_array().value_unsafe();  // not a temporary: it must outlive the loop
      for (simdjson::dom::element element : array) {
        stack_.push_back({id, index++});
        WalkValue(element);
        stack_.pop_back();
      }
      return;
    }
    EventLeaf leaf;
    events_internal::ReadScalar(value, leaf.value);
    if (leaf.value.type == EventValueType::kString) {
      // Own the text: copy it into the event's buffer (never larger than the JSON).
      size_t size = leaf.value.text.size();
      if (event_.text_.empty() || text_used_ + size > chunk_size_) {
        chunk_size_ = std::max(chunk_size_, size);
        event_.text_.push_back(std::make_unique<char[]>(chunk_size_));
        text_used_ = 0;
      }
      char* dest = event_.text_.back().get() + text_used_;
      std::memcpy(dest, leaf.value.text.data(), size);
      leaf.value.text = std::string_view(dest, size);
      text_used_ += size;
    }
    leaf.path = PathId();
    leaf.positions_begin = static_cast<uint32_t>(event_.positions_.size());
    leaf.positions_size = static_cast<uint32_t>(stack_.size());
    event_.positions_.insert(event_.positions_.end(), stack_.begin(), stack_.end());
    event_.leaves_.push_back(leaf);
  }

  uint32_t PathId() {
    auto it = event_.path_ids_.find(std::string_view(path_));
    if (it != event_.path_ids_.end()) return it->second;
    auto id = static_cast<uint32_t>(event_.path_names_.size());
    auto inserted = event_.path_ids_.emplace(path_, id).first;
    event_.path_names_.push_back(inserted->first);
    return id;
  }

  // Groups leaf ids by path (a counting sort), keeping document order within a path.
  void Index() {
    size_t paths = event_.path_names_.size();
    event_.path_offsets_.assign(paths + 1, 0);
    for (const EventLeaf& leaf : event_.leaves_) ++event_.path_offsets_[leaf.path + 1];
    for (size_t p = 0; p < paths; ++p) event_.path_offsets_[p + 1] += event_.path_offsets_[p];
    event_.by_path_.resize(event_.leaves_.size());
    std::vector<uint32_t> fill(event_.path_offsets_.begin(), event_.path_offsets_.end() - 1);
    for (uint32_t i = 0; i < event_.leaves_.size(); ++i)
      event_.by_path_[fill[event_.leaves_[i].path]++] = i;
  }

  Event event_;
  size_t chunk_size_;
  size_t text_used_ = 0;
  std::string path_;
  std::vector<ArrayPosition> stack_;
  uint32_t next_array_ = 0;
};

Result<Event> Event::Parse(std::string_view json) {
  LIFEBOAT_ASSIGN_OR_RETURN(simdjson::dom::element root, JsonScratch::ForThisThread().Parse(json));
  EventBuilder builder(json.size());
  LIFEBOAT_RETURN_IF_ERROR(builder.Build(root));
  return builder.Take();
}

std::span<const uint32_t> Event::LeavesAt(std::string_view path) const {
  auto it = path_ids_.find(path);
  if (it == path_ids_.end()) return {};
  return LeavesOfPath(it->second);
}

}  // namespace lifeboat
