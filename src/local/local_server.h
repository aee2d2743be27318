// LocalServer: the HTTP front of `lifeboat local` on 127.0.0.1. Every request is
// authenticated (SigV4 header or presigned query, against the local cloud's credentials),
// its aws-chunked body decoded, and routed by the service name in its credential scope, as
// AWS's own front ends route by endpoint. Errors before a service is reached speak that
// service's protocol, so clients parse them as AWS's.
#ifndef LIFEBOAT_LOCAL_LOCAL_SERVER_H_
#define LIFEBOAT_LOCAL_LOCAL_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "common/env.h"
#include "local/local_service.h"
#include "local/request_authenticator.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace lifeboat {

struct LocalServerOptions {
  std::string host = "127.0.0.1";
  int port = 4566;  // 0 picks a free port
  std::map<std::string, std::string> credentials = {{"test", "test"}};
  // Long-polling receives hold a thread each for up to 20 s.
  int threads = 32;
};

class LocalServer {
 public:
  LocalServer(Env* env, LocalServerOptions options);
  ~LocalServer();

  // Routes requests signed for `service` ("s3", "sqs", "ec2", "autoscaling", ...) to
  // `handler`, which must outlive the server. Call before Start.
  void AddService(const std::string& service, LocalService* handler);

  // Takes the port (so port() is known before services are added); Start binds if needed.
  Status Bind();
  Status Start();  // serves on its own threads
  void Stop();
  int port() const { return port_; }

  // The whole path of one request, without sockets (tests, and the server's handler).
  LocalResponse Dispatch(const RawRequest& request);

 private:
  Env* env_;
  LocalServerOptions options_;
  RequestAuthenticator authenticator_;
  std::map<std::string, LocalService*> services_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// The error response for `code` in the protocol of `service` (and of the request: SQS
// speaks JSON when the request carried X-Amz-Target, Query otherwise).
LocalResponse ProtocolError(const std::string& service, const RawRequest& request, int status,
                            const std::string& code, const std::string& message);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LOCAL_SERVER_H_
