#include "http/http_types.h"

#include <algorithm>
#include <cctype>

namespace lifeboat {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

void Headers::Set(std::string name, std::string value) {
  Remove(name);
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return EqualsIgnoreCase(f.first, name); });
}

std::string Url::Authority() const {
  if (port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443")) {
    return host;
  }
  return host + ":" + port;
}

std::string Url::ToString() const {
  std::string out = scheme + "://" + Authority() + (path.empty() ? "/" : path);
  if (!query.empty()) out += "?" + query;
  return out;
}

std::optional<Url> ParseUrl(std::string_view text) {
  Url url;
  auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  url.scheme = std::string(text.substr(0, scheme_end));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  text.remove_prefix(scheme_end + 3);
  auto authority_end = text.find_first_of("/?");
  std::string_view authority = text.substr(0, authority_end);
  text = authority_end == std::string_view::npos ? std::string_view() : text.substr(authority_end);
  if (authority.empty()) return std::nullopt;
  if (authority.front() == '[') {  // IPv6 literal
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    url.host = std::string(authority.substr(0, close + 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      url.port = std::string(authority.substr(close + 2));
    }
  } else {
    auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) url.port = std::string(authority.substr(colon + 1));
  }
  if (url.host.empty()) return std::nullopt;
  if (!std::all_of(url.port.begin(), url.port.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  auto q = text.find('?');
  url.path = std::string(text.substr(0, q));
  if (url.path.empty()) url.path = "/";
  if (q != std::string_view::npos) url.query = std::string(text.substr(q + 1));
  return url;
}

}  // namespace lifeboat
