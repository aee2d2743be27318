#include "local/local_cloud.h"

#include "local/sqs/sqs_service.h"

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
  auto sqs = std::make_shared<LocalSqs>(env, options.account_id, options.region);
  cloud->server_->AddService("sqs", sqs.get());
  cloud->parts_.push_back(sqs);
  cloud->sqs_ = sqs.get();
  // [autoscaling]
  LIFEBOAT_RETURN_IF_ERROR(cloud->server_->Start());
  return cloud;
}

LocalCloud::~LocalCloud() { Stop(); }

void LocalCloud::Stop() {
  // A long poll would hold the server's stop for up to 20 s.
  if (sqs_ != nullptr) sqs_->CancelWaits();
  if (server_) server_->Stop();  // no request is running once this returns
}

}  // namespace lifeboat
