#include "search/search_plan.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "ship/object_keys.h"
#include "ship/verification.h"

namespace lifeboat {

std::string ChunkToSearch::key() const {
  return ChunkKey(instance_id, path, {stream, chunk.range.begin, chunk.range.end, chunk.codec});
}

Result<InstancePlan> PlanInstanceSearch(ObjectStore* store, const std::string& instance_id,
                                        const SearchScope& scope) {
  LIFEBOAT_ASSIGN_OR_RETURN(Manifest head, ReadManifestHead(store, instance_id));
  InstancePlan plan;
  std::set<std::string> paths;
  // Where each stream's listed chunks end: a chunk listed again (a part rewritten after an
  // interrupted update) is skipped, as MergeIntoManifest does. One entry per stream.
  std::map<std::pair<std::string, uint32_t>, std::optional<uint64_t>> listed_end;
  LIFEBOAT_RETURN_IF_ERROR(ForEachManifestPiece(store, head, [&](const std::vector<StreamRecord>& piece) {
    for (const StreamRecord& s : piece) {
      if (!scope.path_glob.empty() && ::fnmatch(scope.path_glob.c_str(), s.path.c_str(), 0) != 0) {
        continue;
      }
      paths.insert(s.path);
      std::optional<uint64_t>& end = listed_end[{s.path, s.stream}];
      for (const ChunkRecord& c : s.chunks) {
        if (end && c.range.end <= *end) continue;
        end = c.range.end;
        ++plan.chunks_in_scope;
        plan.stored_bytes_in_scope += c.stored_size;
        if (!c.written.MayOverlap(scope.from_ms, scope.to_ms)) continue;
        plan.chunks.push_back({instance_id, s.path, s.stream, c});
      }
    }
    return Status::Ok();
  }));
  std::sort(plan.chunks.begin(), plan.chunks.end(), [](const ChunkToSearch& a, const ChunkToSearch& b) {
    return std::tie(a.path, a.stream, a.chunk.range.begin) < std::tie(b.path, b.stream, b.chunk.range.begin);
  });
  plan.paths.assign(paths.begin(), paths.end());
  return plan;
}

}  // namespace lifeboat
