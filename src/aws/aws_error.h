// Error responses from AWS services, turned into Status values.
//
// Understands the three wire forms lifeboat meets: REST-XML (S3's <Error><Code>), the Query
// protocol (<ErrorResponse><Error><Code>, and EC2's <Response><Errors><Error>), and the JSON
// protocols (`__type` / x-amzn-ErrorType, `message` or `Message`, and the query-compatible
// x-amzn-query-error header). A response without a body (HEAD) is described from its HTTP
// status alone. The result is a Status whose message is one line, "<Code>: <Message>" plus a
// short hint for the errors operators meet most, and whose service_code() is the service's
// error code. Callers add context ("s3://bucket/key") with Status::WithContext.
//
// Pure functions; safe from any thread.
#ifndef LIFEBOAT_AWS_AWS_ERROR_H_
#define LIFEBOAT_AWS_AWS_ERROR_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

// What an error response says, before it becomes a Status.
struct AwsErrorInfo {
  std::string code;     // "NoSuchKey"; derived from the HTTP status when the body has none
  std::string message;  // one line; empty when the service gave none
  std::string request_id;
};

// Reads the error code and message from a response (any status). Never fails: a body it
// cannot read yields the code for the HTTP status ("NotFound", "ServiceUnavailable", ...).
AwsErrorInfo ParseAwsError(const HttpResponse& response);

// The service's error code for a bodiless response with this HTTP status: 404 "NotFound",
// 403 "Forbidden", 412 "PreconditionFailed", 503 "ServiceUnavailable", ...
std::string AwsErrorCodeForHttpStatus(int http_status);

// How lifeboat classifies an error: by service code first (credentials problems are
// kUnauthenticated even though they arrive as 403; throttling is kResourceExhausted), then
// by HTTP status (404 kNotFound, 403 kPermissionDenied, 412 kFailedPrecondition, 409
// kAlreadyExists or kFailedPrecondition, 429 kResourceExhausted, 5xx kUnavailable, other 4xx
// kInvalidArgument).
StatusCode AwsErrorStatusCode(int http_status, std::string_view service_code);

// A short hint for an operator ("check the secret key and clock"), or empty.
std::string AwsErrorHint(const AwsErrorInfo& error, const HttpResponse& response);

// The Status for an error response: code from AwsErrorStatusCode, service_code() the
// service's code, message "<Code>: <Message> (<hint>)".
Status AwsErrorToStatus(const HttpResponse& response);

// S3 answers CompleteMultipartUpload and the copy operations with 200 and then, if they
// fail while the response is streaming, an <Error> document. Returns that error, or nullopt
// when the body is not an <Error> document.
std::optional<Status> ErrorInSuccessfulResponse(const HttpResponse& response);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_AWS_ERROR_H_
