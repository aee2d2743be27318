// Which instances a fleet-wide search reads: those named, or those the instance index
// (ship/instance_index.h) finds alive in the window, and in the group when one is given.
#ifndef LIFEBOAT_SEARCH_FLEET_SELECTION_H_
#define LIFEBOAT_SEARCH_FLEET_SELECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "common/time_text.h"
#include "store/object_store.h"

namespace lifeboat {

Result<std::vector<std::string>> SelectInstances(ObjectStore* store,
                                                 const std::vector<std::string>& named,
                                                 std::optional<WallTime> since,
                                                 std::optional<WallTime> until,
                                                 const std::string& group, WallTime now);

}  // namespace lifeboat

#endif  // LIFEBOAT_SEARCH_FLEET_SELECTION_H_
