#include "aws/aws_transport.h"

#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "aws/aws_error.h"
#include "aws/sigv4.h"
#include "common/hash.h"
#include "common/version.h"

namespace lifeboat {
namespace {

using std::chrono::system_clock;

// A server whose Date is this far from our signing time is a clock problem, not a bad key.
constexpr std::chrono::minutes kSkewThreshold{4};

bool OneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  for (std::string_view c : codes) {
    if (c == code) return true;
  }
  return false;
}

// Codes with which services reject a request signed at a time too far from theirs. Some of
// them (SignatureDoesNotMatch, AuthFailure) also mean a wrong key, so the Date header decides.
bool MayBeClockSkew(std::string_view code) {
  return OneOf(code, {"RequestTimeTooSkewed", "RequestInTheFuture", "RequestExpired",
                      "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure"});
}

std::string Describe(const HttpRequest& request) { return request.method + " " + request.url; }

}  // namespace

std::optional<system_clock::time_point> ParseHttpDate(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string s(text);
  char weekday[4] = {0}, month[4] = {0}, zone[4] = {0};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", weekday, &day,
                  month, &year, &hour, &minute, &second, zone, &consumed) != 8 ||
      static_cast<size_t>(consumed) != s.size() || std::string_view(zone) != "GMT") {
    return std::nullopt;
  }
  int month_index = -1;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == month) month_index = static_cast<int>(i);
  }
  if (month_index < 0 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month_index + 1)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

bool IsRetryableAwsError(const Status& error, int http_status) {
  if (http_status == 0) {
    // No answer arrived (or no credentials could be fetched): only transient failures.
    return error.code() == StatusCode::kUnavailable ||
           error.code() == StatusCode::kDeadlineExceeded;
  }
  switch (http_status) {
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      break;
  }
  return OneOf(
      error.service_code(),
      {"RequestTimeout", "RequestTimeoutException", "SlowDown", "Throttling", "ThrottlingException",
       "RequestLimitExceeded", "InternalError", "InternalFailure", "ServiceUnavailable",
       "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
       "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
       "PriorRequestNotComplete", "EC2ThrottledException", "ConditionalRequestConflict"});
}

AwsTransport::AwsTransport(HttpClient& http, CredentialsProvider& credentials, Env& env,
                           AwsTransportOptions options)
    : http_(http),
      credentials_(credentials),
      env_(env),
      options_(std::move(options)),
      backoff_(options_.backoff, options_.jitter) {}

std::chrono::seconds AwsTransport::clock_skew() const {
  return std::chrono::seconds(clock_skew_seconds_.load(std::memory_order_relaxed));
}

AwsTransportStats AwsTransport::stats() const {
  AwsTransportStats stats{requests_sent_.load(), retries_.load(), bytes_sent_.load(),
                          bytes_received_.load(), {}};
  std::lock_guard lock(operations_mu_);
  stats.requests_by_operation = requests_by_operation_;
  return stats;
}

Result<HttpRequest> AwsTransport::Sign(const HttpRequest& request, const std::string& payload_hash,
                                       system_clock::time_point time) {
  LIFEBOAT_ASSIGN_OR_RETURN(Credentials credentials, credentials_.GetCredentials());
  SigningConfig config;
  config.region = options_.region;
  config.service = options_.service;
  config.time = time;
  config.credentials = std::move(credentials);
  config.double_uri_encode = !options_.s3_signing;
  config.normalize_path = !options_.s3_signing;
  config.add_content_sha256_header = options_.s3_signing;
  config.payload_hash = payload_hash;
  // Sign a copy without the body: bodies are megabytes, and the signature needs only their
  // hash. Send() moves the body into the signed request.
  HttpRequest copy{request.method, request.url, request.headers, {}, request.timeout};
  if (!copy.headers.Has("User-Agent")) {
    copy.headers.Set("User-Agent", std::string("lifeboat/") + LifeboatVersion());
  }
  return SignRequest(std::move(copy), config);
}

bool AwsTransport::CorrectClockSkew(const Status& error, const HttpResponse& response,
                                    system_clock::time_point signed_at) {
  if (!MayBeClockSkew(error.service_code())) return false;
  auto date = response.headers.Get("Date");
  if (!date) return false;
  auto server_time = ParseHttpDate(*date);
  if (!server_time) return false;
  auto off_by = *server_time - signed_at;
  if (off_by < kSkewThreshold && -off_by < kSkewThreshold) return false;
  const auto skew = std::chrono::duration_cast<std::chrono::seconds>(*server_time - env_.Now());
  clock_skew_seconds_.store(skew.count(), std::memory_order_relaxed);
  spdlog::warn("{}: the local clock is {} s off the server's ({}); correcting request times",
               options_.service, -skew.count(), error.service_code());
  return true;
}

Result<HttpResponse> AwsTransport::Send(HttpRequest request, const AwsSendOptions& send_options) {
  // Every service signs the payload hash, and Sign() sees a copy without the body: compute
  // it here, once, not per attempt (S3 parts are megabytes).
  const std::string payload_hash = Sha256Hex(request.body);
  const int max_attempts = std::max(1, options_.max_attempts);
  Status last;
  int attempt = 0;
  int backoff_step = 0;
  while (true) {
    ++attempt;
    int http_status = 0;
    const auto signed_at = env_.Now() + clock_skew();
    Result<HttpRequest> signed_request = Sign(request, payload_hash, signed_at);
    if (!signed_request.ok()) {
      last = signed_request.status();
    } else {
      requests_sent_.fetch_add(1, std::memory_order_relaxed);
      bytes_sent_.fetch_add(request.body.size(), std::memory_order_relaxed);
      if (!send_options.operation.empty()) {
        std::lock_guard lock(operations_mu_);
        auto it = requests_by_operation_.find(send_options.operation);
        if (it == requests_by_operation_.end()) {
          it = requests_by_operation_.emplace(std::string(send_options.operation), 0).first;
        }
        ++it->second;
      }
      signed_request->body = std::move(request.body);
      Result<HttpResponse> response = http_.Send(*signed_request);
      request.body = std::move(signed_request->body);
      if (!response.ok()) {
        last = response.status();
      } else {
        bytes_received_.fetch_add(response->body.size(), std::memory_order_relaxed);
        http_status = response->status;
        std::optional<Status> hidden_error;
        if (http_status >= 200 && http_status < 300 && send_options.error_may_be_in_200_body) {
          hidden_error = ErrorInSuccessfulResponse(*response);
        }
        if (http_status >= 200 && http_status < 400 && !hidden_error) return response;
        last = hidden_error ? *std::move(hidden_error) : AwsErrorToStatus(*response);
        if (attempt < max_attempts && CorrectClockSkew(last, *response, signed_at)) {
          retries_.fetch_add(1, std::memory_order_relaxed);
          continue;  // a clock fix needs no waiting
        }
      }
    }
    if (attempt >= max_attempts || !IsRetryableAwsError(last, http_status)) break;
    const auto delay = backoff_.Delay(backoff_step++);
    spdlog::debug("{}: {}; retrying in {} ms (attempt {} of {})", Describe(request), last.message(),
                  delay.count(), attempt + 1, max_attempts);
    retries_.fetch_add(1, std::memory_order_relaxed);
    env_.SleepFor(delay);
  }
  if (attempt > 1) {
    return Status(last.code(), last.message() + " (after " + std::to_string(attempt) + " attempts)",
                  last.service_code());
  }
  return last;
}

}  // namespace lifeboat
