// HttpClient: the network seam. Everything that talks HTTP (AWS clients, the metadata
// service, credential endpoints) goes through this interface, so unit tests use
// tests/fakes/fake_http_client.h and integration tests use real sockets.
#ifndef LIFEBOAT_HTTP_HTTP_CLIENT_H_
#define LIFEBOAT_HTTP_HTTP_CLIENT_H_

#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request and returns whatever status the server answered (a 404 or a 503 is a
  // response, not an error). An error Status means no response arrived: kUnavailable for
  // connection failures, kDeadlineExceeded for timeouts, kInvalidArgument for a bad URL.
  // Safe to call from several threads at once.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_HTTP_HTTP_CLIENT_H_
