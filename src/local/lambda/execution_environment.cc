#include "local/lambda/execution_environment.h"

#include <cstdio>
#include <ctime>

#include "local/local_service.h"

namespace lifeboat {

std::string NewLogStreamName(std::chrono::system_clock::time_point now) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char date[32];
  std::snprintf(date, sizeof date, "%04d/%02d/%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  std::string hex;
  for (char c : NewRequestId()) {
    if (c != '-') hex += c;
  }
  return std::string(date) + "/[$LATEST]" + hex;
}

Result<std::unique_ptr<ExecutionEnvironment>> ExecutionEnvironment::Start(
    Env* env, const EnvironmentSpec& spec) {
  std::unique_ptr<ExecutionEnvironment> environment(new ExecutionEnvironment(env));
  LIFEBOAT_RETURN_IF_ERROR(environment->server_.Start());
  const std::string log_stream = NewLogStreamName(env->Now());
  FunctionSpawn spawn;
  spawn.argv = spec.argv;
  spawn.env = spec.env;
  spawn.env.push_back("AWS_LAMBDA_RUNTIME_API=" + environment->server_.address());
  spawn.env.push_back("AWS_LAMBDA_LOG_STREAM_NAME=" + log_stream);
  spawn.cwd = spec.cwd;
  spawn.log_path = spec.log_path;
  RuntimeChannel* channel = &environment->channel_;
  auto process = FunctionProcess::Spawn(
      spawn, [channel](std::string reason) { channel->ProcessExited(std::move(reason)); });
  if (!process.ok()) {
    return Status(process.status().code(), process.status().message(), "Runtime.InvalidEntrypoint");
  }
  environment->process_ = std::move(*process);
  return environment;
}

void ExecutionEnvironment::Kill() {
  channel_.Close();
  if (process_) process_->Kill();
}

ExecutionEnvironment::~ExecutionEnvironment() {
  Kill();
  process_.reset();  // joins the watcher, reaps
  server_.Stop();    // its connections died with the process; /next was released by Close
}

}  // namespace lifeboat
