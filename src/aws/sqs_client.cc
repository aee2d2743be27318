#include "aws/sqs_client.h"

#include "aws/json_protocol.h"

namespace lifeboat {
namespace {

using nlohmann::json;

// Beyond the long poll itself: the time to connect, sign and carry the answer back.
constexpr std::chrono::seconds kLongPollMargin{10};

std::string About(std::string_view operation, std::string_view queue_url) {
  return std::string(operation) + " " + std::string(queue_url);
}

}  // namespace

SqsClient::SqsClient(AwsTransport& transport, std::string endpoint)
    : transport_(transport), endpoint_(std::move(endpoint)) {}

Result<std::vector<SqsMessage>> SqsClient::ReceiveMessage(std::string_view queue_url,
                                                          const ReceiveMessageOptions& options) {
  const std::string about = About("ReceiveMessage", queue_url);
  if (options.max_messages < 1 || options.max_messages > 10) {
    return Status::InvalidArgument(about + ": at most 1 to 10 messages can be asked for, not " +
                                   std::to_string(options.max_messages));
  }
  if (options.wait.count() < 0 || options.wait.count() > 20) {
    return Status::InvalidArgument(about + ": the long poll lasts 0 to 20 s, not " +
                                   std::to_string(options.wait.count()));
  }
  // Both spellings: MessageSystemAttributeNames is current, AttributeNames is what older
  // endpoints (and emulators) understand.
  const json attributes = {"ApproximateReceiveCount", "SentTimestamp"};
  json input = {{"QueueUrl", queue_url},
                {"MaxNumberOfMessages", options.max_messages},
                {"WaitTimeSeconds", options.wait.count()},
                {"AttributeNames", attributes},
                {"MessageSystemAttributeNames", attributes}};
  if (options.visibility_timeout) input["VisibilityTimeout"] = *options.visibility_timeout;
  auto request = BuildJsonRequest(endpoint_, "1.0", "AmazonSQS.ReceiveMessage", input);
  if (!request.ok()) return request.status().WithContext(about);
  request->timeout = options.wait + kLongPollMargin;
  auto answer = CallJson(transport_, *std::move(request));
  if (!answer.ok()) return answer.status().WithContext(about);
  std::vector<SqsMessage> messages;
  for (const json& m : JsonArray(*answer, "Messages")) {
    messages.push_back(SqsMessage{
        .message_id = JsonString(m, "MessageId"),
        .receipt_handle = JsonString(m, "ReceiptHandle"),
        .body = JsonString(m, "Body"),
        .attributes = JsonStringMap(m, "Attributes"),
    });
    if (messages.back().receipt_handle.empty()) {
      return Status::Internal(about + ": SQS returned message '" + messages.back().message_id +
                              "' without a receipt handle");
    }
  }
  return messages;
}

Status SqsClient::DeleteMessage(std::string_view queue_url, std::string_view receipt_handle) {
  const std::string about = About("DeleteMessage", queue_url);
  const json input = {{"QueueUrl", queue_url}, {"ReceiptHandle", receipt_handle}};
  auto request = BuildJsonRequest(endpoint_, "1.0", "AmazonSQS.DeleteMessage", input);
  if (!request.ok()) return request.status().WithContext(about);
  return CallJson(transport_, *std::move(request)).status().WithContext(about);
}

Status SqsClient::ChangeMessageVisibility(std::string_view queue_url,
                                          std::string_view receipt_handle, int seconds) {
  const std::string about = About("ChangeMessageVisibility", queue_url);
  const json input = {
      {"QueueUrl", queue_url}, {"ReceiptHandle", receipt_handle}, {"VisibilityTimeout", seconds}};
  auto request = BuildJsonRequest(endpoint_, "1.0", "AmazonSQS.ChangeMessageVisibility", input);
  if (!request.ok()) return request.status().WithContext(about);
  return CallJson(transport_, *std::move(request)).status().WithContext(about);
}

}  // namespace lifeboat
