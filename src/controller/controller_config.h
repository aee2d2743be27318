// ControllerConfig: how `lifeboat controller` answers a terminate lifecycle action. In a
// Lambda function it comes from the function's environment; on the command line, flags
// override the same variables:
//
//   LIFEBOAT_DOCUMENT          --document          Run Command document (lifeboat-evacuate)
//   LIFEBOAT_DESTINATION       --destination       s3://bucket/prefix, the document's
//                                                  `destination` parameter
//   LIFEBOAT_PARAMETERS        --parameters        JSON object of document parameters; when
//                                                  set (not {}) it replaces the default set
//   LIFEBOAT_ON_FAILURE        --on-failure        ABANDON (default) or CONTINUE
//   LIFEBOAT_COMMAND_TIMEOUT   --command-timeout   seconds the command may run (3600)
//   LIFEBOAT_TIME_SCALE        --time-scale        lifeboat local's --time-scale (1)
//
// The default parameters are those of deploy/ssm/lifeboat-evacuate.json: hookName,
// groupName, token (the action's), destination, onFailure, executionTimeout and timeScale.
// In LIFEBOAT_PARAMETERS values, {instance_id}, {group}, {hook} and {token} are replaced by
// the action's; a value is a string or a list of strings.
#ifndef LIFEBOAT_CONTROLLER_CONTROLLER_CONFIG_H_
#define LIFEBOAT_CONTROLLER_CONTROLLER_CONFIG_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "lifecycle/lifecycle_keeper.h"
#include "lifecycle/lifecycle_notice.h"

namespace lifeboat {

using DocumentParameters = std::map<std::string, std::vector<std::string>>;

struct ControllerConfig {
  std::string document = "lifeboat-evacuate";
  std::string destination;
  std::optional<DocumentParameters> parameters;  // replaces the default set when present
  std::string on_failure{kAbandon};
  std::chrono::seconds command_timeout{3600};
  // How long a sent command may wait for its instance's SSM agent (TimeoutSeconds).
  std::chrono::seconds delivery_timeout{300};
  double time_scale = 1.0;
  std::chrono::milliseconds poll_interval{1000};  // GetCommandInvocation
  // InvalidInstanceId (the instance's SSM agent is not online yet) is retried this long.
  std::chrono::milliseconds send_retry_window{std::chrono::minutes(5)};
  // Before a Lambda deadline, this much is kept to answer and log.
  std::chrono::milliseconds deadline_margin{3000};
  HeartbeatOptions heartbeat{std::chrono::milliseconds(0), std::chrono::milliseconds(0)};
};

// Unset fields keep their defaults; flags (applied by the caller afterwards) win.
Result<ControllerConfig> ControllerConfigFromEnvironment(Env& env);

// "{"a": "x", "b": ["y", "z"]}" -> parameters; an error naming what is wrong.
Result<DocumentParameters> ParseDocumentParameters(std::string_view json_text);

// The parameters to send for `notice`: the configured set (placeholders replaced), or the
// default set for lifeboat's document.
DocumentParameters ParametersFor(const ControllerConfig& config, const LifecycleNotice& notice);

// Checks the whole configuration (a destination or explicit parameters are needed).
Status ValidateControllerConfig(const ControllerConfig& config);

}  // namespace lifeboat

#endif  // LIFEBOAT_CONTROLLER_CONTROLLER_CONFIG_H_
