// The services of `lifeboat local` (S3, SQS, EC2, Auto Scaling, ...): each is a handler
// from an authenticated request to a response, in its own wire protocol. The server
// (local_server.h) owns the sockets, verifies every request's SigV4 signature, removes
// aws-chunked framing from bodies, and routes by the service name in the credential
// scope; a service never sees an unauthenticated request.
//
// Handlers are called from several server threads at once and must be thread-safe.
#ifndef LIFEBOAT_LOCAL_LOCAL_SERVICE_H_
#define LIFEBOAT_LOCAL_LOCAL_SERVICE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"  // XmlEscape, for the services' XML
#include "http/http_types.h"

namespace lifeboat {

struct LocalRequest {
  std::string method;  // "GET", "PUT", ...
  std::string path;    // as sent, still percent-encoded: "/bucket/a%20key"
  std::string query;   // as sent, without '?': "list-type=2&prefix=a%2F"
  // The query decoded, in order; a key without '=' has an empty value.
  std::vector<std::pair<std::string, std::string>> params;
  Headers headers;   // names lower-cased
  std::string body;  // the payload, aws-chunked framing removed
  // From the SigV4 credential scope.
  std::string service;  // "s3", "sqs", "ec2", "autoscaling", ...
  std::string region;
  std::string access_key;
  std::string host;  // the Host header

  // The first header / query value with this name (lower-case for headers), or "".
  std::string Header(std::string_view name) const;
  std::string Param(std::string_view name) const;
  bool HasParam(std::string_view name) const;
};

struct LocalResponse {
  int status = 200;
  Headers headers;  // Content-Type among them; Content-Length is the server's job
  std::string body;
};

class LocalService {
 public:
  virtual ~LocalService() = default;
  virtual LocalResponse Handle(const LocalRequest& request) = 0;
};

// Error bodies in the three protocols lifeboat local speaks. `code` is AWS's error code
// ("NoSuchBucket", "ValidationError"), `message` its human text.
// REST-XML (S3): <Error><Code/><Message/><Resource/><RequestId/></Error>
LocalResponse S3ErrorResponse(int status, std::string_view code, std::string_view message,
                              std::string_view resource = {});
// Query (EC2, Auto Scaling, SQS query): <ErrorResponse><Error><Type>Sender</Type>
// <Code/><Message/></Error><RequestId/></ErrorResponse>; EC2 uses <Response><Errors>.
LocalResponse QueryErrorResponse(int status, std::string_view code, std::string_view message);
LocalResponse Ec2ErrorResponse(int status, std::string_view code, std::string_view message);
// JSON 1.0/1.1 (SQS JSON, EventBridge, SSM): {"__type": "...", "message": "..."} with
// x-amzn-query-error for SQS's query-compatible mode.
LocalResponse JsonErrorResponse(int status, std::string_view type, std::string_view message);

// A fresh request id (a UUID), as every AWS response carries.
std::string NewRequestId();

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LOCAL_SERVICE_H_
