// `lifeboat controller`: the seed's Lambda function, done right — for each terminate
// lifecycle action, Run Command of lifeboat's document, heartbeats while it runs, and the
// completion. Three ways to run it:
//   --lambda      a Lambda custom runtime loop (also what the binary does when it is
//                 started as `bootstrap`, the handler of a provided.al2023 function);
//   --sqs URL     a daemon reading lifecycle notices from a queue;
//   --event FILE  one notice from a file ('-' for stdin), for scripts and tests.
#include <CLI/CLI.hpp>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "aws/lambda_runtime_client.h"
#include "aws/service_clients.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/units.h"
#include "controller/controller_config.h"
#include "controller/lambda_loop.h"
#include "controller/lifecycle_handler.h"
#include "controller/sqs_loop.h"
#include "http/curl_http_client.h"
#include "lifecycle/lifecycle_config.h"

namespace lifeboat {
namespace {

struct ControllerFlags {
  bool lambda = false;
  std::string sqs_queue_url;
  std::string event_file;
  std::string document;
  std::string destination;
  std::string parameters;
  std::string on_failure;
  int command_timeout = 0;
  std::string time_scale;
  std::string poll_interval;
  std::string heartbeat_interval;
  int visibility_timeout = 60;
  AwsFlags aws;
};

Result<ControllerConfig> ConfigFrom(Env& env, const ControllerFlags& f) {
  LIFEBOAT_ASSIGN_OR_RETURN(ControllerConfig c, ControllerConfigFromEnvironment(env));
  if (!f.document.empty()) c.document = f.document;
  if (!f.destination.empty()) c.destination = f.destination;
  if (!f.parameters.empty()) {
    auto p = ParseDocumentParameters(f.parameters);
    if (!p.ok()) return p.status().WithContext("--parameters");
    c.parameters = std::move(*p);
  }
  if (!f.on_failure.empty()) {
    auto r = ParseLifecycleResult(f.on_failure);
    if (!r.ok()) return r.status().WithContext("--on-failure");
    c.on_failure = *r;
  }
  if (f.command_timeout > 0) c.command_timeout = std::chrono::seconds(f.command_timeout);
  if (!f.time_scale.empty()) {
    LIFEBOAT_ASSIGN_OR_RETURN(c.time_scale, ParseTimeScale(f.time_scale, "--time-scale"));
  }
  if (!f.poll_interval.empty()) {
    auto d = ParseDuration(f.poll_interval);
    if (!d.ok() || d->count() <= 0) {
      return Status::InvalidArgument("--poll-interval " + f.poll_interval +
                                     ": expected a duration such as 1s or 250ms");
    }
    c.poll_interval = *d;
  }
  if (!f.heartbeat_interval.empty() && f.heartbeat_interval != "auto") {
    auto d = ParseDuration(f.heartbeat_interval);
    if (!d.ok() || d->count() <= 0) {
      return Status::InvalidArgument("--heartbeat-interval " + f.heartbeat_interval +
                                     ": expected a duration or auto");
    }
    c.heartbeat.interval = *d;
  }
  LIFEBOAT_RETURN_IF_ERROR(ValidateControllerConfig(c));
  return c;
}

int RunEventFile(Env& env, LifecycleHandler& handler, const std::string& path) {
  std::string text;
  if (path == "-") {
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0) text.append(buf, n);
  } else {
    auto read = env.ReadFileToString(path);
    if (!read.ok()) return Fail(read.status(), kExitUsage);
    text = std::move(*read);
  }
  auto notices = NoticesInPayload(text);
  if (!notices.ok()) return Fail(notices.status().WithContext(path), kExitUsage);
  bool ok = true;
  for (const auto& notice : *notices) {
    HandlerOutcome outcome = handler.Handle(notice);
    std::printf("%s\n", outcome.ToJson().dump().c_str());
    ok &= outcome.settled && outcome.outcome != "error";
  }
  return ok ? kExitOk : kExitFailure;
}

// SIGTERM/SIGINT set `stop`; a thread waits for them so the handlers' threads need not.
std::thread StopOnSignal(std::atomic<bool>& stop) {
  return std::thread([&stop] {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("received {}: handing the actions in progress back to the queue",
                 strsignal(signal));
    stop = true;
  });
}

int RunController(const ControllerFlags& f) {
  const int modes =
      (f.lambda ? 1 : 0) + (f.sqs_queue_url.empty() ? 0 : 1) + (f.event_file.empty() ? 0 : 1);
  if (modes != 1) {
    return Fail(Status::InvalidArgument("choose one of --lambda, --sqs URL or --event FILE"),
                kExitUsage);
  }
  Env* env = Env::Default();
  auto config = ConfigFrom(*env, f);
  if (!config.ok()) {
    // Inside Lambda, say it where the function's errors are read, too.
    auto api = env->GetNonEmptyVar("AWS_LAMBDA_RUNTIME_API");
    if (f.lambda && api) {
      CurlHttpClient http;
      Status reported =
          LambdaRuntimeClient(http, *api)
              .ReportInitError("Lifeboat.InvalidConfiguration", config.status().message());
      if (!reported.ok()) spdlog::error("Runtime API: {}", reported.message());
    }
    return Fail(config.status(), kExitUsage);
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (!f.sqs_queue_url.empty()) ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto session = MakeSession(env, f.aws.ToOptions());
  if (!session.ok()) return Fail(session.status(), ExitCodeFor(session.status()));
  auto ssm = MakeSsmClient(**session);
  if (!ssm.ok()) return Fail(ssm.status(), ExitCodeFor(ssm.status()));
  auto autoscaling = MakeAutoScalingClient(**session);
  if (!autoscaling.ok()) return Fail(autoscaling.status(), ExitCodeFor(autoscaling.status()));
  LifecycleHandler handler(*env, **ssm, **autoscaling, *config);

  if (!f.event_file.empty()) return RunEventFile(*env, handler, f.event_file);

  if (f.lambda) {
    auto api = env->GetNonEmptyVar("AWS_LAMBDA_RUNTIME_API");
    if (!api) {
      return Fail(Status::InvalidArgument(
                      "--lambda: AWS_LAMBDA_RUNTIME_API is not set (not inside Lambda)"),
                  kExitUsage);
    }
    // Between invocations Lambda freezes the sandbox inside /next: no stall limit.
    CurlHttpClientOptions http_options;
    http_options.stall_timeout = std::chrono::seconds(0);
    CurlHttpClient runtime_http(http_options);
    LambdaRuntimeClient runtime(runtime_http, *api);
    Status s = RunLambdaLoop(*env, runtime, handler, config->deadline_margin);
    return Fail(s);
  }

  auto sqs = MakeSqsClient(**session);
  if (!sqs.ok()) return Fail(sqs.status(), ExitCodeFor(sqs.status()));
  std::atomic<bool> stop{false};
  std::thread waiter = StopOnSignal(stop);
  SqsLoopOptions options;
  options.queue_url = f.sqs_queue_url;
  options.visibility_timeout = f.visibility_timeout;
  Status s = RunSqsLoop(*env, **sqs, handler, options, stop);
  waiter.join();
  return s.ok() ? kExitOk : Fail(s);
}

}  // namespace

Subcommand AddControllerCommand(CLI::App& root) {
  auto flags = std::make_shared<ControllerFlags>();
  CLI::App* cmd = root.add_subcommand(
      "controller",
      "For each terminate lifecycle action: Run Command of lifeboat's document, heartbeats, "
      "completion (as a Lambda runtime, an SQS daemon, or once for an event file)");
  cmd->add_flag("--lambda", flags->lambda, "Serve the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API)");
  cmd->add_option("--sqs", flags->sqs_queue_url, "Read lifecycle notices from this SQS queue URL");
  cmd->add_option("--event", flags->event_file, "Handle the notice in this file ('-': stdin)");
  cmd->add_option("--document", flags->document,
                  "Run Command document (LIFEBOAT_DOCUMENT; default lifeboat-evacuate)");
  cmd->add_option("--destination", flags->destination,
                  "s3://bucket/prefix for the document (LIFEBOAT_DESTINATION)");
  cmd->add_option("--parameters", flags->parameters,
                  "JSON object of document parameters, {instance_id} {group} {hook} {token} "
                  "expanded (LIFEBOAT_PARAMETERS); replaces the default set");
  cmd->add_option(
      "--on-failure", flags->on_failure,
      "ABANDON or CONTINUE when the command fails (LIFEBOAT_ON_FAILURE; default ABANDON)");
  cmd->add_option("--command-timeout", flags->command_timeout,
                  "Seconds the command may run (LIFEBOAT_COMMAND_TIMEOUT; default 3600)");
  cmd->add_option("--time-scale", flags->time_scale,
                  "lifeboat local's --time-scale (LIFEBOAT_TIME_SCALE; default 1)");
  cmd->add_option("--poll-interval", flags->poll_interval,
                  "Between GetCommandInvocation calls (default 1s)");
  cmd->add_option("--heartbeat-interval", flags->heartbeat_interval,
                  "Between lifecycle heartbeats (default auto: a third of the hook's timeout)");
  cmd->add_option("--visibility-timeout", flags->visibility_timeout,
                  "--sqs: seconds a notice stays hidden while its action is followed (extended "
                  "as it goes; a crashed controller's notices come back after it)")
      ->capture_default_str()
      ->check(CLI::Range(1, 43200));
  flags->aws.AddTo(cmd);
  return {cmd, [flags] { return RunController(*flags); }};
}

}  // namespace lifeboat
