#include "aws/imds_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/strings.h"

namespace lifeboat {
namespace {

constexpr char kDefaultEndpoint[] = "http://169.254.169.254";
constexpr char kTokenHeader[] = "X-aws-ec2-metadata-token";
constexpr char kTtlHeader[] = "X-aws-ec2-metadata-token-ttl-seconds";

bool IsTrue(const std::optional<std::string>& v) {
  if (!v) return false;
  std::string s = TrimSpace(*v);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s == "true";
}

}  // namespace

ImdsClient::ImdsClient(Env& env, HttpClient& http, ImdsOptions options)
    : env_(env), http_(http), options_(options) {
  disabled_ = IsTrue(env_.GetVar("AWS_EC2_METADATA_DISABLED"));
  endpoint_ = env_.GetNonEmptyVar("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or(kDefaultEndpoint);
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  auto url = ParseUrl(endpoint_);
  if (!url || (url->scheme != "http" && url->scheme != "https")) {
    endpoint_error_ =
        "AWS_EC2_METADATA_SERVICE_ENDPOINT '" + endpoint_ + "' is not an http(s) URL with a host";
  }
}

Result<HttpResponse> ImdsClient::SendWithRetries(const HttpRequest& request, bool retry_timeouts) {
  Result<HttpResponse> last = Status::Internal("no attempt made");
  for (int attempt = 0; attempt < std::max(1, options_.attempts); ++attempt) {
    last = http_.Send(request);
    if (last.ok() && last->status < 500) return last;
    if (!last.ok()) {
      StatusCode code = last.status().code();
      if (code == StatusCode::kInvalidArgument) return last;
      if (code == StatusCode::kDeadlineExceeded && !retry_timeouts) return last;
    }
    spdlog::debug("instance metadata {} {}: attempt {} failed: {}", request.method, request.url,
                  attempt + 1,
                  last.ok() ? "HTTP " + std::to_string(last->status) : last.status().message());
  }
  return last;
}

Result<std::string> ImdsClient::FetchToken() {
  HttpRequest request;
  request.method = "PUT";
  request.url = endpoint_ + "/latest/api/token";
  request.timeout = options_.timeout;
  request.headers.Set(kTtlHeader, std::to_string(options_.token_ttl.count()));
  // A timeout here almost always means "not on EC2": answer at once rather than retry.
  auto response = SendWithRetries(request, /*retry_timeouts=*/false);
  if (!response.ok()) {
    return Status(response.status().code(),
                  "instance metadata service at " + endpoint_ +
                      " did not answer (not running on EC2?): " + response.status().message());
  }
  const std::string what = "instance metadata service at " + endpoint_ + " answered HTTP " +
                           std::to_string(response->status) + " to the session token request";
  switch (response->status) {
    case 200:
      break;
    case 403:
      return Status::PermissionDenied(what);
    case 404:
    case 405:
      return Status::NotFound(what + " (IMDSv2 not available)");
    default:
      return response->status >= 500 ? Status::Unavailable(what) : Status::Internal(what);
  }
  std::string token = TrimSpace(response->body);
  if (token.empty()) return Status::Internal(what + " with an empty token");

  std::chrono::seconds ttl = options_.token_ttl;
  if (auto header = response->headers.Get(kTtlHeader)) {
    long long seconds = 0;
    auto [end, ec] = std::from_chars(header->data(), header->data() + header->size(), seconds);
    if (ec == std::errc() && end == header->data() + header->size() && seconds > 0) {
      ttl = std::chrono::seconds(seconds);
    }
  }
  std::chrono::seconds usable =
      ttl > options_.token_refresh_margin ? ttl - options_.token_refresh_margin : ttl / 2;
  token_ = token;
  token_refresh_at_ = env_.SteadyNow() + usable;
  return token;
}

Result<std::string> ImdsClient::Token() {
  std::lock_guard lock(token_mu_);
  if (!token_.empty() && env_.SteadyNow() < token_refresh_at_) return token_;
  token_.clear();
  return FetchToken();
}

void ImdsClient::DropToken(const std::string& token) {
  std::lock_guard lock(token_mu_);
  if (token_ == token) token_.clear();
}

Result<std::string> ImdsClient::Get(std::string_view path) {
  if (disabled_) {
    return Status::NotFound("instance metadata service disabled by AWS_EC2_METADATA_DISABLED=true");
  }
  if (endpoint_error_) return Status::InvalidArgument(*endpoint_error_);
  if (path.rfind("/latest/", 0) == 0) path.remove_prefix(8);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  HttpRequest request;
  request.method = "GET";
  request.url = endpoint_ + "/latest/" + std::string(path);
  request.timeout = options_.timeout;

  for (int round = 0;; ++round) {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string token, Token());
    request.headers.Set(kTokenHeader, token);
    auto response = SendWithRetries(request, /*retry_timeouts=*/true);
    if (!response.ok()) {
      return Status(response.status().code(),
                    "instance metadata " + request.url + ": " + response.status().message());
    }
    if (response->status == 200) return std::move(response->body);
    if (response->status == 401 && round == 0) {
      // The token expired or the service restarted: one more try with a fresh token.
      DropToken(token);
      continue;
    }
    std::string what =
        "instance metadata " + request.url + " answered HTTP " + std::to_string(response->status);
    switch (response->status) {
      case 404:
        return Status::NotFound(what + " (not found)");
      case 401:
        return Status::Unauthenticated(what + " even with a fresh session token");
      case 403:
        return Status::PermissionDenied(what);
      default:
        return response->status >= 500 ? Status::Unavailable(what) : Status::Internal(what);
    }
  }
}

Result<std::string> ImdsClient::InstanceId() {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string body, Get("meta-data/instance-id"));
  return TrimSpace(std::move(body));
}

Result<std::string> ImdsClient::Region() {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string body, Get("meta-data/placement/region"));
  return TrimSpace(std::move(body));
}

}  // namespace lifeboat
