// FunctionHost: the execution environments of one function. An invocation takes a warm,
// idle environment when there is one and starts a new one otherwise (one environment per
// concurrent invocation, as on AWS); afterwards the environment goes back to the idle list,
// unless it timed out, exited or failed to initialise: then its process group is killed
// and the next invocation starts a fresh one.
//
// The function's log file (FunctionPaths::log_path, the CloudWatch log group's stand-in)
// gets what the sandboxes print plus Lambda's own lines: START, END and REPORT for every
// invocation, and "Task timed out" / "Runtime exited" lines when that happens.
//
// Thread-safe: Invoke() is called from many threads at once and blocks for the
// invocation's duration. Shutdown() (and the destructor) kills every environment; the
// invocations running in them end with Runtime.ExitError.
#ifndef LIFEBOAT_LOCAL_LAMBDA_FUNCTION_HOST_H_
#define LIFEBOAT_LOCAL_LAMBDA_FUNCTION_HOST_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "local/lambda/execution_environment.h"
#include "local/lambda/lambda_function_config.h"

namespace lifeboat {

struct FunctionHostOptions {
  // Concurrent environments per function; beyond, Invoke is throttled
  // (TooManyRequestsException), as AWS throttles past a concurrency limit.
  size_t max_environments = 10;
  // How long a new sandbox may take to reach its first /next (AWS: 10 s).
  std::chrono::milliseconds init_timeout{10000};
};

class FunctionHost {
 public:
  FunctionHost(Env* env, LambdaFunctionConfig config, EnvironmentSpec spec,
               FunctionHostOptions options = {});
  ~FunctionHost() { Shutdown(); }
  FunctionHost(const FunctionHost&) = delete;
  FunctionHost& operator=(const FunctionHost&) = delete;

  // Runs `invocation` (request_id and function_arn filled in by the caller). Function
  // errors, timeouts and crashes are outcomes, not errors; the errors are
  // kResourceExhausted (all environments busy) and kCancelled (shut down).
  Result<InvocationOutcome> Invoke(const Invocation& invocation);
  void Shutdown();

  const LambdaFunctionConfig& config() const { return config_; }
  // Environments started and not yet retired, idle or busy.
  size_t environment_count() const;

 private:
  Result<std::shared_ptr<ExecutionEnvironment>> Acquire();
  Result<std::shared_ptr<ExecutionEnvironment>> StartEnvironment();
  void Release(std::shared_ptr<ExecutionEnvironment> environment);
  void Log(const std::string& text);

  Env* const env_;
  const LambdaFunctionConfig config_;
  const EnvironmentSpec spec_;
  const FunctionHostOptions options_;

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<ExecutionEnvironment>> all_;   // idle and busy
  std::vector<std::shared_ptr<ExecutionEnvironment>> idle_;  // most recently used last
  size_t starting_ = 0;
  bool shut_down_ = false;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_FUNCTION_HOST_H_
