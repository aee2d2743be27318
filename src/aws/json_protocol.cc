#include "aws/json_protocol.h"

#include <cctype>

#include "aws/rpc_call.h"

namespace lifeboat {

using nlohmann::json;

Result<HttpRequest> BuildJsonRequest(std::string_view endpoint, std::string_view json_version,
                                     std::string_view target, const json& input) {
  HttpRequest request;
  request.method = "POST";
  LIFEBOAT_ASSIGN_OR_RETURN(request.url, RpcRootUrl(endpoint));
  request.headers.Set("Content-Type", "application/x-amz-json-" + std::string(json_version));
  request.headers.Set("X-Amz-Target", std::string(target));
  // Strings from the outside may hold invalid UTF-8; replace it rather than throw.
  request.body = input.dump(-1, ' ', false, json::error_handler_t::replace);
  return request;
}

Result<json> ParseJsonAnswer(std::string_view body) {
  bool blank = true;
  for (char c : body) blank = blank && std::isspace(static_cast<unsigned char>(c));
  if (blank) return json::object();
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::Internal("the answer is not a JSON object");
  return doc;
}

Result<json> CallJson(AwsTransport& transport, HttpRequest request) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, SendRpc(transport, std::move(request)));
  return ParseJsonAnswer(response.body);
}

std::string JsonString(const json& object, const std::string& key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::optional<int64_t> JsonInt(const json& object, const std::string& key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::vector<std::string> JsonStrings(const json& object, const std::string& key) {
  std::vector<std::string> out;
  for (const json& item : JsonArray(object, key)) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::vector<std::string>> JsonStringLists(const json& object,
                                                                const std::string& key) {
  std::map<std::string, std::vector<std::string>> out;
  if (!object.is_object()) return out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return out;
  for (const auto& [name, values] : it->items()) {
    std::vector<std::string>& list = out[name];
    if (!values.is_array()) continue;
    for (const json& v : values) {
      if (v.is_string()) list.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::map<std::string, std::string> JsonStringMap(const json& object, const std::string& key) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return out;
  for (const auto& [name, value] : it->items()) {
    if (value.is_string()) out[name] = value.get<std::string>();
  }
  return out;
}

const json& JsonArray(const json& object, const std::string& key) {
  static const json kEmpty = json::array();
  if (!object.is_object()) return kEmpty;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return kEmpty;
  return *it;
}

}  // namespace lifeboat
