// ImdsServer: one simulated instance's metadata service on 127.0.0.1, speaking IMDSv2 as
// EC2 does:
//   PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds (1..21600, else 400;
//     with X-Forwarded-For, 403) answers a token and echoes the TTL header;
//   GET /latest/<path> needs a valid, unexpired X-aws-ec2-metadata-token, else 401 (when
//     tokens are optional, as with HttpTokens=optional, a GET without one is served, but a
//     bad one is still 401); bodies come from MetadataTree (imds_metadata.h); 404 otherwise.
// The test and control hooks (target lifecycle state, spot notice, rebalance recommendation)
// change what it answers from the next request on.
//
// Start() binds synchronously and reports a failure as one line. Stop() (or destruction)
// closes the socket and joins the threads. Setters are thread-safe; Start/Stop belong to one
// owning thread. Borrows Env for the clocks (Now for documents, SteadyNow for token expiry).
#ifndef LIFEBOAT_LOCAL_INSTANCES_IMDS_SERVER_H_
#define LIFEBOAT_LOCAL_INSTANCES_IMDS_SERVER_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common/env.h"
#include "common/status.h"
#include "local/instances/imds_metadata.h"
#include "local/instances/imds_tokens.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace lifeboat {

struct ImdsServerOptions {
  bool tokens_required = true;  // false: IMDSv1 GETs without a token are served too
  // Lifecycle timers of `lifeboat local` run this many times faster; a spot notice's time
  // ("two minutes from now") is scaled the same way so agents see consistent deadlines.
  double time_scale = 1.0;
};

class ImdsServer {
 public:
  ImdsServer(Env* env, ImdsIdentity identity, ImdsServerOptions options = {});
  ~ImdsServer();
  ImdsServer(const ImdsServer&) = delete;
  ImdsServer& operator=(const ImdsServer&) = delete;

  // Listens on 127.0.0.1 on a free port.
  Status Start();
  void Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT/", the form AWS_EC2_METADATA_SERVICE_ENDPOINT takes.
  std::string endpoint() const;

  void SetTargetLifecycleState(std::string_view state);
  // action: terminate | stop | hibernate; the notice's time is two (scaled) minutes from now.
  Status InjectSpotNotice(std::string_view action);
  void InjectRebalance();

 private:
  void Dispatch(const httplib::Request& req, httplib::Response& res);
  void HandleToken(const httplib::Request& req, httplib::Response& res);
  // `path` is what follows /latest/.
  void HandleGet(const httplib::Request& req, const std::string& path, httplib::Response& res);

  Env* env_;
  const ImdsIdentity identity_;
  const ImdsServerOptions options_;
  const ImdsTokens tokens_;

  std::mutex mu_;  // guards state_
  ImdsState state_;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_IMDS_SERVER_H_
