// S3WriteCounter: wraps lifeboat local's S3 service and counts the write requests it serves
// (PUT, POST and DELETE of objects and uploads) by bucket and first key segment, so that a
// demo running several designs side by side can say how many requests each made
// ("lifeboat-demo/agent", "lifeboat-demo-seed/i-0123..." -> its bucket alone). Reads are
// not counted: whoever looks at the store (verify, a demo's progress) would count too.
//
// Thread-safe.
#ifndef LIFEBOAT_LOCAL_S3_S3_WRITE_COUNTER_H_
#define LIFEBOAT_LOCAL_S3_S3_WRITE_COUNTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "local/local_service.h"

namespace lifeboat {

class S3WriteCounter final : public LocalService {
 public:
  explicit S3WriteCounter(std::shared_ptr<LocalService> s3) : s3_(std::move(s3)) {}
  LocalResponse Handle(const LocalRequest& request) override;

  // "bucket/first-segment" (or "bucket" for a key without '/') -> requests served.
  std::map<std::string, uint64_t> Counts() const;

 private:
  std::shared_ptr<LocalService> s3_;
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> counts_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_WRITE_COUNTER_H_
