#include "local/s3/s3_write_counter.h"

namespace lifeboat {

LocalResponse S3WriteCounter::Handle(const LocalRequest& request) {
  LocalResponse response = s3_->Handle(request);
  const std::string& m = request.method;
  if (m != "PUT" && m != "POST" && m != "DELETE") return response;
  // Path-style, as lifeboat local is addressed: /bucket/key...
  const std::string path = request.path.substr(request.path.empty() ? 0 : 1);
  const size_t bucket_end = path.find('/');
  if (bucket_end == std::string::npos || bucket_end + 1 == path.size())
    return response;  // a bucket
  const size_t segment_end = path.find('/', bucket_end + 1);
  const std::string where =
      segment_end == std::string::npos ? path.substr(0, bucket_end) : path.substr(0, segment_end);
  std::lock_guard lock(mu_);
  ++counts_[where];
  return response;
}

std::map<std::string, uint64_t> S3WriteCounter::Counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

}  // namespace lifeboat
