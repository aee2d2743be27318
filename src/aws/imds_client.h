// ImdsClient: the EC2 instance metadata service, IMDSv2 only (session tokens; no fallback
// to IMDSv1, which lets anything that can make the instance send a GET read its credentials).
//
// Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, default http://169.254.169.254.
// AWS_EC2_METADATA_DISABLED=true turns every call into kNotFound saying so.
// A token (PUT /latest/api/token, X-aws-ec2-metadata-token-ttl-seconds: 21600) is cached until
// shortly before its TTL ends and sent as X-aws-ec2-metadata-token; a 401 drops it, fetches a
// new one and retries once. Requests use a short timeout and few attempts, so "not on EC2"
// is answered within about a second.
//
// Borrows Env (variables, clock) and HttpClient. Thread-safe: the token is guarded by a mutex
// and at most one token request is in flight.
#ifndef LIFEBOAT_AWS_IMDS_CLIENT_H_
#define LIFEBOAT_AWS_IMDS_CLIENT_H_

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/env.h"
#include "common/status.h"
#include "http/http_client.h"

namespace lifeboat {

struct ImdsOptions {
  std::chrono::milliseconds timeout{1000};  // per request
  int attempts = 2;                         // per request, for connection failures and 5xx
  std::chrono::seconds token_ttl{21600};    // what the token request asks for
  // A cached token is replaced this long before the service said it expires.
  std::chrono::seconds token_refresh_margin{120};
};

class ImdsClient {
 public:
  // Reads AWS_EC2_METADATA_DISABLED and AWS_EC2_METADATA_SERVICE_ENDPOINT once, here.
  ImdsClient(Env& env, HttpClient& http, ImdsOptions options = {});
  ImdsClient(const ImdsClient&) = delete;
  ImdsClient& operator=(const ImdsClient&) = delete;

  bool disabled() const { return disabled_; }
  // The base URL without a trailing '/'.
  const std::string& endpoint() const { return endpoint_; }

  // The body of GET /latest/<path>; `path` is relative to /latest/ ("meta-data/instance-id";
  // a leading "/latest/" is accepted too). Errors: kNotFound for a 404 or when disabled,
  // kUnavailable / kDeadlineExceeded when the service does not answer (not on EC2),
  // kPermissionDenied for a 403, kInvalidArgument for a bad endpoint.
  Result<std::string> Get(std::string_view path);

  // meta-data/instance-id and meta-data/placement/region, whitespace trimmed.
  Result<std::string> InstanceId();
  Result<std::string> Region();

 private:
  Result<std::string> Token();       // cached or fetched
  Result<std::string> FetchToken();  // requires token_mu_
  void DropToken(const std::string& token);
  // Retries connection failures and 5xx answers; timeouts only when `retry_timeouts`.
  Result<HttpResponse> SendWithRetries(const HttpRequest& request, bool retry_timeouts);

  Env& env_;
  HttpClient& http_;
  ImdsOptions options_;
  bool disabled_ = false;
  std::string endpoint_;
  std::optional<std::string> endpoint_error_;  // why the configured endpoint is unusable

  std::mutex token_mu_;  // guards the token fields and serializes token requests
  std::string token_;
  std::chrono::steady_clock::time_point token_refresh_at_{};
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_IMDS_CLIENT_H_
