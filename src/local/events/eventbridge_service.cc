#include "local/events/eventbridge_service.h"

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "local/events/eventbridge_actions.h"

namespace lifeboat {
namespace {

constexpr std::string_view kTargetPrefix = "AWSEvents.";

LocalResponse ErrorResponse(const Status& status) {
  const std::string& code =
      status.service_code().empty() ? std::string("InternalException") : status.service_code();
  int http = code == "InternalException" ? 500 : 400;
  LocalResponse r = JsonErrorResponse(http, code, status.message());
  r.headers.Set("Content-Type", "application/x-amz-json-1.1");
  return r;
}

}  // namespace

LocalEventBridge::LocalEventBridge(Env* env, EventTargetInvoker* invoker,
                                   LocalEventBridgeOptions options)
    : env_(env),
      options_(std::move(options)),
      rules_(options_.region, options_.account_id),
      delivery_(invoker, options_.retry) {}

LocalResponse LocalEventBridge::Handle(const LocalRequest& request) {
  const std::string target = request.Header("x-amz-target");
  if (!target.starts_with(kTargetPrefix)) {
    return ErrorResponse(Status(StatusCode::kInvalidArgument,
                                "Missing or unknown X-Amz-Target: " + target,
                                "UnknownOperationException"));
  }
  nlohmann::json input = request.body.empty() ? nlohmann::json::object()
                                              : nlohmann::json::parse(request.body, nullptr,
                                                                      /*allow_exceptions=*/false);
  if (input.is_discarded() || !input.is_object()) {
    return ErrorResponse(Status(StatusCode::kInvalidArgument, "The request body is not valid JSON.",
                                "SerializationException"));
  }
  EventBridgeContext context{&rules_,
                             [this](EventEnvelope event) { return Publish(std::move(event)); },
                             options_.region, options_.account_id, env_->Now()};
  Result<nlohmann::json> output =
      RunEventBridgeAction(context, target.substr(kTargetPrefix.size()), input);
  if (!output.ok()) return ErrorResponse(output.status());
  LocalResponse r;
  r.status = 200;
  r.headers.Set("Content-Type", "application/x-amz-json-1.1");
  r.headers.Set("x-amzn-RequestId", NewRequestId());
  r.body = output->dump();
  return r;
}

void LocalEventBridge::Put(const std::string& detail_type, const std::string& source,
                           const std::vector<std::string>& resources, const std::string& detail) {
  EventEnvelope event;
  event.detail_type = detail_type;
  event.source = source;
  event.resources = resources;
  event.detail = detail.empty() ? "{}" : detail;
  event.account = options_.account_id;
  event.region = options_.region;
  event.time = env_->Now();
  Publish(std::move(event));
}

std::string LocalEventBridge::Publish(EventEnvelope event) {
  if (event.id.empty()) event.id = NewRequestId();
  const std::string json = EnvelopeJson(event);
  for (const EventRouting& route : rules_.Route(json)) {
    auto payload = TargetPayload(json, route.input);
    if (!payload.ok()) {
      spdlog::warn("EventBridge: rule {} cannot build the input for {}: {}", route.rule,
                   route.target_arn, payload.status().ToString());
      continue;
    }
    delivery_.Enqueue(route.target_arn, std::move(*payload));
  }
  return event.id;
}

}  // namespace lifeboat
