#include "lifecycle/lifecycle_keeper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace lifeboat {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

double Seconds(milliseconds d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

Result<std::string> ParseLifecycleResult(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (upper == kContinue || upper == kAbandon) return upper;
  return Status::InvalidArgument("lifecycle result '" + std::string(text) +
                                 "': expected CONTINUE or ABANDON");
}

void DescribeLifecycleMetrics(Metrics& m) {
  m.Describe("lifeboat_lifecycle_heartbeats_total", MetricType::kCounter,
             "Lifecycle action heartbeats recorded");
  m.Describe("lifeboat_lifecycle_completions_total", MetricType::kCounter,
             "Lifecycle actions completed, by result (CONTINUE, ABANDON)");
  m.Describe("lifeboat_lifecycle_failures_total", MetricType::kCounter,
             "Lifecycle actions released before every log was stored, by result");
}

LifecycleKeeper::LifecycleKeeper(AutoScalingApi& api, Env& env, HeldAction action,
                                 KeeperOptions options, std::function<uint64_t()> progress,
                                 Metrics* metrics)
    : api_(api),
      env_(env),
      action_(std::move(action)),
      options_(std::move(options)),
      progress_(std::move(progress)),
      metrics_(metrics),
      schedule_(action_, options_.heartbeat),
      last_progress_(env_.SteadyNow()) {
  if (progress_) last_progress_value_ = progress_();
}

LifecycleKeeper::~LifecycleKeeper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LifecycleKeeper::Start() {
  spdlog::info(
      "holding lifecycle action {}: heartbeat every {:.1f} s, giving up {:.1f} s "
      "after the wait began",
      action_.Describe(), Seconds(schedule_.interval()),
      Seconds(duration_cast<milliseconds>(schedule_.give_up_at() - action_.wait_started)));
  // The first decision is taken here: when it is an immediate heartbeat, the caller knows
  // before doing any work whether the action is still waiting (action_ended()).
  (void)Tick(env_.SteadyNow());
  thread_ = std::thread([this] { Run(); });
}

void LifecycleKeeper::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_ && !completion_) {
    lock.unlock();
    std::optional<SteadyTime> next = Tick(env_.SteadyNow());
    lock.lock();
    if (!next) break;
    const auto wait = *next - env_.SteadyNow();
    if (wait.count() > 0) {
      wake_.wait_for(lock, wait, [this] { return stopping_ || completion_.has_value(); });
    }
  }
}

std::optional<SteadyTime> LifecycleKeeper::Tick(SteadyTime now) {
  if (completion().has_value() || !beating_) return std::nullopt;
  if (progress_) {
    const uint64_t value = progress_();
    if (value != last_progress_value_) {
      last_progress_value_ = value;
      last_progress_ = now;
    }
  }
  switch (schedule_.Decide(now, last_progress_)) {
    case HeartbeatSchedule::Step::kWait:
      break;
    case HeartbeatSchedule::Step::kBeat: {
      Status s = api_.RecordLifecycleActionHeartbeat(action_.ref);
      schedule_.Beaten(now);
      if (s.ok()) {
        ++heartbeats_;
        if (metrics_) metrics_->Add("lifeboat_lifecycle_heartbeats_total", 1);
        spdlog::debug("heartbeat for lifecycle action {}", action_.Describe());
      } else if (IsNoActiveLifecycleAction(s)) {
        spdlog::warn("lifecycle action {} is no longer waiting ({}); heartbeats stop",
                     action_.Describe(), s.message());
        beating_ = false;
        action_ended_ = true;
        wake_.notify_all();
        return std::nullopt;
      } else {
        spdlog::warn("heartbeat for lifecycle action {} failed: {}", action_.Describe(),
                     s.message());
      }
      break;
    }
    case HeartbeatSchedule::Step::kGiveUpGlobal:
      Failed("the global timeout of the lifecycle action is near (" +
             std::to_string(action_.global_timeout.count() / 1000) + " s)");
      return std::nullopt;
    case HeartbeatSchedule::Step::kGiveUpStalled:
      Failed("no byte moved for " +
             std::to_string(options_.heartbeat.stall_timeout.count() / 1000) + " s");
      return std::nullopt;
  }
  return schedule_.NextDecision(last_progress_);
}

Completion LifecycleKeeper::Complete(const std::string& result, std::string reason,
                                     bool logs_complete) {
  std::lock_guard serial(complete_mu_);
  if (auto done = completion()) return *done;

  Completion c;
  c.result = result;
  c.reason = std::move(reason);
  Status s = api_.CompleteLifecycleAction(action_.ref, result);
  c.heartbeats = heartbeats_.load();
  c.held = duration_cast<milliseconds>(env_.SteadyNow() - action_.wait_started);
  const bool failure = !logs_complete;
  if (s.ok()) {
    c.state = Completion::State::kCompleted;
    if (metrics_) {
      metrics_->Add("lifeboat_lifecycle_completions_total", 1, {{"result", result}});
      if (failure) metrics_->Add("lifeboat_lifecycle_failures_total", 1, {{"result", result}});
    }
    if (failure) {
      spdlog::error("completed lifecycle action {} with {} although logs may be missing: {}",
                    action_.Describe(), result, c.reason);
    } else {
      spdlog::info("completed lifecycle action {} with {} ({}) after {:.2f} s and {} heartbeat(s)",
                   action_.Describe(), result, c.reason, Seconds(c.held), c.heartbeats);
    }
  } else if (IsNoActiveLifecycleAction(s)) {
    c.state = Completion::State::kAlreadyDone;
    c.error = s.message();
    spdlog::warn("lifecycle action {} was already completed or timed out; not retried ({})",
                 action_.Describe(), s.message());
  } else {
    c.state = Completion::State::kFailed;
    c.error = s.message();
    spdlog::error("could not complete lifecycle action {} with {}: {}", action_.Describe(), result,
                  s.message());
  }
  {
    std::lock_guard lock(mu_);
    completion_ = c;
  }
  wake_.notify_all();
  return c;
}

std::optional<Completion> LifecycleKeeper::completion() const {
  std::lock_guard lock(mu_);
  return completion_;
}

}  // namespace lifeboat
