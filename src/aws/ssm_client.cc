#include "aws/ssm_client.h"

#include <set>

#include "aws/json_protocol.h"

namespace lifeboat {
namespace {

using nlohmann::json;

constexpr size_t kMaxCommentLength = 100;
constexpr int kListPageSize = 50;  // the most ListCommands answers at once

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

CommandInfo CommandFromJson(const json& command) {
  return CommandInfo{
      .command_id = JsonString(command, "CommandId"),
      .document_name = JsonString(command, "DocumentName"),
      .comment = JsonString(command, "Comment"),
      .status = JsonString(command, "Status"),
      .instance_ids = JsonStrings(command, "InstanceIds"),
      .parameters = JsonStringLists(command, "Parameters"),
  };
}

}  // namespace

bool IsFinalCommandStatus(std::string_view status) {
  // The invocation statuses that end it, and the detailed ones (StatusDetails) that do.
  static const std::set<std::string_view> kFinal = {
      "Success",          "Cancelled",         "TimedOut",      "Failed",
      "DeliveryTimedOut", "ExecutionTimedOut", "Undeliverable", "Terminated",
      "InvalidPlatform",  "AccessDenied",      "Incomplete",    "RateExceeded"};
  return kFinal.contains(status);
}

SsmClient::SsmClient(AwsTransport& transport, std::string endpoint)
    : transport_(transport), endpoint_(std::move(endpoint)) {}

Result<CommandInfo> SsmClient::SendCommand(const SendCommandRequest& request) {
  const std::string about =
      "SendCommand " + request.document_name + " " + Join(request.instance_ids);
  if (request.document_name.empty()) {
    return Status::InvalidArgument(about + ": no document name");
  }
  if (request.instance_ids.empty()) return Status::InvalidArgument(about + ": no instance ids");
  if (request.comment.size() > kMaxCommentLength) {
    return Status::InvalidArgument(about + ": the comment is longer than 100 characters");
  }
  json input = {{"DocumentName", request.document_name}, {"InstanceIds", request.instance_ids}};
  if (!request.parameters.empty()) input["Parameters"] = request.parameters;
  if (!request.comment.empty()) input["Comment"] = request.comment;
  if (request.timeout_seconds > 0) input["TimeoutSeconds"] = request.timeout_seconds;
  auto http = BuildJsonRequest(endpoint_, "1.1", "AmazonSSM.SendCommand", input);
  if (!http.ok()) return http.status().WithContext(about);
  auto answer = CallJson(transport_, *std::move(http));
  if (!answer.ok()) return answer.status().WithContext(about);
  auto command = answer->find("Command");
  if (command == answer->end() || JsonString(*command, "CommandId").empty()) {
    return Status::Internal(about + ": SSM answered without a command id");
  }
  return CommandFromJson(*command);
}

Result<CommandInvocation> SsmClient::GetCommandInvocation(std::string_view command_id,
                                                          std::string_view instance_id) {
  const std::string about =
      "GetCommandInvocation " + std::string(command_id) + " " + std::string(instance_id);
  const json input = {{"CommandId", command_id}, {"InstanceId", instance_id}};
  auto http = BuildJsonRequest(endpoint_, "1.1", "AmazonSSM.GetCommandInvocation", input);
  if (!http.ok()) return http.status().WithContext(about);
  auto answer = CallJson(transport_, *std::move(http));
  if (!answer.ok()) return answer.status().WithContext(about);
  return CommandInvocation{
      .command_id = JsonString(*answer, "CommandId"),
      .instance_id = JsonString(*answer, "InstanceId"),
      .status = JsonString(*answer, "Status"),
      .status_details = JsonString(*answer, "StatusDetails"),
      // -1 until the command has run (and when SSM leaves it out).
      .response_code = static_cast<int>(JsonInt(*answer, "ResponseCode").value_or(-1)),
      .standard_output = JsonString(*answer, "StandardOutputContent"),
      .standard_error = JsonString(*answer, "StandardErrorContent"),
  };
}

Result<std::vector<CommandInfo>> SsmClient::ListCommands(std::string_view instance_id,
                                                         std::string_view document_name) {
  const std::string about = "ListCommands " + std::string(instance_id);
  std::vector<CommandInfo> commands;
  std::set<std::string> tokens_seen;
  std::string next_token;
  while (true) {
    json input = {{"InstanceId", instance_id}, {"MaxResults", kListPageSize}};
    if (!document_name.empty()) {
      input["Filters"] = json::array({{{"key", "DocumentName"}, {"value", document_name}}});
    }
    if (!next_token.empty()) input["NextToken"] = next_token;
    auto http = BuildJsonRequest(endpoint_, "1.1", "AmazonSSM.ListCommands", input);
    if (!http.ok()) return http.status().WithContext(about);
    auto answer = CallJson(transport_, *std::move(http));
    if (!answer.ok()) return answer.status().WithContext(about);
    for (const json& command : JsonArray(*answer, "Commands")) {
      commands.push_back(CommandFromJson(command));
    }
    next_token = JsonString(*answer, "NextToken");
    if (next_token.empty()) return commands;
    // A service that hands out the same token twice would keep us here forever.
    if (!tokens_seen.insert(next_token).second) {
      return Status::Internal(about + ": SSM repeated a NextToken");
    }
  }
}

}  // namespace lifeboat
