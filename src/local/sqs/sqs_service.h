// LocalSqs: the SQS of `lifeboat local`. It speaks both wire protocols clients use:
//   - JSON (current SDKs, aws CLI v1 >= 1.32): POST with X-Amz-Target: AmazonSQS.<Action>
//     and an application/x-amz-json-1.0 body; errors are {"__type", "message"} plus the
//     x-amzn-query-error header carrying the Query-era code;
//   - Query (older SDKs): Action=<Action>&Version=2012-11-05 form parameters in the body
//     or the query string, answered in XML; a request sent to a queue URL names its queue
//     by its path.
// Queues are standard queues held in memory (SqsQueueStore); queue URLs are
// http://<Host of the request>/<account>/<name> so clients find their way back.
//
// Thread-safe; a ReceiveMessage long poll blocks its calling thread for up to 20 s.
#ifndef LIFEBOAT_LOCAL_SQS_SQS_SERVICE_H_
#define LIFEBOAT_LOCAL_SQS_SQS_SERVICE_H_

#include <string>

#include "common/env.h"
#include "common/status.h"
#include "local/local_service.h"
#include "local/sqs/sqs_queue_store.h"

namespace lifeboat {

class LocalSqs final : public LocalService {
 public:
  // `env` (its clocks) must outlive the service.
  explicit LocalSqs(Env* env, std::string account_id = "000000000000",
                    std::string region = "us-east-1");

  LocalResponse Handle(const LocalRequest& request) override;

  // Delivers `body` to the queue an ARN names (arn:aws:sqs:<region>:<account>:<name>), as
  // AWS services do for their notifications (Auto Scaling lifecycle hooks). kNotFound when
  // no such queue exists here, kInvalidArgument for something that is not an SQS ARN.
  Status SendToArn(const std::string& queue_arn, const std::string& body);

  // http://<host>/<account>/<name>
  std::string QueueUrl(const std::string& name, const std::string& host) const;
  std::string QueueArn(const std::string& name) const { return store_.QueueArn(name); }

  // Ends waiting long polls at once (they answer with no messages) and keeps later ones
  // from waiting: call before stopping the server so it need not wait up to 20 s.
  void CancelWaits() { store_.CancelWaits(); }

  SqsQueueStore& store() { return store_; }

 private:
  LocalResponse HandleJson(const LocalRequest& request, const std::string& action);
  LocalResponse HandleQuery(const LocalRequest& request);

  SqsQueueStore store_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SQS_SQS_SERVICE_H_
