// The designs `lifeboat demo` deploys side by side on `lifeboat local`, each its own group
// of instances running the same sample application behind a terminate hook:
//   lifeboat-agent       instances run `lifeboat agent`, which watches IMDS and releases
//                        its instance as soon as its logs are stored;
//   lifeboat-controller  EventBridge -> Lambda running `lifeboat controller` -> Run Command
//                        of lifeboat's document (`lifeboat evacuate --complete-lifecycle`);
//   seed                 the blog post's design: EventBridge -> a Python function -> Run
//                        Command of `aws s3 cp /var/log/php-fpm/error.log s3://BUCKET/ID/`.
// Each rule matches its own group only, so the designs do not answer each other's actions.
#ifndef LIFEBOAT_DEMO_DEMO_DESIGNS_H_
#define LIFEBOAT_DEMO_DEMO_DESIGNS_H_

#include <string>
#include <vector>

#include "demo/cloud_deployer.h"

namespace lifeboat {

struct DemoDesign {
  std::string mode;    // "lifeboat-agent", "lifeboat-controller", "seed"
  std::string group;   // "web-agent", ...
  std::string bucket;  // where its logs go
  std::string prefix;  // lifeboat's key prefix ("agent", "controller"); empty for the seed
  bool lifeboat() const { return mode != "seed"; }
  // s3://bucket/prefix for lifeboat's designs.
  std::string destination() const { return "s3://" + bucket + "/" + prefix; }
};

struct DesignOptions {
  int instances = 3;
  int heartbeat_timeout = 300;  // seconds, as the hook says (lifeboat local scales it)
  double time_scale = 60;
  double lines_per_second = 50;
  std::string lifeboat_binary;  // what the controller function's bootstrap runs
  std::string work_dir;         // for the function packages
};

// The bucket lifeboat's designs ship to (the seed's design creates its own).
Status DeployLogBucket(CloudDeployer& cloud);

// Creates everything a design needs, with the API calls a real deployment makes, and its
// group with `options.instances` instances.
Result<DemoDesign> DeployAgentDesign(CloudDeployer& cloud, const DesignOptions& options);
Result<DemoDesign> DeployControllerDesign(CloudDeployer& cloud, const DesignOptions& options);
Result<DemoDesign> DeploySeedDesign(CloudDeployer& cloud, const DesignOptions& options);

// A zip archive holding `files` (name -> bytes; names ending in no extension that start
// with "#!" are made executable, as a `bootstrap` must be).
Result<std::string> ZipArchive(const std::vector<std::pair<std::string, std::string>>& files,
                               const std::string& scratch_path);

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_DEMO_DESIGNS_H_
