#include "aws/sigv4.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "common/hash.h"
#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

// Headers never signed: Authorization is the signature itself; the others are added,
// rewritten or dropped by proxies and HTTP stacks on the way (aws-c-auth and botocore
// skip the same set), so signing them would make a valid request fail.
constexpr std::array<std::string_view, 6> kUnsignedHeaders = {
    "authorization", "connection", "expect", "upgrade", "user-agent", "x-amzn-trace-id"};

constexpr std::string_view kSecurityTokenHeader = "X-Amz-Security-Token";
constexpr std::string_view kContentSha256Header = "x-amz-content-sha256";
constexpr int64_t kMaxPresignSeconds = 7 * 24 * 3600;

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// Trims, and turns every run of whitespace (folded lines included) into one space, as the
// SigV4 rules and botocore's ' '.join(value.split()) do.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

struct CanonicalHeaders {
  std::string text;            // "name:value\n" per header, sorted by name
  std::string signed_headers;  // "host;x-amz-date"
};

CanonicalHeaders BuildCanonicalHeaders(const Headers& headers, const SigningConfig& config) {
  // std::map sorts by lower-cased name; values keep the order the fields came in.
  std::map<std::string, std::vector<std::string>> by_name;
  for (const auto& [name, value] : headers) {
    std::string lower = ToLower(name);
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), lower) !=
        kUnsignedHeaders.end()) {
      continue;
    }
    if (!config.sign_session_token && EqualsIgnoreCase(lower, kSecurityTokenHeader)) continue;
    by_name[lower].push_back(CanonicalHeaderValue(value));
  }
  CanonicalHeaders out;
  for (const auto& [name, values] : by_name) {
    out.text += name + ":";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out.text += ',';
      out.text += values[i];
    }
    out.text += '\n';
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  return out;
}

// Removes empty, "." and ".." segments (so "//a//" is "/a/"), keeping a trailing slash.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(pos, end - pos);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    pos = end + 1;
  }
  std::string out;
  for (std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  if (out.empty() || (path.size() > 1 && path.back() == '/')) out += '/';
  return out;
}

std::string CanonicalPath(std::string_view wire_path, const SigningConfig& config) {
  std::string path(wire_path.empty() ? "/" : wire_path);
  if (config.normalize_path) path = NormalizePath(path);
  // Services other than S3 sign the URI-encoding of the path as sent: a space or UTF-8
  // sent raw is encoded once, an already-encoded "%24" becomes "%2524".
  if (config.double_uri_encode) path = UriEncode(path, /*keep_slash=*/true);
  return path;
}

// Each key and value is decoded ('+' kept as '+'), then RFC 3986-encoded; pairs are sorted
// by encoded key, then encoded value; a key without '=' signs as "key=".
Result<std::string> CanonicalQuery(std::string_view query, std::string_view url) {
  auto decoded = ParseFormPairs(query, PlusIsSpace::kNo);
  if (!decoded.ok()) return decoded.status().WithContext("cannot sign " + std::string(url));
  std::vector<std::pair<std::string, std::string>> params;
  params.reserve(decoded->size());
  for (const auto& [key, value] : *decoded) params.emplace_back(UriEncode(key), UriEncode(value));
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += key + "=" + value;
  }
  return out;
}

Result<Url> ParseRequestUrl(const HttpRequest& request) {
  auto url = ParseUrl(request.url);
  if (!url)
    return Status::InvalidArgument("cannot sign request: '" + request.url +
                                   "' is not an absolute URL");
  return *url;
}

std::string DateStamp(std::chrono::system_clock::time_point time) {
  return AmzDate(time).substr(0, 8);
}

// The config with the payload hash resolved, so the body is hashed once.
SigningConfig WithPayloadHash(const SigningConfig& config, const HttpRequest& request) {
  SigningConfig resolved = config;
  if (resolved.payload_hash.empty()) resolved.payload_hash = Sha256Hex(request.body);
  return resolved;
}

Status CheckCredentials(const SigningConfig& config, std::string_view url) {
  if (config.credentials.access_key_id.empty() || config.credentials.secret_access_key.empty()) {
    return Status::Unauthenticated("cannot sign request to " + std::string(url) +
                                   ": no AWS access key (configure credentials)");
  }
  return Status::Ok();
}

}  // namespace

std::string AmzDate(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto secs = floor<seconds>(time);
  auto day = floor<days>(secs);
  year_month_day ymd(day);
  hh_mm_ss hms(secs - day);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string CredentialScope(const SigningConfig& config) {
  return DateStamp(config.time) + "/" + config.region + "/" + config.service + "/aws4_request";
}

Result<CanonicalRequest> BuildCanonicalRequest(const HttpRequest& request,
                                               const SigningConfig& config) {
  LIFEBOAT_ASSIGN_OR_RETURN(Url url, ParseRequestUrl(request));
  if (!request.headers.Has("host")) {
    return Status::InvalidArgument("cannot sign request to " + request.url +
                                   ": it has no Host header");
  }
  LIFEBOAT_ASSIGN_OR_RETURN(std::string query, CanonicalQuery(url.query, request.url));
  CanonicalHeaders headers = BuildCanonicalHeaders(request.headers, config);
  std::string payload_hash =
      config.payload_hash.empty() ? Sha256Hex(request.body) : config.payload_hash;
  CanonicalRequest out;
  out.text = request.method + "\n" + CanonicalPath(url.path, config) + "\n" + query + "\n" +
             headers.text + "\n" + headers.signed_headers + "\n" + payload_hash;
  out.signed_headers = std::move(headers.signed_headers);
  return out;
}

std::string BuildStringToSign(std::string_view canonical_request, const SigningConfig& config) {
  return std::string(kSigV4Algorithm) + "\n" + AmzDate(config.time) + "\n" +
         CredentialScope(config) + "\n" + Sha256Hex(canonical_request);
}

std::string ComputeSignature(std::string_view string_to_sign, const SigningConfig& config) {
  auto as_view = [](const Sha256Digest& d) {
    return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
  };
  Sha256Digest key =
      HmacSha256("AWS4" + config.credentials.secret_access_key, DateStamp(config.time));
  key = HmacSha256(as_view(key), config.region);
  key = HmacSha256(as_view(key), config.service);
  key = HmacSha256(as_view(key), "aws4_request");
  return HexEncode(HmacSha256(as_view(key), string_to_sign));
}

Result<HttpRequest> SignRequest(HttpRequest request, const SigningConfig& config) {
  LIFEBOAT_RETURN_IF_ERROR(CheckCredentials(config, request.url));
  LIFEBOAT_ASSIGN_OR_RETURN(Url url, ParseRequestUrl(request));
  SigningConfig resolved = WithPayloadHash(config, request);
  Headers& headers = request.headers;
  headers.Remove("authorization");
  if (!headers.Has("host")) headers.Add("Host", url.Authority());
  headers.Set("X-Amz-Date", AmzDate(config.time));
  if (config.add_content_sha256_header) {
    headers.Set(std::string(kContentSha256Header), resolved.payload_hash);
  }
  const std::string& token = config.credentials.session_token;
  if (!token.empty() && config.sign_session_token) {
    headers.Set(std::string(kSecurityTokenHeader), token);
  }

  LIFEBOAT_ASSIGN_OR_RETURN(CanonicalRequest canonical, BuildCanonicalRequest(request, resolved));
  std::string signature = ComputeSignature(BuildStringToSign(canonical.text, resolved), resolved);
  headers.Add("Authorization",
              std::string(kSigV4Algorithm) + " Credential=" + config.credentials.access_key_id +
                  "/" + CredentialScope(config) + ", SignedHeaders=" + canonical.signed_headers +
                  ", Signature=" + signature);
  if (!token.empty() && !config.sign_session_token) {
    headers.Set(std::string(kSecurityTokenHeader), token);
  }
  return request;
}

Result<std::string> PresignUrl(const HttpRequest& request, const SigningConfig& config,
                               std::chrono::seconds expires) {
  if (expires.count() < 1 || expires.count() > kMaxPresignSeconds) {
    return Status::InvalidArgument("cannot presign " + request.url + ": expiry must be 1 to " +
                                   std::to_string(kMaxPresignSeconds) + " seconds (7 days), got " +
                                   std::to_string(expires.count()));
  }
  LIFEBOAT_RETURN_IF_ERROR(CheckCredentials(config, request.url));
  LIFEBOAT_ASSIGN_OR_RETURN(Url url, ParseRequestUrl(request));
  if (url.query.starts_with("X-Amz-Signature=") ||
      url.query.find("&X-Amz-Signature=") != std::string::npos) {
    return Status::InvalidArgument("cannot presign " + request.url + ": it is already presigned");
  }

  HttpRequest presigned = request;
  // The date and token travel in the query; headers would only be extra things to match.
  presigned.headers.Remove("authorization");
  presigned.headers.Remove("x-amz-date");
  presigned.headers.Remove(kSecurityTokenHeader);
  if (!presigned.headers.Has("host")) presigned.headers.Add("Host", url.Authority());
  SigningConfig resolved = config;
  if (resolved.payload_hash.empty()) resolved.payload_hash = std::string(kUnsignedPayload);

  // Parameters in sorted order, so the URL reads like AWS's published example.
  const std::string& token = config.credentials.session_token;
  std::string auth = "X-Amz-Algorithm=" + std::string(kSigV4Algorithm) + "&X-Amz-Credential=" +
                     UriEncode(config.credentials.access_key_id + "/" + CredentialScope(config)) +
                     "&X-Amz-Date=" + AmzDate(config.time) +
                     "&X-Amz-Expires=" + std::to_string(expires.count());
  if (!token.empty() && config.sign_session_token) {
    auth += "&X-Amz-Security-Token=" + UriEncode(token);
  }
  auth += "&X-Amz-SignedHeaders=" +
          UriEncode(BuildCanonicalHeaders(presigned.headers, resolved).signed_headers);
  url.query = url.query.empty() ? auth : url.query + "&" + auth;
  presigned.url = url.ToString();

  LIFEBOAT_ASSIGN_OR_RETURN(CanonicalRequest canonical, BuildCanonicalRequest(presigned, resolved));
  std::string signature = ComputeSignature(BuildStringToSign(canonical.text, resolved), resolved);
  std::string out = presigned.url + "&X-Amz-Signature=" + signature;
  if (!token.empty() && !config.sign_session_token) {
    out += "&X-Amz-Security-Token=" + UriEncode(token);
  }
  return out;
}

}  // namespace lifeboat
