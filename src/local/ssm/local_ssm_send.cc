// SendCommand and the invocation threads that run what it sends.
#include <algorithm>
#include <set>

#include "local/ssm/local_ssm.h"
#include "local/ssm/ssm_errors.h"
#include "local/ssm/ssm_fields.h"
#include "local/ssm/ssm_output.h"
#include "local/ssm/ssm_parameters.h"

namespace lifeboat {
namespace {

using nlohmann::json;

constexpr size_t kMaxInstanceIds = 50;
constexpr size_t kMaxTargets = 5;
constexpr int64_t kMinDeliveryTimeout = 30;
constexpr int64_t kMaxDeliveryTimeout = 2592000;
// The agent's exit code for a script it stopped (timeout or cancel): 128 + SIGKILL.
constexpr int kStoppedExitCode = 137;

Result<SsmParameterValues> ParameterValues(const json& input) {
  SsmParameterValues values;
  if (!input.contains("Parameters") || input["Parameters"].is_null()) return values;
  const json& params = input["Parameters"];
  if (!params.is_object()) return SsmValidationError("Parameters must be a map of string lists.");
  for (const auto& [name, list] : params.items()) {
    if (!list.is_array()) return SsmValidationError("Parameters must be a map of string lists.");
    for (const json& v : list) {
      if (!v.is_string()) return SsmValidationError("Parameters must be a map of string lists.");
      values[name].push_back(v.get<std::string>());
    }
  }
  return values;
}

// The agent's orchestration directory name for a plugin: its name without ':' and the like.
std::string RunDirectoryOf(const std::string& plugin) {
  std::string out;
  for (char c : plugin) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') out += c;
  }
  return out.empty() ? "plugin" : out;
}

// How the agent appends to an output: a newline between what was there and what follows.
void AppendOutput(std::string& to, const std::string& text) {
  if (text.empty()) return;
  if (!to.empty()) to += "\n";
  to += text;
}

bool TagsMatch(const HostInstance& instance, const std::string& key,
               const std::vector<std::string>& values) {
  if (key == "InstanceIds") {
    return std::find(values.begin(), values.end(), "*") != values.end() ||
           std::find(values.begin(), values.end(), instance.instance_id) != values.end();
  }
  if (key == "tag-key") {
    for (const std::string& v : values) {
      if (instance.tags.count(v)) return true;
    }
    return false;
  }
  auto tag = instance.tags.find(key.substr(4));  // "tag:<key>"
  return tag != instance.tags.end() &&
         std::find(values.begin(), values.end(), tag->second) != values.end();
}

}  // namespace

Result<std::vector<std::string>> LocalSsm::ResolveTargets(const json& targets) {
  if (!targets.is_array() || targets.size() > kMaxTargets) {
    return SsmValidationError("Targets must be a list of at most 5 targets.");
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> wanted;
  for (const json& t : targets) {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string key, SsmRequiredString(t, "Key"));
    LIFEBOAT_ASSIGN_OR_RETURN(std::vector<std::string> values, SsmStringList(t, "Values"));
    if (key != "InstanceIds" && key != "tag-key" && !key.starts_with("tag:")) {
      return SsmValidationError("Target key " + key +
                                " is not supported by lifeboat local: use InstanceIds, "
                                "tag:<key> or tag-key.");
    }
    wanted.emplace_back(std::move(key), std::move(values));
  }
  std::vector<std::string> ids;
  for (const HostInstance& instance : options_.host->RunningInstances()) {
    bool all = true;
    for (const auto& [key, values] : wanted) all = all && TagsMatch(instance, key, values);
    if (all) ids.push_back(instance.instance_id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<json> LocalSsm::SendCommand(const json& input) {
  auto command = std::make_shared<SsmCommandState>();
  LIFEBOAT_ASSIGN_OR_RETURN(command->document_name, SsmRequiredString(input, "DocumentName"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto version, SsmOptionalString(input, "DocumentVersion"));
  LIFEBOAT_ASSIGN_OR_RETURN(command->instance_ids, SsmStringList(input, "InstanceIds"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto timeout, SsmOptionalInt(input, "TimeoutSeconds"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto comment, SsmOptionalString(input, "Comment"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto max_concurrency, SsmOptionalString(input, "MaxConcurrency"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto max_errors, SsmOptionalString(input, "MaxErrors"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto s3_region, SsmOptionalString(input, "OutputS3Region"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto s3_bucket, SsmOptionalString(input, "OutputS3BucketName"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto s3_prefix, SsmOptionalString(input, "OutputS3KeyPrefix"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto role, SsmOptionalString(input, "ServiceRoleArn"));
  LIFEBOAT_ASSIGN_OR_RETURN(SsmParameterValues values, ParameterValues(input));
  const bool has_targets =
      input.contains("Targets") && !input["Targets"].is_null() && !input["Targets"].empty();
  if (command->instance_ids.empty() == !has_targets) {
    return SsmValidationError("Specify either InstanceIds or Targets, not both and not neither.");
  }
  if (command->instance_ids.size() > kMaxInstanceIds) {
    return SsmValidationError("InstanceIds takes at most 50 instances; use Targets for more.");
  }
  if (timeout && (*timeout < kMinDeliveryTimeout || *timeout > kMaxDeliveryTimeout)) {
    return SsmValidationError("1 validation error detected: Value '" + std::to_string(*timeout) +
                              "' at 'timeoutSeconds' failed to satisfy constraint: Member must "
                              "have value between 30 and 2592000");
  }
  if (comment && comment->size() > 100) {
    return SsmValidationError("Comment is at most 100 characters.");
  }

  LIFEBOAT_ASSIGN_OR_RETURN(auto document,
                            documents_.Find(command->document_name, version.value_or("")));
  if (!document->command) {
    return SsmError("InvalidDocument", "Document " + document->name + " is of type " +
                                           document->document_type + ", not Command.");
  }
  LIFEBOAT_ASSIGN_OR_RETURN(json resolved, ResolveSsmParameters(*document->command, values));
  command->plans = PlanSsmCommand(*document->command, resolved);

  std::vector<std::string> targets;
  if (has_targets) {
    command->targets = input["Targets"];
    LIFEBOAT_ASSIGN_OR_RETURN(targets, ResolveTargets(command->targets));
  } else {
    std::set<std::string> seen;
    std::vector<std::string> not_running;
    for (const std::string& id : command->instance_ids) {
      if (!seen.insert(id).second) {
        return SsmError("DuplicateInstanceId", "Instance " + id + " is listed more than once.");
      }
      if (!options_.host->Running(id)) not_running.push_back(id);
    }
    if (!not_running.empty()) {
      std::string list;
      for (const std::string& id : not_running) list += (list.empty() ? "" : ", ") + id;
      return SsmError(
          "InvalidInstanceId",
          "Instances [[" + list + "]] not in a valid state for account " + options_.account_id);
    }
    targets = command->instance_ids;
  }

  command->command_id = NewRequestId();
  command->document_version = version.value_or("$DEFAULT");
  command->comment = comment.value_or("");
  if (input.contains("Parameters") && input["Parameters"].is_object()) {
    command->parameters = input["Parameters"];
  }
  command->requested = options_.env->Now();
  command->timeout_seconds = timeout.value_or(3600);
  command->max_concurrency = max_concurrency.value_or("50");
  command->max_errors = max_errors.value_or("0");
  command->output_s3_region = s3_region.value_or(s3_bucket ? options_.region : "");
  command->output_s3_bucket = s3_bucket.value_or("");
  command->output_s3_prefix = s3_prefix.value_or("");
  command->service_role = role.value_or("");
  command->notification_config = input.value("NotificationConfig", json());
  command->cloudwatch_config = input.value("CloudWatchOutputConfig", json());
  for (const std::string& id : targets) {
    auto inv = std::make_shared<SsmInvocationState>();
    inv->instance_id = id;
    for (const SsmPluginPlan& plan : command->plans) inv->plugins.push_back({.name = plan.name});
    command->invocations.push_back(std::move(inv));
  }

  json out;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Unavailable("lifeboat local's SSM is shutting down");
    commands_.push_back(command);
    by_id_[command->command_id] = command;
    out = {{"Command", SsmCommandJson(*command)}};
  }
  for (const InvocationPtr& inv : command->invocations) StartWorker(command, inv);
  return out;
}

void LocalSsm::StartWorker(CommandPtr command, InvocationPtr invocation) {
  std::vector<std::thread> done;
  std::unique_lock lock(mu_);
  if (stopping_) return;  // Stop() cancelled it; it stays Pending
  for (uint64_t id : finished_) {
    auto it = workers_.find(id);
    if (it == workers_.end()) continue;
    done.push_back(std::move(it->second));
    workers_.erase(it);
  }
  finished_.clear();
  const uint64_t id = next_worker_++;
  workers_[id] =
      std::thread([this, id, command = std::move(command), invocation = std::move(invocation)] {
        RunInvocation(command, invocation);
        std::lock_guard lock(mu_);
        finished_.push_back(id);
      });
  lock.unlock();
  for (std::thread& t : done) t.join();  // they have ended: this returns at once
}

void LocalSsm::RunInvocation(const CommandPtr& command, const InvocationPtr& inv) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(command->timeout_seconds);
  std::unique_lock lock(mu_);
  for (;;) {
    if (inv->cancel) {
      inv->status = inv->details = "Cancelled";
      for (SsmPluginState& p : inv->plugins) p.status = p.details = "Cancelled";
      return;
    }
    lock.unlock();
    const bool reachable = options_.host->Running(inv->instance_id);
    lock.lock();
    if (reachable) break;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      inv->status = "TimedOut";
      inv->details = "DeliveryTimedOut";
      for (SsmPluginState& p : inv->plugins) {
        p.status = "TimedOut";
        p.details = "DeliveryTimedOut";
      }
      return;
    }
    wake_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(options_.delivery_retry,
                                                                       deadline - now));
  }
  inv->status = inv->details = "InProgress";
  std::string status = "Success";
  for (size_t i = 0; i < command->plans.size(); ++i) {
    SsmPluginState& plugin = inv->plugins[i];
    if (inv->cancel) {
      plugin.status = plugin.details = "Cancelled";
      status = SsmMergeStatus(status, plugin.status);
      continue;
    }
    plugin.status = plugin.details = "InProgress";
    plugin.start = options_.env->Now();
    SsmPluginState running = plugin;
    lock.unlock();
    SsmPluginState result = RunPlugin(*command, *inv, command->plans[i], std::move(running));
    result.end = options_.env->Now();
    lock.lock();
    plugin = std::move(result);
    status = SsmMergeStatus(status, plugin.status);
  }
  inv->status = status;
  inv->details = SsmDetailsOf(status);
}

SsmPluginState LocalSsm::RunPlugin(const SsmCommandState& command, const SsmInvocationState& inv,
                                   const SsmPluginPlan& plan, SsmPluginState state) {
  std::string out, err;
  std::string status = "Success";
  int code = 0;
  if (!plan.error.empty()) {
    status = "Failed";
    code = 1;
    err = plan.error;
  }
  for (size_t i = 0; i < plan.runs.size() && plan.error.empty(); ++i) {
    const SsmScriptRun& run = plan.runs[i];
    HostCommand host_command;
    host_command.instance_id = inv.instance_id;
    host_command.run_name = command.command_id + "/" + RunDirectoryOf(plan.name) +
                            (plan.runs.size() > 1 ? "/" + std::to_string(i) : "");
    host_command.script = run.script;
    host_command.working_directory = run.working_directory;
    host_command.timeout = run.timeout;
    host_command.cancel = &inv.cancel;
    Result<HostCommandResult> result = options_.host->Run(host_command);
    if (!result.ok()) {
      status = "Failed";
      code = 1;
      AppendOutput(err, "failed to run commands: " + result.status().message());
      break;
    }
    AppendOutput(out, result->stdout_head);
    AppendOutput(err, result->stderr_head);
    code = result->exit_code;
    if (result->cancelled) {
      status = "Cancelled";
      code = kStoppedExitCode;
    } else if (result->timed_out || code == kStoppedExitCode) {
      // The agent reads 137 as its own kill for the timeout, whoever sent the SIGKILL.
      status = "TimedOut";
      code = kStoppedExitCode;
    } else if (code != 0) {
      status = "Failed";
      AppendOutput(err, "failed to run commands: exit status " + std::to_string(code));
    }
    if (status != "Success") break;
  }
  state.status = status;
  state.details = SsmDetailsOf(status);
  state.response_code = code;
  state.stdout_text = SsmOutputPrefix(out, kSsmStdoutLimit);
  state.stderr_text = SsmOutputPrefix(err, kSsmStderrLimit);
  return state;
}

}  // namespace lifeboat
