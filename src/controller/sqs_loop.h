// The controller as a daemon on an SQS queue (an EventBridge rule's SQS target, or the
// hook's own notification target). Each message is handled on a thread of its own (many
// instances terminate at once), its visibility extended while the action is followed, and
// deleted once the action is settled. A controller that crashes leaves its messages to
// come back after their visibility timeout; the next one finds the command already sent
// (by its comment) and follows it, so the action is still completed once.
//
// Messages that are not lifecycle notices, or launch actions, are left alone for the
// queue's redrive policy; test notifications are deleted.
#ifndef LIFEBOAT_CONTROLLER_SQS_LOOP_H_
#define LIFEBOAT_CONTROLLER_SQS_LOOP_H_

#include <atomic>
#include <chrono>
#include <string>

#include "aws/sqs_client.h"
#include "common/env.h"
#include "controller/lifecycle_handler.h"

namespace lifeboat {

struct SqsLoopOptions {
  std::string queue_url;
  int visibility_timeout = 60;  // seconds a received message stays hidden
  // Long poll. A stopping controller waits for the poll in flight, hence not 20 s.
  std::chrono::seconds wait{10};
  int max_in_flight = 32;  // actions followed at once
};

// Runs until `stop` is set; then returns once the handlers noticed (their messages come
// back to the queue for the next controller).
Status RunSqsLoop(Env& env, SqsApi& sqs, LifecycleHandler& handler, const SqsLoopOptions& options,
                  const std::atomic<bool>& stop);

}  // namespace lifeboat

#endif  // LIFEBOAT_CONTROLLER_SQS_LOOP_H_
