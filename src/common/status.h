// Status and Result<T>: errors as values across lifeboat's own APIs.
//
// A Status is a code, a one-line message meant for an operator, and, when the error came
// from an AWS service, that service's error code ("NoSuchBucket", "PreconditionFailed").
// Library exceptions are caught in the adapter that calls the library and become a Status.
#ifndef LIFEBOAT_COMMON_STATUS_H_
#define LIFEBOAT_COMMON_STATUS_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lifeboat {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from the user or a peer
  kNotFound,            // a file, object, bucket or key does not exist
  kAlreadyExists,       // a create-only write found something in the way
  kFailedPrecondition,  // a conditional request failed (HTTP 412)
  kPermissionDenied,    // EACCES, HTTP 403
  kUnauthenticated,     // bad or missing credentials, bad signature
  kUnavailable,         // connection refused, DNS failure, 5xx: worth retrying
  kDeadlineExceeded,    // a timeout
  kResourceExhausted,   // throttled (429/SlowDown), disk full
  kDataLoss,            // a checksum mismatch, a torn or corrupted object
  kIoError,             // other local I/O failure
  kInternal,            // a bug or an unexpected answer from a peer
  kCancelled,
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string service_code = {})
      : code_(code), message_(std::move(message)), service_code_(std::move(service_code)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The AWS error code ("NoSuchKey", "SlowDown") when a service answered; empty otherwise.
  const std::string& service_code() const { return service_code_; }

  // "context: message", keeping code and service code; OK stays OK.
  Status WithContext(std::string_view context) const;
  // One line for an operator: the message, or "OK".
  std::string ToString() const { return ok() ? "OK" : message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string service_code_;
};

// A Status from an errno value: ENOENT -> kNotFound, EACCES -> kPermissionDenied, ...
// The message is "context: strerror(err)".
Status PosixError(std::string_view context, int err);

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace lifeboat

#define LIFEBOAT_CONCAT_INNER_(a, b) a##b
#define LIFEBOAT_CONCAT_(a, b) LIFEBOAT_CONCAT_INNER_(a, b)

#define LIFEBOAT_RETURN_IF_ERROR(expr)          \
  do {                                          \
    ::lifeboat::Status lifeboat_status_ = (expr); \
    if (!lifeboat_status_.ok()) return lifeboat_status_; \
  } while (0)

#define LIFEBOAT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()

// LIFEBOAT_ASSIGN_OR_RETURN(auto x, MakeX()); returns the Status if MakeX failed.
#define LIFEBOAT_ASSIGN_OR_RETURN(lhs, expr) \
  LIFEBOAT_ASSIGN_OR_RETURN_IMPL_(LIFEBOAT_CONCAT_(lifeboat_result_, __LINE__), lhs, expr)

#endif  // LIFEBOAT_COMMON_STATUS_H_
