// LocalCloud: the seed's AWS pieces on one machine, behind one LocalServer: S3 (durable,
// under <dir>/s3), SQS, EC2 and Auto Scaling, and the simulated instances. `lifeboat local`
// runs one; the demo and the tests start one.
#ifndef LIFEBOAT_LOCAL_LOCAL_CLOUD_H_
#define LIFEBOAT_LOCAL_LOCAL_CLOUD_H_

#include <memory>
#include <string>
#include <vector>

#include "common/env.h"
#include "local/local_server.h"

namespace lifeboat {

class LocalLambda;
class FleetInstanceHost;
class LocalSqs;

struct LocalCloudOptions {
  std::string dir;  // state (S3 objects); created if missing
  int port = 4566;
  double time_scale = 1.0;  // lifecycle timers run this many times faster
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::map<std::string, std::string> credentials = {{"test", "test"}};
  std::string local_binary;     // lifeboat-local: runs `instance-init` for simulated instances
  std::string lifeboat_binary;  // the production lifeboat: their bin/lifeboat
};

class LocalCloud {
 public:
  static Result<std::unique_ptr<LocalCloud>> Start(Env* env, LocalCloudOptions options);
  ~LocalCloud();

  int port() const { return server_->port(); }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port()); }
  void Stop();

 private:
  LocalCloud() = default;

  std::vector<std::shared_ptr<void>> parts_;  // services and what they share, in start order
  std::unique_ptr<LocalServer> server_;
  LocalSqs* sqs_ = nullptr;  // owned by parts_
  LocalLambda* lambda_ = nullptr;  // owned by parts_
  FleetInstanceHost* instance_host_ = nullptr;  // owned by parts_
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LOCAL_CLOUD_H_
