#include "local/lambda/runtime_channel.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

RuntimeReply Accepted() { return {202, R"({"status":"OK"})"}; }

RuntimeReply Refused(int status, const std::string& type, const std::string& message) {
  return {status, nlohmann::json{{"errorMessage", message}, {"errorType", type}}.dump()};
}

}  // namespace

std::string TimedOutErrorBody(const std::string& request_id, milliseconds after) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(after.count()) / 1000.0);
  return nlohmann::json{
      {"errorMessage",
       "RequestId: " + request_id + " Error: Task timed out after " + seconds + " seconds"},
      {"errorType", "Sandbox.Timedout"}}
      .dump();
}

std::string ExitErrorBody(const std::string& request_id, const std::string& reason) {
  return nlohmann::json{
      {"errorMessage", "RequestId: " + request_id + " Error: Runtime exited with error: " + reason},
      {"errorType", "Runtime.ExitError"}}
      .dump();
}

std::string RuntimeErrorBody(const std::string& error_type, std::string body) {
  if (!body.empty()) return body;
  return nlohmann::json{{"errorMessage", ""},
                        {"errorType", error_type.empty() ? "Unhandled" : error_type}}
      .dump();
}

InvocationOutcome RuntimeChannel::Run(const Invocation& invocation, milliseconds timeout,
                                      milliseconds init_timeout) {
  std::unique_lock lock(mu_);
  if (init_error_) return Finish(OutcomeKind::kInitError, *init_error_);
  if (closed_ || exit_reason_) return Failure(invocation.request_id);
  if (timed_out_ || (delivered_ && !answered_)) {
    return Finish(OutcomeKind::kExited, ExitErrorBody(invocation.request_id, "signal: killed"));
  }
  pending_ = invocation;
  pending_timeout_ = timeout;
  current_id_.clear();
  delivered_ = answered_ = false;
  result_.reset();
  cv_.notify_all();

  // Until the runtime takes it: at once when warm, within init_timeout when starting.
  const auto posted_at = Steady::now();
  cv_.wait_until(lock, posted_at + init_timeout,
                 [&] { return delivered_ || init_error_ || exit_reason_ || closed_; });
  if (!delivered_) {
    pending_.reset();
    if (init_error_) return Finish(OutcomeKind::kInitError, *init_error_);
    if (exit_reason_ || closed_) return Failure(invocation.request_id);
    timed_out_ = true;
    auto waited = std::chrono::duration_cast<milliseconds>(Steady::now() - posted_at);
    return Finish(OutcomeKind::kTimedOut, TimedOutErrorBody(invocation.request_id, waited));
  }
  cv_.wait_until(lock, delivered_at_ + timeout,
                 [&] { return result_.has_value() || exit_reason_ || closed_; });
  if (result_) {
    InvocationOutcome outcome = std::move(*result_);
    result_.reset();
    return outcome;
  }
  if (exit_reason_ || closed_) return Failure(invocation.request_id);
  timed_out_ = true;
  return Finish(OutcomeKind::kTimedOut, TimedOutErrorBody(invocation.request_id, timeout));
}

InvocationOutcome RuntimeChannel::Finish(OutcomeKind kind, std::string body) {
  InvocationOutcome outcome;
  outcome.kind = kind;
  outcome.body = std::move(body);
  if (delivered_) {
    outcome.duration = std::chrono::duration_cast<milliseconds>(Steady::now() - delivered_at_);
  }
  return outcome;
}

InvocationOutcome RuntimeChannel::Failure(const std::string& request_id) {
  // Closing kills the process; its exit may not have been seen yet.
  return Finish(OutcomeKind::kExited,
                ExitErrorBody(request_id, exit_reason_.value_or("signal: killed")));
}

bool RuntimeChannel::Reusable() const {
  std::lock_guard lock(mu_);
  return !closed_ && !exit_reason_ && !init_error_ && !timed_out_ && (!delivered_ || answered_);
}

void RuntimeChannel::ProcessExited(std::string reason) {
  std::lock_guard lock(mu_);
  if (!exit_reason_) exit_reason_ = std::move(reason);
  cv_.notify_all();
}

void RuntimeChannel::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

std::optional<DeliveredInvocation> RuntimeChannel::Next() {
  std::unique_lock lock(mu_);
  started_ = true;
  cv_.wait(lock, [&] { return pending_.has_value() || closed_; });
  if (closed_) return std::nullopt;
  DeliveredInvocation next;
  next.invocation = std::move(*pending_);
  pending_.reset();
  next.deadline_ms =
      std::chrono::duration_cast<milliseconds>((env_->Now() + pending_timeout_).time_since_epoch())
          .count();
  current_id_ = next.invocation.request_id;
  delivered_ = true;
  answered_ = false;
  delivered_at_ = Steady::now();
  cv_.notify_all();
  return next;
}

RuntimeReply RuntimeChannel::Respond(const std::string& request_id, std::string body) {
  std::lock_guard lock(mu_);
  if (!delivered_ || request_id != current_id_) {
    return Refused(400, "InvalidRequestID", "Invalid request ID");
  }
  if (answered_ || timed_out_) {
    return Refused(403, "InvalidStateTransition",
                   "State transition is not allowed: the invocation has already ended");
  }
  answered_ = true;
  if (body.size() > kMaxResponseBytes) {
    result_ = Finish(OutcomeKind::kFunctionError,
                     nlohmann::json{{"errorMessage",
                                     "Response payload size exceeded maximum allowed payload "
                                     "size (" +
                                         std::to_string(kMaxResponseBytes) + " bytes)."},
                                    {"errorType", "Function.ResponseSizeTooLarge"}}
                         .dump());
    cv_.notify_all();
    return Refused(413, "RequestEntityTooLarge", "Response payload too large");
  }
  result_ = Finish(OutcomeKind::kResponse, std::move(body));
  cv_.notify_all();
  return Accepted();
}

RuntimeReply RuntimeChannel::Fail(const std::string& request_id, const std::string& error_type,
                                  std::string body) {
  std::lock_guard lock(mu_);
  if (!delivered_ || request_id != current_id_) {
    return Refused(400, "InvalidRequestID", "Invalid request ID");
  }
  if (answered_ || timed_out_) {
    return Refused(403, "InvalidStateTransition",
                   "State transition is not allowed: the invocation has already ended");
  }
  answered_ = true;
  result_ = Finish(OutcomeKind::kFunctionError, RuntimeErrorBody(error_type, std::move(body)));
  cv_.notify_all();
  return Accepted();
}

RuntimeReply RuntimeChannel::InitFailed(const std::string& error_type, std::string body) {
  std::lock_guard lock(mu_);
  if (started_) {
    return Refused(403, "InvalidStateTransition",
                   "State transition is not allowed: the runtime has already initialised");
  }
  if (!init_error_) init_error_ = RuntimeErrorBody(error_type, std::move(body));
  cv_.notify_all();
  return Accepted();
}

}  // namespace lifeboat
