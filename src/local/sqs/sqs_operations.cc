#include "local/sqs/sqs_operations.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/hash.h"
#include "local/sqs/sqs_errors.h"
#include "local/sqs/sqs_json_fields.h"

namespace lifeboat {

namespace {

using nlohmann::json;

constexpr size_t kMaxBatchEntries = 10;

struct Call {
  SqsQueueStore* store;
  const json& input;
  const SqsCallContext& context;
};

Result<std::string> QueueName(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string url, RequiredString(c.input, "QueueUrl"));
  return SqsQueueNameFromUrl(url, c.store->account_id());
}

std::string UrlOf(const Call& c, const std::string& name) {
  return SqsQueueUrl(c.context.host, c.store->account_id(), name);
}

Result<json> CreateQueue(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, RequiredString(c.input, "QueueName"));
  LIFEBOAT_ASSIGN_OR_RETURN(SqsAttributeMap attributes, StringMap(c.input, "Attributes"));
  // Tags are accepted and not kept: nothing in lifeboat reads them back.
  LIFEBOAT_RETURN_IF_ERROR(c.store->CreateQueue(name, attributes).status());
  return json{{"QueueUrl", UrlOf(c, name)}};
}

Result<json> GetQueueUrl(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, RequiredString(c.input, "QueueName"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                            OptionalString(c.input, "QueueOwnerAWSAccountId"));
  if (owner && *owner != c.store->account_id()) return SqsQueueDoesNotExist();
  LIFEBOAT_RETURN_IF_ERROR(c.store->CheckQueue(name));
  return json{{"QueueUrl", UrlOf(c, name)}};
}

Result<json> DeleteQueue(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  LIFEBOAT_RETURN_IF_ERROR(c.store->DeleteQueue(name));
  return json::object();
}

Result<json> ListQueues(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> prefix,
                            OptionalString(c.input, "QueueNamePrefix"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<int> max, OptionalInt(c.input, "MaxResults"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<std::string> token, OptionalString(c.input, "NextToken"));
  if (max && (*max < 1 || *max > 1000)) {
    return SqsInvalidParameterValue("MaxResults", std::to_string(*max),
                                    "Must be between 1 and 1000, if provided");
  }
  std::string after;  // the token is the last name of the previous page
  if (token) {
    auto decoded = Base64Decode(*token);
    if (!decoded) return SqsInvalidParameterValue("NextToken", *token, "Invalid NextToken value");
    after = *decoded;
  }
  std::vector<std::string> names = c.store->ListQueues(prefix.value_or(""));
  json out = json::object();
  json urls = json::array();
  std::string last;
  for (const std::string& name : names) {
    if (token && name <= after) continue;
    if (max && urls.size() == static_cast<size_t>(*max)) {
      out["NextToken"] = Base64Encode(last);
      break;
    }
    urls.push_back(UrlOf(c, name));
    last = name;
  }
  // AWS omits the list when no queue matches.
  if (!urls.empty()) out["QueueUrls"] = std::move(urls);
  return out;
}

Result<json> GetQueueAttributes(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<std::string> names, StringList(c.input, "AttributeNames"));
  LIFEBOAT_ASSIGN_OR_RETURN(SqsAttributeMap attributes, c.store->GetAttributes(name, names));
  json out = json::object();
  if (!attributes.empty()) out["Attributes"] = attributes;
  return out;
}

Result<json> SetQueueAttributes(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  auto it = c.input.find("Attributes");
  if (it == c.input.end()) return SqsMissingParameter("Attributes");
  LIFEBOAT_ASSIGN_OR_RETURN(SqsAttributeMap attributes, StringMap(c.input, "Attributes"));
  LIFEBOAT_RETURN_IF_ERROR(c.store->SetAttributes(name, attributes));
  return json::object();
}

Result<json> SendOne(const Call& c, const std::string& queue, const json& entry) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string body, RequiredString(entry, "MessageBody"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<int> delay, OptionalInt(entry, "DelaySeconds"));
  LIFEBOAT_ASSIGN_OR_RETURN(SqsMessageAttributes attributes, MessageAttributes(entry));
  LIFEBOAT_ASSIGN_OR_RETURN(SqsSendResult sent,
                            c.store->Send(queue, body, attributes, delay, c.context.sender_id));
  json out = {{"MessageId", sent.message_id}, {"MD5OfMessageBody", sent.md5_of_body}};
  if (!sent.md5_of_attributes.empty()) out["MD5OfMessageAttributes"] = sent.md5_of_attributes;
  return out;
}

Result<json> SendMessage(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  return SendOne(c, name, c.input);
}

// Whether a user attribute is among those a receive asked for: "All", ".*", an exact
// name, or a prefix ending in ".*".
bool Wanted(const std::string& name, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (p == "All" || p == ".*" || p == name) return true;
    if (p.size() > 2 && p.ends_with(".*") && name.starts_with(p.substr(0, p.size() - 1))) {
      return true;
    }
  }
  return false;
}

Result<json> ReceiveMessage(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  SqsReceiveOptions options;
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<int> max, OptionalInt(c.input, "MaxNumberOfMessages"));
  options.max_messages = max.value_or(1);
  LIFEBOAT_ASSIGN_OR_RETURN(options.visibility_timeout, OptionalInt(c.input, "VisibilityTimeout"));
  LIFEBOAT_ASSIGN_OR_RETURN(options.wait_seconds, OptionalInt(c.input, "WaitTimeSeconds"));
  // AttributeNames is the deprecated spelling of MessageSystemAttributeNames; SDKs send
  // either.
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<std::string> system, StringList(c.input, "AttributeNames"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<std::string> system2,
                            StringList(c.input, "MessageSystemAttributeNames"));
  system.insert(system.end(), system2.begin(), system2.end());
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<std::string> user,
                            StringList(c.input, "MessageAttributeNames"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<SqsReceivedMessage> messages,
                            c.store->Receive(name, options));
  const bool all = std::find(system.begin(), system.end(), "All") != system.end();
  auto want = [&](const char* attr) {
    return all || std::find(system.begin(), system.end(), attr) != system.end();
  };
  json list = json::array();
  for (SqsReceivedMessage& m : messages) {
    json j = {{"MessageId", m.message_id},
              {"ReceiptHandle", m.receipt_handle},
              {"MD5OfBody", m.md5_of_body},
              {"Body", m.body}};
    json attrs = json::object();
    if (want("SenderId")) attrs["SenderId"] = m.sender_id;
    if (want("SentTimestamp")) attrs["SentTimestamp"] = std::to_string(m.sent_timestamp_ms);
    if (want("ApproximateReceiveCount")) {
      attrs["ApproximateReceiveCount"] = std::to_string(m.receive_count);
    }
    if (want("ApproximateFirstReceiveTimestamp")) {
      attrs["ApproximateFirstReceiveTimestamp"] = std::to_string(m.first_receive_timestamp_ms);
    }
    if (!attrs.empty()) j["Attributes"] = std::move(attrs);
    SqsMessageAttributes returned;
    for (auto& [attr, value] : m.attributes) {
      if (Wanted(attr, user)) returned[attr] = std::move(value);
    }
    // The digest covers the attributes returned, which is what SDKs recompute to verify.
    if (!returned.empty()) {
      j["MD5OfMessageAttributes"] = SqsAttributesMd5(returned);
      j["MessageAttributes"] = MessageAttributesJson(returned);
    }
    list.push_back(std::move(j));
  }
  json out = json::object();
  if (!list.empty()) out["Messages"] = std::move(list);
  return out;
}

Result<json> DeleteMessage(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string handle, RequiredString(c.input, "ReceiptHandle"));
  LIFEBOAT_RETURN_IF_ERROR(c.store->DeleteMessage(name, handle));
  return json::object();
}

Result<json> ChangeOne(const Call& c, const std::string& queue, const json& entry) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string handle, RequiredString(entry, "ReceiptHandle"));
  LIFEBOAT_ASSIGN_OR_RETURN(std::optional<int> timeout, OptionalInt(entry, "VisibilityTimeout"));
  if (!timeout) return SqsMissingParameter("VisibilityTimeout");
  LIFEBOAT_RETURN_IF_ERROR(c.store->ChangeVisibility(queue, handle, *timeout));
  return json::object();
}

Result<json> ChangeMessageVisibility(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  return ChangeOne(c, name, c.input);
}

Result<json> PurgeQueue(const Call& c) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  LIFEBOAT_RETURN_IF_ERROR(c.store->Purge(name));
  return json::object();
}

// The batch actions: every entry runs on its own and lands in Successful or Failed; only
// a malformed batch as a whole fails the call.
using EntryAction = Result<json> (*)(const Call&, const std::string&, const json&);

Result<json> DeleteEntry(const Call& c, const std::string& queue, const json& entry) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string handle, RequiredString(entry, "ReceiptHandle"));
  LIFEBOAT_RETURN_IF_ERROR(c.store->DeleteMessage(queue, handle));
  return json::object();
}

Result<json> RunBatch(const Call& c, std::string_view entry_shape, EntryAction action) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, QueueName(c));
  LIFEBOAT_RETURN_IF_ERROR(c.store->CheckQueue(name));
  auto it = c.input.find("Entries");
  if (it == c.input.end() || it->is_null() || (it->is_array() && it->empty())) {
    return SqsError("EmptyBatchRequest", "There should be at least one " +
                                             std::string(entry_shape) + " in the request.");
  }
  if (!it->is_array()) return SqsInvalidParameterValue("Entries", it->dump(), "must be a list");
  if (it->size() > kMaxBatchEntries) {
    return SqsError("TooManyEntriesInBatchRequest",
                    "Maximum number of entries per request are 10. You have sent " +
                        std::to_string(it->size()) + ".");
  }
  std::set<std::string> ids;
  for (const json& entry : *it) {
    if (!entry.is_object()) return SqsInvalidParameterValue("Entries", entry.dump(), "not a map");
    LIFEBOAT_ASSIGN_OR_RETURN(std::string id, RequiredString(entry, "Id"));
    const bool valid =
        !id.empty() && id.size() <= 80 && std::all_of(id.begin(), id.end(), [](char ch) {
          return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
        });
    if (!valid) {
      return SqsError("InvalidBatchEntryId",
                      "A batch entry id can only contain alphanumeric characters, hyphens and "
                      "underscores. It can be at most 80 letters long.");
    }
    if (!ids.insert(id).second) {
      return SqsError("BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
    }
  }
  json successful = json::array();
  json failed = json::array();
  for (const json& entry : *it) {
    const std::string id = entry["Id"].get<std::string>();
    Result<json> r = action(c, name, entry);
    if (r.ok()) {
      json ok = std::move(*r);
      ok["Id"] = id;
      successful.push_back(std::move(ok));
    } else {
      const SqsWireError wire = SqsWireErrorFor(r.status());
      failed.push_back({{"Id", id},
                        {"SenderFault", wire.fault == "Sender"},
                        {"Code", wire.query_code},
                        {"Message", r.status().message()}});
    }
  }
  return json{{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

}  // namespace

std::string SqsQueueUrl(std::string_view host, std::string_view account_id, std::string_view name) {
  return "http://" + std::string(host.empty() ? "localhost" : host) + "/" +
         std::string(account_id) + "/" + std::string(name);
}

Result<std::string> SqsQueueNameFromUrl(std::string_view url, std::string_view account_id) {
  std::string_view path = url;
  if (size_t scheme = path.find("://"); scheme != std::string_view::npos) {
    size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  while (path.starts_with('/')) path.remove_prefix(1);
  while (path.ends_with('/')) path.remove_suffix(1);
  const size_t slash = path.find('/');
  if (path.empty() || slash == std::string_view::npos ||
      path.find('/', slash + 1) != std::string_view::npos) {
    return SqsError("InvalidAddress",
                    "The address " + std::string(url) + " is not valid for this endpoint.");
  }
  if (path.substr(0, slash) != account_id) return SqsQueueDoesNotExist();
  return std::string(path.substr(slash + 1));
}

Result<json> RunSqsAction(SqsQueueStore* store, std::string_view action, const json& input,
                          const SqsCallContext& context) {
  if (!input.is_object()) {
    return SqsError("SerializationException", "The request body is not a JSON object.");
  }
  const Call c{store, input, context};
  if (action == "CreateQueue") return CreateQueue(c);
  if (action == "GetQueueUrl") return GetQueueUrl(c);
  if (action == "DeleteQueue") return DeleteQueue(c);
  if (action == "ListQueues") return ListQueues(c);
  if (action == "GetQueueAttributes") return GetQueueAttributes(c);
  if (action == "SetQueueAttributes") return SetQueueAttributes(c);
  if (action == "SendMessage") return SendMessage(c);
  if (action == "ReceiveMessage") return ReceiveMessage(c);
  if (action == "DeleteMessage") return DeleteMessage(c);
  if (action == "ChangeMessageVisibility") return ChangeMessageVisibility(c);
  if (action == "PurgeQueue") return PurgeQueue(c);
  if (action == "SendMessageBatch") return RunBatch(c, "SendMessageBatchRequestEntry", SendOne);
  if (action == "DeleteMessageBatch") {
    return RunBatch(c, "DeleteMessageBatchRequestEntry", DeleteEntry);
  }
  if (action == "ChangeMessageVisibilityBatch") {
    return RunBatch(c, "ChangeMessageVisibilityBatchRequestEntry", ChangeOne);
  }
  return SqsError("InvalidAction",
                  "The action " + std::string(action) + " is not valid for this endpoint.");
}

}  // namespace lifeboat
