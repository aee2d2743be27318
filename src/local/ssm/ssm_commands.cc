#include "local/ssm/ssm_commands.h"

#include "local/ssm/ssm_fields.h"
#include "local/ssm/ssm_output.h"

namespace lifeboat {
namespace {

using nlohmann::json;

int Rank(const std::string& status) {
  if (status == "Success") return 1;
  if (status == "Failed") return 2;
  if (status == "Cancelled") return 3;
  if (status == "TimedOut") return 4;
  return 0;
}

// How many invocations may fail before the command does: "N" or "N%" of the targets.
size_t AllowedErrors(const std::string& max_errors, size_t targets) {
  try {
    if (!max_errors.empty() && max_errors.back() == '%') {
      return targets * std::stoul(max_errors.substr(0, max_errors.size() - 1)) / 100;
    }
    return std::stoul(max_errors);
  } catch (const std::exception&) {
    return 0;
  }
}

json NotificationConfig(const json& given) {
  if (given.is_object()) return given;
  return {{"NotificationArn", ""}, {"NotificationEvents", json::array()}, {"NotificationType", ""}};
}

json CloudWatchConfig(const json& given) {
  if (given.is_object()) return given;
  return {{"CloudWatchLogGroupName", ""}, {"CloudWatchOutputEnabled", false}};
}

std::chrono::seconds LongestRun(const SsmCommandState& command) {
  std::chrono::seconds longest{0};
  for (const SsmPluginPlan& plan : command.plans) {
    for (const SsmScriptRun& run : plan.runs) longest = std::max(longest, run.timeout);
  }
  return longest;
}

}  // namespace

bool SsmTerminal(const std::string& status) { return Rank(status) > 0; }

std::string SsmMergeStatus(const std::string& a, const std::string& b) {
  return Rank(b) > Rank(a) ? b : a;
}

std::string SsmDetailsOf(const std::string& status) {
  return status == "TimedOut" ? "ExecutionTimedOut" : status;
}

std::pair<std::string, std::string> SsmCommandStatus(const SsmCommandState& command) {
  size_t done = 0, success = 0, errors = 0, timed_out = 0, delivery = 0, cancelled = 0;
  bool started = false;
  for (const auto& inv : command.invocations) {
    if (inv->status != "Pending") started = true;
    if (!SsmTerminal(inv->status)) continue;
    ++done;
    if (inv->status == "Success") ++success;
    if (inv->status == "Cancelled") ++cancelled;
    if (inv->details == "DeliveryTimedOut") ++delivery;
    if (inv->status == "Failed" || inv->details == "ExecutionTimedOut") ++errors;
    if (inv->details == "ExecutionTimedOut") ++timed_out;
  }
  const size_t targets = command.invocations.size();
  if (done < targets) {
    return started ? std::pair{"InProgress", "InProgress"} : std::pair{"Pending", "Pending"};
  }
  if (success == targets) return {"Success", "Success"};
  if (cancelled > 0) return {"Cancelled", "Cancelled"};
  const size_t allowed = AllowedErrors(command.max_errors, targets);
  if (errors > allowed) {
    if (timed_out == errors) return {"TimedOut", "ExecutionTimedOut"};
    return {"Failed", "Failed"};
  }
  if (delivery > allowed && errors == 0) return {"TimedOut", "DeliveryTimedOut"};
  return {"Failed", "Incomplete"};
}

json SsmCommandJson(const SsmCommandState& command) {
  size_t done = 0, errors = 0, delivery = 0;
  for (const auto& inv : command.invocations) {
    if (SsmTerminal(inv->status)) ++done;
    if (inv->status == "Failed" || inv->details == "ExecutionTimedOut") ++errors;
    if (inv->details == "DeliveryTimedOut") ++delivery;
  }
  const auto [status, details] = SsmCommandStatus(command);
  const SsmTime expires =
      command.requested + std::chrono::seconds(command.timeout_seconds) + LongestRun(command);
  return {{"CommandId", command.command_id},
          {"DocumentName", command.document_name},
          {"DocumentVersion", command.document_version},
          {"Comment", command.comment},
          {"ExpiresAfter", SsmTimestamp(expires)},
          {"Parameters", command.parameters},
          {"InstanceIds", command.instance_ids},
          {"Targets", command.targets},
          {"RequestedDateTime", SsmTimestamp(command.requested)},
          {"Status", status},
          {"StatusDetails", details},
          {"OutputS3Region", command.output_s3_region},
          {"OutputS3BucketName", command.output_s3_bucket},
          {"OutputS3KeyPrefix", command.output_s3_prefix},
          {"MaxConcurrency", command.max_concurrency},
          {"MaxErrors", command.max_errors},
          {"TargetCount", command.invocations.size()},
          {"CompletedCount", done},
          {"ErrorCount", errors},
          {"DeliveryTimedOutCount", delivery},
          {"ServiceRole", command.service_role},
          {"NotificationConfig", NotificationConfig(command.notification_config)},
          {"CloudWatchOutputConfig", CloudWatchConfig(command.cloudwatch_config)},
          {"TimeoutSeconds", command.timeout_seconds}};
}

json SsmInvocationJson(const SsmCommandState& command, const SsmInvocationState& invocation,
                       bool details) {
  json out = {{"CommandId", command.command_id},
              {"InstanceId", invocation.instance_id},
              {"InstanceName", ""},
              {"Comment", command.comment},
              {"DocumentName", command.document_name},
              {"DocumentVersion", command.document_version},
              {"RequestedDateTime", SsmTimestamp(command.requested)},
              {"Status", invocation.status},
              {"StatusDetails", invocation.details},
              {"TraceOutput", ""},
              {"StandardOutputUrl", ""},
              {"StandardErrorUrl", ""},
              {"CommandPlugins", json::array()},
              {"ServiceRole", command.service_role},
              {"NotificationConfig", NotificationConfig(command.notification_config)},
              {"CloudWatchOutputConfig", CloudWatchConfig(command.cloudwatch_config)}};
  if (!details) return out;
  for (const SsmPluginState& p : invocation.plugins) {
    json plugin = {{"Name", p.name},
                   {"Status", p.status},
                   {"StatusDetails", p.details},
                   {"ResponseCode", p.response_code},
                   {"Output", SsmTerminal(p.status) ? SsmPluginOutput(p.stdout_text, p.stderr_text)
                                                    : std::string()},
                   {"StandardOutputUrl", ""},
                   {"StandardErrorUrl", ""},
                   {"OutputS3Region", command.output_s3_region},
                   {"OutputS3BucketName", command.output_s3_bucket},
                   {"OutputS3KeyPrefix", command.output_s3_prefix}};
    if (p.start) plugin["ResponseStartDateTime"] = SsmTimestamp(*p.start);
    if (p.end) plugin["ResponseFinishDateTime"] = SsmTimestamp(*p.end);
    out["CommandPlugins"].push_back(std::move(plugin));
  }
  return out;
}

json SsmPluginResultJson(const SsmCommandState& command, const SsmInvocationState& invocation,
                         const SsmPluginState& plugin, SsmTime now) {
  std::string start, end, elapsed;
  if (plugin.start) {
    start = SsmIsoTime(*plugin.start);
    const SsmTime until = plugin.end.value_or(now);
    elapsed = SsmIsoDuration(
        std::chrono::duration_cast<std::chrono::milliseconds>(until - *plugin.start));
  }
  if (plugin.end) end = SsmIsoTime(*plugin.end);
  const bool finished = SsmTerminal(plugin.status);
  return {{"CommandId", command.command_id},
          {"InstanceId", invocation.instance_id},
          {"Comment", command.comment},
          {"DocumentName", command.document_name},
          {"DocumentVersion", command.document_version},
          {"PluginName", plugin.name},
          {"ResponseCode", plugin.response_code},
          {"ExecutionStartDateTime", start},
          {"ExecutionElapsedTime", elapsed},
          {"ExecutionEndDateTime", end},
          {"Status", plugin.status},
          {"StatusDetails", plugin.details},
          {"StandardOutputContent", finished ? plugin.stdout_text : std::string()},
          {"StandardOutputUrl", ""},
          {"StandardErrorContent", finished ? plugin.stderr_text : std::string()},
          {"StandardErrorUrl", ""},
          {"CloudWatchOutputConfig", CloudWatchConfig(command.cloudwatch_config)}};
}

}  // namespace lifeboat
