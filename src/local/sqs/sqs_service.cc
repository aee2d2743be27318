#include "local/sqs/sqs_service.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "common/strings.h"
#include "local/sqs/sqs_errors.h"
#include "local/sqs/sqs_operations.h"
#include "local/sqs/sqs_query.h"

namespace lifeboat {

namespace {

using nlohmann::json;

constexpr std::string_view kTargetPrefix = "AmazonSQS.";

SqsCallContext ContextOf(const LocalRequest& request) { return {request.host, request.access_key}; }

std::string Dump(const json& j) {
  // Invalid UTF-8 echoed from a request (a bad receipt handle) must not throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

LocalResponse JsonError(const Status& status) {
  const SqsWireError wire = SqsWireErrorFor(status);
  LocalResponse r = JsonErrorResponse(wire.http_status, wire.json_type, status.message());
  r.body = Dump({{"__type", wire.json_type}, {"message", status.message()}});
  r.headers.Set("x-amzn-query-error", wire.query_code + ";" + wire.fault);
  return r;
}

LocalResponse QueryError(const Status& status) {
  const SqsWireError wire = SqsWireErrorFor(status);
  return QueryErrorResponse(wire.http_status, wire.query_code, status.message());
}


}  // namespace

LocalSqs::LocalSqs(Env* env, std::string account_id, std::string region)
    : store_(env, std::move(account_id), std::move(region)) {}

std::string LocalSqs::QueueUrl(const std::string& name, const std::string& host) const {
  return SqsQueueUrl(host, store_.account_id(), name);
}

LocalResponse LocalSqs::Handle(const LocalRequest& request) {
  const std::string target = request.Header("x-amz-target");
  if (!target.empty()) {
    if (!target.starts_with(kTargetPrefix)) {
      return JsonError(SqsError(
          "InvalidAction", "The target " + target + " is not an SQS action (AmazonSQS.<Action>)."));
    }
    return HandleJson(request, target.substr(kTargetPrefix.size()));
  }
  return HandleQuery(request);
}

LocalResponse LocalSqs::HandleJson(const LocalRequest& request, const std::string& action) {
  json input = request.body.empty()
                   ? json::object()
                   : json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) {
    return JsonError(SqsError("SerializationException", "The request body is not valid JSON."));
  }
  Result<json> output = RunSqsAction(&store_, action, input, ContextOf(request));
  if (!output.ok()) return JsonError(output.status());
  LocalResponse r;
  r.status = 200;
  r.headers.Set("Content-Type", "application/x-amz-json-1.0");
  r.headers.Set("x-amzn-RequestId", NewRequestId());
  r.body = Dump(*output);
  return r;
}

LocalResponse LocalSqs::HandleQuery(const LocalRequest& request) {
  FormPairs params = request.params;  // the query string, decoded by the server
  const std::string content_type = request.Header("content-type");
  if (request.method == "POST" &&
      (content_type.empty() || content_type.find("x-www-form-urlencoded") != std::string::npos)) {
    auto body = ParseFormPairs(request.body, PlusIsSpace::kYes);
    if (!body.ok()) return QueryError(SqsError("InvalidQueryParameter", body.status().message()));
    params.insert(params.end(), body->begin(), body->end());
  }
  std::string action;
  for (const auto& [k, v] : params) {
    if (k == "Action") action = v;
  }
  if (action.empty()) {
    return QueryError(SqsError("MissingAction", "The request must contain the parameter Action."));
  }
  json input = QueryParamsToJson(params);
  // Query clients may address a queue by sending to its URL instead of naming it.
  if (!input.contains("QueueUrl") && request.path != "/" && !request.path.empty()) {
    input["QueueUrl"] = request.path;
  }
  Result<json> output = RunSqsAction(&store_, action, input, ContextOf(request));
  if (!output.ok()) return QueryError(output.status());
  LocalResponse r;
  const std::string id = NewRequestId();
  r.status = 200;
  r.headers.Set("Content-Type", "text/xml");
  r.headers.Set("x-amzn-RequestId", id);
  r.body = SqsQueryXml(action, *output, id);
  return r;
}

Status LocalSqs::SendToArn(const std::string& queue_arn, const std::string& body) {
  const std::vector<std::string> parts = SplitString(queue_arn, ':');
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sqs" || parts[5].empty()) {
    return Status::InvalidArgument("not an SQS queue ARN: " + queue_arn);
  }
  if (parts[3] != store_.region() || parts[4] != store_.account_id()) {
    return Status(StatusCode::kNotFound,
                  "SQS queue " + queue_arn + " is not in this local cloud (region " +
                      store_.region() + ", account " + store_.account_id() + ")",
                  "QueueDoesNotExist");
  }
  Result<SqsSendResult> sent = store_.Send(parts[5], body, {}, std::nullopt, store_.account_id());
  if (!sent.ok()) return sent.status().WithContext("sending to " + queue_arn);
  return Status::Ok();
}

}  // namespace lifeboat
