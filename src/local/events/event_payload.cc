#include "local/events/event_payload.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

using nlohmann::json;

std::string Quoted(const std::string& text) { return json(text).dump(); }

// One step of a JSONPath: a member name or an array index.
struct PathStep {
  bool index = false;
  std::string name;
  size_t position = 0;
};

Result<std::vector<PathStep>> ParsePath(std::string_view path) {
  auto invalid = [&] {
    return Status::InvalidArgument("InputPath " + std::string(path) + " is not a valid JSONPath.");
  };
  if (path.empty() || path[0] != '$') return invalid();
  std::vector<PathStep> steps;
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      size_t start = ++i;
      while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
      if (i == start) return invalid();
      steps.push_back({false, std::string(path.substr(start, i - start)), 0});
    } else if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos) return invalid();
      std::string_view inner = path.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') &&
          inner.back() == inner.front()) {
        steps.push_back({false, std::string(inner.substr(1, inner.size() - 2)), 0});
      } else {
        if (inner.empty() || inner.find_first_not_of("0123456789") != std::string_view::npos)
          return invalid();
        steps.push_back({true, {}, static_cast<size_t>(std::stoull(std::string(inner)))});
      }
      i = close + 1;
    } else {
      return invalid();
    }
  }
  return steps;
}

}  // namespace

std::string FormatEventTime(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string EnvelopeJson(const EventEnvelope& e) {
  std::string out = R"({"version":"0","id":)" + Quoted(e.id) + R"(,"detail-type":)" +
                    Quoted(e.detail_type) + R"(,"source":)" + Quoted(e.source) + R"(,"account":)" +
                    Quoted(e.account) + R"(,"time":)" + Quoted(FormatEventTime(e.time)) +
                    R"(,"region":)" + Quoted(e.region) + R"(,"resources":[)";
  for (size_t i = 0; i < e.resources.size(); ++i) out += (i ? "," : "") + Quoted(e.resources[i]);
  out += R"(],"detail":)" + e.detail + "}";
  // Spare room for the matcher to parse the envelope where it lies (RuleSet::MatchJsonInPlace).
  out.reserve(out.size() + 64);
  return out;
}

Status ValidateInputPath(std::string_view path) { return ParsePath(path).status(); }

Result<std::string> TargetPayload(const std::string& event_json, const TargetInput& spec) {
  if (spec.has_input) return spec.input;
  if (spec.input_path.empty() || spec.input_path == "$") return event_json;
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<PathStep> steps, ParsePath(spec.input_path));
  // ordered_json keeps the event's member order in what is selected.
  auto event = nlohmann::ordered_json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded()) return Status::Internal("event JSON does not parse");
  const nlohmann::ordered_json* node = &event;
  for (const PathStep& step : steps) {
    if (step.index) {
      if (!node->is_array() || step.position >= node->size()) return std::string("null");
      node = &(*node)[step.position];
    } else {
      if (!node->is_object() || !node->contains(step.name)) return std::string("null");
      node = &(*node)[step.name];
    }
  }
  return node->dump();
}

}  // namespace lifeboat
