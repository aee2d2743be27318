// FakeHttpClient: an HttpClient for unit tests. Answers from a queue of scripted results,
// then from a handler function; records every request it was sent.
#ifndef LIFEBOAT_TESTS_FAKES_FAKE_HTTP_CLIENT_H_
#define LIFEBOAT_TESTS_FAKES_FAKE_HTTP_CLIENT_H_

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "http/http_client.h"

namespace lifeboat {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  void SetHandler(Handler handler) {
    std::lock_guard lock(mu_);
    handler_ = std::move(handler);
  }
  void Enqueue(Result<HttpResponse> result) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(result));
  }
  void Enqueue(int status, std::string body = {}, Headers headers = {}) {
    Enqueue(HttpResponse{status, std::move(headers), std::move(body)});
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    Handler handler;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      if (!queue_.empty()) {
        auto r = std::move(queue_.front());
        queue_.pop_front();
        return r;
      }
      handler = handler_;
    }
    if (handler) return handler(request);
    return Status::Internal("FakeHttpClient: no response scripted for " + request.method + " " +
                            request.url);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t remaining() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

 private:
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> queue_;
  Handler handler_;
  std::vector<HttpRequest> requests_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_FAKE_HTTP_CLIENT_H_
