// LocalLambda's invocation paths: Invoke (RequestResponse, Event, DryRun), the old
// InvokeAsync, and the Event queue's attempts.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "local/lambda/lambda_service.h"

namespace lifeboat {
namespace {

using nlohmann::json;

// AWS's payload limits: 6 MB synchronous, 1 MB asynchronous.
constexpr size_t kMaxSyncPayload = 6291456;
constexpr size_t kMaxAsyncPayload = 1048576;
constexpr size_t kLogTailBytes = 4096;

std::string Hex(size_t digits) {
  std::string hex;
  while (hex.size() < digits) {
    for (char c : NewRequestId()) {
      if (c != '-' && hex.size() < digits) hex += c;
    }
  }
  return hex;
}

// An X-Ray trace header for an invocation nobody traced: sampled out, as Lambda passes on.
std::string NewTraceId(std::chrono::system_clock::time_point now) {
  char epoch[16];
  std::snprintf(epoch, sizeof epoch, "%08llx",
                static_cast<unsigned long long>(std::chrono::system_clock::to_time_t(now)));
  return "Root=1-" + std::string(epoch) + "-" + Hex(24) + ";Parent=" + Hex(16) + ";Sampled=0";
}

LocalResponse Accepted(int status, const std::string& request_id) {
  LocalResponse r;
  r.status = status;
  r.headers.Set("x-amzn-RequestId", request_id);
  return r;
}

}  // namespace

LocalResponse LocalLambda::Invoke(const LocalRequest& request, const std::string& name_or_arn) {
  auto function = Find(name_or_arn, request.Param("Qualifier"));
  if (!function.ok()) return LambdaErrorResponse(function.status());
  std::string type = request.Header("x-amz-invocation-type");
  if (type.empty()) type = "RequestResponse";
  if (type != "RequestResponse" && type != "Event" && type != "DryRun") {
    return LambdaErrorResponse(400, kInvalidParameterValue,
                               "1 validation error detected: Value '" + type +
                                   "' at 'invocationType' failed to satisfy constraint: Member "
                                   "must satisfy enum value set: [Event, RequestResponse, DryRun]");
  }
  size_t limit = type == "Event" ? kMaxAsyncPayload : kMaxSyncPayload;
  if (request.body.size() > limit) {
    return LambdaErrorResponse(413, "RequestTooLargeException",
                               "Request must be smaller than " + std::to_string(limit) +
                                   " bytes for the InvokeFunction operation");
  }
  std::string payload = request.body.empty() ? "{}" : request.body;
  if (!json::accept(payload)) {
    return LambdaErrorResponse(400, "InvalidRequestContentException",
                               "Could not parse request body into json: Could not parse payload "
                               "into json: the payload is not valid JSON");
  }
  const LambdaFunctionConfig& config = (*function)->host->config();
  if (type == "DryRun") return Accepted(204, NewRequestId());
  if (type == "Event") {
    AsyncEvent event{config.name, std::move(payload), NewRequestId(), 0};
    std::string id = event.request_id;
    if (!async_->Enqueue(std::move(event))) {
      return LambdaErrorResponse(503, "ServiceException", "Lambda is stopping");
    }
    return Accepted(202, id);
  }

  Invocation invocation;
  invocation.request_id = NewRequestId();
  invocation.payload = std::move(payload);
  invocation.function_arn = config.arn;
  std::string qualifier = request.Param("Qualifier");
  if (!qualifier.empty()) invocation.function_arn += ":" + qualifier;
  invocation.trace_id = NewTraceId(env_->Now());
  std::string client_context = request.Header("x-amz-client-context");
  if (!client_context.empty()) {
    auto decoded = Base64Decode(client_context);
    if (!decoded || !json::accept(*decoded)) {
      return LambdaErrorResponse(400, "InvalidRequestContentException",
                                 "Client context must be a valid Base64-encoded JSON object.");
    }
    invocation.client_context = *decoded;
  }
  auto outcome = (*function)->host->Invoke(invocation);
  if (!outcome.ok()) {
    if (outcome.status().code() == StatusCode::kCancelled) {
      return LambdaErrorResponse(404, kResourceNotFound, "Function not found: " + config.arn);
    }
    return LambdaErrorResponse(outcome.status());
  }
  LocalResponse r;
  r.status = 200;
  r.headers.Set("Content-Type", "application/json");
  r.headers.Set("x-amzn-RequestId", invocation.request_id);
  r.headers.Set("X-Amzn-Trace-Id", invocation.trace_id);
  r.headers.Set("X-Amz-Executed-Version", "$LATEST");
  if (outcome->is_error()) r.headers.Set("X-Amz-Function-Error", "Unhandled");
  if (request.Header("x-amz-log-type") == "Tail") {
    // The end of the function's log, where this invocation's lines are the last ones.
    std::string log_path = JoinPath(JoinPath(options_.dir, "logs"), config.name + ".log");
    std::string tail;
    if (auto file = env_->OpenForRead(log_path); file.ok()) {
      if (auto info = (*file)->Stat(); info.ok()) {
        uint64_t from = info->size > kLogTailBytes ? info->size - kLogTailBytes : 0;
        tail.resize(static_cast<size_t>(info->size - from));
        auto got = (*file)->ReadAt(from, tail.data(), tail.size());
        tail.resize(got.ok() ? *got : 0);
      }
    }
    r.headers.Set("X-Amz-Log-Result", Base64Encode(tail));
  }
  r.body = std::move(outcome->body);
  return r;
}

LocalResponse LocalLambda::InvokeAsyncLegacy(const LocalRequest& request,
                                             const std::string& name_or_arn) {
  auto function = Find(name_or_arn);
  if (!function.ok()) return LambdaErrorResponse(function.status());
  std::string payload = request.body.empty() ? "{}" : request.body;
  if (!json::accept(payload)) {
    return LambdaErrorResponse(400, "InvalidRequestContentException",
                               "Could not parse request body into json");
  }
  AsyncEvent event{(*function)->host->config().name, std::move(payload), NewRequestId(), 0};
  std::string id = event.request_id;
  if (!async_->Enqueue(std::move(event))) {
    return LambdaErrorResponse(503, "ServiceException", "Lambda is stopping");
  }
  LocalResponse r = Accepted(202, id);
  r.headers.Set("Content-Type", "application/json");
  r.body = R"({"Status":202})";
  return r;
}

Status LocalLambda::InvokeAsync(const std::string& function_name_or_arn, std::string payload) {
  auto function = Find(function_name_or_arn);
  if (!function.ok()) {
    return Status(StatusCode::kNotFound, function.status().message(), kResourceNotFound);
  }
  AsyncEvent event{(*function)->host->config().name, std::move(payload), NewRequestId(), 0};
  if (!async_->Enqueue(std::move(event))) return Status::Cancelled("Lambda is stopping");
  return Status::Ok();
}

AttemptResult LocalLambda::RunAsync(const AsyncEvent& event) {
  std::shared_ptr<Function> function;
  {
    std::lock_guard lock(mu_);
    auto it = functions_.find(event.function_name);
    if (stopped_ || it == functions_.end()) return AttemptResult::kDone;  // deleted meanwhile
    function = it->second;
  }
  Invocation invocation;
  invocation.request_id = event.request_id;
  invocation.payload = event.payload;
  invocation.function_arn = function->host->config().arn;
  invocation.trace_id = NewTraceId(env_->Now());
  auto outcome = function->host->Invoke(invocation);
  if (!outcome.ok()) {
    return outcome.status().code() == StatusCode::kResourceExhausted ? AttemptResult::kThrottled
                                                                     : AttemptResult::kDone;
  }
  if (!outcome->is_error()) return AttemptResult::kDone;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return AttemptResult::kDone;  // killed by the shutdown, not failed
  }
  spdlog::warn(
      "lambda: asynchronous invocation {} of {} failed (attempt {} of 3{}): {}", event.request_id,
      event.function_name, event.attempt + 1,
      event.attempt >= 2 ? ", dropped: no destination or dead-letter queue here" : ", will retry",
      outcome->body);
  return AttemptResult::kFailed;
}

}  // namespace lifeboat
