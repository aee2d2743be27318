#include "events/json_reader.h"

#include <nlohmann/json.hpp>

namespace lifeboat::events_internal {

Status JsonError(simdjson::error_code error) {
  return Status::InvalidArgument(std::string("malformed event JSON: ") +
                                 simdjson::error_message(error));
}

JsonScratch& JsonScratch::ForThisThread() {
  thread_local JsonScratch scratch;
  return scratch;
}

Result<simdjson::dom::element> JsonScratch::Parse(std::string_view json) {
  return Parse(json, json.size());
}

Result<simdjson::dom::element> JsonScratch::Parse(std::string_view json, size_t readable) {
  simdjson::dom::element root;
  simdjson::error_code error;
  if (readable >= json.size() + simdjson::SIMDJSON_PADDING) {
    error = parser_.parse(json.data(), json.size(), false).get(root);
  } else {
    // The copy is a quarter of the cost of matching an event fetched from memory.
    padded_.assign(json);
    padded_.resize(json.size() + simdjson::SIMDJSON_PADDING, '\0');
    error = parser_.parse(padded_.data(), json.size(), false).get(root);
  }
  if (error == simdjson::NUMBER_ERROR) {
    // A number beyond 64 bits: nlohmann-json reads it as a double; parse its rewrite.
    try {
      auto parsed = nlohmann::json::parse(json);
      std::string rewritten = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      padded_.assign(rewritten);
      padded_.resize(rewritten.size() + simdjson::SIMDJSON_PADDING, '\0');
      error = parser_.parse(padded_.data(), rewritten.size(), false).get(root);
    } catch (const nlohmann::json::exception&) {
      // keep simdjson's error
    }
  }
  if (error) return JsonError(error);
  return root;
}

}  // namespace lifeboat::events_internal
