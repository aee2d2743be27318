#include "search/fleet_selection.h"

namespace lifeboat {

Result<std::vector<std::string>> SelectInstances(
    ObjectStore* /*store*/, const std::vector<std::string>& named,
    std::optional<std::chrono::system_clock::time_point> /*since*/,
    std::optional<std::chrono::system_clock::time_point> /*until*/, const std::string& /*group*/) {
  if (!named.empty()) return named;
  return Status::InvalidArgument("name the instance with --instance");
}

}  // namespace lifeboat
