// S3's errors as lifeboat Statuses: the AWS error code travels as the Status's service
// code, and one table gives each code its HTTP status, so store functions return a Status
// and handlers turn it into AWS's <Error> document.
#ifndef LIFEBOAT_LOCAL_S3_S3_ERRORS_H_
#define LIFEBOAT_LOCAL_S3_S3_ERRORS_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "local/local_service.h"

namespace lifeboat {

// A Status carrying AWS error `code` ("NoSuchKey") and AWS's message for it.
Status S3Error(std::string_view code, std::string message);

// The HTTP status S3 answers with for `code`; 500 for a code the table lacks.
int S3HttpStatus(std::string_view code);

// The error document for `status`. A Status without an S3 code (a local I/O failure) is
// a 500 InternalError naming what failed.
LocalResponse S3ErrorFromStatus(const Status& status, std::string_view resource);

// Canned errors used by several handlers.
Status NoSuchBucket();
Status NoSuchKey();
Status NoSuchUpload();

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_ERRORS_H_
