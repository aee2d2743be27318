// The state of Run Command's commands and their invocations (one per target instance,
// each with one plugin per document step), the status rules AWS documents, and their
// JSON shapes in the SSM model (Command, CommandInvocation, CommandPlugin,
// GetCommandInvocation's result).
//
// Statuses: an invocation is Pending until it is delivered, InProgress while its plugins
// run, then Success, Failed, TimedOut (StatusDetails ExecutionTimedOut, or
// DeliveryTimedOut when the instance could not be reached before TimeoutSeconds) or
// Cancelled; its status is the "worst" of its plugins' (the agent's order: Success <
// Failed < Cancelled < TimedOut). A command is Pending, InProgress, or, once every
// invocation ended: Success when all succeeded, Cancelled, TimedOut when more than
// MaxErrors timed out, Failed when more than MaxErrors failed ("Incomplete" when errors
// stayed within MaxErrors).
//
// Plain data: LocalSsm guards it with its lock.
#ifndef LIFEBOAT_LOCAL_SSM_SSM_COMMANDS_H_
#define LIFEBOAT_LOCAL_SSM_SSM_COMMANDS_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "local/ssm/ssm_plan.h"

namespace lifeboat {

using SsmTime = std::chrono::system_clock::time_point;

struct SsmPluginState {
  std::string name;
  std::string status = "Pending";
  std::string details = "Pending";
  int response_code = -1;  // -1 until it ran, as AWS reports
  std::optional<SsmTime> start, end;
  std::string stdout_text;  // kept as GetCommandInvocation shows it (24,000 / 8,000 bytes)
  std::string stderr_text;
};

struct SsmInvocationState {
  std::string instance_id;
  std::string status = "Pending";
  std::string details = "Pending";
  std::vector<SsmPluginState> plugins;
  std::atomic<bool> cancel{false};  // CancelCommand or shutdown: read by the host as it runs
};

struct SsmCommandState {
  std::string command_id;
  std::string document_name;
  std::string document_version;  // as requested, "$DEFAULT" when not
  std::string comment;
  nlohmann::json parameters = nlohmann::json::object();  // as given
  std::vector<std::string> instance_ids;                 // as given
  nlohmann::json targets = nlohmann::json::array();      // as given
  SsmTime requested;
  int64_t timeout_seconds = 3600;  // the delivery timeout
  std::string max_concurrency = "50";
  std::string max_errors = "0";
  std::string output_s3_region, output_s3_bucket, output_s3_prefix;
  std::string service_role;
  nlohmann::json notification_config;
  nlohmann::json cloudwatch_config;
  std::vector<SsmPluginPlan> plans;
  std::vector<std::shared_ptr<SsmInvocationState>> invocations;  // in target order
};

bool SsmTerminal(const std::string& status);
// The worst of two plugin statuses (see the header comment).
std::string SsmMergeStatus(const std::string& a, const std::string& b);
// StatusDetails for a terminal plugin or execution status.
std::string SsmDetailsOf(const std::string& status);

// Command's status and StatusDetails from its invocations.
std::pair<std::string, std::string> SsmCommandStatus(const SsmCommandState& command);

nlohmann::json SsmCommandJson(const SsmCommandState& command);
nlohmann::json SsmInvocationJson(const SsmCommandState& command,
                                 const SsmInvocationState& invocation, bool details);
// GetCommandInvocation's result for one plugin; `now` measures a running plugin.
nlohmann::json SsmPluginResultJson(const SsmCommandState& command,
                                   const SsmInvocationState& invocation,
                                   const SsmPluginState& plugin, SsmTime now);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_COMMANDS_H_
