#include "aws/aws_error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace lifeboat {
namespace {

constexpr size_t kMaxMessageLength = 400;

bool OneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// Collapses every run of whitespace (newlines included) into one space, trims, and cuts
// overly long text, so a message stays one line in a log.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > kMaxMessageLength) {
    out.resize(kMaxMessageLength);
    out += "...";
  }
  return out;
}

// "com.amazonaws.sqs#QueueDoesNotExist" -> "QueueDoesNotExist";
// "ValidationException:http://internal.amazon.com/..." -> "ValidationException".
std::string CleanJsonCode(std::string_view code) {
  auto hash = code.rfind('#');
  if (hash != std::string_view::npos) code.remove_prefix(hash + 1);
  auto colon = code.find(':');
  if (colon != std::string_view::npos) code = code.substr(0, colon);
  return OneLine(code);
}

// The first element called `name` at any depth, or an empty node.
pugi::xml_node FindElement(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (name == child.name()) return child;
    if (pugi::xml_node found = FindElement(child, name)) return found;
  }
  return {};
}

// REST-XML and Query errors: the first <Error> that has a <Code>, wherever it sits
// (<Error>, <ErrorResponse><Error>, EC2's <Response><Errors><Error>).
bool ParseXmlError(std::string_view body, AwsErrorInfo& info) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return false;
  pugi::xml_node error = doc.document_element();
  if (std::string_view(error.name()) != "Error") error = FindElement(doc, "Error");
  if (!error || !error.child("Code")) return false;
  info.code = OneLine(error.child_value("Code"));
  info.message = OneLine(error.child_value("Message"));
  for (const char* id : {"RequestId", "RequestID"}) {
    if (pugi::xml_node n = FindElement(doc, id); n && info.request_id.empty()) {
      info.request_id = OneLine(n.child_value());
    }
  }
  return !info.code.empty();
}

bool ParseJsonError(const HttpResponse& response, AwsErrorInfo& info) {
  nlohmann::json doc = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return false;
  for (const char* key : {"__type", "code", "Code"}) {
    auto it = doc.find(key);
    if (it != doc.end() && it->is_string()) {
      info.code = CleanJsonCode(it->get<std::string>());
      break;
    }
  }
  for (const char* key : {"message", "Message", "errorMessage"}) {
    auto it = doc.find(key);
    if (it != doc.end() && it->is_string()) {
      info.message = OneLine(it->get<std::string>());
      break;
    }
  }
  return !info.code.empty() || !info.message.empty();
}

}  // namespace

std::string AwsErrorCodeForHttpStatus(int http_status) {
  switch (http_status) {
    case 301:
      return "PermanentRedirect";
    case 304:
      return "NotModified";
    case 307:
      return "TemporaryRedirect";
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 408:
      return "RequestTimeout";
    case 409:
      return "Conflict";
    case 411:
      return "MissingContentLength";
    case 412:
      return "PreconditionFailed";
    case 416:
      return "InvalidRange";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 501:
      return "NotImplemented";
    case 502:
      return "BadGateway";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "GatewayTimeout";
    default:
      return "Http" + std::to_string(http_status);
  }
}

AwsErrorInfo ParseAwsError(const HttpResponse& response) {
  AwsErrorInfo info;
  if (auto id = response.headers.Get("x-amz-request-id")) info.request_id = *id;
  if (auto id = response.headers.Get("x-amzn-RequestId")) info.request_id = *id;

  std::string_view body = response.body;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) {
    body.remove_prefix(1);
  }
  bool parsed = false;
  if (body.starts_with('<')) {
    parsed = ParseXmlError(body, info);
  } else if (body.starts_with('{')) {
    parsed = ParseJsonError(response, info);
  }
  // JSON services name the error in headers too; the query-compatible one (SQS) carries the
  // code the Query protocol used ("AWS.SimpleQueueService.NonExistentQueue;Sender").
  if (auto q = response.headers.Get("x-amzn-query-error")) {
    info.code = OneLine(std::string_view(*q).substr(0, q->find(';')));
  } else if (auto t = response.headers.Get("x-amzn-ErrorType"); t && info.code.empty()) {
    info.code = CleanJsonCode(*t);
  }
  if (info.code.empty()) info.code = AwsErrorCodeForHttpStatus(response.status);
  if (!parsed && info.message.empty()) {
    info.message = "HTTP " + std::to_string(response.status);
    // Something other than the service answered (a proxy, a load balancer): show a little.
    if (!body.empty()) info.message += ": " + OneLine(body.substr(0, 120));
  }
  return info;
}

StatusCode AwsErrorStatusCode(int http_status, std::string_view code) {
  if (OneOf(code,
            {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
             "InvalidClientTokenId", "UnrecognizedClientException", "InvalidToken",
             "TokenRefreshRequired", "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture",
             "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationToken",
             "AuthFailure", "AuthorizationHeaderMalformed", "Unauthorized"})) {
    return StatusCode::kUnauthenticated;
  }
  if (OneOf(code, {"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
                   "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
                   "ProvisionedThroughputExceededException", "TooManyRequests",
                   "BandwidthLimitExceeded", "LimitExceededException"})) {
    return StatusCode::kResourceExhausted;
  }
  if (OneOf(code, {"RequestTimeout", "RequestTimeoutException"})) {
    return StatusCode::kDeadlineExceeded;
  }
  // S3 documents a 409 ConditionalRequestConflict as "retry the request".
  if (OneOf(code, {"InternalError", "InternalFailure", "InternalServerError", "ServiceUnavailable",
                   "ServiceUnavailableException", "ConditionalRequestConflict"})) {
    return StatusCode::kUnavailable;
  }
  if (code == "PreconditionFailed") return StatusCode::kFailedPrecondition;
  if (OneOf(code, {"AccessDenied", "AccessDeniedException", "Forbidden", "UnauthorizedOperation",
                   "AllAccessDisabled"})) {
    return StatusCode::kPermissionDenied;
  }
  if (code.starts_with("NoSuch") || code.ends_with("NotFound") ||
      code.ends_with("NotFoundException") || code.ends_with("NonExistentQueue") ||
      code.ends_with("DoesNotExist")) {
    return StatusCode::kNotFound;
  }
  if (code.ends_with("AlreadyExists") || code.ends_with("AlreadyExistsException") ||
      OneOf(code, {"BucketAlreadyOwnedByYou", "ResourceInUseException"})) {
    return StatusCode::kAlreadyExists;
  }
  if (http_status == 404) return StatusCode::kNotFound;
  if (http_status == 401) return StatusCode::kUnauthenticated;
  if (http_status == 403) return StatusCode::kPermissionDenied;
  if (http_status == 409 || http_status == 412) return StatusCode::kFailedPrecondition;
  if (http_status == 429) return StatusCode::kResourceExhausted;
  if (http_status == 408) return StatusCode::kDeadlineExceeded;
  if (http_status >= 500 && http_status <= 599) return StatusCode::kUnavailable;
  // 3xx: S3 redirects a request sent to the wrong region; not something to follow blindly.
  if (http_status >= 300 && http_status <= 499) return StatusCode::kInvalidArgument;
  return StatusCode::kInternal;
}

std::string AwsErrorHint(const AwsErrorInfo& error, const HttpResponse& response) {
  std::string_view code = error.code;
  if (code == "SignatureDoesNotMatch") return "check the secret key and clock";
  if (OneOf(code, {"InvalidAccessKeyId", "InvalidClientTokenId", "UnrecognizedClientException"})) {
    return "the access key id is not known to this endpoint";
  }
  if (OneOf(code, {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"})) {
    return "the system clock is off; sync it with NTP";
  }
  if (OneOf(code, {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"})) {
    return "the session token expired; refresh the credentials";
  }
  if (code == "InvalidToken") return "the session token is not valid for this endpoint";
  if (code == "NoSuchBucket") return "check the bucket name, region and endpoint";
  if (OneOf(code, {"AccessDenied", "AccessDeniedException"})) {
    return "check that the IAM policy allows this action on this resource";
  }
  if (code == "Forbidden" && response.body.empty()) {
    return "access denied or bad credentials; the response carried no details";
  }
  if (OneOf(code, {"PermanentRedirect", "TemporaryRedirect", "AuthorizationHeaderMalformed",
                   "IllegalLocationConstraintException"}) ||
      (response.status == 301 || response.status == 307)) {
    if (auto region = response.headers.Get("x-amz-bucket-region")) {
      return "the bucket is in " + *region + "; use that region";
    }
    return "check the region and endpoint";
  }
  if (OneOf(code, {"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
                   "TooManyRequestsException", "RequestThrottled"})) {
    return "the service is throttling requests";
  }
  if (code == "EntityTooSmall") return "every part but the last must be at least 5 MiB";
  if (code == "NoSuchUpload") return "the multipart upload was already completed or aborted";
  if (OneOf(code, {"InvalidPart", "InvalidPartOrder"})) {
    return "the part list does not match the uploaded parts";
  }
  if (OneOf(code, {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"})) {
    return "the body changed in transit";
  }
  if (code == "PreconditionFailed") return "the object already exists or has changed";
  return {};
}

Status AwsErrorToStatus(const HttpResponse& response) {
  AwsErrorInfo info = ParseAwsError(response);
  std::string message = info.code;
  if (!info.message.empty()) message += ": " + info.message;
  if (std::string hint = AwsErrorHint(info, response); !hint.empty()) {
    message += " (" + hint + ")";
  }
  const StatusCode code = AwsErrorStatusCode(response.status, info.code);
  return Status(code, std::move(message), std::move(info.code));
}

std::optional<Status> ErrorInSuccessfulResponse(const HttpResponse& response) {
  std::string_view body = response.body;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) {
    body.remove_prefix(1);
  }
  if (!body.starts_with('<')) return std::nullopt;
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return std::nullopt;
  if (std::string_view(doc.document_element().name()) != "Error") return std::nullopt;
  return AwsErrorToStatus(response);
}

}  // namespace lifeboat
