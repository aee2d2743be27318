#include "local/ssm/ssm_errors.h"

#include <nlohmann/json.hpp>

namespace lifeboat {

Status SsmError(std::string_view shape, std::string message) {
  StatusCode code = StatusCode::kInvalidArgument;
  if (shape == "DocumentAlreadyExists") code = StatusCode::kAlreadyExists;
  if (shape == "InvocationDoesNotExist") code = StatusCode::kNotFound;
  return Status(code, std::move(message), std::string(shape));
}

Status SsmValidationError(std::string message) {
  return SsmError("ValidationException", std::move(message));
}

LocalResponse SsmErrorResponse(const Status& status) {
  const bool modeled = !status.service_code().empty();
  const std::string type = modeled ? status.service_code() : "InternalServerError";
  LocalResponse r;
  r.status = modeled ? 400 : 500;
  r.headers.Set("Content-Type", "application/x-amz-json-1.1");
  r.headers.Set("x-amzn-RequestId", NewRequestId());
  // Invalid UTF-8 echoed from a request (a document's content) must not throw.
  r.body = nlohmann::json{{"__type", type}, {"message", status.message()}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace lifeboat
