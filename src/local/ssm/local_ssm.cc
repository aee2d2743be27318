#include "local/ssm/local_ssm.h"

#include "local/ssm/ssm_errors.h"
#include "local/ssm/ssm_fields.h"

namespace lifeboat {
namespace {

using nlohmann::json;

constexpr std::string_view kTargetPrefix = "AmazonSSM.";

Status NoInvocation(const std::string& command_id, const std::string& instance_id) {
  return SsmError("InvocationDoesNotExist",
                  "Command " + command_id + " has no invocation on instance " + instance_id + ".");
}

Status InvalidCommandId() { return SsmError("InvalidCommandId", "Invalid command id."); }

// The CommandFilter list of ListCommands and ListCommandInvocations.
struct CommandFilters {
  std::optional<SsmTime> after, before;
  std::vector<std::string> statuses, documents;
  std::string stage;  // Executing | Complete
};

Result<CommandFilters> ParseFilters(const json& input) {
  CommandFilters out;
  for (const json& f : input.value("Filters", json::array())) {
    const std::string key = f.value("key", "");
    const std::string value = f.value("value", "");
    if (key == "InvokedAfter" || key == "InvokedBefore") {
      auto time = SsmParseIsoTime(value);
      if (!time) {
        return SsmError("InvalidFilterValue",
                        "The filter value " + value + " is not an ISO 8601 date and time.");
      }
      (key == "InvokedAfter" ? out.after : out.before) = time;
    } else if (key == "Status") {
      out.statuses.push_back(value);
    } else if (key == "DocumentName") {
      out.documents.push_back(value);
    } else if (key == "ExecutionStage") {
      if (value != "Executing" && value != "Complete") {
        return SsmError("InvalidFilterValue", "ExecutionStage is Executing or Complete.");
      }
      out.stage = value;
    } else {
      return SsmError("InvalidFilterKey", "The filter key " + key + " is not valid.");
    }
  }
  return out;
}

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool CommandMatches(const CommandFilters& f, const SsmCommandState& command,
                    const std::string& status) {
  if (f.after && command.requested < *f.after) return false;
  if (f.before && command.requested > *f.before) return false;
  if (!f.statuses.empty() && !Contains(f.statuses, status)) return false;
  if (!f.documents.empty() && !Contains(f.documents, command.document_name)) return false;
  if (f.stage == "Executing" && SsmTerminal(status)) return false;
  if (f.stage == "Complete" && !SsmTerminal(status)) return false;
  return true;
}

}  // namespace

LocalSsm::LocalSsm(LocalSsmOptions options)
    : options_(std::move(options)), documents_(options_.env, options_.account_id) {}

LocalSsm::~LocalSsm() { Stop(); }

LocalResponse LocalSsm::Handle(const LocalRequest& request) {
  const std::string target = request.Header("x-amz-target");
  if (!target.starts_with(kTargetPrefix)) {
    return SsmErrorResponse(
        SsmError("UnknownOperationException", "The target " + target + " is not an SSM action."));
  }
  json input = request.body.empty()
                   ? json::object()
                   : json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded() || !input.is_object()) {
    return SsmErrorResponse(
        SsmError("SerializationException", "The request body is not a JSON object."));
  }
  Result<json> output = Call(std::string_view(target).substr(kTargetPrefix.size()), input);
  if (!output.ok()) return SsmErrorResponse(output.status());
  LocalResponse r;
  r.status = 200;
  r.headers.Set("Content-Type", "application/x-amz-json-1.1");
  r.headers.Set("x-amzn-RequestId", NewRequestId());
  r.body = output->dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Result<json> LocalSsm::Call(std::string_view action, const json& input) {
  try {
    if (action == "CreateDocument") return documents_.Create(input);
    if (action == "DescribeDocument") return documents_.Describe(input);
    if (action == "GetDocument") return documents_.Get(input);
    if (action == "DeleteDocument") return documents_.Delete(input);
    if (action == "ListDocuments") return documents_.List(input);
    if (action == "SendCommand") return SendCommand(input);
    if (action == "GetCommandInvocation") return GetCommandInvocation(input);
    if (action == "ListCommandInvocations") return ListCommandInvocations(input);
    if (action == "ListCommands") return ListCommands(input);
    if (action == "CancelCommand") return CancelCommand(input);
  } catch (const json::exception& e) {
    // A member of an unexpected type deep in a request (a filter that is not an object).
    return SsmValidationError(std::string("The request does not match the SSM model: ") + e.what());
  }
  return SsmError("UnknownOperationException",
                  "lifeboat local does not implement SSM's " + std::string(action) + ".");
}

LocalSsm::CommandPtr LocalSsm::FindCommand(const std::string& command_id) {
  auto it = by_id_.find(command_id);
  return it == by_id_.end() ? nullptr : it->second;
}

Result<json> LocalSsm::GetCommandInvocation(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string command_id, SsmRequiredString(input, "CommandId"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string instance_id, SsmRequiredString(input, "InstanceId"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto plugin_name, SsmOptionalString(input, "PluginName"));
  std::lock_guard lock(mu_);
  CommandPtr command = FindCommand(command_id);
  if (!command) return NoInvocation(command_id, instance_id);
  for (const InvocationPtr& inv : command->invocations) {
    if (inv->instance_id != instance_id) continue;
    if (!plugin_name) {
      if (inv->plugins.size() != 1) {
        return SsmError("InvalidPluginName",
                        "The document has more than one step: name the step in PluginName.");
      }
      return SsmPluginResultJson(*command, *inv, inv->plugins[0], options_.env->Now());
    }
    for (const SsmPluginState& plugin : inv->plugins) {
      if (plugin.name == *plugin_name) {
        return SsmPluginResultJson(*command, *inv, plugin, options_.env->Now());
      }
    }
    return SsmError("InvalidPluginName", "The document has no step named " + *plugin_name + ".");
  }
  return NoInvocation(command_id, instance_id);
}

Result<json> LocalSsm::ListCommandInvocations(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto command_id, SsmOptionalString(input, "CommandId"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto instance_id, SsmOptionalString(input, "InstanceId"));
  LIFEBOAT_ASSIGN_OR_RETURN(bool details, SsmOptionalBool(input, "Details"));
  LIFEBOAT_ASSIGN_OR_RETURN(size_t page, SsmPageSize(input, 50));
  LIFEBOAT_ASSIGN_OR_RETURN(auto token, SsmOptionalString(input, "NextToken"));
  LIFEBOAT_ASSIGN_OR_RETURN(size_t start, SsmPagePosition(token));
  LIFEBOAT_ASSIGN_OR_RETURN(CommandFilters filters, ParseFilters(input));
  std::lock_guard lock(mu_);
  std::vector<json> found;
  for (auto it = commands_.rbegin(); it != commands_.rend(); ++it) {  // newest first
    const SsmCommandState& command = **it;
    if (command_id && command.command_id != *command_id) continue;
    for (const InvocationPtr& inv : command.invocations) {
      if (instance_id && inv->instance_id != *instance_id) continue;
      if (!CommandMatches(filters, command, inv->status)) continue;
      found.push_back(SsmInvocationJson(command, *inv, details));
    }
  }
  json list = json::array();
  for (size_t i = start; i < found.size() && i < start + page; ++i) list.push_back(found[i]);
  json out = {{"CommandInvocations", std::move(list)}};
  if (start + page < found.size()) out["NextToken"] = SsmPageToken(start + page);
  return out;
}

Result<json> LocalSsm::ListCommands(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto command_id, SsmOptionalString(input, "CommandId"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto instance_id, SsmOptionalString(input, "InstanceId"));
  LIFEBOAT_ASSIGN_OR_RETURN(size_t page, SsmPageSize(input, 50));
  LIFEBOAT_ASSIGN_OR_RETURN(auto token, SsmOptionalString(input, "NextToken"));
  LIFEBOAT_ASSIGN_OR_RETURN(size_t start, SsmPagePosition(token));
  LIFEBOAT_ASSIGN_OR_RETURN(CommandFilters filters, ParseFilters(input));
  std::lock_guard lock(mu_);
  if (command_id && !FindCommand(*command_id)) return InvalidCommandId();
  std::vector<json> found;
  for (auto it = commands_.rbegin(); it != commands_.rend(); ++it) {
    const SsmCommandState& command = **it;
    if (command_id && command.command_id != *command_id) continue;
    if (instance_id) {
      bool targeted = false;
      for (const InvocationPtr& inv : command.invocations) {
        targeted = targeted || inv->instance_id == *instance_id;
      }
      if (!targeted) continue;
    }
    if (!CommandMatches(filters, command, SsmCommandStatus(command).first)) continue;
    found.push_back(SsmCommandJson(command));
  }
  json list = json::array();
  for (size_t i = start; i < found.size() && i < start + page; ++i) list.push_back(found[i]);
  json out = {{"Commands", std::move(list)}};
  if (start + page < found.size()) out["NextToken"] = SsmPageToken(start + page);
  return out;
}

Result<json> LocalSsm::CancelCommand(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string command_id, SsmRequiredString(input, "CommandId"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<std::string> ids, SsmStringList(input, "InstanceIds"));
  std::lock_guard lock(mu_);
  CommandPtr command = FindCommand(command_id);
  if (!command) return InvalidCommandId();
  for (const std::string& id : ids) {
    bool known = false;
    for (const InvocationPtr& inv : command->invocations) known = known || inv->instance_id == id;
    if (!known) {
      return SsmError("InvalidInstanceId",
                      "Instance " + id + " is not a target of command " + command_id + ".");
    }
  }
  for (const InvocationPtr& inv : command->invocations) {
    if (ids.empty() || Contains(ids, inv->instance_id)) inv->cancel = true;
  }
  wake_.notify_all();
  return json::object();
}

void LocalSsm::Stop() {
  std::map<uint64_t, std::thread> workers;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (const CommandPtr& command : commands_) {
      for (const InvocationPtr& inv : command->invocations) inv->cancel = true;
    }
    workers.swap(workers_);
    finished_.clear();
  }
  wake_.notify_all();
  for (auto& [id, worker] : workers) worker.join();
}

}  // namespace lifeboat
