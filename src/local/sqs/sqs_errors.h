// SQS's errors, carried as a Status whose service_code is the error's shape name in the
// SQS model ("QueueDoesNotExist"), and how each is spelled on the wire: the JSON protocol
// sends "com.amazonaws.sqs#<shape>" plus an x-amzn-query-error header with the Query-era
// code, which is also the <Code> of a Query protocol error. SDKs raise the modeled
// exception from the shape name and report the Query-era code, so both must be right.
#ifndef LIFEBOAT_LOCAL_SQS_SQS_ERRORS_H_
#define LIFEBOAT_LOCAL_SQS_SQS_ERRORS_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

// A Status for the SQS error `shape` ("QueueDoesNotExist", "InvalidParameterValue",
// "MissingParameter", ...) with AWS's human message.
Status SqsError(std::string_view shape, std::string message);

struct SqsWireError {
  int http_status = 400;
  std::string json_type;   // "com.amazonaws.sqs#QueueDoesNotExist"
  std::string query_code;  // "AWS.SimpleQueueService.NonExistentQueue"
  std::string fault;       // "Sender" or "Receiver"
};

// How a failed Status is sent. A Status without an SQS shape (a bug) is InternalError.
SqsWireError SqsWireErrorFor(const Status& status);

// The common messages.
Status SqsQueueDoesNotExist();
Status SqsMissingParameter(std::string_view name);
// "Value <value> for parameter <name> is invalid. Reason: <reason>."
Status SqsInvalidParameterValue(std::string_view name, std::string_view value,
                                std::string_view reason);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SQS_SQS_ERRORS_H_
