// UploadPool: the agent's upload workers. Each job ships one planned byte range of a
// stream under its deterministic key; a worker retries store failures forever (with
// capped, jittered backoff), because the data is still readable and the only other choice
// is to lose it. A job comes back only when the range is stored, when its source can no
// longer supply the bytes (truncated, or gone), or when the pool is aborted.
#ifndef LIFEBOAT_AGENT_UPLOAD_POOL_H_
#define LIFEBOAT_AGENT_UPLOAD_POOL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "agent/agent_config.h"
#include "common/metrics.h"
#include "ship/checkpoint_store.h"
#include "ship/chunk_uploader.h"
#include "ship/codec.h"
#include "store/object_store.h"

namespace lifeboat {

struct UploadJob {
  StreamKey stream;
  ByteRange range;
  std::string key;
  // Null when no file can supply the range any more: the job then only adopts an object
  // that an earlier run stored under the key before it crashed.
  std::shared_ptr<const RandomAccessFile> source;
};

struct UploadOutcome {
  enum class Kind {
    kStored,      // record is what the store holds for the range
    kUnreadable,  // the source shrank below the range: the bytes must come from elsewhere
    kMissing,     // no source, and nothing stored under the key
    kConflict,    // the key holds other bytes; never overwritten
    kAborted,
  };
  UploadJob job;
  Kind kind = Kind::kAborted;
  ChunkRecord record;
  bool already_stored = false;  // the key existed with these bytes (a re-send after a crash)
  Status error;                 // why, for every kind but kStored
};

// The shipper sets every field from its options; the defaults are the agent's.
struct UploadPoolOptions {
  Codec codec = kDefaultCodec;
  int level = CodecDefaultLevel(kDefaultCodec);
  int workers = kDefaultParallel;
  std::chrono::milliseconds max_backoff = kDefaultRetryMaxBackoff;
};

class UploadPool {
 public:
  // `store` and `metrics` must outlive the pool; `on_done` is called (from a worker) after
  // each outcome is queued, to wake the caller.
  static Result<std::unique_ptr<UploadPool>> Start(ObjectStore* store, Metrics* metrics,
                                                   UploadPoolOptions options,
                                                   std::function<void()> on_done);
  ~UploadPool();  // aborts what is still queued or retrying, and joins the workers

  void Submit(UploadJob job);
  std::vector<UploadOutcome> Collect();  // outcomes so far, without waiting
  size_t pending() const;                // submitted and not yet collected
  // Stops retrying: jobs still queued or retrying come back as kAborted.
  void Abort();

 private:
  UploadPool(ObjectStore* store, Metrics* metrics, UploadPoolOptions options,
             std::function<void()> on_done);
  void Work(size_t worker);
  UploadOutcome Run(ChunkUploader& uploader, UploadJob job);
  bool SleepUnlessAborted(std::chrono::milliseconds wait);

  ObjectStore* store_;
  Metrics* metrics_;
  UploadPoolOptions options_;
  std::function<void()> on_done_;
  std::vector<std::unique_ptr<ChunkUploader>> uploaders_;
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<UploadJob> queue_;
  std::vector<UploadOutcome> done_;
  size_t pending_ = 0;
  bool stopping_ = false;
  std::atomic<bool> aborted_{false};
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_UPLOAD_POOL_H_
