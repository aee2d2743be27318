#include "ship/chunk_planner.h"

#include <cstring>
#include <string>

namespace lifeboat {
namespace {

constexpr size_t kScanBlock = 64 * 1024;

// The offset just past the last '\n' in [begin, end), or nullopt. Reads backwards from
// `end`: in text the answer is within the last line, so one small read usually suffices.
Result<std::optional<uint64_t>> LastLineEnd(const RandomAccessFile& file, uint64_t begin,
                                            uint64_t end) {
  std::string buf(kScanBlock, '\0');
  while (end > begin) {
    const uint64_t from = end - begin > kScanBlock ? end - kScanBlock : begin;
    const size_t want = static_cast<size_t>(end - from);
    LIFEBOAT_ASSIGN_OR_RETURN(size_t got, file.ReadAt(from, buf.data(), want));
    if (got < want) {
      return Status::DataLoss("file shrank while being read (truncated at " +
                              std::to_string(from + got) + " bytes)");
    }
    const void* nl = memrchr(buf.data(), '\n', want);
    if (nl != nullptr) {
      return std::optional<uint64_t>(from + (static_cast<const char*>(nl) - buf.data()) + 1);
    }
    end = from;
  }
  return std::optional<uint64_t>();
}

}  // namespace

Result<uint64_t> FindChunkEnd(const RandomAccessFile& file, uint64_t begin, uint64_t limit,
                              uint64_t max_bytes, bool final) {
  if (begin >= limit) return begin;
  if (max_bytes == 0) return Status::InvalidArgument("chunk size must be positive");
  const bool window_full = limit - begin >= max_bytes;
  const uint64_t window_end = window_full ? begin + max_bytes : limit;
  if (!window_full && final) return limit;
  LIFEBOAT_ASSIGN_OR_RETURN(auto line_end, LastLineEnd(file, begin, window_end));
  if (line_end) return *line_end;
  return window_full ? window_end : begin;
}

Result<std::vector<ByteRange>> PlanChunks(const RandomAccessFile& file, uint64_t begin,
                                          uint64_t limit, uint64_t max_bytes, bool final) {
  std::vector<ByteRange> chunks;
  while (begin < limit) {
    LIFEBOAT_ASSIGN_OR_RETURN(uint64_t end, FindChunkEnd(file, begin, limit, max_bytes, final));
    if (end == begin) break;
    chunks.push_back({begin, end});
    begin = end;
  }
  return chunks;
}

}  // namespace lifeboat
