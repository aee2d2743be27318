#include "local/sqs/sqs_errors.h"

#include <array>

namespace lifeboat {

namespace {

struct ErrorShape {
  std::string_view shape;
  std::string_view query_code;
  int http_status;
  // Shapes the model declares (SDKs map them to exception classes) are namespaced; the
  // few validation errors it does not model travel under their Query code alone.
  bool modeled;
};

constexpr std::array<ErrorShape, 22> kShapes = {{
    {"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400, true},
    {"QueueNameExists", "QueueAlreadyExists", 400, true},
    {"QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400, true},
    {"ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 400, true},
    {"MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", 400, true},
    {"PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403, true},
    {"InvalidAttributeName", "InvalidAttributeName", 400, true},
    {"InvalidAttributeValue", "InvalidAttributeValue", 400, true},
    {"InvalidMessageContents", "InvalidMessageContents", 400, true},
    {"InvalidAddress", "InvalidAddress", 404, true},
    {"OverLimit", "OverLimit", 403, true},
    {"UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400, true},
    {"TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400,
     true},
    {"EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400, true},
    {"BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, true},
    {"InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400, true},
    {"InvalidParameterValue", "InvalidParameterValue", 400, false},
    {"MissingParameter", "MissingParameter", 400, false},
    {"InvalidQueryParameter", "InvalidQueryParameter", 400, false},
    {"InvalidAction", "InvalidAction", 400, false},
    {"MissingAction", "MissingAction", 400, false},
    {"SerializationException", "SerializationException", 400, false},
}};

}  // namespace

Status SqsError(std::string_view shape, std::string message) {
  StatusCode code = StatusCode::kInvalidArgument;
  if (shape == "QueueDoesNotExist") code = StatusCode::kNotFound;
  if (shape == "QueueNameExists") code = StatusCode::kAlreadyExists;
  if (shape == "PurgeQueueInProgress" || shape == "OverLimit") {
    code = StatusCode::kResourceExhausted;
  }
  return Status(code, std::move(message), std::string(shape));
}

SqsWireError SqsWireErrorFor(const Status& status) {
  for (const ErrorShape& e : kShapes) {
    if (e.shape != status.service_code()) continue;
    SqsWireError out;
    out.http_status = e.http_status;
    out.json_type =
        e.modeled ? "com.amazonaws.sqs#" + std::string(e.shape) : std::string(e.query_code);
    out.query_code = e.query_code;
    out.fault = "Sender";
    return out;
  }
  return {500, "InternalError", "InternalError", "Receiver"};
}

Status SqsQueueDoesNotExist() {
  return SqsError("QueueDoesNotExist", "The specified queue does not exist.");
}

Status SqsMissingParameter(std::string_view name) {
  return SqsError("MissingParameter",
                  "The request must contain the parameter " + std::string(name) + ".");
}

Status SqsInvalidParameterValue(std::string_view name, std::string_view value,
                                std::string_view reason) {
  return SqsError("InvalidParameterValue", "Value " + std::string(value) + " for parameter " +
                                               std::string(name) +
                                               " is invalid. Reason: " + std::string(reason) + ".");
}

}  // namespace lifeboat
