// RuntimeApiServer: the Lambda Runtime API of one execution environment, on 127.0.0.1 at a
// free port (its AWS_LAMBDA_RUNTIME_API), as AWS documents it for custom runtimes:
//   GET  /2018-06-01/runtime/invocation/next            blocks until an invocation, then
//        answers the event with Lambda-Runtime-Aws-Request-Id, -Deadline-Ms,
//        -Invoked-Function-Arn, -Trace-Id and, when present, -Client-Context and
//        -Cognito-Identity;
//   POST /2018-06-01/runtime/invocation/{id}/response   202;
//   POST /2018-06-01/runtime/invocation/{id}/error      202 (Lambda-Runtime-Function-Error-Type);
//   POST /2018-06-01/runtime/init/error                 202;
// an unknown request id is 400 InvalidRequestID, a second answer 403 InvalidStateTransition.
// Everything is delegated to a RuntimeChannel, which the owner keeps alive longer.
//
// Start/Stop belong to the owning thread. Close the channel before Stop(), so that a /next
// waiting for work returns.
#ifndef LIFEBOAT_LOCAL_LAMBDA_RUNTIME_API_SERVER_H_
#define LIFEBOAT_LOCAL_LAMBDA_RUNTIME_API_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "common/status.h"
#include "local/lambda/runtime_channel.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace lifeboat {

class RuntimeApiServer {
 public:
  explicit RuntimeApiServer(RuntimeChannel* channel);
  ~RuntimeApiServer();
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  Status Start();
  void Stop();
  // "127.0.0.1:PORT", the form AWS_LAMBDA_RUNTIME_API takes.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  void Route();

  RuntimeChannel* const channel_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_RUNTIME_API_SERVER_H_
