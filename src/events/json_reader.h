// Shared pieces of the two event readers (the full one in event.cc, the one in rule_set.cc
// that reads only the fields some rule looks at): simdjson DOM parsing with a per-thread
// parser and padded input buffer, and scalar extraction.
//
// The DOM parser is used (not On-Demand) because simdjson picks its fastest kernel (AVX2,
// AVX-512) at run time only for the DOM API; On-Demand is bound to the compiler's target
// flags, which are generic x86-64 here. Numbers too large for 64 bits, which simdjson
// rejects, are re-read through nlohmann-json, which turns them into doubles.
//
// Internal to src/events; includes simdjson, so only .cc files include it.
#ifndef LIFEBOAT_EVENTS_JSON_READER_H_
#define LIFEBOAT_EVENTS_JSON_READER_H_

#include <simdjson.h>

#include <string>
#include <string_view>

#include "common/status.h"
#include "events/event_value.h"

namespace lifeboat::events_internal {

// A thread's simdjson parser. Strings that elements point to stay valid until the next
// Parse on this thread.
class JsonScratch {
 public:
  Result<simdjson::dom::element> Parse(std::string_view json);
  // Parses in place, without copying, when `readable` (bytes readable from json.data(),
  // json.size() included) leaves simdjson's padding; otherwise as Parse(json).
  Result<simdjson::dom::element> Parse(std::string_view json, size_t readable);
  static JsonScratch& ForThisThread();

 private:
  simdjson::dom::parser parser_;
  std::string padded_;
};

Status JsonError(simdjson::error_code error);

// Reads a scalar element into `out` (strings borrowed from the parser).
inline void ReadScalar(simdjson::dom::element element, EventValue& out) {
  using simdjson::dom::element_type;
  out.has_comparable = false;
  switch (element.type()) {
    case element_type::STRING:
      out.type = EventValueType::kString;
      out.text = element.get_string().value_unsafe();
      return;
    case element_type::INT64: {
      int64_t v = element.get_int64().value_unsafe();
      out.type = EventValueType::kNumber;
      out.text = {};
      out.number = static_cast<double>(v);
      ComparableNumber c = ToComparable(v);
      out.has_comparable = c.error == ComparableError::kNone;
      out.comparable = c.value;
      return;
    }
    case element_type::UINT64: {
      uint64_t v = element.get_uint64().value_unsafe();
      out.type = EventValueType::kNumber;
      out.text = {};
      out.number = static_cast<double>(v);  // above INT64_MAX: never comparable
      return;
    }
    case element_type::DOUBLE: {
      double v = element.get_double().value_unsafe();
      out.type = EventValueType::kNumber;
      out.text = {};
      out.number = v;
      ComparableNumber c = ToComparable(v);
      out.has_comparable = c.error == ComparableError::kNone;
      out.comparable = c.value;
      return;
    }
    case element_type::BOOL: {
      bool b = element.get_bool().value_unsafe();
      out.type = b ? EventValueType::kTrue : EventValueType::kFalse;
      out.text = b ? "true" : "false";
      return;
    }
    default:
      out.type = EventValueType::kNull;
      out.text = "null";
      return;
  }
}

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_JSON_READER_H_
