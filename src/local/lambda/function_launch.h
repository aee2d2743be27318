// How a function's processes are started: the command (the package's `bootstrap`, or
// python3 running lifeboat's runtime client) and the environment AWS gives a function.
//
// Variables, later ones winning: the host's PATH (so the image's python3 and its boto3 are
// found), HOME, LANG, pyenv's PYENV_ROOT/PYENV_VERSION when set, TZ=:UTC, AWS_ENDPOINT_URL
// (back to the local cloud, so SDKs inside the function reach it); then the function's
// Environment.Variables; then what Lambda reserves: _HANDLER, LAMBDA_TASK_ROOT,
// LAMBDA_RUNTIME_DIR, AWS_LAMBDA_FUNCTION_NAME/_VERSION/_MEMORY_SIZE,
// AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_INITIALIZATION_TYPE, AWS_REGION, AWS_DEFAULT_REGION,
// AWS_EXECUTION_ENV (not for OS-only runtimes, as on AWS), AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY (the local cloud's, standing in for the function role's), and
// AWS_EC2_METADATA_DISABLED=true. Nothing else of the host's environment is passed, and no
// AWS_EC2_METADATA_* setting: a function never reaches a metadata service.
// Each sandbox adds AWS_LAMBDA_RUNTIME_API and AWS_LAMBDA_LOG_STREAM_NAME itself.
#ifndef LIFEBOAT_LOCAL_LAMBDA_FUNCTION_LAUNCH_H_
#define LIFEBOAT_LOCAL_LAMBDA_FUNCTION_LAUNCH_H_

#include <string>

#include "common/env.h"
#include "local/lambda/execution_environment.h"
#include "local/lambda/lambda_function_config.h"

namespace lifeboat {

struct LambdaCloudInfo {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string cloud_endpoint;  // "http://127.0.0.1:<port>"
  std::string access_key;
  std::string secret_key;
};

struct FunctionPaths {
  std::string task_dir;     // the unzipped package: LAMBDA_TASK_ROOT, the working directory
  std::string runtime_dir;  // LAMBDA_RUNTIME_DIR: lifeboat's Python runtime client
  std::string log_path;     // stdout and stderr of every sandbox
};

// The file in runtime_dir that python3 runs.
inline constexpr char kPythonRuntimeFile[] = "bootstrap.py";

// `host` supplies the server's own PATH, HOME, LANG and pyenv settings.
EnvironmentSpec LaunchSpec(Env* host, const LambdaFunctionConfig& config,
                           const FunctionPaths& paths, const LambdaCloudInfo& cloud);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_FUNCTION_LAUNCH_H_
