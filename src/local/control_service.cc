#include "local/control_service.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace lifeboat {
namespace {

LocalResponse Json(int status, const nlohmann::json& body) {
  return {status, {{"Content-Type", "application/json"}}, body.dump() + "\n"};
}

LocalResponse Error(int status, const std::string& message) {
  return Json(status, {{"error", message}});
}

LocalResponse FromStatus(const Status& status) {
  if (status.ok()) return Json(200, {{"ok", true}});
  return Error(status.code() == StatusCode::kNotFound ? 404 : 400, status.message());
}

}  // namespace

LocalResponse ControlService::Handle(const LocalRequest& request) {
  const std::string rest = request.path.substr(std::string_view(kControlPathPrefix).size());
  if (rest == "health") return {200, {{"Content-Type", "text/plain"}}, "ok\n"};
  if (rest == "s3/write-requests" && s3_writes_ != nullptr && request.method == "GET") {
    return Json(200, s3_writes_->Counts());
  }
  const std::vector<std::string> parts = SplitString(rest, '/');
  if (parts.size() >= 2 && parts.size() <= 3 && parts[0] == "instances" && !parts[1].empty()) {
    return HandleInstance(request, parts[1], parts.size() == 3 ? parts[2] : "");
  }
  return Error(404, "no control endpoint " + request.path);
}

LocalResponse ControlService::HandleInstance(const LocalRequest& request,
                                             const std::string& instance_id,
                                             const std::string& action) {
  if (fleet_ == nullptr || fleet_->RootOf(instance_id).empty()) {
    return Error(404, "instance " + instance_id + " does not exist");
  }
  if (action.empty() && request.method == "GET") {
    return Json(200, {{"instance_id", instance_id},
                      {"running", fleet_->Running(instance_id)},
                      {"isolated", fleet_->Isolated(instance_id)},
                      {"root", fleet_->RootOf(instance_id)},
                      {"imds_endpoint", fleet_->ImdsEndpoint(instance_id)}});
  }
  if (request.method != "POST")
    return Error(400, request.method + " " + request.path + ": use POST");
  if (action == "spot-interruption") {
    const std::string kind = request.HasParam("action") ? request.Param("action") : "terminate";
    if (kind != "terminate" && kind != "stop" && kind != "hibernate") {
      return Error(400, "action must be terminate, stop or hibernate, not '" + kind + "'");
    }
    return FromStatus(fleet_->InjectSpotNotice(instance_id, kind));
  }
  if (action == "rebalance-recommendation") return FromStatus(fleet_->InjectRebalance(instance_id));
  return Error(404, "no control endpoint " + request.path);
}

}  // namespace lifeboat
