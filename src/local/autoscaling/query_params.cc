#include "local/autoscaling/query_params.h"

#include <charconv>
#include <set>

#include "http/percent_encoding.h"

namespace lifeboat {

QueryParams::QueryParams(const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& [k, v] : pairs) values_[k] = v;
}

Result<QueryParams> QueryParams::FromRequest(const LocalRequest& request) {
  QueryParams params(request.params);
  const std::string type = request.Header("content-type");
  const bool form =
      type.empty() || type.find("application/x-www-form-urlencoded") != std::string::npos;
  if (form && !request.body.empty()) {
    auto pairs = ParseFormPairs(request.body, PlusIsSpace::kYes);
    if (!pairs.ok()) {
      return Status(StatusCode::kInvalidArgument, pairs.status().message(),
                    "InvalidQueryParameter");
    }
    for (auto& [k, v] : *pairs) params.values_[std::move(k)] = std::move(v);
  }
  return params;
}

bool QueryParams::Has(std::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string QueryParams::GetOr(std::string_view name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

Result<std::optional<int>> QueryParams::Int(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::optional<int>();
  const std::string& v = it->second;
  int n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return Status::InvalidArgument("Invalid value '" + v + "' for " + std::string(name) +
                                   ": not an integer");
  }
  return std::optional<int>(n);
}

Result<std::optional<bool>> QueryParams::Bool(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::optional<bool>();
  if (it->second == "true") return std::optional<bool>(true);
  if (it->second == "false") return std::optional<bool>(false);
  return Status::InvalidArgument("Invalid value '" + it->second + "' for " + std::string(name) +
                                 ": not a boolean");
}

std::vector<int> QueryParams::Indices(std::string_view prefix) const {
  std::set<int> found;
  const std::string head = std::string(prefix) + ".";
  for (auto it = values_.lower_bound(head); it != values_.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, head.size(), head) != 0) break;
    std::string_view rest = std::string_view(key).substr(head.size());
    int n = 0;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec == std::errc() && p != rest.data() && (p == rest.data() + rest.size() || *p == '.')) {
      found.insert(n);
    }
  }
  return {found.begin(), found.end()};
}

std::vector<std::string> QueryParams::List(std::string_view prefix) const {
  std::vector<std::string> out;
  for (int i : Indices(prefix)) {
    auto v = Get(std::string(prefix) + "." + std::to_string(i));
    if (v) out.push_back(*v);
  }
  return out;
}

}  // namespace lifeboat
