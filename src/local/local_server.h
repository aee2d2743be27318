// LocalServer: the HTTP front of `lifeboat local` on 127.0.0.1. Every request is
// authenticated (SigV4 header or presigned query, against the local cloud's credentials),
// its aws-chunked body decoded, and routed by the service name in its credential scope, as
// AWS's own front ends route by endpoint. Errors before a service is reached speak that
// service's protocol, so clients parse them as AWS's.
#ifndef LIFEBOAT_LOCAL_LOCAL_SERVER_H_
#define LIFEBOAT_LOCAL_LOCAL_SERVER_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/env.h"
#include "local/local_service.h"
#include "local/request_authenticator.h"

namespace lifeboat {

struct LocalServerOptions {
  std::string host = "127.0.0.1";
  int port = 4566;  // 0 picks a free port
  std::map<std::string, std::string> credentials = {{"test", "test"}};
  // Larger bodies are refused with 413 (S3 itself takes at most 5 GiB in one PUT).
  uint64_t body_limit = uint64_t{6} << 30;
};

class LocalServer {
 public:
  LocalServer(Env* env, LocalServerOptions options);
  ~LocalServer();

  // Routes requests signed for `service` ("s3", "sqs", "ec2", "autoscaling", ...) to
  // `handler`, which must outlive the server. Call before Start.
  void AddService(const std::string& service, LocalService* handler);
  // Serves the unsigned control paths under /_lifeboat/ (control_service.h). Call before Start.
  void SetControl(LocalService* control) { control_ = control; }

  // Takes the port (so port() is known before services are added); Start binds if needed.
  Status Bind();
  // Serves on its own threads: one accepts, one per connection (a long poll or a slow
  // function holds only its own connection).
  Status Start();
  // Stops accepting, shuts every connection down and waits for the requests in progress.
  void Stop();
  int port() const { return port_; }

  // The whole path of one request, without sockets (tests, and the server's handler).
  LocalResponse Dispatch(RawRequest request);

 private:
  void AcceptLoop();
  void Serve(int fd);

  Env* env_;
  LocalServerOptions options_;
  RequestAuthenticator authenticator_;
  std::map<std::string, LocalService*> services_;
  LocalService* control_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread accept_thread_;

  std::mutex mu_;  // guards the connections and stopping_
  std::condition_variable idle_;
  std::set<int> connections_;  // open connection sockets, shut down by Stop
  bool stopping_ = false;
};

// The error response for `code` in the protocol of `service` (and of the request: SQS
// speaks JSON when the request carried X-Amz-Target, Query otherwise).
LocalResponse ProtocolError(const std::string& service, const RawRequest& request, int status,
                            const std::string& code, const std::string& message);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LOCAL_SERVER_H_
