// ExecutionEnvironment: one warm Lambda sandbox: a runtime process, its own Runtime API
// server, and the channel between them. It serves one invocation at a time and is reused
// for later ones while Reusable(), as AWS keeps environments warm.
//
// Each environment adds to the function's environment variables what AWS sets per
// sandbox: AWS_LAMBDA_RUNTIME_API (its server) and AWS_LAMBDA_LOG_STREAM_NAME.
//
// Invoke() belongs to one thread at a time (the function host hands an environment to one
// invocation); Kill() and Reusable() may be called from any thread. The destructor kills
// the process group, reaps it and stops the server.
#ifndef LIFEBOAT_LOCAL_LAMBDA_EXECUTION_ENVIRONMENT_H_
#define LIFEBOAT_LOCAL_LAMBDA_EXECUTION_ENVIRONMENT_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "local/lambda/function_process.h"
#include "local/lambda/runtime_api_server.h"
#include "local/lambda/runtime_channel.h"

namespace lifeboat {

struct EnvironmentSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "NAME=value"; the per-sandbox variables are added
  std::string cwd;
  std::string log_path;
};

class ExecutionEnvironment {
 public:
  // Starts the Runtime API and the process. A process that cannot be started is an error
  // whose service_code is "Runtime.InvalidEntrypoint", its message Lambda's.
  static Result<std::unique_ptr<ExecutionEnvironment>> Start(Env* env, const EnvironmentSpec& spec);
  ~ExecutionEnvironment();
  ExecutionEnvironment(const ExecutionEnvironment&) = delete;
  ExecutionEnvironment& operator=(const ExecutionEnvironment&) = delete;

  InvocationOutcome Invoke(const Invocation& invocation, std::chrono::milliseconds timeout,
                           std::chrono::milliseconds init_timeout) {
    return channel_.Run(invocation, timeout, init_timeout);
  }
  bool Reusable() const { return channel_.Reusable(); }
  void Kill();

  pid_t pid() const { return process_->pid(); }

 private:
  explicit ExecutionEnvironment(Env* env) : channel_(env), server_(&channel_) {}

  // Destroyed in reverse: the process (and its watcher, which reports to the channel)
  // first, then the server, then the channel both use.
  RuntimeChannel channel_;
  RuntimeApiServer server_;
  std::unique_ptr<FunctionProcess> process_;
};

// "2024/05/01/[$LATEST]<32 hex digits>", AWS's log stream name for a new sandbox.
std::string NewLogStreamName(std::chrono::system_clock::time_point now);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_EXECUTION_ENVIRONMENT_H_
