#include "aws/container_credentials.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

constexpr char kEcsHost[] = "http://169.254.170.2";

// Reads exactly `n` digits at `pos`, advancing it.
bool ReadDigits(std::string_view text, size_t& pos, size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  pos += n;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

bool IsIpv4Loopback(std::string_view host) {
  // 127.0.0.0/8: four decimal octets, the first 127.
  int octets = 0;
  size_t pos = 0;
  while (pos <= host.size()) {
    size_t dot = host.find('.', pos);
    std::string_view part = host.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
    int value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || value > 255) {
      return false;
    }
    if (octets == 0 && value != 127) return false;
    ++octets;
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return octets == 4;
}

// Hosts that may receive credentials over plain http.
bool IsAllowedHttpHost(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host == "localhost" || host == "[::1]" || IsIpv4Loopback(host) ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

std::string Snippet(std::string_view body) {
  std::string s(body.substr(0, 200));
  std::replace_if(
      s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text) + "' is not an ISO 8601 timestamp");
  };
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, day) || !(Expect(text, pos, 'T') || Expect(text, pos, 't')) ||
      !ReadDigits(text, pos, 2, hour) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, minute) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, second)) {
    return bad();
  }
  std::chrono::nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100'000'000;
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  std::chrono::minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!ReadDigits(text, pos, 2, oh) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, om)) {
      return bad();
    }
    offset = std::chrono::minutes(sign * (oh * 60 + om));
  } else {
    return bad();  // a timestamp without a zone is ambiguous
  }
  if (pos != text.size()) return bad();
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return bad();
  auto tp = std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
            std::chrono::seconds(second) - offset;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      tp + std::chrono::duration_cast<std::chrono::system_clock::duration>(fraction));
}

Result<Credentials> ParseCredentialsDocument(std::string_view json, const std::string& origin,
                                             std::string source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception&) {
    return Status::Internal(origin + ": credentials answer is not JSON: " + Snippet(json));
  }
  if (!doc.is_object()) {
    return Status::Internal(origin + ": credentials answer is not a JSON object: " + Snippet(json));
  }
  auto field = [&doc](const char* name) -> std::string {
    auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  // The metadata service says "Code"; container endpoints report errors as "code"/"message".
  std::string code = field("Code").empty() ? field("code") : field("Code");
  std::string message = field("Message").empty() ? field("message") : field("Message");
  if (!code.empty() && code != "Success") {
    return Status::Unavailable(origin + ": credentials endpoint answered " + code +
                               (message.empty() ? "" : ": " + message));
  }
  Credentials creds;
  creds.access_key_id = field("AccessKeyId");
  creds.secret_access_key = field("SecretAccessKey");
  creds.session_token = field("Token");
  creds.source = std::move(source);
  if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
    return Status::Internal(origin + ": credentials answer lacks AccessKeyId or SecretAccessKey" +
                            (message.empty() ? "" : " (" + message + ")"));
  }
  std::string expiration = field("Expiration");
  if (!expiration.empty()) {
    auto t = ParseIso8601(expiration);
    if (!t.ok()) return t.status().WithContext(origin + ": Expiration");
    creds.expiration = *t;
  }
  return creds;
}

ContainerCredentialsProvider::ContainerCredentialsProvider(Env& env, HttpClient& http,
                                                           ContainerCredentialsOptions options)
    : env_(env), http_(http), options_(options) {}

Result<std::string> ContainerCredentialsProvider::EndpointUrl() {
  if (auto relative = env_.GetNonEmptyVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    std::string url = kEcsHost;
    if (relative->front() != '/') url += '/';
    return url + *relative;
  }
  auto full = env_.GetNonEmptyVar("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!full) {
    return Status::NotFound(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not "
        "set");
  }
  auto url = ParseUrl(*full);
  if (!url) {
    return Status::InvalidArgument("AWS_CONTAINER_CREDENTIALS_FULL_URI '" + *full +
                                   "' is not an absolute URL");
  }
  if (url->scheme == "https") return *full;
  if (url->scheme == "http" && IsAllowedHttpHost(url->host)) return *full;
  return Status::InvalidArgument(
      "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + *full +
      "' is not allowed: use https, or http to a loopback address, 169.254.170.2, "
      "169.254.170.23 or [fd00:ec2::23]");
}

Result<std::string> ContainerCredentialsProvider::AuthorizationToken() {
  std::string token;
  if (auto file = env_.GetNonEmptyVar("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    auto text = env_.ReadFileToString(*file);
    if (!text.ok()) {
      // A missing token file is a broken configuration, not "no container credentials".
      return Status(text.status().code() == StatusCode::kNotFound ? StatusCode::kInvalidArgument
                                                                  : text.status().code(),
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: " + text.status().message());
    }
    token = std::move(*text);
  } else if (auto value = env_.GetNonEmptyVar("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
    token = *value;
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.find_first_of("\r\n") != std::string::npos) {
    return Status::InvalidArgument(
        "container authorization token contains a line break, which an HTTP header cannot carry");
  }
  return token;
}

Result<Credentials> ContainerCredentialsProvider::GetCredentials() {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string url, EndpointUrl());
  Status last;
  for (int attempt = 0; attempt < std::max(1, options_.attempts); ++attempt) {
    if (attempt > 0) env_.SleepFor(options_.retry_delay);
    // The token file is re-read on every attempt: the agent that writes it rotates it.
    LIFEBOAT_ASSIGN_OR_RETURN(std::string token, AuthorizationToken());
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.timeout = options_.timeout;
    request.headers.Set("Accept", "application/json");
    if (!token.empty()) request.headers.Set("Authorization", token);
    auto response = http_.Send(request);
    if (!response.ok()) {
      last = Status(response.status().code(),
                    "container credentials endpoint " + url + ": " + response.status().message());
      if (last.code() == StatusCode::kInvalidArgument) return last;
      spdlog::debug("{} (attempt {})", last.message(), attempt + 1);
      continue;
    }
    if (response->status == 200) {
      return ParseCredentialsDocument(response->body, "container credentials endpoint " + url,
                                      "container");
    }
    std::string what = "container credentials endpoint " + url + " answered HTTP " +
                       std::to_string(response->status) + ": " + Snippet(response->body);
    if (response->status >= 500) {
      last = Status::Unavailable(std::move(what));
      continue;
    }
    if (response->status == 401 || response->status == 403) {
      return Status::PermissionDenied(std::move(what));
    }
    return Status::InvalidArgument(std::move(what));
  }
  return last;
}

}  // namespace lifeboat
