#include "local/ssm/ssm_plan.h"

#include "http/http_types.h"
#include "local/ssm/ssm_parameters.h"

namespace lifeboat {
namespace {

using nlohmann::json;

constexpr int64_t kMinTimeout = 5;
constexpr int64_t kMaxTimeout = 172800;

const json* Member(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  for (const auto& [key, value] : object.items()) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

// runCommand's lines; false when something in it is not text.
bool AppendLines(const json& value, std::vector<std::string>& lines) {
  if (value.is_string()) {
    lines.push_back(value.get<std::string>());
    return true;
  }
  if (!value.is_array()) return false;
  for (const json& item : value) {
    if (!AppendLines(item, lines)) return false;
  }
  return true;
}

}  // namespace

std::chrono::seconds SsmExecutionTimeout(const json& value) {
  int64_t seconds = 0;
  if (value.is_number_integer()) {
    seconds = value.get<int64_t>();
  } else if (value.is_number()) {
    seconds = static_cast<int64_t>(value.get<double>());
  } else if (value.is_string()) {
    try {
      size_t used = 0;
      const std::string text = value.get<std::string>();
      seconds = std::stoll(text, &used);
      if (used != text.size()) seconds = 0;
    } catch (const std::exception&) {
      seconds = 0;
    }
  }
  if (seconds < kMinTimeout || seconds > kMaxTimeout) return kSsmDefaultExecutionTimeout;
  return std::chrono::seconds(seconds);
}

std::vector<SsmPluginPlan> PlanSsmCommand(const SsmDocument& document, const json& resolved) {
  std::vector<SsmPluginPlan> plans;
  for (const SsmStep& step : document.steps) {
    SsmPluginPlan plan;
    plan.name = step.name;
    plan.action = step.action;
    if (step.action != "aws:runShellScript") {
      plan.error = "lifeboat local runs aws:runShellScript steps only, not " + step.action;
      plans.push_back(std::move(plan));
      continue;
    }
    for (const json& raw : step.inputs) {
      const json input = InterpolateSsmParameters(raw, resolved);
      SsmScriptRun run;
      std::vector<std::string> lines;
      const json* commands = Member(input, "runCommand");
      if (commands == nullptr || !AppendLines(*commands, lines)) {
        plan.error = "Invalid format in plugin properties " + input.dump() +
                     ";\nerror runCommand must be a list of strings or a string";
        break;
      }
      for (const std::string& line : lines) run.script += line + "\n";
      if (const json* dir = Member(input, "workingDirectory"); dir && dir->is_string()) {
        run.working_directory = dir->get<std::string>();
      }
      if (const json* timeout = Member(input, "timeoutSeconds")) {
        run.timeout = SsmExecutionTimeout(*timeout);
      }
      plan.runs.push_back(std::move(run));
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace lifeboat
