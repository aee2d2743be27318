// AwsTransport: sends one AWS API request, signed and retried.
//
// Each attempt fetches credentials, signs the request (SigV4) with the wall-clock time plus
// the clock-skew correction learned from earlier answers, and sends it through HttpClient.
// Connection failures, 5xx, 429 and throttling/transient service codes are retried with
// full-jitter exponential backoff (sleeping through Env); an answer that says the clock is
// skewed sets the correction from the response's Date header and is retried at once. Other
// 4xx answers come back right away as a Status (see aws_error.h).
//
// Borrows the HttpClient, CredentialsProvider and Env, which must outlive it. Thread-safe:
// one transport serves all threads of a client; the skew correction and the counters are
// shared atomics.
#ifndef LIFEBOAT_AWS_AWS_TRANSPORT_H_
#define LIFEBOAT_AWS_AWS_TRANSPORT_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "common/backoff.h"
#include "common/env.h"
#include "common/status.h"
#include "http/http_client.h"
#include "http/http_types.h"

namespace lifeboat {

struct AwsTransportOptions {
  std::string service;  // the signing name: "s3", "sqs", "autoscaling", "ssm", ...
  std::string region;
  // S3's signing rules: the path is signed as sent (no double encoding, no normalisation)
  // and the payload hash travels in x-amz-content-sha256.
  bool s3_signing = false;
  int max_attempts = 10;  // attempts in all, the first included
  BackoffPolicy backoff;
  // Jitter source in [0, 1) for the backoff; empty means a thread-local random engine.
  // Must be thread-safe when the transport is shared.
  std::function<double()> jitter;
};

struct AwsSendOptions {
  // The API operation ("PutObject"), counted per request sent: requests are what AWS bills.
  std::string_view operation;
  // S3 answers CompleteMultipartUpload (and copies) with 200 and may then report a failure
  // in an <Error> body. When set, such a body is treated as that error, and retried when the
  // error is a transient one. Never set it for GetObject: an object may hold any XML.
  bool error_may_be_in_200_body = false;
};

struct AwsTransportStats {
  uint64_t requests_sent = 0;  // HTTP requests, retries included
  uint64_t retries = 0;
  uint64_t bytes_sent = 0;      // request bodies
  uint64_t bytes_received = 0;  // response bodies
  // HTTP requests per operation named in AwsSendOptions, retries included.
  std::map<std::string, uint64_t, std::less<>> requests_by_operation;
};

class AwsTransport {
 public:
  AwsTransport(HttpClient& http, CredentialsProvider& credentials, Env& env,
               AwsTransportOptions options);
  AwsTransport(const AwsTransport&) = delete;
  AwsTransport& operator=(const AwsTransport&) = delete;

  // Signs and sends `request` (which must not be signed yet), retrying as described above.
  // Returns the response when it is 2xx or 3xx (304 included); otherwise the error, its
  // message ending "(after N attempts)" when more than one attempt was made.
  // Takes the request by value: pass it with std::move and its body is never copied.
  Result<HttpResponse> Send(HttpRequest request, const AwsSendOptions& send_options = {});

  // The correction added to Env::Now() when signing (server time minus local time).
  std::chrono::seconds clock_skew() const;
  AwsTransportStats stats() const;
  const AwsTransportOptions& options() const { return options_; }

 private:
  Result<HttpRequest> Sign(const HttpRequest& request, const std::string& payload_hash,
                           std::chrono::system_clock::time_point time);
  // True when the answer blames the clock and its Date header gave a new correction.
  bool CorrectClockSkew(const Status& error, const HttpResponse& response,
                        std::chrono::system_clock::time_point signed_at);

  HttpClient& http_;
  CredentialsProvider& credentials_;
  Env& env_;
  const AwsTransportOptions options_;
  const Backoff backoff_;

  std::atomic<int64_t> clock_skew_seconds_{0};
  std::atomic<uint64_t> requests_sent_{0};
  std::atomic<uint64_t> retries_{0};
  std::atomic<uint64_t> bytes_sent_{0};
  std::atomic<uint64_t> bytes_received_{0};
  mutable std::mutex operations_mu_;
  std::map<std::string, uint64_t, std::less<>> requests_by_operation_;
};

// Parses an HTTP date (RFC 1123, "Sun, 06 Nov 1994 08:49:37 GMT"); nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text);

// Whether an error is worth another attempt: connection failures and timeouts from the
// HttpClient, HTTP 500/502/503/504/429, and the transient service codes (RequestTimeout,
// SlowDown, Throttling*, InternalError, ServiceUnavailable, ...).
bool IsRetryableAwsError(const Status& error, int http_status);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_AWS_TRANSPORT_H_
