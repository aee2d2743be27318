#include "controller/lifecycle_handler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "lifecycle/completion_line.h"
#include "lifecycle/held_action.h"

namespace lifeboat {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr milliseconds kFirstSendRetry{1000};
constexpr milliseconds kMaxSendRetry{10000};

bool IsPermissionError(const Status& status) {
  return status.code() == StatusCode::kPermissionDenied ||
         status.code() == StatusCode::kUnauthenticated;
}

double SecondsSince(Env& env, SteadyTime start) {
  return static_cast<double>(duration_cast<milliseconds>(env.SteadyNow() - start).count()) / 1e3;
}

// The end of a text, for a log line: command output can be 24,000 characters.
std::string Tail(const std::string& text, size_t n = 300) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

// Past the wait: the action was completed (or timed out). Any other state, Auto Scaling
// itself judges when the completion arrives.
bool ActionEnded(std::string_view state) {
  return state == "Terminated" || state == "Terminating:Proceed" ||
         state == "Terminating:Retained" || state.starts_with("Warmed:");
}

}  // namespace

std::optional<std::string> LifecycleHandler::WaitingState(const std::string& instance_id) {
  auto instance = autoscaling_.DescribeAutoScalingInstance(instance_id);
  if (!instance.ok()) {
    spdlog::warn("DescribeAutoScalingInstances {}: {}", instance_id, instance.status().message());
    return std::nullopt;  // unknown: complete, and let Auto Scaling say if it already ended
  }
  if (!instance->has_value()) return std::string("Terminated");
  return (*instance)->lifecycle_state;
}

std::string CommandComment(std::string_view token) {
  std::string comment = "lifeboat lifecycle " + std::string(token);
  if (comment.size() > 100) comment.resize(100);  // SendCommand's limit
  return comment;
}

nlohmann::json HandlerOutcome::ToJson() const {
  nlohmann::json j = {{"event", "lifecycle-action"},
                      {"outcome", outcome},
                      {"instance_id", instance_id},
                      {"group", group},
                      {"hook", hook},
                      {"token", token},
                      {"seconds_total", seconds_total},
                      {"heartbeats", heartbeats}};
  if (!result.empty()) j["result"] = result;
  if (!reason.empty()) j["reason"] = reason;
  if (!command_id.empty()) j["command_id"] = command_id;
  if (!command_status.empty()) j["command_status"] = command_status;
  if (seconds_to_send >= 0) j["seconds_to_send"] = seconds_to_send;
  if (!error.empty()) j["error"] = error;
  return j;
}

LifecycleHandler::LifecycleHandler(Env& env, SsmApi& ssm, AutoScalingApi& autoscaling,
                                   ControllerConfig config)
    : env_(env), ssm_(ssm), autoscaling_(autoscaling), config_(std::move(config)) {}

HandlerOutcome LifecycleHandler::Handle(const LifecycleNotice& notice,
                                        const HandlerLimits& limits) {
  const SteadyTime start = env_.SteadyNow();
  HandlerOutcome out;
  out.instance_id = notice.instance_id;
  out.group = notice.group;
  out.hook = notice.hook;
  out.token = notice.token;
  if (!notice.terminating()) {
    out.outcome = "skipped";
    out.reason = notice.kind == LifecycleNotice::Kind::kTestNotification
                     ? "test notification"
                     : "not a terminate action (" + notice.transition + ")";
    out.settled = notice.kind == LifecycleNotice::Kind::kTestNotification;
    return out;
  }
  {
    std::lock_guard lock(mu_);
    auto [it, fresh] = tokens_.try_emplace(notice.token, TokenState::kRunning);
    if (!fresh) {
      out.outcome = "duplicate";
      out.settled = it->second == TokenState::kSettled;
      out.reason = out.settled ? "handled before" : "being handled";
      return out;
    }
  }
  out = Run(notice, limits, std::move(out));
  out.seconds_total = SecondsSince(env_, start);
  std::lock_guard lock(mu_);
  if (out.settled) {
    tokens_[notice.token] = TokenState::kSettled;
  } else {
    tokens_.erase(notice.token);  // a later delivery tries again
  }
  return out;
}

HandlerOutcome LifecycleHandler::Run(const LifecycleNotice& notice, const HandlerLimits& limits,
                                     HandlerOutcome out) {
  const SteadyTime start = env_.SteadyNow();
  SteadyTime wait_started = start;
  if (notice.time) {
    const auto age = env_.Now() - *notice.time;
    if (age.count() > 0) wait_started -= duration_cast<SteadyTime::duration>(age);
  }
  LifecycleTarget target{notice.instance_id, notice.group, notice.hook, notice.token,
                         config_.time_scale};
  auto held = ResolveHeldAction(autoscaling_, target, wait_started, notice.time.has_value());
  if (!held.ok() || !held->has_value()) {
    out.outcome = "error";
    out.error = held.ok() ? "the hook " + notice.hook + " is gone" : held.status().message();
    out.settled = held.ok();  // a deleted hook will not come back for this action
    return out;
  }
  KeeperOptions keeper_options{config_.on_failure, config_.heartbeat};
  LifecycleKeeper keeper(autoscaling_, env_, std::move(**held), keeper_options, nullptr);
  keeper.Start();

  auto finish = [&](HandlerOutcome o) {
    o.heartbeats = keeper.heartbeats();
    return o;
  };
  auto settle = [&](Completion c, HandlerOutcome o) {
    o.result = c.result;
    o.reason = c.reason;
    o.outcome = c.state == Completion::State::kCompleted     ? "completed"
                : c.state == Completion::State::kAlreadyDone ? "already-ended"
                                                             : "error";
    if (c.state == Completion::State::kFailed) o.error = c.error;
    o.settled = c.released();
    return finish(std::move(o));
  };

  // The action ended under us (the event came after the heartbeat timeout, or another
  // party completed it): nothing sent or waited for now can matter.
  auto ended = [&](HandlerOutcome o) {
    o.outcome = "already-ended";
    o.reason = "no active lifecycle action: completed elsewhere or timed out";
    o.settled = true;
    return finish(std::move(o));
  };
  auto command_id = FindOrSend(notice, limits, keeper);
  if (auto c = keeper.completion()) return settle(*c, std::move(out));
  if (keeper.action_ended()) return ended(std::move(out));
  if (!command_id.ok()) {
    if (command_id.status().code() == StatusCode::kDeadlineExceeded) {
      out.outcome = "error";
      out.error = command_id.status().message();
      out.retry = true;
      return finish(std::move(out));
    }
    return settle(keeper.Failed("no command could be sent: " + command_id.status().message()),
                  std::move(out));
  }
  out.command_id = *command_id;
  out.seconds_to_send = SecondsSince(env_, start);

  for (;;) {
    auto invocation = ssm_.GetCommandInvocation(*command_id, notice.instance_id);
    if (invocation.ok()) {
      out.command_status =
          invocation->status_details.empty() ? invocation->status : invocation->status_details;
      if (IsFinalCommandStatus(invocation->status)) {
        if (OutputSaysActionSettled(invocation->standard_output)) {
          out.outcome = "completed-by-instance";
          out.settled = true;
          return finish(std::move(out));
        }
        // A command that completed the action is often killed by the termination that
        // follows, before its output is saved: ask the group before completing again.
        if (auto state = WaitingState(notice.instance_id); state && ActionEnded(*state)) {
          out.outcome = "already-ended";
          out.reason = "the instance is " + *state + " (completed by the instance, or timed out)";
          out.settled = true;
          return finish(std::move(out));
        }
        if (invocation->status == "Success") return settle(keeper.Succeeded(), std::move(out));
        return settle(keeper.Failed("command " + out.command_status + " (exit " +
                                    std::to_string(invocation->response_code) +
                                    "): " + Tail(invocation->standard_error)),
                      std::move(out));
      }
    } else if (IsPermissionError(invocation.status())) {
      // Waiting longer cannot help; the command completes the action on the instance.
      out.outcome = "error";
      out.error = "cannot follow the command: " + invocation.status().message();
      out.settled = true;
      return finish(std::move(out));
    } else if (invocation.status().service_code() != "InvocationDoesNotExist") {
      spdlog::warn("GetCommandInvocation {} on {}: {}", *command_id, notice.instance_id,
                   invocation.status().message());
    }
    if (auto c = keeper.completion()) return settle(*c, std::move(out));
    if (keeper.action_ended()) return ended(std::move(out));
    if (limits.Reached(env_, config_.poll_interval)) {
      spdlog::warn("deadline near: leaving the completion of {} to command {} on the instance",
                   keeper.action().Describe(), *command_id);
      out.outcome = "handed-over";
      out.settled = true;
      return finish(std::move(out));
    }
    env_.SleepFor(config_.poll_interval);
  }
}

Result<std::string> LifecycleHandler::FindOrSend(const LifecycleNotice& notice,
                                                 const HandlerLimits& limits,
                                                 const LifecycleKeeper& keeper) {
  const std::string comment = CommandComment(notice.token);
  auto earlier = ssm_.ListCommands(notice.instance_id, config_.document);
  if (earlier.ok()) {
    for (const auto& c : *earlier) {
      if (c.comment == comment) {
        spdlog::info("{}: following command {} sent by an earlier delivery", notice.instance_id,
                     c.command_id);
        return c.command_id;
      }
    }
  } else if (earlier.status().service_code() != "InvalidInstanceId") {
    spdlog::warn("ListCommands for {}: {}", notice.instance_id, earlier.status().message());
  }

  SendCommandRequest request;
  request.document_name = config_.document;
  request.instance_ids = {notice.instance_id};
  request.parameters = ParametersFor(config_, notice);
  request.comment = comment;
  request.timeout_seconds = static_cast<int>(config_.delivery_timeout.count());
  const SteadyTime give_up = env_.SteadyNow() + config_.send_retry_window;
  milliseconds pause = kFirstSendRetry;
  for (;;) {
    auto sent = ssm_.SendCommand(request);
    if (sent.ok()) return sent->command_id;
    if (sent.status().service_code() != "InvalidInstanceId") return sent.status();
    const SteadyTime now = env_.SteadyNow();
    if (limits.Reached(env_, pause)) {
      return Status::DeadlineExceeded("the deadline came before the instance took a command (" +
                                      sent.status().message() + ")");
    }
    if (now + pause >= give_up || keeper.completion() || keeper.action_ended()) {
      return sent.status();
    }
    spdlog::info("{} is not online for Run Command yet; sending again in {} ms", notice.instance_id,
                 pause.count());
    env_.SleepFor(pause);
    pause = std::min(pause * 2, kMaxSendRetry);
  }
}

}  // namespace lifeboat
