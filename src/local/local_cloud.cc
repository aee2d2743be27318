#include "local/local_cloud.h"

#include "local/autoscaling/local_autoscaling.h"
#include "local/cloud_wiring.h"
#include "local/control_service.h"
#include "local/events/eventbridge_service.h"
#include "local/instances/instance_fleet.h"
#include "local/lambda/lambda_event_target.h"  // [lambda]
#include "local/lambda/lambda_service.h"       // [lambda]
#include "local/s3/s3_service.h"
#include "local/s3/s3_write_counter.h"
#include "local/sqs/sqs_service.h"
#include "local/ssm/local_ssm.h"  // [ssm]

namespace lifeboat {

Result<std::unique_ptr<LocalCloud>> LocalCloud::Start(Env* env, LocalCloudOptions options) {
  std::unique_ptr<LocalCloud> cloud(new LocalCloud());
  LIFEBOAT_RETURN_IF_ERROR(env->CreateDirs(options.dir));
  LocalServerOptions server_options;
  server_options.port = options.port;
  server_options.credentials = options.credentials;
  cloud->server_ = std::make_unique<LocalServer>(env, server_options);
  LIFEBOAT_RETURN_IF_ERROR(cloud->server_->Bind());  // instances need the endpoint
  // Services register here, each keeping its object alive in parts_:
  // [s3]
  // Counted, so that designs running side by side can be compared (the control endpoint).
  auto s3 = std::make_shared<S3WriteCounter>(NewLocalS3Service(env, JoinPath(options.dir, "s3")));
  cloud->server_->AddService("s3", s3.get());
  cloud->parts_.push_back(s3);
  // [sqs]
  auto sqs = std::make_shared<LocalSqs>(env, options.account_id, options.region);
  cloud->server_->AddService("sqs", sqs.get());
  cloud->parts_.push_back(sqs);
  cloud->sqs_ = sqs.get();
  // [lambda] Functions run as local processes under <dir>/lambda; they reach this cloud
  // through AWS_ENDPOINT_URL with its credentials. Created before EventBridge, so it is
  // destroyed after it (rules deliver through lambda_target); destroying it ends every
  // function process.
  LocalLambdaOptions lambda_options;
  lambda_options.dir = JoinPath(options.dir, "lambda");
  lambda_options.region = options.region;
  lambda_options.account_id = options.account_id;
  lambda_options.cloud_endpoint = "http://127.0.0.1:" + std::to_string(cloud->server_->port());
  lambda_options.access_key = options.credentials.begin()->first;
  lambda_options.secret_key = options.credentials.begin()->second;
  lambda_options.time_scale = options.time_scale;
  auto lambda = std::make_shared<LocalLambda>(env, lambda_options);
  cloud->lambda_ = lambda.get();
  auto lambda_target = std::make_shared<LambdaEventTarget>(lambda.get());
  cloud->server_->AddService("lambda", lambda.get());
  cloud->parts_.push_back(lambda);
  cloud->parts_.push_back(lambda_target);
  // [events] EventBridge's default bus: Auto Scaling puts its events there; rules deliver
  // to SQS and Lambda from a thread of their own. Destroyed after Auto Scaling.
  auto event_targets = std::make_shared<CloudEventTargets>(sqs.get(), lambda_target.get());
  auto events = std::make_shared<LocalEventBridge>(
      env, event_targets.get(), LocalEventBridgeOptions{options.region, options.account_id, {}});
  cloud->server_->AddService("events", events.get());
  cloud->parts_.push_back(event_targets);
  cloud->parts_.push_back(events);
  // [instances + autoscaling]
  InstanceCloudInfo info;
  info.cloud_endpoint = "http://127.0.0.1:" + std::to_string(cloud->server_->port());
  info.region = options.region;
  info.account_id = options.account_id;
  info.access_key = options.credentials.begin()->first;
  info.secret_key = options.credentials.begin()->second;
  info.local_binary = options.local_binary;
  info.lifeboat_binary = options.lifeboat_binary;
  info.time_scale = options.time_scale;
  auto fleet = std::make_shared<InstanceFleet>(env, JoinPath(options.dir, "instances"), info);
  auto host = std::make_shared<FleetInstanceHost>(fleet.get());
  auto sink = std::make_shared<SqsNotificationSink>(sqs.get());
  auto autoscaling = std::make_shared<LocalAutoScaling>(
      LocalAutoScalingOptions{options.time_scale, options.region, options.account_id}, host.get(),
      sink.get(), events.get());
  host->SetBootListener([engine = autoscaling->engine()](const std::string& id) {
    engine->OnInstanceBooted(id);
  });
  cloud->instance_host_ = host.get();
  cloud->server_->AddService("ec2", autoscaling->ec2_service());
  cloud->server_->AddService("autoscaling", autoscaling->autoscaling_service());
  // Destroyed in reverse: Auto Scaling before its sinks, instances after the engine.
  cloud->parts_.push_back(fleet);
  cloud->parts_.push_back(host);
  cloud->parts_.push_back(sink);
  cloud->parts_.push_back(autoscaling);
  // [ssm] Run Command's scripts run inside the fleet's instances; destroyed before the
  // fleet, its Stop() ending what still runs.
  auto command_host = std::make_shared<FleetCommandHost>(env, fleet.get());
  auto ssm = std::make_shared<LocalSsm>(
      LocalSsmOptions{env, options.region, options.account_id, command_host.get()});
  cloud->server_->AddService("ssm", ssm.get());
  cloud->parts_.push_back(command_host);
  cloud->parts_.push_back(ssm);
  // [control]
  auto control = std::make_shared<ControlService>(fleet.get(), s3.get());
  cloud->server_->SetControl(control.get());
  cloud->parts_.push_back(control);
  LIFEBOAT_RETURN_IF_ERROR(cloud->server_->Start());
  return cloud;
}

LocalCloud::~LocalCloud() {
  Stop();
  // Instances still booting must not report to the engine destroyed first.
  if (instance_host_ != nullptr) instance_host_->SetBootListener(nullptr);
  // Newest first: Auto Scaling stops before the sinks and the fleet it calls.
  while (!parts_.empty()) parts_.pop_back();
}

void LocalCloud::Stop() {
  // A long poll would hold the server's stop for up to 20 s.
  if (sqs_ != nullptr) sqs_->CancelWaits();
  // A synchronous Invoke waits for its function, up to 15 minutes: end them now.
  if (lambda_ != nullptr) lambda_->Stop();
  if (server_) server_->Stop();  // no request is running once this returns
}

}  // namespace lifeboat
