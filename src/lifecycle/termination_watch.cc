#include "lifecycle/termination_watch.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace lifeboat {
namespace {

using json = nlohmann::json;

// Logs an error the first time it is seen, so a watch that cannot reach its service
// writes one line, not one per poll.
void LogOnce(std::set<std::string>& seen, const std::string& what, const Status& error) {
  if (seen.insert(what + error.message()).second) {
    spdlog::warn("{}: {} (watching on)", what, error.message());
  }
}

std::string JsonField(const std::string& body, const char* name) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return {};
  auto it = doc.find(name);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string_view TerminationCauseName(TerminationCause cause) {
  switch (cause) {
    case TerminationCause::kTerminate:
      return "terminate";
    case TerminationCause::kWarmPool:
      return "warm pool";
    case TerminationCause::kSpotTerminate:
      return "spot terminate";
    case TerminationCause::kSpotStop:
      return "spot stop";
    case TerminationCause::kRebalance:
      return "rebalance recommendation";
  }
  return "?";
}

ImdsTerminationWatch::ImdsTerminationWatch(ImdsClient& imds, Env& env, ImdsWatchOptions options)
    : imds_(imds), env_(env), options_(options) {}

std::optional<std::string> ImdsTerminationWatch::Read(const std::string& path) {
  auto body = imds_.Get(path);
  if (body.ok()) return TrimSpace(*body);
  if (body.status().code() != StatusCode::kNotFound) {
    LogOnce(reported_errors_, "instance metadata " + path, body.status());
  }
  return std::nullopt;
}

std::vector<TerminationSignal> ImdsTerminationWatch::Check() {
  std::vector<TerminationSignal> out;
  const SteadyTime now = env_.SteadyNow();
  // The state can have changed just after the previous poll, not before it.
  const SteadyTime since = last_check_ == SteadyTime{} ? now - options_.interval : last_check_;
  last_check_ = now;
  auto signal = [&](TerminationCause cause, std::string detail) {
    TerminationSignal s;
    s.cause = cause;
    s.source = "imds";
    s.detail = std::move(detail);
    s.noticed = now;
    s.wait_started = since;
    out.push_back(std::move(s));
  };

  if (options_.lifecycle_state) {
    // 404 outside an Auto Scaling group.
    if (auto state = Read("meta-data/autoscaling/target-lifecycle-state")) {
      if (*state != last_state_) {
        if (*state == "Terminated") signal(TerminationCause::kTerminate, *state);
        if (state->starts_with("Warmed:")) signal(TerminationCause::kWarmPool, *state);
        last_state_ = *state;
      }
    }
  }
  if (options_.spot) {
    if (auto notice = Read("meta-data/spot/instance-action")) {
      if (*notice != last_spot_) {
        last_spot_ = *notice;
        const std::string action = JsonField(*notice, "action");
        const std::string detail = "spot " + action + " at " + JsonField(*notice, "time");
        if (action == "terminate") {
          signal(TerminationCause::kSpotTerminate, detail);
        } else if (action == "stop" || action == "hibernate") {
          signal(TerminationCause::kSpotStop, detail);
        } else {
          spdlog::warn("spot instance-action not understood: {}", *notice);
        }
      }
    }
  }
  if (options_.rebalance && !rebalance_seen_) {
    if (auto notice = Read("meta-data/events/recommendations/rebalance")) {
      rebalance_seen_ = true;
      signal(TerminationCause::kRebalance,
             "rebalance recommended at " + JsonField(*notice, "noticeTime"));
    }
  }
  return out;
}

SqsTerminationWatch::SqsTerminationWatch(SqsApi& sqs, Env& env, std::string instance_id,
                                         SqsWatchOptions options)
    : sqs_(sqs), env_(env), instance_id_(std::move(instance_id)), options_(std::move(options)) {}

std::vector<TerminationSignal> SqsTerminationWatch::Check() {
  std::vector<TerminationSignal> out;
  ReceiveMessageOptions receive;
  receive.wait = options_.wait;
  auto messages = sqs_.ReceiveMessage(options_.queue_url, receive);
  if (!messages.ok()) {
    LogOnce(reported_errors_, "lifecycle queue " + options_.queue_url, messages.status());
    pause_ = std::chrono::milliseconds(5000);
    return out;
  }
  pause_ = std::chrono::milliseconds(0);
  const SteadyTime now = env_.SteadyNow();
  const auto wall_now = env_.Now();
  for (auto& m : *messages) {
    auto notice = ParseLifecycleNotice(m.body);
    if (!notice.ok()) {
      // Not ours to judge: left for the queue's visibility timeout and redrive policy.
      LogOnce(reported_errors_, "lifecycle queue message " + m.message_id, notice.status());
      continue;
    }
    if (notice->kind == LifecycleNotice::Kind::kTestNotification) {
      spdlog::info("lifecycle queue: test notification for group {} deleted", notice->group);
      if (Status s = sqs_.DeleteMessage(options_.queue_url, m.receipt_handle); !s.ok()) {
        LogOnce(reported_errors_, "deleting a test notification", s);
      }
      continue;
    }
    if (notice->instance_id != instance_id_ || !notice->terminating()) {
      // Another instance's (or a launch action): back to the queue for its owner.
      Status s = sqs_.ChangeMessageVisibility(options_.queue_url, m.receipt_handle,
                                              options_.others_visibility);
      if (!s.ok()) LogOnce(reported_errors_, "returning a notice to the queue", s);
      continue;
    }
    TerminationSignal signal;
    signal.cause =
        notice->to_warm_pool() ? TerminationCause::kWarmPool : TerminationCause::kTerminate;
    signal.source = "sqs";
    signal.detail = notice->source_shape + " notice, token " + notice->token;
    signal.queue_url = options_.queue_url;
    signal.receipt_handle = m.receipt_handle;
    signal.noticed = now;
    signal.wait_started = now;
    if (notice->time && *notice->time < wall_now) {
      signal.wait_started =
          now - std::chrono::duration_cast<SteadyTime::duration>(wall_now - *notice->time);
    }
    const bool repeat = !handed_over_.insert(notice->token).second;
    signal.notice = std::move(*notice);
    // A redelivery of a notice already handed over is news only for its newer receipt
    // handle; the caller keeps the latest one.
    if (repeat) signal.detail += " (again)";
    out.push_back(std::move(signal));
  }
  return out;
}

}  // namespace lifeboat
