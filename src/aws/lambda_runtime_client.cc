#include "aws/lambda_runtime_client.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

using nlohmann::json;

// A request with timeout 0 gets the HttpClient's default, which a caller may have set to
// something short; /next waits for as long as no one invokes the function, so it asks for
// a limit nothing reaches.
constexpr std::chrono::milliseconds kNextTimeout = std::chrono::hours(24 * 365);

// The Runtime API answers errors as {"errorMessage": ..., "errorType": ...}.
Status RuntimeError(std::string_view what, const HttpResponse& response) {
  const json doc = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string type;
  std::string message;
  if (doc.is_object()) {
    if (auto it = doc.find("errorType"); it != doc.end() && it->is_string()) type = *it;
    if (auto it = doc.find("errorMessage"); it != doc.end() && it->is_string()) message = *it;
  }
  std::string text = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!type.empty()) text += " " + type;
  if (!message.empty()) text += ": " + message;
  // 500 means the environment is going away (the runtime is to exit); 4xx is our mistake.
  const StatusCode code = response.status >= 500   ? StatusCode::kUnavailable
                          : response.status == 413 ? StatusCode::kResourceExhausted
                                                   : StatusCode::kInvalidArgument;
  return Status(code, std::move(text), type);
}

Result<HttpResponse> Post(HttpClient& http, std::string url, std::string body,
                          std::string_view what, std::string_view error_type = {}) {
  HttpRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.body = std::move(body);
  request.headers.Set("Content-Type", "application/json");
  if (!error_type.empty()) {
    request.headers.Set("Lambda-Runtime-Function-Error-Type", std::string(error_type));
  }
  auto response = http.Send(request);
  if (!response.ok()) return response.status().WithContext(what);
  if (response->status < 200 || response->status >= 300) return RuntimeError(what, *response);
  return response;
}

std::string ErrorBody(std::string_view error_type, std::string_view message) {
  const json body = {{"errorMessage", message}, {"errorType", error_type}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

LambdaRuntimeClient::LambdaRuntimeClient(HttpClient& http, std::string api)
    : http_(http), base_("http://" + api + "/2018-06-01/runtime") {}

Result<LambdaInvocation> LambdaRuntimeClient::Next() {
  constexpr std::string_view kWhat = "Lambda runtime API next invocation";
  HttpRequest request;
  request.method = "GET";
  request.url = base_ + "/invocation/next";
  request.timeout = kNextTimeout;
  auto response = http_.Send(request);
  if (!response.ok()) return response.status().WithContext(kWhat);
  if (response->status != 200) return RuntimeError(kWhat, *response);
  LambdaInvocation invocation;
  invocation.request_id = response->headers.Get("Lambda-Runtime-Aws-Request-Id").value_or("");
  if (invocation.request_id.empty()) {
    return Status::Internal(std::string(kWhat) + ": no Lambda-Runtime-Aws-Request-Id header");
  }
  const std::string deadline = response->headers.Get("Lambda-Runtime-Deadline-Ms").value_or("");
  int64_t deadline_ms = 0;
  auto [end, error] =
      std::from_chars(deadline.data(), deadline.data() + deadline.size(), deadline_ms);
  if (deadline.empty() || error != std::errc() || end != deadline.data() + deadline.size()) {
    return Status::Internal(std::string(kWhat) + " " + invocation.request_id +
                            ": Lambda-Runtime-Deadline-Ms is '" + deadline +
                            "', not milliseconds since the epoch");
  }
  invocation.deadline =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(deadline_ms));
  invocation.function_arn =
      response->headers.Get("Lambda-Runtime-Invoked-Function-Arn").value_or("");
  invocation.trace_id = response->headers.Get("Lambda-Runtime-Trace-Id").value_or("");
  invocation.payload = std::move(response->body);
  return invocation;
}

Status LambdaRuntimeClient::Respond(std::string_view request_id, std::string body) {
  return Post(http_, base_ + "/invocation/" + UriEncode(request_id) + "/response", std::move(body),
              "Lambda runtime API response to " + std::string(request_id))
      .status();
}

Status LambdaRuntimeClient::ReportError(std::string_view request_id, std::string_view error_type,
                                        std::string_view message) {
  return Post(http_, base_ + "/invocation/" + UriEncode(request_id) + "/error",
              ErrorBody(error_type, message),
              "Lambda runtime API error for " + std::string(request_id), error_type)
      .status();
}

Status LambdaRuntimeClient::ReportInitError(std::string_view error_type, std::string_view message) {
  return Post(http_, base_ + "/init/error", ErrorBody(error_type, message),
              "Lambda runtime API init error", error_type)
      .status();
}

}  // namespace lifeboat
