#include "local/s3/s3_errors.h"

#include <utility>

namespace lifeboat {
namespace {

struct CodeStatus {
  std::string_view code;
  int http_status;
  StatusCode status_code;
};

constexpr CodeStatus kCodes[] = {
    {"AccessDenied", 403, StatusCode::kPermissionDenied},
    {"BadDigest", 400, StatusCode::kDataLoss},
    {"BucketAlreadyOwnedByYou", 409, StatusCode::kAlreadyExists},
    {"BucketNotEmpty", 409, StatusCode::kFailedPrecondition},
    {"EntityTooLarge", 400, StatusCode::kInvalidArgument},
    {"EntityTooSmall", 400, StatusCode::kInvalidArgument},
    {"IllegalLocationConstraintException", 400, StatusCode::kInvalidArgument},
    {"InternalError", 500, StatusCode::kInternal},
    {"InvalidArgument", 400, StatusCode::kInvalidArgument},
    {"InvalidBucketName", 400, StatusCode::kInvalidArgument},
    {"InvalidDigest", 400, StatusCode::kInvalidArgument},
    {"InvalidPart", 400, StatusCode::kInvalidArgument},
    {"InvalidPartNumber", 416, StatusCode::kInvalidArgument},
    {"InvalidPartOrder", 400, StatusCode::kInvalidArgument},
    {"InvalidRange", 416, StatusCode::kInvalidArgument},
    {"InvalidRequest", 400, StatusCode::kInvalidArgument},
    {"InvalidURI", 400, StatusCode::kInvalidArgument},
    {"KeyTooLongError", 400, StatusCode::kInvalidArgument},
    {"MalformedXML", 400, StatusCode::kInvalidArgument},
    {"MethodNotAllowed", 405, StatusCode::kInvalidArgument},
    {"NoSuchBucket", 404, StatusCode::kNotFound},
    {"NoSuchKey", 404, StatusCode::kNotFound},
    {"NoSuchUpload", 404, StatusCode::kNotFound},
    {"NotImplemented", 501, StatusCode::kInvalidArgument},
    {"NotModified", 304, StatusCode::kFailedPrecondition},
    {"PreconditionFailed", 412, StatusCode::kFailedPrecondition},
};

const CodeStatus* Find(std::string_view code) {
  for (const auto& c : kCodes) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace

Status S3Error(std::string_view code, std::string message) {
  const CodeStatus* c = Find(code);
  return Status(c != nullptr ? c->status_code : StatusCode::kInternal, std::move(message),
                std::string(code));
}

int S3HttpStatus(std::string_view code) {
  const CodeStatus* c = Find(code);
  return c != nullptr ? c->http_status : 500;
}

LocalResponse S3ErrorFromStatus(const Status& status, std::string_view resource) {
  if (status.service_code().empty()) {
    return S3ErrorResponse(500, "InternalError",
                           "We encountered an internal error: " + status.message(), resource);
  }
  return S3ErrorResponse(S3HttpStatus(status.service_code()), status.service_code(),
                         status.message(), resource);
}

Status NoSuchBucket() { return S3Error("NoSuchBucket", "The specified bucket does not exist"); }

Status NoSuchKey() { return S3Error("NoSuchKey", "The specified key does not exist."); }

Status NoSuchUpload() {
  return S3Error("NoSuchUpload",
                 "The specified upload does not exist. The upload ID may be invalid, or the "
                 "upload may have been aborted or completed.");
}

}  // namespace lifeboat
