// LambdaRuntimeClient: the Lambda Runtime API as a custom runtime (`provided.al2023`) speaks
// it: fetch the next invocation, post its response or error, report an init error.
// http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/... ; unsigned plain HTTP.
//
// Next() blocks as long as the service makes it (no client timeout): between invocations
// Lambda freezes the sandbox mid-request. The HttpClient must not give up on a quiet
// transfer either: a CurlHttpClient for this needs stall_timeout 0 (its default abandons a
// response that sends nothing for 60 s).
//
// Borrows the HttpClient. Thread-safe: holds no mutable state.
#ifndef LIFEBOAT_AWS_LAMBDA_RUNTIME_CLIENT_H_
#define LIFEBOAT_AWS_LAMBDA_RUNTIME_CLIENT_H_

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/http_client.h"

namespace lifeboat {

struct LambdaInvocation {
  std::string request_id;            // Lambda-Runtime-Aws-Request-Id
  std::string payload;               // the event, JSON
  std::string function_arn;          // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;              // Lambda-Runtime-Trace-Id (may be empty)
  std::chrono::system_clock::time_point deadline;  // Lambda-Runtime-Deadline-Ms
};

class LambdaRuntimeClient {
 public:
  // `api` is host:port, the value of AWS_LAMBDA_RUNTIME_API.
  LambdaRuntimeClient(HttpClient& http, std::string api);

  Result<LambdaInvocation> Next();
  Status Respond(std::string_view request_id, std::string body);
  // errorType is e.g. "Lifeboat.InvalidEvent"; the body is {"errorMessage", "errorType"}.
  Status ReportError(std::string_view request_id, std::string_view error_type,
                     std::string_view message);
  Status ReportInitError(std::string_view error_type, std::string_view message);

 private:
  HttpClient& http_;
  const std::string base_;  // http://<api>/2018-06-01/runtime
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_LAMBDA_RUNTIME_CLIENT_H_
