#include "local/lambda/function_host.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string Milliseconds(std::chrono::nanoseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::chrono::duration<double, std::milli>(d).count());
  return buf;
}

// "2024-05-01T12:34:56.789Z", how Lambda stamps its own log lines.
std::string LogTime(std::chrono::system_clock::time_point now) {
  std::string stamp = LambdaTimestamp(now);
  return stamp.substr(0, stamp.size() - 5) + "Z";
}

}  // namespace

FunctionHost::FunctionHost(Env* env, LambdaFunctionConfig config, EnvironmentSpec spec,
                           FunctionHostOptions options)
    : env_(env), config_(std::move(config)), spec_(std::move(spec)), options_(options) {}

void FunctionHost::Log(const std::string& text) {
  int fd = ::open(spec_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;  // the log is a convenience; an invocation never fails over it
  // One write: O_APPEND keeps it whole between the sandboxes' own lines.
  ssize_t ignored = ::write(fd, text.data(), text.size());
  (void)ignored;
  ::close(fd);
}

Result<InvocationOutcome> FunctionHost::Invoke(const Invocation& invocation) {
  const auto started = Steady::now();
  auto acquired = Acquire();
  if (!acquired.ok()) {
    if (acquired.status().service_code() != "Runtime.InvalidEntrypoint") return acquired.status();
    InvocationOutcome outcome;
    outcome.kind = OutcomeKind::kInitError;
    outcome.body = nlohmann::json{{"errorMessage", "RequestId: " + invocation.request_id +
                                                       " Error: " + acquired.status().message()},
                                  {"errorType", "Runtime.InvalidEntrypoint"}}
                       .dump();
    Log("START RequestId: " + invocation.request_id + " Version: $LATEST\n" +
        acquired.status().message() +
        "\nRuntime.InvalidEntrypoint\nEND RequestId: " + invocation.request_id + "\n");
    return outcome;
  }
  std::shared_ptr<ExecutionEnvironment> environment = std::move(*acquired);
  Log("START RequestId: " + invocation.request_id + " Version: $LATEST\n");
  InvocationOutcome outcome = environment->Invoke(
      invocation, std::chrono::seconds(config_.timeout_seconds), options_.init_timeout);
  std::string tail;
  if (outcome.kind == OutcomeKind::kTimedOut) {
    auto document = nlohmann::json::parse(outcome.body, nullptr, false);
    std::string message = document.is_object() ? document.value("errorMessage", "") : "";
    size_t at = message.find("Task timed out");
    tail = LogTime(env_->Now()) + " " + invocation.request_id + " " +
           (at == std::string::npos ? message : message.substr(at)) + "\n";
  } else if (outcome.kind == OutcomeKind::kExited) {
    auto document = nlohmann::json::parse(outcome.body, nullptr, false);
    tail =
        (document.is_object() ? document.value("errorMessage", "") : "") + "\nRuntime.ExitError\n";
  }
  auto took = outcome.duration.count() > 0 ? std::chrono::nanoseconds(outcome.duration)
                                           : Steady::now() - started;
  long long billed = std::max<long long>(1, std::chrono::ceil<milliseconds>(took).count());
  Log(tail + "END RequestId: " + invocation.request_id +
      "\nREPORT RequestId: " + invocation.request_id + "\tDuration: " + Milliseconds(took) +
      " ms\tBilled Duration: " + std::to_string(billed) +
      " ms\tMemory Size: " + std::to_string(config_.memory_mb) + " MB\t\n");
  Release(std::move(environment));
  return outcome;
}

Result<std::shared_ptr<ExecutionEnvironment>> FunctionHost::Acquire() {
  std::vector<std::shared_ptr<ExecutionEnvironment>> retired;  // destroyed after unlocking
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return Status::Cancelled("function " + config_.name + " was deleted");
    while (!idle_.empty()) {
      std::shared_ptr<ExecutionEnvironment> candidate = std::move(idle_.back());
      idle_.pop_back();
      if (candidate->Reusable()) return candidate;
      all_.erase(std::find(all_.begin(), all_.end(), candidate));
      retired.push_back(std::move(candidate));
    }
    if (all_.size() + starting_ >= options_.max_environments) {
      return Status::ResourceExhausted("Rate Exceeded.");
    }
    ++starting_;
  }
  retired.clear();
  auto started = StartEnvironment();
  std::lock_guard lock(mu_);
  --starting_;
  if (!started.ok()) return started.status();
  if (shut_down_) {
    (*started)->Kill();  // destroyed as the Result goes out of scope, lock released first
    return Status::Cancelled("function " + config_.name + " was deleted");
  }
  all_.push_back(*started);
  return started;
}

Result<std::shared_ptr<ExecutionEnvironment>> FunctionHost::StartEnvironment() {
  if (config_.kind == RuntimeKind::kCustom && !env_->Stat(spec_.argv[0]).ok()) {
    return Status(StatusCode::kNotFound,
                  "Couldn't find valid bootstrap(s): [" + spec_.argv[0] + "]",
                  "Runtime.InvalidEntrypoint");
  }
  LIFEBOAT_ASSIGN_OR_RETURN(auto environment, ExecutionEnvironment::Start(env_, spec_));
  return std::shared_ptr<ExecutionEnvironment>(std::move(environment));
}

void FunctionHost::Release(std::shared_ptr<ExecutionEnvironment> environment) {
  {
    std::lock_guard lock(mu_);
    if (!shut_down_ && environment->Reusable()) {
      idle_.push_back(environment);
      return;
    }
    auto it = std::find(all_.begin(), all_.end(), environment);
    if (it != all_.end()) all_.erase(it);
  }
  environment->Kill();
  // The last reference goes here, outside the lock: the process group is reaped.
}

void FunctionHost::Shutdown() {
  std::vector<std::shared_ptr<ExecutionEnvironment>> environments;
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
    environments = std::move(all_);
    all_.clear();
    idle_.clear();
  }
  for (auto& environment : environments) environment->Kill();
}

size_t FunctionHost::environment_count() const {
  std::lock_guard lock(mu_);
  return all_.size();
}

}  // namespace lifeboat
