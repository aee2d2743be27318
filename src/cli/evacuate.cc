// lifeboat evacuate: compress, upload and verify files into the store, then write the
// instance's manifest. What a Run Command document runs instead of `aws s3 cp`.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "agent/agent_config.h"
#include "agent/source_discovery.h"
#include "aws/service_clients.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/lifecycle_flags.h"
#include "cli/progress_display.h"
#include "common/sigterm_exit.h"
#include "common/units.h"
#include "common/version.h"
#include "lifecycle/completion_line.h"
#include "lifecycle/instance_description.h"
#include "lifecycle/lifecycle_keeper.h"
#include "lifecycle/pre_stop.h"
#include "ship/evacuation.h"
#include "ship/evacuation_record.h"
#include "store/open_store.h"

namespace lifeboat {
namespace {

struct EvacuateFlags {
  std::vector<std::string> paths;
  std::string to;
  std::string instance_id;
  std::string compression;
  int level = -1;
  int parallel = 0;
  std::string chunk_size;
  std::string config;
  bool json = false;
  std::string storage_class;
  std::string sse;
  std::string sse_kms_key_id;
  AwsFlags aws;
  LifecycleFlags lifecycle;
};

// What this run does: agent.yaml's settings (--config, ConfigUse::kEvacuate) or
// evacuate's defaults, with every flag given on top. Flags win over the file.
struct EvacuateSettings {
  std::string destination;
  EvacuationOptions options;  // instance_id empty: ask the instance metadata service
  S3ObjectAttributes attributes;
  AwsSessionOptions aws;
  std::vector<std::string> paths;  // named on the command line; empty: the file's sources
  std::vector<SourceSpec> sources;
};

Result<EvacuateSettings> Settings(Env& env, const EvacuateFlags& f) {
  AgentConfig c = DefaultAgentConfig(ConfigUse::kEvacuate);
  if (!f.config.empty()) {
    LIFEBOAT_ASSIGN_OR_RETURN(c, LoadAgentConfig(env, f.config, ConfigUse::kEvacuate));
  }
  auto either = [](const std::string& flag, const std::string& file) {
    return flag.empty() ? file : flag;
  };
  EvacuateSettings s;
  s.destination = either(f.to, c.destination);
  s.options.instance_id = either(f.instance_id, c.instance_id);
  s.options.codec = c.codec;
  s.options.level = c.level;
  if (!f.compression.empty()) {
    LIFEBOAT_ASSIGN_OR_RETURN(Codec codec, ParseCodec(f.compression));
    // The file's level is one of its codec's levels.
    if (codec != c.codec) s.options.level = EvacuationDefaultLevel(codec);
    s.options.codec = codec;
  }
  if (f.level >= 0) s.options.level = f.level;
  s.options.parallel = f.parallel > 0 ? f.parallel : c.parallel;
  if (!f.chunk_size.empty()) {
    auto size = ParseByteSize(f.chunk_size);
    if (!size.ok()) return size.status().WithContext("--chunk-size");
    s.options.chunk_bytes = *size;
  }
  s.options.tool = std::string("lifeboat ") + LifeboatVersion();

  s.attributes = c.s3_attributes;
  if (!f.storage_class.empty()) {
    LIFEBOAT_RETURN_IF_ERROR(CheckStorageClassReadable(f.storage_class).WithContext("--storage-class"));
    s.attributes.storage_class = f.storage_class;
  }
  if (!f.sse.empty()) {
    auto encryption = ParseS3Encryption(f.sse);
    if (!encryption.ok()) return encryption.status().WithContext("--sse");
    s.attributes.encryption = *encryption;
    s.attributes.kms_key_id.clear();  // the file's key belongs to the file's mode
  }
  if (!f.sse_kms_key_id.empty()) s.attributes.kms_key_id = f.sse_kms_key_id;
  if (!s.attributes.kms_key_id.empty() && s.attributes.encryption != S3Encryption::kKms) {
    return Status::InvalidArgument("--sse-kms-key-id needs --sse aws:kms");
  }

  AwsFlags aws = f.aws;
  aws.endpoint_url = either(f.aws.endpoint_url, c.endpoint_url);
  aws.region = either(f.aws.region, c.region);
  s.aws = aws.ToOptions();
  s.paths = f.paths;
  if (s.paths.empty()) s.sources = c.sources;
  return s;
}

// The files the configuration's sources match now, as the agent would find them:
// excluded names left out, a pattern that matches nothing (yet) is no error, and what
// cannot be shipped (a directory, a dangling symlink) is skipped with a line.
std::vector<std::string> SourceFiles(Env& env, const std::vector<SourceSpec>& sources) {
  DiscoveryResult found = DiscoverSources(env, sources);
  for (const Status& problem : found.problems) {
    std::fprintf(stderr, "lifeboat: %s\n", problem.message().c_str());
  }
  std::vector<std::string> paths;
  for (const auto& file : found.files) paths.push_back(file.path);
  return paths;
}

Result<std::string> ResolveInstanceId(const std::string& instance_id, AwsSession* session) {
  if (!instance_id.empty()) return instance_id;
  if (session == nullptr) return Status::Internal("no session to ask for the instance id");
  auto id = session->imds().InstanceId();
  if (id.ok()) return *id;
  return Status::InvalidArgument(
      "no instance id: the instance metadata service did not give one (" + id.status().message() +
      "); outside EC2 pass --instance-id");
}

// The instance's lifecycle action, held while the evacuation runs (--complete-lifecycle).
struct LifecycleHold {
  std::unique_ptr<AutoScalingClient> client;
  std::unique_ptr<LifecycleKeeper> keeper;  // null: nothing holds this instance
};

Result<LifecycleHold> HoldLifecycleAction(Env* env, AwsSession& session,
                                          const LifecycleConfig& config, const std::string& token,
                                          const std::string& instance_id,
                                          const EvacuationProgress* progress) {
  LifecycleHold hold;
  LIFEBOAT_ASSIGN_OR_RETURN(hold.client, MakeAutoScalingClient(session));
  LifecycleTarget target{instance_id, config.group, config.hook, token, config.time_scale};
  // The command was started some time after the wait began: beat at once.
  LIFEBOAT_ASSIGN_OR_RETURN(auto held, ResolveHeldAction(*hold.client, target, env->SteadyNow(),
                                                         /*wait_start_known=*/false));
  if (!held) return hold;
  hold.keeper = std::make_unique<LifecycleKeeper>(
      *hold.client, *env, std::move(*held), config.keeper,
      [progress] { return progress->bytes_done.load(); });
  hold.keeper->Start();
  return hold;
}

// What the instance record starts from: the instance as its metadata describes it, the
// group of the held action, and the cause: a Run Command with --complete-lifecycle is
// Auto Scaling terminating the instance; otherwise the caller did not say.
InstanceRecord DescribedRecord(AwsSession* session, const LifecycleHold& hold,
                               const LifecycleConfig& lifecycle, const std::string& instance_id) {
  const std::string group = hold.keeper ? hold.keeper->action().ref.group : lifecycle.group;
  InstanceDescription d = DescribeInstance(session ? &session->imds() : nullptr, hold.client.get(),
                                           instance_id, lifecycle.enabled ? group : "");
  InstanceRecord r;
  r.instance_id = instance_id;
  r.group = std::move(d.group);
  r.availability_zone = std::move(d.availability_zone);
  r.instance_type = std::move(d.instance_type);
  r.image_id = std::move(d.image_id);
  r.launch_time = d.launch_time;
  r.cause = lifecycle.enabled ? EndCause::kScaleIn : EndCause::kUnknown;
  return r;
}

// One line on stdout that a controller reading the command's output looks for (on stderr
// with --json, whose stdout is the summary alone).
void PrintCompletion(const LifecycleKeeper& keeper, const Completion& c, bool json) {
  const std::string action = keeper.action().Describe();
  FILE* out = json ? stderr : stdout;
  switch (c.state) {
    case Completion::State::kCompleted:
      std::fprintf(out, "%s\n", CompletedLine(action, c.result).c_str());
      break;
    case Completion::State::kAlreadyDone:
      std::fprintf(out, "%s\n", AlreadyEndedLine(action, c.error).c_str());
      break;
    case Completion::State::kFailed:
      std::fprintf(stderr, "lifeboat: could not complete lifecycle action %s: %s\n",
                   action.c_str(), c.error.c_str());
      break;
  }
  std::fflush(stdout);
}

void PrintSummary(const EvacuationReport& r, const std::string& destination,
                  const std::string& instance_id, bool json) {
  if (json) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : r.files) {
      nlohmann::json j = {{"path", f.path},
                          {"ok", f.status.ok()},
                          {"stream", f.stream},
                          {"stored_end", f.stored_end},
                          {"raw_bytes", f.raw_bytes},
                          {"stored_bytes", f.stored_bytes},
                          {"chunks_uploaded", f.chunks_uploaded},
                          {"chunks_already_stored", f.chunks_already_stored},
                          {"bytes_written_since", f.bytes_written_since}};
      if (!f.status.ok()) j["error"] = f.status.message();
      files.push_back(std::move(j));
    }
    nlohmann::json j = {{"ok", r.ok()},
                        {"instance_id", instance_id},
                        {"destination", destination},
                        {"files", r.files.size()},
                        {"files_failed", r.failed_files()},
                        {"raw_bytes", r.raw_bytes},
                        {"stored_bytes", r.stored_bytes},
                        {"chunks_uploaded", r.chunks_uploaded},
                        {"chunks_already_stored", r.chunks_already_stored},
                        {"requests", r.requests},
                        {"seconds", r.seconds},
                        {"manifest_written", r.manifest_written},
                        {"file_reports", std::move(files)}};
    if (!r.manifest_status.ok()) j["manifest_error"] = r.manifest_status.message();
    std::printf("%s\n", j.dump().c_str());
    return;
  }
  const std::string where = destination + "/" + instance_id;
  const double ratio = r.stored_bytes == 0 ? 0 : static_cast<double>(r.raw_bytes) / r.stored_bytes;
  const std::string shipped = fmt::format(
      "{} shipped as {} ({:.1f}x) in {} chunk{}{}, {} request{}, {:.2f} s", FormatBytes(r.raw_bytes),
      FormatBytes(r.stored_bytes), ratio, r.chunks_uploaded, r.chunks_uploaded == 1 ? "" : "s",
      r.chunks_already_stored ? fmt::format(" ({} already stored)", r.chunks_already_stored) : "",
      r.requests, r.requests == 1 ? "" : "s", r.seconds);
  const size_t n = r.files.size();
  if (r.ok() && r.chunks_uploaded == 0 && r.chunks_already_stored == 0) {
    std::fprintf(stderr, "lifeboat: nothing new to ship: %zu file%s already in %s (%llu request%s)\n",
                 n, n == 1 ? "" : "s", where.c_str(), static_cast<unsigned long long>(r.requests),
                 r.requests == 1 ? "" : "s");
  } else if (r.ok()) {
    std::fprintf(stderr, "lifeboat: evacuated %zu file%s to %s: %s\n", n, n == 1 ? "" : "s",
                 where.c_str(), shipped.c_str());
  } else {
    const size_t failed = r.manifest_status.ok() ? r.failed_files() : n;
    std::fprintf(stderr, "lifeboat: %zu of %zu file%s not evacuated to %s; %s\n", failed, n,
                 n == 1 ? "" : "s", where.c_str(), shipped.c_str());
  }
}

int ReportEvacuation(const Result<EvacuationReport>& report, const StoreUrl& url,
                     const std::string& instance_id, bool json);
// What the command exits with for this outcome (before the lifecycle completion's part).
int EvacuationExitCode(const Result<EvacuationReport>& report);

int RunEvacuate(EvacuateFlags& f) {
  Env* env = Env::Default();
  auto settings = Settings(*env, f);
  if (!settings.ok()) return Fail(settings.status(), kExitUsage);
  EvacuationOptions& options = settings->options;
  if (settings->destination.empty()) {
    return Fail(Status::InvalidArgument(
                    "no destination: pass --to s3://bucket[/prefix] or --to file:///dir"),
                kExitUsage);
  }
  auto url = ParseStoreUrl(settings->destination);
  if (!url.ok()) return Fail(url.status(), kExitUsage);
  std::vector<std::string> paths = settings->paths;
  // The configuration's sources are matched after the pre-stop commands ran: their last
  // lines may go to a file that did not exist before.
  const bool from_sources = paths.empty() && !settings->sources.empty();
  if (paths.empty() && !from_sources) {
    return Fail(Status::InvalidArgument("no file to evacuate was named"), kExitUsage);
  }

  auto lifecycle = f.lifecycle.ToConfig();
  if (!lifecycle.ok()) return Fail(lifecycle.status(), kExitUsage);

  // A session is needed for S3, to ask IMDS for the instance id, or for the lifecycle.
  std::unique_ptr<AwsSession> session;
  if (url->kind == StoreUrl::Kind::kS3 || options.instance_id.empty() || lifecycle->enabled) {
    auto s = MakeSession(env, settings->aws);
    if (!s.ok()) return Fail(s.status(), ExitCodeFor(s.status()));
    session = std::move(*s);
  }
  auto instance_id = ResolveInstanceId(options.instance_id, session.get());
  if (!instance_id.ok()) return Fail(instance_id.status(), kExitUsage);
  options.instance_id = *instance_id;

  S3StoreOptions s3_options;
  s3_options.attributes = settings->attributes;
  auto opened = OpenStore(*url, env, session.get(), s3_options);
  if (!opened.ok()) return Fail(opened.status(), ExitCodeFor(opened.status()));

  EvacuationProgress progress;
  LifecycleHold hold;
  if (lifecycle->enabled) {
    auto held = HoldLifecycleAction(env, *session, *lifecycle, f.lifecycle.token,
                                    options.instance_id, &progress);
    // Without the action the instance is released by the hook's timeout: still ship.
    if (!held.ok()) {
      std::fprintf(stderr, "lifeboat: cannot hold the lifecycle action: %s\n",
                   held.status().message().c_str());
    } else {
      hold = std::move(*held);
    }
  }
  RunPreStopCommands(*env, lifecycle->pre_stop, lifecycle->pre_stop_timeout);
  if (from_sources) paths = SourceFiles(*env, settings->sources);

  ProgressDisplay display(&progress, !f.json && ::isatty(STDERR_FILENO));
  // Sources that match no file fail the run like any other, after the action is held, so
  // that --complete-lifecycle still completes it (with --on-failure's result) at once
  // instead of leaving the instance waiting out the hook's heartbeat timeout.
  auto report = paths.empty() ? Result<EvacuationReport>(Status::NotFound(
                                    "no file matches the sources in " + f.config))
                              : Evacuation(env, opened->store.get(), options).Run(paths, &progress);
  display.Stop();
  // A run that changed nothing (running twice uploads nothing) leaves the record as it is,
  // unless it is the end of the instance. Before the release: a terminating instance may
  // not run another line after it.
  if (report.ok() && report->manifest_status.ok() && (report->manifest_written || lifecycle->enabled)) {
    InstanceRecord base = DescribedRecord(session.get(), hold, *lifecycle, options.instance_id);
    if (Status s = RecordEvacuation(env, opened->store.get(), *report, std::move(base)); !s.ok()) {
      // The logs are stored and verified; only finding them by time is affected.
      std::fprintf(stderr, "lifeboat: warning: the instance record was not written: %s\n",
                   s.message().c_str());
    }
  }
  // Release the instance first, then report: it is waiting.
  std::optional<Completion> completion;
  if (hold.keeper) {
    completion = !report.ok()    ? hold.keeper->Failed(report.status().message())
                 : report->ok() ? hold.keeper->Succeeded()
                                : hold.keeper->Failed("not every file is stored");
    // Released, the instance terminates and its shutdown sends SIGTERM to this process
    // while it reports (with `exec` in the Run Command script, to lifeboat alone). The
    // outcome is decided: exit with it, so the command's history says Success (or the
    // failure it was), not "killed" (143). Until here SIGTERM keeps its default and kills
    // the run: nothing is decided and the action stays held until its timeout.
    if (completion->released()) ExitOnSigterm(EvacuationExitCode(report));
  }
  const int exit_code = ReportEvacuation(report, *url, options.instance_id, f.json);
  if (completion) {
    PrintCompletion(*hold.keeper, *completion, f.json);
    if (!completion->released()) return kExitFailure;
  }
  return exit_code;
}

int EvacuationExitCode(const Result<EvacuationReport>& report) {
  if (!report.ok()) return ExitCodeFor(report.status());
  return report->ok() ? kExitOk : kExitFailure;
}

// Prints what the evacuation did (one line per problem, then the summary); its exit code.
int ReportEvacuation(const Result<EvacuationReport>& report, const StoreUrl& url,
                     const std::string& instance_id, bool json) {
  if (!report.ok()) return Fail(report.status(), ExitCodeFor(report.status()));

  for (const auto& file : report->files) {
    if (!file.status.ok()) {
      std::fprintf(stderr, "lifeboat: %s\n", file.status.message().c_str());
    } else if (file.bytes_written_since > 0) {
      std::fprintf(stderr,
                   "lifeboat: %s grew while it was read: shipped to byte %llu (a line end); "
                   "%llu bytes written since are not shipped, run again to ship them\n",
                   file.path.c_str(), static_cast<unsigned long long>(file.stored_end),
                   static_cast<unsigned long long>(file.bytes_written_since));
    }
  }
  if (!report->manifest_status.ok()) {
    std::fprintf(stderr, "lifeboat: %s\n", report->manifest_status.message().c_str());
  }
  PrintSummary(*report, url.ToString(), instance_id, json);
  return EvacuationExitCode(report);
}

}  // namespace

Subcommand AddEvacuateCommand(CLI::App& app) {
  auto flags = std::make_shared<EvacuateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "evacuate", "Compress, upload and verify log files into s3:// or file:// storage, once");
  cmd->add_option("paths", flags->paths, "Files or globs to ship (quote globs)");
  cmd->add_option("--to", flags->to, "s3://bucket[/prefix] or file:///dir");
  cmd->add_option("--instance-id", flags->instance_id,
                  "Key prefix for this instance; default: from the instance metadata service");
  cmd->add_option("--compression", flags->compression, "zstd (default), gzip or none");
  cmd->add_option("--level", flags->level, "Compression level (zstd 1-22, default 1; gzip 1-9, default 6)");
  cmd->add_option("--parallel", flags->parallel, "Chunks compressed and uploaded at once (default 2 x cores, 2..16)");
  cmd->add_option("--chunk-size", flags->chunk_size, "Raw bytes per chunk object (default 64MiB)");
  cmd->add_option("--config", flags->config,
                  "The agent's agent.yaml: its destination, instance_id, endpoint_url, region, "
                  "sources (with exclude), compression, parallel, storage_class and sse; flags "
                  "win. Its other keys are the agent's: checked like every key (a typo is an "
                  "error), then ignored");
  cmd->add_flag("--json", flags->json, "Print a JSON summary on stdout");
  cmd->add_option("--storage-class", flags->storage_class, "S3 storage class, e.g. STANDARD_IA");
  cmd->add_option("--sse", flags->sse, "Server-side encryption: AES256 or aws:kms");
  cmd->add_option("--sse-kms-key-id", flags->sse_kms_key_id, "KMS key for --sse aws:kms");
  flags->aws.AddTo(cmd);
  flags->lifecycle.AddTo(cmd);
  return {cmd, [flags] { return RunEvacuate(*flags); }};
}

}  // namespace lifeboat
