#include "local/request_authenticator.h"

#include <openssl/crypto.h>

#include <ctime>

#include "aws/sigv4.h"
#include "common/hash.h"
#include "common/strings.h"
#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

// AWS accepts requests signed up to 15 minutes before or after its own clock.
constexpr auto kMaxSkew = std::chrono::minutes(15);

AuthenticatedRequest Fail(AuthenticatedRequest r, std::string code, std::string message,
                          int status = 403) {
  r.ok = false;
  r.http_status = status;
  r.error_code = std::move(code);
  r.message = std::move(message);
  return r;
}

// Signature version 2 (an "AWS AKID:sig" header, or AWSAccessKeyId/Signature/Expires in the
// query) is answered as S3 answers it in regions that only take version 4.
AuthenticatedRequest FailSigV2(AuthenticatedRequest r) {
  return Fail(std::move(r), "InvalidRequest",
              "The authorization mechanism you have provided is not supported. Please use "
              "AWS4-HMAC-SHA256.",
              400);
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

struct Parsed {
  std::string credential;      // AK/date/region/service/aws4_request
  std::string signed_headers;  // a;b;c
  std::string signature;
  std::string amz_date;
  bool presigned = false;
  std::string query_for_signing;  // the query without X-Amz-Signature (presigned)
  long expires = 0;
};

bool SameSignature(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string InvalidKeyCode(const std::string& service) {
  return service == "s3" ? "InvalidAccessKeyId" : "InvalidClientTokenId";
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  std::tm tm{};
  auto num = [&](size_t at, size_t n) { return std::stoi(std::string(text.substr(at, n))); };
  try {
    tm.tm_year = num(0, 4) - 1900;
    tm.tm_mon = num(4, 2) - 1;
    tm.tm_mday = num(6, 2);
    tm.tm_hour = num(9, 2);
    tm.tm_min = num(11, 2);
    tm.tm_sec = num(13, 2);
  } catch (...) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

AuthenticatedRequest RequestAuthenticator::Authenticate(const RawRequest& request) const {
  AuthenticatedRequest r;
  Parsed p;
  const auto authorization = request.headers.Get("authorization");
  if (authorization) {
    const std::string prefix = std::string(kSigV4Algorithm) + " ";
    if (authorization->rfind("AWS ", 0) == 0) return FailSigV2(r);
    if (authorization->rfind(prefix, 0) != 0) {
      return Fail(r, "AuthorizationHeaderMalformed", "only AWS4-HMAC-SHA256 is supported", 400);
    }
    for (const auto& part : SplitString(std::string_view(*authorization).substr(prefix.size()), ',')) {
      const std::string field = Trim(part);
      const auto eq = field.find('=');
      if (eq == std::string::npos) continue;
      const std::string name = field.substr(0, eq), value = field.substr(eq + 1);
      if (name == "Credential") p.credential = value;
      if (name == "SignedHeaders") p.signed_headers = value;
      if (name == "Signature") p.signature = value;
    }
    p.amz_date = request.headers.Get("x-amz-date").value_or("");
    p.query_for_signing = request.query;
  } else {
    // Presigned: the signature travels in the query, which is signed without it.
    std::vector<std::string> kept;
    bool sigv2_presigned = false;
    for (const auto& pair : SplitString(request.query, '&')) {
      const auto eq = pair.find('=');
      const std::string name = pair.substr(0, eq);
      auto decoded = PercentDecode(
          eq == std::string::npos ? "" : std::string_view(pair).substr(eq + 1), PlusIsSpace::kYes);
      if (!decoded.ok()) {
        return Fail(
            r, "AuthorizationQueryParametersError",
            "malformed percent-encoding in parameter '" + name + "': " + decoded.status().message(),
            400);
      }
      const std::string value = std::move(*decoded);
      if (name == "X-Amz-Signature") {
        p.signature = value;
        continue;
      }
      if (name == "X-Amz-Credential") p.credential = value;
      if (name == "X-Amz-SignedHeaders") p.signed_headers = value;
      if (name == "X-Amz-Date") p.amz_date = value;
      if (name == "X-Amz-Expires") p.expires = std::atol(value.c_str());
      if (name == "X-Amz-Algorithm") p.presigned = true;
      if (name == "AWSAccessKeyId") sigv2_presigned = true;
      if (!pair.empty()) kept.push_back(pair);
    }
    if (!p.presigned && sigv2_presigned) return FailSigV2(r);
    if (!p.presigned) {
      return Fail(r, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    for (size_t i = 0; i < kept.size(); ++i) p.query_for_signing += (i ? "&" : "") + kept[i];
  }

  const auto scope = SplitString(p.credential, '/');
  if (scope.size() != 5 || scope[4] != "aws4_request" || p.signature.empty()) {
    return Fail(r, "AuthorizationHeaderMalformed", "malformed Credential: " + p.credential, 400);
  }
  r.access_key = scope[0];
  r.region = scope[2];
  r.service = scope[3];
  r.amz_date = p.amz_date;
  r.signature = p.signature;
  auto secret = credentials_.find(r.access_key);
  if (secret == credentials_.end()) {
    return Fail(r, InvalidKeyCode(r.service),
                r.service == "s3" ? "The AWS Access Key Id you provided does not exist in our records."
                                  : "The security token included in the request is invalid.");
  }
  r.secret = secret->second;
  const auto when = ParseAmzDate(p.amz_date);
  if (!when || p.amz_date.substr(0, 8) != scope[1]) {
    return Fail(r, "AuthorizationHeaderMalformed", "X-Amz-Date is missing or does not match the credential date", 400);
  }
  const auto now = env_->Now();
  if (p.presigned) {
    if (now > *when + std::chrono::seconds(p.expires)) return Fail(r, "AccessDenied", "Request has expired");
  } else if (*when > now + kMaxSkew || *when < now - kMaxSkew) {
    return Fail(r, "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.");
  }

  SigningConfig config;
  config.region = r.region;
  config.service = r.service;
  config.time = *when;
  config.credentials.access_key_id = r.access_key;
  config.credentials.secret_access_key = r.secret;
  const bool s3 = r.service == "s3";
  config.double_uri_encode = !s3;
  config.normalize_path = !s3;
  r.payload_hash = request.headers.Get("x-amz-content-sha256").value_or("");
  if (p.presigned && s3) {
    config.payload_hash = r.payload_hash.empty() ? std::string(kUnsignedPayload) : r.payload_hash;
  } else if (!r.payload_hash.empty()) {
    config.payload_hash = r.payload_hash;
    const bool literal = r.payload_hash == kUnsignedPayload || r.payload_hash.rfind("STREAMING-", 0) == 0;
    if (!literal && r.payload_hash != HexEncode(Sha256(request.body))) {
      return Fail(r, "XAmzContentSHA256Mismatch",
                  "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
    }
  }

  HttpRequest signed_request;
  signed_request.method = request.method;
  const std::string host = request.headers.Get("host").value_or("localhost");
  signed_request.url = "http://" + host + request.path +
                       (p.query_for_signing.empty() ? "" : "?" + p.query_for_signing);
  for (const auto& name : SplitString(p.signed_headers, ';')) {
    for (const auto& [k, v] : request.headers) {
      if (EqualsIgnoreCase(k, name)) signed_request.headers.Add(name, v);
    }
  }
  signed_request.body = request.body;
  auto canonical = BuildCanonicalRequest(signed_request, config);
  if (!canonical.ok()) return Fail(r, "SignatureDoesNotMatch", canonical.status().message());
  const std::string expected = ComputeSignature(BuildStringToSign(canonical->text, config), config);
  if (!SameSignature(expected, p.signature)) {
    return Fail(r, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                "Check your key and signing method.");
  }
  r.ok = true;
  r.http_status = 200;
  return r;
}

}  // namespace lifeboat
