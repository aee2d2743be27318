// RequestAuthenticator: SigV4 verification for `lifeboat local`, as AWS does it: the
// Authorization header or a presigned query, the payload hash in x-amz-content-sha256
// (S3) or of the body (other services), the clock skew window, presigned expiry. The
// canonical request is rebuilt with the same staged functions lifeboat signs with (which
// pass AWS's test suite), over exactly the headers the client said it signed.
#ifndef LIFEBOAT_LOCAL_REQUEST_AUTHENTICATOR_H_
#define LIFEBOAT_LOCAL_REQUEST_AUTHENTICATOR_H_

#include <chrono>
#include <map>
#include <string>

#include "common/env.h"
#include "http/http_types.h"

namespace lifeboat {

struct AuthenticatedRequest {
  bool ok = false;
  int http_status = 403;
  // AWS's error code when not ok: "SignatureDoesNotMatch", "InvalidAccessKeyId" (S3) /
  // "InvalidClientTokenId" (others), "AccessDenied", "RequestTimeTooSkewed",
  // "XAmzContentSHA256Mismatch", "AuthorizationHeaderMalformed", "MissingAuthenticationToken".
  std::string error_code;
  std::string message;
  // The credential scope, also when not ok (it says which protocol the error speaks).
  std::string access_key;
  std::string service;
  std::string region;
  std::string amz_date;      // "20261126T170203Z"
  std::string signature;     // the request's: the seed of aws-chunked chunk signatures
  std::string payload_hash;  // x-amz-content-sha256 as sent ("STREAMING-...", "UNSIGNED-PAYLOAD", hex)
  std::string secret;        // of access_key, to verify chunk signatures
};

struct RawRequest {
  std::string method;
  std::string path;   // as sent
  std::string query;  // as sent, without '?'
  Headers headers;
  std::string body;
};

class RequestAuthenticator {
 public:
  // `credentials` maps access key ids to secrets. `env` supplies the time.
  RequestAuthenticator(Env* env, std::map<std::string, std::string> credentials)
      : env_(env), credentials_(std::move(credentials)) {}

  AuthenticatedRequest Authenticate(const RawRequest& request) const;

 private:
  Env* env_;
  std::map<std::string, std::string> credentials_;
};

// "20150830T123600Z" -> time; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> ParseAmzDate(std::string_view text);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_REQUEST_AUTHENTICATOR_H_
