#include "controller/lambda_loop.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

using json = nlohmann::json;

void PrintOutcome(const HandlerOutcome& outcome) {
  std::printf("%s\n", outcome.ToJson().dump().c_str());
  std::fflush(stdout);
}

}  // namespace

Result<std::vector<LifecycleNotice>> NoticesInPayload(std::string_view payload) {
  json doc = json::parse(payload, nullptr, false);
  std::vector<std::string> bodies;
  if (doc.is_object() && doc.contains("Records") && doc["Records"].is_array()) {
    for (const auto& record : doc["Records"]) {
      if (record.contains("body") && record["body"].is_string()) {
        bodies.push_back(record["body"].get<std::string>());  // SQS
      } else if (record.contains("Sns") && record["Sns"].is_object() &&
                 record["Sns"].contains("Message") && record["Sns"]["Message"].is_string()) {
        bodies.push_back(record["Sns"]["Message"].get<std::string>());  // SNS
      } else {
        return Status::InvalidArgument("a record of the event is neither SQS nor SNS");
      }
    }
  } else {
    bodies.emplace_back(payload);
  }
  std::vector<LifecycleNotice> notices;
  for (const auto& body : bodies) {
    LIFEBOAT_ASSIGN_OR_RETURN(LifecycleNotice notice, ParseLifecycleNotice(body));
    notices.push_back(std::move(notice));
  }
  return notices;
}

Result<std::string> HandleInvocation(Env& env, LifecycleHandler& handler,
                                     const LambdaInvocation& invocation,
                                     std::chrono::milliseconds deadline_margin) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto notices, NoticesInPayload(invocation.payload));
  const auto left = invocation.deadline - env.Now() - deadline_margin;
  const SteadyTime deadline =
      env.SteadyNow() + std::chrono::duration_cast<SteadyTime::duration>(left);
  // Several notices in one batch wait side by side, each holding its own action.
  std::vector<std::future<HandlerOutcome>> running;
  for (const auto& notice : notices) {
    running.push_back(std::async(std::launch::async, [&handler, notice, deadline] {
      return handler.Handle(notice, HandlerLimits{deadline});
    }));
  }
  json outcomes = json::array();
  bool retry = false;
  for (auto& f : running) {
    HandlerOutcome outcome = f.get();
    PrintOutcome(outcome);
    retry |= outcome.retry;
    outcomes.push_back(outcome.ToJson());
  }
  if (retry) {
    return Status::Unavailable("a lifecycle action could not be started before the deadline: " +
                               outcomes.dump());
  }
  return json{{"outcomes", outcomes}}.dump();
}

Status RunLambdaLoop(Env& env, LambdaRuntimeClient& runtime, LifecycleHandler& handler,
                     std::chrono::milliseconds deadline_margin) {
  for (;;) {
    LIFEBOAT_ASSIGN_OR_RETURN(LambdaInvocation invocation, runtime.Next());
    auto response = HandleInvocation(env, handler, invocation, deadline_margin);
    Status answered =
        response.ok() ? runtime.Respond(invocation.request_id, *response)
                      : runtime.ReportError(invocation.request_id,
                                            response.status().code() == StatusCode::kInvalidArgument
                                                ? "Lifeboat.InvalidEvent"
                                                : "Lifeboat.Retry",
                                            response.status().message());
    if (!response.ok())
      spdlog::error("invocation {}: {}", invocation.request_id, response.status().message());
    if (!answered.ok()) {
      spdlog::error("Runtime API: {}", answered.message());
    }
  }
}

}  // namespace lifeboat
