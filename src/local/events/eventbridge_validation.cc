#include "local/events/eventbridge_validation.h"

#include <regex>

namespace lifeboat::eventbridge_internal {

Status Validation(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message), "ValidationException");
}

std::string StringField(const nlohmann::json& in, const char* key) {
  if (!in.is_object()) return {};
  auto it = in.find(key);
  if (it == in.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

Result<std::string> RequireName(const nlohmann::json& in, const char* key, const char* wire) {
  if (!in.is_object() || !in.contains(key) || in[key].is_null()) {
    return Validation(std::string("1 validation error detected: Value null at '") + wire +
                      "' failed to satisfy constraint: Member must not be null");
  }
  std::string name = StringField(in, key);
  static const std::regex kName(R"([\.\-_A-Za-z0-9]+)");
  if (name.empty() || name.size() > 64) {
    return Validation("1 validation error detected: Value '" + name + "' at '" + wire +
                      "' failed to satisfy constraint: Member must have length between 1 and 64");
  }
  if (!std::regex_match(name, kName)) {
    return Validation(
        "1 validation error detected: Value '" + name + "' at '" + wire +
        "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[\\.\\-_A-Za-z0-9]+");
  }
  return name;
}

Status CheckBus(const EventBridgeContext& c, const nlohmann::json& in) {
  std::string bus = StringField(in, "EventBusName");
  if (bus.empty() || bus == "default" ||
      bus == "arn:aws:events:" + c.region + ":" + c.account_id + ":event-bus/default") {
    return Status::Ok();
  }
  std::string name = bus.substr(bus.rfind('/') == std::string::npos ? 0 : bus.rfind('/') + 1);
  return Status(StatusCode::kNotFound, "Event bus " + name + " does not exist.",
                "ResourceNotFoundException");
}

Result<Page> Paginate(const nlohmann::json& in, size_t total) {
  size_t limit = 100;
  if (in.contains("Limit") && in["Limit"].is_number_integer()) {
    int64_t requested = in["Limit"].get<int64_t>();
    if (requested < 1 || requested > 100) {
      return Validation(
          "1 validation error detected: Value '" + std::to_string(requested) +
          "' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100");
    }
    limit = static_cast<size_t>(requested);
  }
  Page page;
  std::string token = StringField(in, "NextToken");
  if (!token.empty()) {
    // Tokens are the offset of the next item, as this service hands them out.
    if (token.find_first_not_of("0123456789") != std::string::npos || token.size() > 9) {
      return Validation("The NextToken provided is not valid.");
    }
    page.begin = std::min<size_t>(std::stoul(token), total);
  }
  page.end = std::min(total, page.begin + limit);
  if (page.end < total) page.next_token = std::to_string(page.end);
  return page;
}

}  // namespace lifeboat::eventbridge_internal
