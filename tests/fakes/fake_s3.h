// FakeS3: a small in-memory S3 behind FakeHttpClient, for unit tests of the store layer:
// objects (PUT with If-None-Match, HEAD, GET, DELETE, ListObjectsV2) and multipart uploads.
// Faults are injected per request; integration tests use moto_server instead.
#ifndef LIFEBOAT_TESTS_FAKES_FAKE_S3_H_
#define LIFEBOAT_TESTS_FAKES_FAKE_S3_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "http/http_types.h"

namespace lifeboat {

class FakeS3 {
 public:
  struct Upload {
    std::string key;
    std::map<int, std::string> parts;
  };

  // Answers one request (path-style URLs: /bucket/key?query).
  HttpResponse Handle(const HttpRequest& request);

  // Returns a response to send instead of handling the request, or nullopt to handle it.
  void SetFault(std::function<std::optional<HttpResponse>(const HttpRequest&)> fault) {
    std::lock_guard lock(mu_);
    fault_ = std::move(fault);
  }

  std::map<std::string, std::string> objects() const {
    std::lock_guard lock(mu_);
    return objects_;
  }
  size_t open_uploads() const {
    std::lock_guard lock(mu_);
    return uploads_.size();
  }
  int max_parts_at_once() const {
    std::lock_guard lock(mu_);
    return max_concurrent_parts_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> objects_;  // "bucket/key" -> body
  std::map<std::string, Upload> uploads_;       // upload id -> upload
  int next_upload_ = 1;
  int concurrent_parts_ = 0;
  int max_concurrent_parts_ = 0;
  std::function<std::optional<HttpResponse>(const HttpRequest&)> fault_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_FAKE_S3_H_
