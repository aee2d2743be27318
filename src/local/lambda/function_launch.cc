#include "local/lambda/function_launch.h"

#include <map>

namespace lifeboat {

EnvironmentSpec LaunchSpec(Env* host, const LambdaFunctionConfig& config,
                           const FunctionPaths& paths, const LambdaCloudInfo& cloud) {
  std::map<std::string, std::string> vars;
  for (const char* name : {"PATH", "HOME", "LANG", "PYENV_ROOT", "PYENV_VERSION"}) {
    if (auto value = host->GetNonEmptyVar(name)) vars[name] = *value;
  }
  if (!vars.count("PATH")) vars["PATH"] = "/usr/local/bin:/usr/bin:/bin";
  if (!vars.count("LANG")) vars["LANG"] = "en_US.UTF-8";
  vars["TZ"] = ":UTC";
  if (!cloud.cloud_endpoint.empty()) vars["AWS_ENDPOINT_URL"] = cloud.cloud_endpoint;

  for (const auto& [key, value] : config.environment) {
    if (key.rfind("AWS_EC2_METADATA", 0) == 0) continue;
    vars[key] = value;
  }

  vars["_HANDLER"] = config.handler;
  vars["LAMBDA_TASK_ROOT"] = paths.task_dir;
  vars["LAMBDA_RUNTIME_DIR"] = paths.runtime_dir;
  vars["AWS_LAMBDA_FUNCTION_NAME"] = config.name;
  vars["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
  vars["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(config.memory_mb);
  vars["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + config.name;
  vars["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
  vars["AWS_REGION"] = cloud.region;
  vars["AWS_DEFAULT_REGION"] = cloud.region;
  if (config.kind == RuntimeKind::kPython)
    vars["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + config.runtime;
  vars["AWS_ACCESS_KEY_ID"] = cloud.access_key;
  vars["AWS_SECRET_ACCESS_KEY"] = cloud.secret_key;
  vars["AWS_EC2_METADATA_DISABLED"] = "true";

  EnvironmentSpec spec;
  for (const auto& [key, value] : vars) spec.env.push_back(key + "=" + value);
  if (config.kind == RuntimeKind::kPython) {
    // Unbuffered, so print() lines reach the log as they happen, as on AWS.
    spec.argv = {"python3", "-u", JoinPath(paths.runtime_dir, kPythonRuntimeFile)};
  } else {
    spec.argv = {JoinPath(paths.task_dir, "bootstrap")};
  }
  spec.cwd = paths.task_dir;
  spec.log_path = paths.log_path;
  return spec;
}

}  // namespace lifeboat
