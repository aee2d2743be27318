// ChunkSearch: fetches, decodes and matches a search's chunks on several threads, and
// hands each chunk's result to the caller in plan order (file order), so output reads as
// grep's does. Workers run at most `window` chunks ahead of the one being handed over, so
// memory follows the parallelism, not the number of chunks.
#ifndef LIFEBOAT_SEARCH_CHUNK_SEARCH_H_
#define LIFEBOAT_SEARCH_CHUNK_SEARCH_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "search/line_matcher.h"
#include "search/search_plan.h"
#include "store/object_store.h"

namespace lifeboat {

struct ChunkResult {
  Status status;                   // the chunk could not be read or did not decode as recorded
  std::vector<std::string> lines;  // matching lines, when wanted
  uint64_t matches = 0;
};

struct ChunkSearchOptions {
  int parallel = 8;
  bool keep_lines = true;  // false: count only (-c, -l)
};

struct ChunkSearchProgress {
  std::atomic<uint64_t> chunks{0};
  std::atomic<uint64_t> raw_bytes{0};
  std::atomic<uint64_t> stored_bytes{0};
};

// Calls `deliver` for every chunk in order; stops early when it returns false.
void SearchChunks(ObjectStore* store, const std::vector<ChunkToSearch>& chunks,
                  const LineMatcher& matcher, const ChunkSearchOptions& options,
                  ChunkSearchProgress* progress,
                  const std::function<bool(const ChunkToSearch&, ChunkResult&)>& deliver);

}  // namespace lifeboat

#endif  // LIFEBOAT_SEARCH_CHUNK_SEARCH_H_
