// RuntimeChannel: the hand-over between one execution environment's runtime, which speaks
// the Lambda Runtime API (runtime_api_server.h), and the invocations Lambda gives it. The
// platform side calls Run(); the runtime side's requests become Next(), Respond(), Fail()
// and InitFailed(); the process watcher reports ProcessExited().
//
// Timing follows AWS: a new environment has `init_timeout` (AWS: 10 s) to come to its first
// /next; the function's timeout runs from the moment /next hands the event over, and is the
// Lambda-Runtime-Deadline-Ms the runtime sees. An invocation that outlives it fails with
// Sandbox.Timedout and leaves the channel not Reusable(): the owner kills the process.
//
// Error documents are AWS's: {"errorMessage": "RequestId: <id> Error: Task timed out after
// 1.00 seconds", "errorType": "Sandbox.Timedout"}, {"errorMessage": "RequestId: <id> Error:
// Runtime exited with error: exit status 1", "errorType": "Runtime.ExitError"}; what a
// runtime posts to /error or /init/error is passed through as it sent it.
//
// Thread-safe. One invocation runs at a time (an environment serves one request at once).
#ifndef LIFEBOAT_LOCAL_LAMBDA_RUNTIME_CHANNEL_H_
#define LIFEBOAT_LOCAL_LAMBDA_RUNTIME_CHANNEL_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "common/env.h"

namespace lifeboat {

struct Invocation {
  std::string request_id;
  std::string payload;
  std::string function_arn;
  std::string trace_id;          // Lambda-Runtime-Trace-Id
  std::string client_context;    // Lambda-Runtime-Client-Context, when the caller gave one
  std::string cognito_identity;  // Lambda-Runtime-Cognito-Identity, when present
};

// What GET /runtime/invocation/next answers.
struct DeliveredInvocation {
  Invocation invocation;
  int64_t deadline_ms = 0;  // Unix epoch milliseconds
};

enum class OutcomeKind {
  kResponse,       // body: the function's response
  kFunctionError,  // body: the error document the runtime posted
  kInitError,      // body: the init error document
  kTimedOut,       // body: Sandbox.Timedout document
  kExited,         // body: Runtime.ExitError document
};

struct InvocationOutcome {
  OutcomeKind kind = OutcomeKind::kResponse;
  std::string body;
  std::chrono::milliseconds duration{0};  // from delivery to outcome
  bool is_error() const { return kind != OutcomeKind::kResponse; }
};

// What a Runtime API request is answered with.
struct RuntimeReply {
  int status = 202;
  std::string body;
};

// AWS's largest synchronous response: 6 MB.
inline constexpr size_t kMaxResponseBytes = 6291556;

class RuntimeChannel {
 public:
  // `env` gives wall-clock time for the deadline header.
  explicit RuntimeChannel(Env* env) : env_(env) {}
  RuntimeChannel(const RuntimeChannel&) = delete;
  RuntimeChannel& operator=(const RuntimeChannel&) = delete;

  // Platform side: hands `invocation` to the runtime and waits for its outcome.
  InvocationOutcome Run(const Invocation& invocation, std::chrono::milliseconds timeout,
                        std::chrono::milliseconds init_timeout);
  // Whether another invocation may run here: the runtime is alive, initialised without
  // error, and answered everything it was given in time.
  bool Reusable() const;
  // The process ended; `reason` as AWS words it: "exit status 1", "signal: killed".
  void ProcessExited(std::string reason);
  // Ends waits on both sides; later Next() calls return nullopt and Run() fails at once.
  void Close();

  // Runtime side. Next() blocks until there is an invocation, or returns nullopt once
  // the channel is closed.
  std::optional<DeliveredInvocation> Next();
  RuntimeReply Respond(const std::string& request_id, std::string body);
  RuntimeReply Fail(const std::string& request_id, const std::string& error_type, std::string body);
  RuntimeReply InitFailed(const std::string& error_type, std::string body);

 private:
  InvocationOutcome Finish(OutcomeKind kind, std::string body);  // mu_ held
  InvocationOutcome Failure(const std::string& request_id);      // mu_ held; exit or close

  Env* const env_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Invocation> pending_;  // posted by Run, not yet taken by Next
  std::chrono::milliseconds pending_timeout_{0};
  std::string current_id_;  // the invocation the runtime holds
  bool delivered_ = false;  // the current invocation was taken by Next
  bool answered_ = false;   // ... and answered
  std::chrono::steady_clock::time_point delivered_at_;
  std::optional<InvocationOutcome> result_;
  bool started_ = false;  // the runtime came to /next at least once (init done)
  std::optional<std::string> init_error_;
  bool timed_out_ = false;
  bool closed_ = false;
  std::optional<std::string> exit_reason_;
};

// The error documents Lambda itself writes.
std::string TimedOutErrorBody(const std::string& request_id, std::chrono::milliseconds after);
std::string ExitErrorBody(const std::string& request_id, const std::string& reason);
// A runtime's error post passed through; an empty one becomes {"errorMessage": "",
// "errorType": <type>}.
std::string RuntimeErrorBody(const std::string& error_type, std::string body);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_RUNTIME_CHANNEL_H_
