#include "search/chunk_search.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "ship/restore.h"

namespace lifeboat {
namespace {

ChunkResult SearchOne(ObjectStore* store, const ChunkToSearch& c, const LineMatcher& matcher,
                      bool keep_lines, ChunkSearchProgress* progress) {
  ChunkResult result;
  const std::string key = c.key();
  auto data = store->Get(key);
  if (!data.ok()) {
    result.status = data.status().WithContext(store->Describe(key));
    return result;
  }
  std::string text;
  text.reserve(c.chunk.range.size());
  Status decoded = DecodeChunk(c.chunk, *data, [&](std::string_view raw) {
    text.append(raw);
    return Status::Ok();
  });
  if (!decoded.ok()) {
    result.status = decoded.WithContext(store->Describe(key));
    return result;
  }
  if (progress != nullptr) {
    progress->chunks += 1;
    progress->raw_bytes += text.size();
    progress->stored_bytes += data->size();
  }
  matcher.ForEachMatch(text, [&](std::string_view line) {
    ++result.matches;
    if (keep_lines) result.lines.emplace_back(line);
    return true;
  });
  return result;
}

}  // namespace

void SearchChunks(ObjectStore* store, const std::vector<ChunkToSearch>& chunks,
                  const LineMatcher& matcher, const ChunkSearchOptions& options,
                  ChunkSearchProgress* progress,
                  const std::function<bool(const ChunkToSearch&, ChunkResult&)>& deliver) {
  const size_t workers = static_cast<size_t>(std::clamp(options.parallel, 1, 64));
  const size_t window = 2 * workers;
  std::mutex mu;
  std::condition_variable cv;
  std::map<size_t, ChunkResult> done;
  size_t next_to_start = 0;
  size_t next_to_deliver = 0;
  bool stop = false;

  auto work = [&] {
    std::unique_lock lock(mu);
    for (;;) {
      cv.wait(lock, [&] {
        return stop || next_to_start >= chunks.size() || next_to_start < next_to_deliver + window;
      });
      if (stop || next_to_start >= chunks.size()) return;
      const size_t i = next_to_start++;
      lock.unlock();
      ChunkResult r = SearchOne(store, chunks[i], matcher, options.keep_lines, progress);
      lock.lock();
      done.emplace(i, std::move(r));
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::min(workers, chunks.size()); ++t) threads.emplace_back(work);
  {
    std::unique_lock lock(mu);
    while (next_to_deliver < chunks.size() && !stop) {
      cv.wait(lock, [&] { return done.count(next_to_deliver) > 0; });
      ChunkResult r = std::move(done.at(next_to_deliver));
      done.erase(next_to_deliver);
      const size_t i = next_to_deliver;
      lock.unlock();
      const bool more = deliver(chunks[i], r);
      lock.lock();
      ++next_to_deliver;
      if (!more) stop = true;
      cv.notify_all();
    }
    stop = true;
    cv.notify_all();
  }
  for (auto& t : threads) t.join();
}

}  // namespace lifeboat
