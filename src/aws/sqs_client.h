// SqsClient: the SQS operations a queue consumer needs, over the JSON protocol
// (x-amz-json-1.0, X-Amz-Target: AmazonSQS.<Operation>), which the current SDKs use.
//
// SqsApi is the seam (tests/fakes/fake_sqs.h); SqsClient implements it over an AwsTransport
// (signing name "sqs"). A long poll's HTTP timeout is the wait plus a margin, so a quiet
// queue is not mistaken for a dead connection.
//
// Thread-safe: holds no mutable state.
#ifndef LIFEBOAT_AWS_SQS_CLIENT_H_
#define LIFEBOAT_AWS_SQS_CLIENT_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_transport.h"
#include "common/status.h"

namespace lifeboat {

struct SqsMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  // System attributes asked for (ApproximateReceiveCount, SentTimestamp, ...).
  std::map<std::string, std::string> attributes;
};

struct ReceiveMessageOptions {
  int max_messages = 10;                 // 1..10
  std::chrono::seconds wait{20};         // long poll, 0..20
  std::optional<int> visibility_timeout;  // seconds; nullopt: the queue's
};

class SqsApi {
 public:
  virtual ~SqsApi() = default;
  // Asks for the ApproximateReceiveCount and SentTimestamp attributes.
  virtual Result<std::vector<SqsMessage>> ReceiveMessage(std::string_view queue_url,
                                                         const ReceiveMessageOptions& options) = 0;
  virtual Status DeleteMessage(std::string_view queue_url, std::string_view receipt_handle) = 0;
  // 0 makes the message visible to other consumers at once.
  virtual Status ChangeMessageVisibility(std::string_view queue_url,
                                         std::string_view receipt_handle, int seconds) = 0;
};

class SqsClient final : public SqsApi {
 public:
  // `endpoint`: scheme://host[:port] of the service (AwsSession::Endpoint); requests go
  // there with the queue URL in the body. Borrows the transport.
  SqsClient(AwsTransport& transport, std::string endpoint);

  Result<std::vector<SqsMessage>> ReceiveMessage(std::string_view queue_url,
                                                 const ReceiveMessageOptions& options) override;
  Status DeleteMessage(std::string_view queue_url, std::string_view receipt_handle) override;
  Status ChangeMessageVisibility(std::string_view queue_url, std::string_view receipt_handle,
                                 int seconds) override;

 private:
  AwsTransport& transport_;
  const std::string endpoint_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_SQS_CLIENT_H_
