// `lifeboat agent`: the on-instance daemon that ships growing, rotating logs continuously,
// so that at termination only seconds of data are left to ship.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <memory>
#include <string>

#include "agent/agent_config.h"
#include "agent/agent_daemon.h"
#include "aws/service_clients.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/logging.h"
#include "common/metrics.h"
#include "http/metrics_server.h"
#include "ship/checkpoint_store.h"
#include "ship/object_keys.h"
#include "store/open_store.h"

namespace lifeboat {
namespace {

struct AgentFlags {
  std::string config = "/etc/lifeboat/agent.yaml";
  std::string log_level;
};

int RunAgent(const AgentFlags& flags) {
  // Before any thread starts: termination signals are taken by the event loop only, so a
  // SIGTERM landing on a worker thread cannot kill the process mid-drain.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Env* env = Env::Default();
  auto config = LoadAgentConfig(*env, flags.config, ConfigUse::kAgent);
  if (!config.ok()) return Fail(config.status(), kExitUsage);
  const std::string level = flags.log_level.empty() ? config->log_level : flags.log_level;
  if (!InitLogging(level, config->log_format)) {
    return Fail(Status::InvalidArgument("log level " + level +
                                        ": expected trace, debug, info, warn, error or off"),
                kExitUsage);
  }
  auto url = ParseStoreUrl(config->destination);
  if (!url.ok()) return Fail(url.status(), kExitUsage);

  // A session is needed for S3, to ask IMDS for the instance id, or for the lifecycle.
  std::unique_ptr<AwsSession> session;
  if (url->kind == StoreUrl::Kind::kS3 || config->instance_id.empty() ||
      config->lifecycle.enabled) {
    AwsSessionOptions options;
    // Unset keys leave AWS_ENDPOINT_URL*, AWS_REGION and IMDS to decide.
    if (!config->endpoint_url.empty()) options.endpoint_url = config->endpoint_url;
    if (!config->region.empty()) options.region = config->region;
    options.max_backoff = config->retry_max_backoff;
    auto s = MakeSession(env, options);
    if (!s.ok()) return Fail(s.status(), ExitCodeFor(s.status()));
    session = std::move(*s);
  }
  std::string instance_id = config->instance_id;
  if (instance_id.empty()) {
    auto id = session->imds().InstanceId();
    if (!id.ok()) {
      return Fail(Status::InvalidArgument(
          "instance_id is auto, but the instance metadata service did not give one (" +
          id.status().message() + "); outside EC2 set instance_id in " + flags.config));
    }
    instance_id = *id;
  }
  if (Status s = ValidateInstanceId(instance_id); !s.ok()) return Fail(s, kExitUsage);

  S3StoreOptions s3_options;
  s3_options.attributes = config->s3_attributes;
  auto opened = OpenStore(*url, env, session.get(), s3_options);
  if (!opened.ok()) return Fail(opened.status(), ExitCodeFor(opened.status()));
  auto checkpoint = CheckpointStore::Open(*env, config->state_dir, url->ToString() + " " + instance_id);
  if (!checkpoint.ok()) return Fail(checkpoint.status());

  Metrics metrics;
  DescribeAgentMetrics(metrics);
  std::unique_ptr<MetricsServer> server;
  if (!config->metrics_listen.empty()) {
    server = std::make_unique<MetricsServer>(config->metrics_listen,
                                             [&metrics] { return metrics.RenderPrometheus(); });
    if (Status s = server->Start(); !s.ok()) return Fail(s);
    spdlog::info("serving metrics on port {} (metrics.listen {})", server->port(),
                 config->metrics_listen);
  }

  AgentAwsApis apis;
  std::unique_ptr<AutoScalingClient> autoscaling;
  std::unique_ptr<SqsClient> sqs;
  if (session) apis.imds = &session->imds();  // the instance record's zone, type, AMI, launch
  if (config->lifecycle.enabled) {
    auto as = MakeAutoScalingClient(*session);
    if (!as.ok()) return Fail(as.status(), ExitCodeFor(as.status()));
    autoscaling = std::move(*as);
    apis.autoscaling = autoscaling.get();
    if (!config->lifecycle.sqs_queue_url.empty()) {
      auto q = MakeSqsClient(*session);
      if (!q.ok()) return Fail(q.status(), ExitCodeFor(q.status()));
      sqs = std::move(*q);
      apis.sqs = sqs.get();
    }
  }

  Status done = RunAgentDaemon(env, opened->store.get(), checkpoint->get(), &metrics, *config,
                               instance_id, apis);
  if (!done.ok()) return Fail(done);
  return kExitOk;
}

}  // namespace

Subcommand AddAgentCommand(CLI::App& root) {
  auto flags = std::make_shared<AgentFlags>();
  CLI::App* cmd = root.add_subcommand(
      "agent",
      "Ship growing and rotating logs continuously, exactly once; on SIGTERM ship to the "
      "last byte and seal the manifest");
  cmd->add_option("--config", flags->config, "YAML configuration file")->capture_default_str();
  cmd->add_option("--log-level", flags->log_level,
                  "trace|debug|info|warn|error|off (overrides log.level)");
  return {cmd, [flags] { return RunAgent(*flags); }};
}

}  // namespace lifeboat
