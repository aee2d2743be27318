#include "local/sqs/sqs_json_fields.h"

#include <charconv>
#include <limits>

#include "common/hash.h"
#include "local/sqs/sqs_errors.h"

namespace lifeboat {

namespace {

Status WrongType(const std::string& name, const nlohmann::json& value, const char* want) {
  return SqsError("InvalidParameterValue", "Value " + value.dump() + " for parameter " + name +
                                               " is invalid. Reason: must be " + want + ".");
}

}  // namespace

Result<std::optional<std::string>> OptionalString(const nlohmann::json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return WrongType(name, *it, "a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> RequiredString(const nlohmann::json& input, const char* name) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> v, OptionalString(input, name));
  if (!v) return SqsMissingParameter(name);
  return *v;
}

Result<std::optional<int>> OptionalInt(const nlohmann::json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end() || it->is_null()) return std::optional<int>();
  if (it->is_number_integer()) {
    const auto v = it->get<int64_t>();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      return WrongType(name, *it, "a 32-bit integer");
    return std::optional<int>(static_cast<int>(v));
  }
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
      return std::optional<int>(v);
    }
  }
  return WrongType(name, *it, "an integer");
}

Result<std::vector<std::string>> StringList(const nlohmann::json& input, const char* name) {
  std::vector<std::string> out;
  auto it = input.find(name);
  if (it == input.end() || it->is_null()) return out;
  if (!it->is_array()) return WrongType(name, *it, "a list of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return WrongType(name, *it, "a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<SqsAttributeMap> StringMap(const nlohmann::json& input, const char* name) {
  SqsAttributeMap out;
  auto it = input.find(name);
  if (it == input.end() || it->is_null()) return out;
  if (!it->is_object()) return WrongType(name, *it, "a map of strings");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) return WrongType(name, *it, "a map of strings");
    out[k] = v.get<std::string>();
  }
  return out;
}

Result<SqsMessageAttributes> MessageAttributes(const nlohmann::json& input) {
  SqsMessageAttributes out;
  auto it = input.find("MessageAttributes");
  if (it == input.end() || it->is_null()) return out;
  if (!it->is_object()) return WrongType("MessageAttributes", *it, "a map");
  for (const auto& [name, v] : it->items()) {
    if (!v.is_object()) return WrongType("MessageAttributes." + name, v, "a structure");
    SqsAttributeValue value;
    LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> type, OptionalString(v, "DataType"));
    LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> str, OptionalString(v, "StringValue"));
    LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> bin, OptionalString(v, "BinaryValue"));
    value.data_type = type.value_or("");
    if (value.binary()) {
      auto decoded = Base64Decode(bin.value_or(""));
      if (!decoded) {
        return SqsError("InvalidParameterValue",
                        "The BinaryValue of message attribute '" + name + "' is not base64.");
      }
      value.value = std::move(*decoded);
    } else {
      value.value = str.value_or("");
    }
    out[name] = std::move(value);
  }
  return out;
}

nlohmann::json MessageAttributesJson(const SqsMessageAttributes& attributes) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : attributes) {
    nlohmann::json v = {{"DataType", value.data_type}};
    if (value.binary()) {
      v["BinaryValue"] = Base64Encode(value.value);
    } else {
      v["StringValue"] = value.value;
    }
    out[name] = std::move(v);
  }
  return out;
}

}  // namespace lifeboat
