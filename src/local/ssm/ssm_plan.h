// What a Command document runs once its parameters are substituted: per plugin (a 2.x
// step, or a 1.2 plugin), the shell scripts of aws:runShellScript as the SSM agent builds
// them:
//   - runCommand, a list of lines or one string, joined with newlines into _script.sh,
//     which runs as ONE script (so variables and arrays carry from line to line);
//   - workingDirectory (empty: the host's default);
//   - timeoutSeconds, a number or a string, the agent's execution timeout: 5 to 172800
//     seconds, anything else (or nothing) means 3600.
// Input names match case-insensitively, as the agent's Go JSON decoding does.
#ifndef LIFEBOAT_LOCAL_SSM_SSM_PLAN_H_
#define LIFEBOAT_LOCAL_SSM_SSM_PLAN_H_

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "local/ssm/ssm_document.h"

namespace lifeboat {

inline constexpr std::chrono::seconds kSsmDefaultExecutionTimeout{3600};

struct SsmScriptRun {
  std::string script;  // the content of _script.sh
  std::string working_directory;
  std::chrono::seconds timeout = kSsmDefaultExecutionTimeout;
};

struct SsmPluginPlan {
  std::string name;    // PluginName in the API: the step's name, or "aws:runShellScript"
  std::string action;  // "aws:runShellScript"
  std::vector<SsmScriptRun> runs;
  // When set the plugin does not run and fails with this as its error output (inputs the
  // agent could not read, or a plugin lifeboat does not run).
  std::string error;
};

// `resolved` is ResolveSsmParameters' result.
std::vector<SsmPluginPlan> PlanSsmCommand(const SsmDocument& document,
                                          const nlohmann::json& resolved);

// The agent's reading of timeoutSeconds / executionTimeout (see the header comment).
std::chrono::seconds SsmExecutionTimeout(const nlohmann::json& value);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_PLAN_H_
