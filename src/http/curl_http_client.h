// CurlHttpClient: HttpClient over libcurl. Keeps a pool of easy handles so connections
// (and TLS sessions) are reused across requests and threads.
#ifndef LIFEBOAT_HTTP_CURL_HTTP_CLIENT_H_
#define LIFEBOAT_HTTP_CURL_HTTP_CLIENT_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/http_client.h"

namespace lifeboat {

struct CurlHttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // A transfer slower than 1 byte/s for this long is abandoned as stalled.
  std::chrono::seconds stall_timeout{60};
  // Used when a request sets no timeout of its own; zero means none.
  std::chrono::milliseconds default_timeout{0};
  // PEM file of the CAs to trust instead of libcurl's built-in location; empty: that one.
  std::string ca_bundle;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  void* Acquire();               // a CURL* from the pool, or a new one
  void Release(void* handle);    // back to the pool, keeping its connections

  CurlHttpClientOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles not in use
};

}  // namespace lifeboat

#endif  // LIFEBOAT_HTTP_CURL_HTTP_CLIENT_H_
