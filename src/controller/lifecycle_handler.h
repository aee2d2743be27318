// LifecycleHandler: the seed's Lambda function done right. For a terminate lifecycle
// action it
//   1. holds the action (heartbeats at a third of the hook's timeout, LifecycleKeeper);
//   2. finds the command an earlier delivery of the same action already sent (ListCommands,
//      by the comment "lifeboat lifecycle <token>"), or sends lifeboat's document
//      (SendCommand), retrying InvalidInstanceId while the instance's SSM agent comes online;
//   3. follows the command (GetCommandInvocation) to its end;
//   4. completes the action unless the instance already did (its output says so,
//      completion_line.h, or the instance is past its wait: Terminating:Proceed, ...):
//      CONTINUE after Success, the configured result otherwise.
// When a deadline (the Lambda's) comes first, it stops waiting and leaves the completion
// to the command on the instance, saying so in the log.
//
// Each call returns one HandlerOutcome, also printed by the caller as one JSON log line.
// Duplicates (the same token) are handled once per process; across processes the comment
// finds the earlier command. Thread-safe: the SQS daemon calls Handle from several threads.
#ifndef LIFEBOAT_CONTROLLER_LIFECYCLE_HANDLER_H_
#define LIFEBOAT_CONTROLLER_LIFECYCLE_HANDLER_H_

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "aws/autoscaling_client.h"
#include "aws/ssm_client.h"
#include "common/env.h"
#include "controller/controller_config.h"
#include "lifecycle/lifecycle_keeper.h"
#include "lifecycle/lifecycle_notice.h"

namespace lifeboat {

struct HandlerOutcome {
  // What happened, one word:
  //   completed-by-instance  the command completed the action itself
  //   completed              the controller completed it (result says with what)
  //   already-ended          someone else completed it, or it timed out
  //   handed-over            the deadline came first; the command on the instance completes
  //   skipped                not a terminate action (test notification, launch)
  //   duplicate              this process already handled (or is handling) the token
  //   error                  nothing could be sent or completed (error says why)
  std::string outcome;
  std::string instance_id, group, hook, token;
  std::string result;  // what the controller sent, if it completed the action
  std::string reason;
  std::string command_id, command_status;
  std::string error;
  double seconds_to_send = -1;  // from Handle to an acknowledged SendCommand (or found one)
  double seconds_total = 0;
  int heartbeats = 0;
  // Nothing more is needed from any controller for this notice: an SQS message may go.
  bool settled = false;
  // Worth another delivery (Lambda's async retry, SQS redelivery): nothing was sent.
  bool retry = false;

  nlohmann::json ToJson() const;
};

// When a handler must stop waiting: a Lambda's deadline, or a daemon shutting down.
struct HandlerLimits {
  std::optional<SteadyTime> deadline;
  const std::atomic<bool>* stop = nullptr;  // set: stop as at a deadline

  // True when the limit is reached `ahead` from now.
  bool Reached(Env& env, std::chrono::milliseconds ahead = {}) const {
    if (stop != nullptr && stop->load()) return true;
    return deadline && env.SteadyNow() + ahead >= *deadline;
  }
};

class LifecycleHandler {
 public:
  // Borrows `env`, `ssm` and `autoscaling`.
  LifecycleHandler(Env& env, SsmApi& ssm, AutoScalingApi& autoscaling, ControllerConfig config);

  HandlerOutcome Handle(const LifecycleNotice& notice, const HandlerLimits& limits = {});

 private:
  enum class TokenState { kRunning, kSettled };
  HandlerOutcome Run(const LifecycleNotice& notice, const HandlerLimits& limits,
                     HandlerOutcome out);
  // The instance's lifecycle state ("Terminating:Wait", ...; "Terminated" once it left the
  // group); nullopt when Auto Scaling could not say.
  std::optional<std::string> WaitingState(const std::string& instance_id);
  Result<std::string> FindOrSend(const LifecycleNotice& notice, const HandlerLimits& limits,
                                 const LifecycleKeeper& keeper);

  Env& env_;
  SsmApi& ssm_;
  AutoScalingApi& autoscaling_;
  const ControllerConfig config_;
  std::mutex mu_;
  std::map<std::string, TokenState> tokens_;
};

// The comment a command carries so a later delivery of the same action finds it.
std::string CommandComment(std::string_view token);

}  // namespace lifeboat

#endif  // LIFEBOAT_CONTROLLER_LIFECYCLE_HANDLER_H_
