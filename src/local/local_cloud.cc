#include "local/local_cloud.h"

namespace lifeboat {

Result<std::unique_ptr<LocalCloud>> LocalCloud::Start(Env* env, LocalCloudOptions options) {
  std::unique_ptr<LocalCloud> cloud(new LocalCloud());
  LIFEBOAT_RETURN_IF_ERROR(env->CreateDirs(options.dir));
  LocalServerOptions server_options;
  server_options.port = options.port;
  server_options.credentials = options.credentials;
  cloud->server_ = std::make_unique<LocalServer>(env, server_options);
  // Services register here, each keeping its object alive in parts_:
  // [s3]
  // [sqs]
  // [autoscaling]
  LIFEBOAT_RETURN_IF_ERROR(cloud->server_->Start());
  return cloud;
}

LocalCloud::~LocalCloud() { Stop(); }

void LocalCloud::Stop() {
  if (server_) server_->Stop();  // no request is running once this returns
}

}  // namespace lifeboat
