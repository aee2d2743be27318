// Chunk planning: where each chunk of a file stream begins and ends.
//
// A chunk ends just after the last line end inside its window [begin, begin + max_bytes),
// so chunks hold whole lines. A window with no line end at all (a binary file, a line
// longer than max_bytes) is cut at the window's end. At the end of the data:
//   - final: the rest is one more chunk, partial last line included (nothing will follow);
//   - not final: a trailing partial line is left for later (the writer is mid-line).
// A full window's cut depends only on the bytes inside it, never on how long the file is,
// so planning the same stream again after it grew yields the same chunks: that is what
// makes object keys deterministic.
#ifndef LIFEBOAT_SHIP_CHUNK_PLANNER_H_
#define LIFEBOAT_SHIP_CHUNK_PLANNER_H_

#include <cstdint>
#include <vector>

#include "common/env.h"
#include "common/status.h"

namespace lifeboat {

struct ByteRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t size() const { return end - begin; }
  bool operator==(const ByteRange&) const = default;
};

// The end of the chunk starting at `begin`, given `limit` bytes of readable data.
// Returns `begin` when nothing should be shipped yet (only a partial line, not final).
Result<uint64_t> FindChunkEnd(const RandomAccessFile& file, uint64_t begin, uint64_t limit,
                              uint64_t max_bytes, bool final);

// Every chunk from `begin` up to `limit`, by repeated FindChunkEnd.
Result<std::vector<ByteRange>> PlanChunks(const RandomAccessFile& file, uint64_t begin,
                                          uint64_t limit, uint64_t max_bytes, bool final);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_CHUNK_PLANNER_H_
