#include "local/lambda/function_launch.h"

#include <gtest/gtest.h>

#include <map>

namespace lifeboat {
namespace {

// The host's environment, as the server process would have it.
class HostEnv : public EnvWrapper {
 public:
  HostEnv() : EnvWrapper(Env::Default()) {}
  std::optional<std::string> GetVar(const std::string& name) override {
    static const std::map<std::string, std::string> kVars = {
        {"PATH", "/opt/py/bin:/usr/bin"},
        {"HOME", "/home/op"},
        {"PYENV_ROOT", "/opt/pyenv"},
        {"AWS_PROFILE", "production"},
        {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://x"},
        {"SECRET_TOKEN", "host-only"}};
    auto it = kVars.find(name);
    if (it == kVars.end()) return std::nullopt;
    return it->second;
  }
};

std::map<std::string, std::string> Vars(const EnvironmentSpec& spec) {
  std::map<std::string, std::string> out;
  for (const auto& entry : spec.env) {
    size_t eq = entry.find('=');
    EXPECT_EQ(out.count(entry.substr(0, eq)), 0u) << "twice: " << entry;
    out[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return out;
}

LambdaFunctionConfig Config(RuntimeKind kind) {
  LambdaFunctionConfig config;
  config.name = "fn";
  config.runtime = kind == RuntimeKind::kPython ? "python3.11" : "provided.al2";
  config.kind = kind;
  config.handler = kind == RuntimeKind::kPython ? "app.handler" : "";
  config.memory_mb = 256;
  config.environment = {{"BUCKET", "logs"},
                        {"AWS_ENDPOINT_URL", "http://127.0.0.1:9"},
                        {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254"}};
  return config;
}

const FunctionPaths kPaths{"/state/fn/task", "/state/fn/runtime", "/state/logs/fn.log"};
const LambdaCloudInfo kCloud{"eu-west-1", "123456789012", "http://127.0.0.1:4566", "AK", "SK"};

TEST(FunctionLaunchTest, PythonFunctionsRunTheRuntimeClientWithAwsVariables) {
  HostEnv host;
  EnvironmentSpec spec = LaunchSpec(&host, Config(RuntimeKind::kPython), kPaths, kCloud);
  EXPECT_EQ(spec.argv,
            (std::vector<std::string>{"python3", "-u", "/state/fn/runtime/bootstrap.py"}));
  EXPECT_EQ(spec.cwd, "/state/fn/task");
  EXPECT_EQ(spec.log_path, "/state/logs/fn.log");
  auto vars = Vars(spec);
  EXPECT_EQ(vars["PATH"], "/opt/py/bin:/usr/bin");
  EXPECT_EQ(vars["HOME"], "/home/op");
  EXPECT_EQ(vars["PYENV_ROOT"], "/opt/pyenv");
  EXPECT_EQ(vars["TZ"], ":UTC");
  EXPECT_EQ(vars["_HANDLER"], "app.handler");
  EXPECT_EQ(vars["LAMBDA_TASK_ROOT"], "/state/fn/task");
  EXPECT_EQ(vars["LAMBDA_RUNTIME_DIR"], "/state/fn/runtime");
  EXPECT_EQ(vars["AWS_LAMBDA_FUNCTION_NAME"], "fn");
  EXPECT_EQ(vars["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
  EXPECT_EQ(vars["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256");
  EXPECT_EQ(vars["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/fn");
  EXPECT_EQ(vars["AWS_REGION"], "eu-west-1");
  EXPECT_EQ(vars["AWS_DEFAULT_REGION"], "eu-west-1");
  EXPECT_EQ(vars["AWS_EXECUTION_ENV"], "AWS_Lambda_python3.11");
  EXPECT_EQ(vars["AWS_ACCESS_KEY_ID"], "AK");
  EXPECT_EQ(vars["AWS_SECRET_ACCESS_KEY"], "SK");
  EXPECT_EQ(vars["AWS_EC2_METADATA_DISABLED"], "true");
  EXPECT_EQ(vars["BUCKET"], "logs");
  // The function's own choice of endpoint wins over the local cloud's default.
  EXPECT_EQ(vars["AWS_ENDPOINT_URL"], "http://127.0.0.1:9");
  // Nothing else of the host's, and never a metadata endpoint.
  EXPECT_EQ(vars.count("AWS_PROFILE"), 0u);
  EXPECT_EQ(vars.count("SECRET_TOKEN"), 0u);
  EXPECT_EQ(vars.count("AWS_EC2_METADATA_SERVICE_ENDPOINT"), 0u);
  EXPECT_EQ(vars.count("AWS_SESSION_TOKEN"), 0u);
}

TEST(FunctionLaunchTest, CustomRuntimesRunTheirBootstrapWithoutExecutionEnv) {
  HostEnv host;
  LambdaFunctionConfig config = Config(RuntimeKind::kCustom);
  config.environment.clear();
  EnvironmentSpec spec = LaunchSpec(&host, config, kPaths, kCloud);
  EXPECT_EQ(spec.argv, (std::vector<std::string>{"/state/fn/task/bootstrap"}));
  auto vars = Vars(spec);
  EXPECT_EQ(vars.count("AWS_EXECUTION_ENV"), 0u);  // OS-only runtimes have none on AWS
  EXPECT_EQ(vars["AWS_ENDPOINT_URL"], "http://127.0.0.1:4566");
  EXPECT_EQ(vars["_HANDLER"], "");
}

}  // namespace
}  // namespace lifeboat
