#include "common/status.h"

#include <cerrno>
#include <cstring>

namespace lifeboat {

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string m(context);
  m += ": ";
  m += message_;
  return {code_, std::move(m), service_code_};
}

Status PosixError(std::string_view context, int err) {
  std::string m(context);
  m += ": ";
  m += std::strerror(err);
  StatusCode code = StatusCode::kIoError;
  switch (err) {
    case ENOENT:
    case ENOTDIR: code = StatusCode::kNotFound; break;
    case EACCES:
    case EPERM:
    case EROFS: code = StatusCode::kPermissionDenied; break;
    case EEXIST: code = StatusCode::kAlreadyExists; break;
    case ENOSPC:
    case EDQUOT: code = StatusCode::kResourceExhausted; break;
    case EISDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EINVAL: code = StatusCode::kInvalidArgument; break;
    default: break;
  }
  return {code, std::move(m)};
}

}  // namespace lifeboat
