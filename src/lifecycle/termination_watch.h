// Termination watchers: how an instance learns that it is about to go away.
//
//   ImdsTerminationWatch   polls the instance metadata service (IMDSv2):
//       meta-data/autoscaling/target-lifecycle-state   "Terminated" (scale-in, health
//                                                       replacement), "Warmed:*" (warm pool)
//       meta-data/spot/instance-action                  spot interruption: terminate, stop,
//                                                       hibernate (two minutes' notice)
//       meta-data/events/recommendations/rebalance      a rebalance recommendation
//   SqsTerminationWatch    long-polls a queue that carries lifecycle notifications in any
//       shape lifecycle_notice.h reads. Test notifications are deleted; notices for other
//       instances (and launch actions) are made visible again at once, so their owners get
//       them; a notice for this instance is handed over with its receipt handle, to be
//       deleted once the action is completed.
//
// Each Check() reports every new signal once (a state seen again is not news). Errors
// reaching the service are logged once per kind of error and never stop the watch.
// One thread calls Check() of a given watch.
#ifndef LIFEBOAT_LIFECYCLE_TERMINATION_WATCH_H_
#define LIFEBOAT_LIFECYCLE_TERMINATION_WATCH_H_

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aws/imds_client.h"
#include "aws/sqs_client.h"
#include "common/env.h"
#include "lifecycle/held_action.h"
#include "lifecycle/lifecycle_notice.h"

namespace lifeboat {

enum class TerminationCause {
  kTerminate,  // a terminate lifecycle action waits (scale-in, replacement)
  kWarmPool,   // a lifecycle action waits, but the instance goes to the warm pool
  kSpotTerminate,
  kSpotStop,   // stop or hibernate: the instance comes back; its disk stays
  kRebalance,  // a rebalance recommendation: nothing waits, but an interruption may follow
};

std::string_view TerminationCauseName(TerminationCause cause);

struct TerminationSignal {
  TerminationCause cause = TerminationCause::kTerminate;
  std::string source;  // "imds", "sqs"
  std::string detail;  // "Terminated", "Warmed:Stopped", "spot stop at 2026-...", ...
  // From an SQS notice: group, hook and token of the action.
  std::optional<LifecycleNotice> notice;
  std::string queue_url;  // with notice: where to delete the message
  std::string receipt_handle;
  SteadyTime noticed{};
  // The earliest the waiting can have begun (the notice's time, or the previous poll).
  SteadyTime wait_started{};

  bool holds_lifecycle_action() const {
    return cause == TerminationCause::kTerminate || cause == TerminationCause::kWarmPool;
  }
};

class TerminationWatch {
 public:
  virtual ~TerminationWatch() = default;
  // Blocks at most about one poll (a long poll for SQS); new signals, oldest first.
  virtual std::vector<TerminationSignal> Check() = 0;
  // How long to wait between calls.
  virtual std::chrono::milliseconds interval() const = 0;
  virtual std::string name() const = 0;
};

struct ImdsWatchOptions {
  bool lifecycle_state = true;
  bool spot = true;
  bool rebalance = true;
  std::chrono::milliseconds interval{5000};
};

class ImdsTerminationWatch final : public TerminationWatch {
 public:
  // Borrows `imds` and `env`.
  ImdsTerminationWatch(ImdsClient& imds, Env& env, ImdsWatchOptions options);
  std::vector<TerminationSignal> Check() override;
  std::chrono::milliseconds interval() const override { return options_.interval; }
  std::string name() const override { return "imds"; }

 private:
  std::optional<std::string> Read(const std::string& path);  // nullopt: 404 or error

  ImdsClient& imds_;
  Env& env_;
  ImdsWatchOptions options_;
  std::string last_state_;
  std::string last_spot_;
  bool rebalance_seen_ = false;
  std::set<std::string> reported_errors_;
  SteadyTime last_check_{};
};

struct SqsWatchOptions {
  std::string queue_url;
  // The long poll's wait. The agent's exit waits for a poll in flight, so not SQS's 20 s.
  std::chrono::seconds wait{10};
  // How long a notice for another instance stays hidden from us (0 = visible at once).
  int others_visibility = 0;
};

class SqsTerminationWatch final : public TerminationWatch {
 public:
  // Borrows `sqs` and `env`; `instance_id` is this instance.
  SqsTerminationWatch(SqsApi& sqs, Env& env, std::string instance_id, SqsWatchOptions options);
  std::vector<TerminationSignal> Check() override;
  // A long poll already waits; after an error, a pause before the next try.
  std::chrono::milliseconds interval() const override { return pause_; }
  std::string name() const override { return "sqs"; }

 private:
  SqsApi& sqs_;
  Env& env_;
  const std::string instance_id_;
  SqsWatchOptions options_;
  std::chrono::milliseconds pause_{0};
  std::set<std::string> handed_over_;  // tokens already reported
  std::set<std::string> reported_errors_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_TERMINATION_WATCH_H_
