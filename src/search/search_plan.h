// SearchPlan: which stored chunks a search reads. From an instance's manifest (parts and
// head, read one piece at a time), the chunks of the paths asked for whose written-time
// bounds overlap the window, in file order: by path, stream, then byte offset.
#ifndef LIFEBOAT_SEARCH_SEARCH_PLAN_H_
#define LIFEBOAT_SEARCH_SEARCH_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

struct SearchScope {
  std::string path_glob;  // fnmatch(3) over the source path; empty: every path
  int64_t from_ms = 0;    // Unix ms; 0: no lower end
  int64_t to_ms = 0;      // Unix ms; 0: no upper end
};

struct ChunkToSearch {
  std::string instance_id;
  std::string path;
  uint32_t stream = 0;
  ChunkRecord chunk;
  std::string key() const;
};

struct InstancePlan {
  std::vector<ChunkToSearch> chunks;  // in file order
  std::vector<std::string> paths;     // every path in scope, chunks in the window or not
  uint64_t chunks_in_scope = 0;       // before the window: what a search without it reads
  uint64_t stored_bytes_in_scope = 0;
};

// Errors as ReadManifestHead: kNotFound when the instance has no manifest.
Result<InstancePlan> PlanInstanceSearch(ObjectStore* store, const std::string& instance_id,
                                        const SearchScope& scope);

}  // namespace lifeboat

#endif  // LIFEBOAT_SEARCH_SEARCH_PLAN_H_
