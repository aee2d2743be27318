// Which instances a fleet-wide search reads: those named, or those the instance index
// finds alive in the window (and in the group, when one is given).
#ifndef LIFEBOAT_SEARCH_FLEET_SELECTION_H_
#define LIFEBOAT_SEARCH_FLEET_SELECTION_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "store/object_store.h"

namespace lifeboat {

Result<std::vector<std::string>> SelectInstances(
    ObjectStore* store, const std::vector<std::string>& named,
    std::optional<std::chrono::system_clock::time_point> since,
    std::optional<std::chrono::system_clock::time_point> until, const std::string& group);

}  // namespace lifeboat

#endif  // LIFEBOAT_SEARCH_FLEET_SELECTION_H_
