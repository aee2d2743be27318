// SSM's errors as values: a Status whose service_code is the error's shape name in the SSM
// model ("InvalidDocument", "InvalidInstanceId"), sent on the wire as the JSON 1.1 protocol
// does: HTTP 400 with {"__type": "<shape>", "message": "..."}. SDKs raise the modeled
// exception from __type (boto3: client.exceptions.InvalidDocument), so the name must be
// exactly the model's.
#ifndef LIFEBOAT_LOCAL_SSM_SSM_ERRORS_H_
#define LIFEBOAT_LOCAL_SSM_SSM_ERRORS_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "local/local_service.h"

namespace lifeboat {

// A Status for the SSM error `shape` with AWS's human message.
Status SsmError(std::string_view shape, std::string message);
// "ValidationException": what AWS answers for a request that breaks the model's
// constraints (lengths, ranges, patterns, members that exclude each other).
Status SsmValidationError(std::string message);

// The wire form of a failed Status. One without an SSM shape (a bug, or an I/O error of
// lifeboat itself) is a 500 InternalServerError.
LocalResponse SsmErrorResponse(const Status& status);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_ERRORS_H_
