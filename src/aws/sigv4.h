// AWS Signature Version 4, as pure staged functions: canonical request -> string to sign
// -> signature -> signed request. Time and credentials are parameters, never read inside,
// so each stage is checked against AWS's test suite (tests/testdata/aws4_testsuite).
//
// S3's rules are options, as in aws-c-auth's signing config: S3 keys are signed as sent
// (no double encoding, no path normalisation) and the payload hash travels in
// x-amz-content-sha256.
#ifndef LIFEBOAT_AWS_SIGV4_H_
#define LIFEBOAT_AWS_SIGV4_H_

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

struct SigningConfig {
  std::string region;
  std::string service;  // the credential-scope name: "s3", "autoscaling", "ssm", ...
  std::chrono::system_clock::time_point time;
  Credentials credentials;
  // Every service but S3 encodes the already-encoded path once more and normalises it.
  bool double_uri_encode = true;
  bool normalize_path = true;
  // S3: add x-amz-content-sha256 with the payload hash (and sign it).
  bool add_content_sha256_header = false;
  // The payload hash to sign; empty means the hex SHA-256 of the request body.
  // kUnsignedPayload is allowed (S3 over TLS, presigned URLs).
  std::string payload_hash;
  // With a session token: sign X-Amz-Security-Token (what S3, STS and most services
  // want), or, when false, add it only after signing (services that document that, and
  // the suite's post-sts-header-after case).
  bool sign_session_token = true;
};

struct CanonicalRequest {
  std::string text;            // the canonical request, as the suite's .creq files hold it
  std::string signed_headers;  // "host;x-amz-date"
};

// "20150830T123600Z"
std::string AmzDate(std::chrono::system_clock::time_point time);
// "20150830/us-east-1/service/aws4_request"
std::string CredentialScope(const SigningConfig& config);

// Stage 1. Signs every header the request carries (names lower-cased, values trimmed and
// inner whitespace collapsed, duplicates joined with ','), except Authorization and ones
// that proxies and HTTP stacks rewrite (see the .cc). The request must already carry Host
// (and X-Amz-Date, unless the date travels in the query, as when presigning).
// InvalidArgument for a URL that is not absolute, a malformed %-escape, or no Host.
Result<CanonicalRequest> BuildCanonicalRequest(const HttpRequest& request,
                                               const SigningConfig& config);
// Stage 2.
std::string BuildStringToSign(std::string_view canonical_request, const SigningConfig& config);
// Stage 3: hex HMAC-SHA256 with the key derived from secret, date, region and service.
std::string ComputeSignature(std::string_view string_to_sign, const SigningConfig& config);

// Stage 4: the request with Host (host[:port] of the URL, unless it has one: libcurl then
// sends ours, so what is signed is what goes out), X-Amz-Date, X-Amz-Security-Token (when
// there is a session token), x-amz-content-sha256 (S3) and Authorization added; any
// Authorization it carried is replaced. Unauthenticated when there is no access key.
Result<HttpRequest> SignRequest(HttpRequest request, const SigningConfig& config);

// A presigned URL (query-string authentication) valid for `expires` (1 s to 7 days,
// InvalidArgument otherwise): the URL plus X-Amz-Algorithm, -Credential, -Date, -Expires,
// -Security-Token (with a session token), -SignedHeaders and -Signature. Signs only the
// Host header unless the request carries others; payload UNSIGNED-PAYLOAD unless
// config.payload_hash says otherwise. add_content_sha256_header does not apply.
Result<std::string> PresignUrl(const HttpRequest& request, const SigningConfig& config,
                               std::chrono::seconds expires);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_SIGV4_H_
