// SsmClient: Run Command as a caller uses it (JSON 1.1, X-Amz-Target: AmazonSSM.<Operation>):
// send a document to an instance, follow its invocation, and find earlier commands.
//
// SsmApi is the seam (tests/fakes/fake_ssm.h); SsmClient implements it over an AwsTransport
// (signing name "ssm"). Service codes stay in service_code(): "InvalidInstanceId" (the
// instance's SSM agent is not (yet) online), "InvocationDoesNotExist" (asked too soon after
// SendCommand), "InvalidDocument", "InvalidParameters".
//
// Thread-safe: holds no mutable state.
#ifndef LIFEBOAT_AWS_SSM_CLIENT_H_
#define LIFEBOAT_AWS_SSM_CLIENT_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_transport.h"
#include "common/status.h"

namespace lifeboat {

struct SendCommandRequest {
  std::string document_name;
  std::vector<std::string> instance_ids;
  std::map<std::string, std::vector<std::string>> parameters;
  std::string comment;       // at most 100 characters
  int timeout_seconds = 0;   // delivery timeout (TimeoutSeconds); 0: the service default
};

struct CommandInfo {
  std::string command_id;
  std::string document_name;
  std::string comment;
  std::string status;  // Pending, InProgress, Success, Cancelled, Failed, TimedOut, Cancelling
  std::vector<std::string> instance_ids;
  std::map<std::string, std::vector<std::string>> parameters;
};

struct CommandInvocation {
  std::string command_id;
  std::string instance_id;
  // Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed, Cancelling
  std::string status;
  std::string status_details;  // also Undeliverable, Terminated, DeliveryTimedOut, ...
  int response_code = -1;
  std::string standard_output;  // the first 24,000 characters
  std::string standard_error;   // the first 8,000 characters
};

// True once an invocation status will not change any more.
bool IsFinalCommandStatus(std::string_view status);

class SsmApi {
 public:
  virtual ~SsmApi() = default;
  virtual Result<CommandInfo> SendCommand(const SendCommandRequest& request) = 0;
  virtual Result<CommandInvocation> GetCommandInvocation(std::string_view command_id,
                                                         std::string_view instance_id) = 0;
  // Commands sent to `instance_id` (all pages), newest first as the service lists them;
  // `document_name` filters when not empty.
  virtual Result<std::vector<CommandInfo>> ListCommands(std::string_view instance_id,
                                                        std::string_view document_name) = 0;
};

class SsmClient final : public SsmApi {
 public:
  // `endpoint`: scheme://host[:port] (AwsSession::Endpoint). Borrows the transport.
  SsmClient(AwsTransport& transport, std::string endpoint);

  Result<CommandInfo> SendCommand(const SendCommandRequest& request) override;
  Result<CommandInvocation> GetCommandInvocation(std::string_view command_id,
                                                 std::string_view instance_id) override;
  Result<std::vector<CommandInfo>> ListCommands(std::string_view instance_id,
                                                std::string_view document_name) override;

 private:
  AwsTransport& transport_;
  const std::string endpoint_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_SSM_CLIENT_H_
