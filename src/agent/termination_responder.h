// TerminationResponder: what the agent does when a watcher says its instance is going away.
//
//   terminate (lifecycle action, spot terminate), or a warm-pool scale-in configured to
//   `evacuate`:   hold the lifecycle action (heartbeats), run the pre-stop commands once,
//                 ship every source to its last byte, seal the manifest, complete the
//                 action: CONTINUE when everything is stored, the configured failure result
//                 otherwise;
//   warm pool `flush`, spot stop/hibernate, rebalance recommendation:
//                 ship everything now (and complete a warm-pool action with CONTINUE);
//                 the instance keeps running and the agent with it.
// After either, the agent goes on shipping: a shutdown that follows still ends with the
// final drain on SIGTERM.
//
// Borrows everything; used from the agent's loop thread only.
#ifndef LIFEBOAT_AGENT_TERMINATION_RESPONDER_H_
#define LIFEBOAT_AGENT_TERMINATION_RESPONDER_H_

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "agent/shipper.h"
#include "aws/autoscaling_client.h"
#include "aws/sqs_client.h"
#include "common/env.h"
#include "common/metrics.h"
#include "lifecycle/lifecycle_config.h"
#include "lifecycle/termination_watch.h"

namespace lifeboat {

class TerminationResponder {
 public:
  // `autoscaling` and `sqs` may be null when no watcher needs them.
  TerminationResponder(Env* env, Shipper* shipper, AutoScalingApi* autoscaling, SqsApi* sqs,
                       Metrics* metrics, LifecycleConfig config, std::string instance_id);

  // Responds to one signal; returns when the response is done. `abandon` is polled while
  // shipping: true stops it (a second SIGTERM). An error means the agent must stop: the
  // checkpoint failed, or the response was abandoned (kCancelled).
  Status Handle(const TerminationSignal& signal, const std::function<bool()>& abandon);
  // What the signals so far say about why the instance goes away (for its record): a
  // shutdown after a rebalance notice was caused by it. nullopt: no signal yet.
  std::optional<EndCause> cause() const { return cause_; }

 private:
  Status Ship(const TerminationSignal& signal, bool evacuate, const std::function<bool()>& abandon);
  std::unique_ptr<LifecycleKeeper> Hold(const TerminationSignal& signal);
  void ForgetMessage(const TerminationSignal& signal);

  Env* env_;
  Shipper* shipper_;
  AutoScalingApi* autoscaling_;
  SqsApi* sqs_;
  Metrics* metrics_;
  const LifecycleConfig config_;
  const std::string instance_id_;
  bool pre_stop_done_ = false;
  std::optional<EndCause> cause_;
  std::set<std::string> completed_;  // tokens (or "instance") whose action is completed
};

void DescribeTerminationMetrics(Metrics& metrics);

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_TERMINATION_RESPONDER_H_
