#include "agent/termination_responder.h"

#include <spdlog/spdlog.h>

#include "lifecycle/pre_stop.h"

namespace lifeboat {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// The key under which a completed action is remembered: its token, or the instance when
// only IMDS told us (then the token is unknown, and one instance has one terminate action).
// The instance record's name for what a signal announces.
EndCause EndCauseOf(TerminationCause cause) {
  switch (cause) {
    case TerminationCause::kTerminate:
    case TerminationCause::kWarmPool:
      return EndCause::kScaleIn;
    case TerminationCause::kSpotTerminate:
    case TerminationCause::kSpotStop:
      return EndCause::kSpot;
    case TerminationCause::kRebalance:
      return EndCause::kRebalance;
  }
  return EndCause::kUnknown;
}

std::string ActionKey(const TerminationSignal& signal) {
  if (signal.notice && !signal.notice->token.empty()) return signal.notice->token;
  return "instance";
}

}  // namespace

void DescribeTerminationMetrics(Metrics& m) {
  m.Describe("lifeboat_termination_signals_total", MetricType::kCounter,
             "Termination signals seen, by cause (terminate, warm pool, spot, rebalance)");
  DescribeLifecycleMetrics(m);
}

TerminationResponder::TerminationResponder(Env* env, Shipper* shipper, AutoScalingApi* autoscaling,
                                           SqsApi* sqs, Metrics* metrics, LifecycleConfig config,
                                           std::string instance_id)
    : env_(env),
      shipper_(shipper),
      autoscaling_(autoscaling),
      sqs_(sqs),
      metrics_(metrics),
      config_(std::move(config)),
      instance_id_(std::move(instance_id)) {}

Status TerminationResponder::Handle(const TerminationSignal& signal,
                                    const std::function<bool()>& abandon) {
  metrics_->Add("lifeboat_termination_signals_total", 1,
                {{"cause", std::string(TerminationCauseName(signal.cause))}});
  if (signal.holds_lifecycle_action() && completed_.count(ActionKey(signal)) > 0) {
    spdlog::info("lifecycle action already completed; {} ignored", signal.detail);
    ForgetMessage(signal);
    return Status::Ok();
  }
  switch (signal.cause) {
    case TerminationCause::kTerminate:
    case TerminationCause::kSpotTerminate:
      return Ship(signal, /*evacuate=*/true, abandon);
    case TerminationCause::kWarmPool:
      if (config_.warm_pool == WarmPoolAction::kIgnore) {
        spdlog::info("scale-in into the warm pool ({}): left to others (warm_pool: ignore)",
                     signal.detail);
        return Status::Ok();
      }
      return Ship(signal, config_.warm_pool == WarmPoolAction::kEvacuate, abandon);
    case TerminationCause::kSpotStop:
    case TerminationCause::kRebalance:
      return Ship(signal, /*evacuate=*/false, abandon);
  }
  return Status::Ok();
}

std::unique_ptr<LifecycleKeeper> TerminationResponder::Hold(const TerminationSignal& signal) {
  if (!signal.holds_lifecycle_action() || autoscaling_ == nullptr) return nullptr;
  LifecycleTarget target;
  target.instance_id = instance_id_;
  target.group = config_.group;
  target.hook = config_.hook;
  target.time_scale = config_.time_scale;
  if (signal.notice) {  // the notice names the action exactly
    target.group = signal.notice->group;
    target.hook = signal.notice->hook;
    target.token = signal.notice->token;
  }
  auto held = ResolveHeldAction(*autoscaling_, target, signal.wait_started);
  if (!held.ok()) {
    spdlog::error("cannot find the lifecycle action to complete: {}; shipping the logs anyway",
                  held.status().message());
    return nullptr;
  }
  if (!held->has_value()) return nullptr;
  Metrics* metrics = metrics_;
  auto keeper = std::make_unique<LifecycleKeeper>(
      *autoscaling_, *env_, std::move(**held), config_.keeper,
      [metrics] {
        return static_cast<uint64_t>(metrics->Value("lifeboat_bytes_read_total") +
                                     metrics->Value("lifeboat_bytes_shipped_total"));
      },
      metrics_);
  keeper->Start();
  return keeper;
}

Status TerminationResponder::Ship(const TerminationSignal& signal, bool evacuate,
                                  const std::function<bool()>& abandon) {
  const SteadyTime start = env_->SteadyNow();
  cause_ = EndCauseOf(signal.cause);
  // Only a response that ends the instance seals its record as ended; after a flush the
  // instance runs on, and a later shutdown names this cause.
  if (evacuate) shipper_->EndWith(*cause_);
  std::unique_ptr<LifecycleKeeper> keeper = Hold(signal);
  if (evacuate && !pre_stop_done_ && !config_.pre_stop.empty()) {
    RunPreStopCommands(*env_, config_.pre_stop, config_.pre_stop_timeout);
    pre_stop_done_ = true;
  }
  bool gave_up = false, abandoned = false;
  Status drained = shipper_->Drain([&] {
    if (keeper && keeper->completion()) gave_up = true;
    if (!abandoned) abandoned = abandon();
    return gave_up || abandoned;
  });
  const double seconds =
      static_cast<double>(duration_cast<milliseconds>(env_->SteadyNow() - start).count()) / 1e3;
  if (keeper) {
    Completion c = drained.ok() ? keeper->Succeeded()
                                : keeper->Failed("shipping stopped: " + drained.message());
    if (c.released()) {
      completed_.insert(ActionKey(signal));
      ForgetMessage(signal);
    }
    spdlog::info("{} ({}): logs {} in {:.2f} s; lifecycle action {}: {}",
                 TerminationCauseName(signal.cause), signal.detail,
                 drained.ok() ? "stored and sealed" : "NOT all stored", seconds,
                 keeper->action().Describe(),
                 c.state == Completion::State::kCompleted     ? c.result
                 : c.state == Completion::State::kAlreadyDone ? "already ended"
                                                              : "completion failed");
  } else {
    spdlog::info("{} ({}): logs {} in {:.2f} s", TerminationCauseName(signal.cause), signal.detail,
                 drained.ok() ? "stored and sealed" : "NOT all stored", seconds);
  }
  // Giving up on the hold is not a reason to stop shipping: the instance may live on
  // (ABANDON with retention) and the agent keeps trying.
  if (gave_up && !abandoned && drained.code() == StatusCode::kCancelled) return Status::Ok();
  return drained;
}

void TerminationResponder::ForgetMessage(const TerminationSignal& signal) {
  if (sqs_ == nullptr || signal.receipt_handle.empty()) return;
  if (Status s = sqs_->DeleteMessage(signal.queue_url, signal.receipt_handle); !s.ok()) {
    spdlog::warn("could not delete the lifecycle notice from {}: {}", signal.queue_url,
                 s.message());
  }
}

}  // namespace lifeboat
