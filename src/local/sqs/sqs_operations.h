// The SQS actions over a SqsQueueStore, with input and output in the JSON protocol's
// shapes (the SQS model's member names). The JSON protocol passes its body straight
// through; the Query protocol converts its form parameters to this shape first and its
// XML response from it (sqs_query.h), so each action is written once.
#ifndef LIFEBOAT_LOCAL_SQS_SQS_OPERATIONS_H_
#define LIFEBOAT_LOCAL_SQS_SQS_OPERATIONS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "local/sqs/sqs_queue_store.h"

namespace lifeboat {

struct SqsCallContext {
  std::string host;       // the request's Host, so queue URLs lead clients back here
  std::string sender_id;  // reported as the SenderId of messages sent
};

// Runs `action` ("SendMessage"); InvalidAction for an action lifeboat does not implement.
Result<nlohmann::json> RunSqsAction(SqsQueueStore* store, std::string_view action,
                                    const nlohmann::json& input, const SqsCallContext& context);

// http://<host>/<account>/<name>
std::string SqsQueueUrl(std::string_view host, std::string_view account_id, std::string_view name);
// The queue name in a queue URL (any host, or just the path); QueueDoesNotExist for
// another account's queue, InvalidAddress for something that is not a queue URL.
Result<std::string> SqsQueueNameFromUrl(std::string_view url, std::string_view account_id);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SQS_SQS_OPERATIONS_H_
