#include "search/fleet_selection.h"

#include "ship/instance_index.h"

namespace lifeboat {

Result<std::vector<std::string>> SelectInstances(ObjectStore* store,
                                                 const std::vector<std::string>& named,
                                                 std::optional<WallTime> since,
                                                 std::optional<WallTime> until,
                                                 const std::string& group, WallTime now) {
  if (!named.empty()) return named;
  LIFEBOAT_ASSIGN_OR_RETURN(auto records, FindInstances(store, since, until, group, now));
  std::vector<std::string> ids;
  for (const InstanceRecord& r : records) ids.push_back(r.instance_id);
  return ids;
}

}  // namespace lifeboat
