// Lambda deployment packages: unpacks a .zip (Code.ZipFile of CreateFunction) into a fresh
// directory the way Lambda lays out /var/task.
//
// - Permissions come from the zip's external attributes when the entry was made on Unix
//   (zip(1), Python's zipfile, most build tools): an executable `bootstrap` stays
//   executable. Entries from other systems get 0644 (directories 0755).
// - No entry may leave the directory: absolute paths and ".." components are refused, and
//   symbolic links (created last, so nothing is ever written through one) must point inside.
// - The unzipped total is bounded by AWS's 250 MB limit, counted on the bytes actually
//   written, so a lying header cannot fill the disk.
#ifndef LIFEBOAT_LOCAL_LAMBDA_LAMBDA_ZIP_H_
#define LIFEBOAT_LOCAL_LAMBDA_LAMBDA_ZIP_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

// AWS's limit on a function's unzipped code: 262,144,000 bytes.
inline constexpr uint64_t kMaxUnzippedCodeBytes = 262144000;

// Extracts `zip_bytes` into `dest_dir`, which must not exist yet (it is created, with its
// parents). kInvalidArgument, with the reason, for anything that is not a well-formed and
// safe zip; the caller removes `dest_dir` after a failure.
Status ExtractZip(std::string_view zip_bytes, const std::string& dest_dir,
                  uint64_t max_unzipped_bytes = kMaxUnzippedCodeBytes);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_LAMBDA_ZIP_H_
