// ManifestPublisher: writes the agent's manifest in the background, retrying forever like
// chunk uploads. Parts are written in the order given and never dropped; of the heads,
// only the newest handed over is written, after every part queued before it (a head never
// counts a part that is not stored). Heads are rebuilt from what the store acknowledged,
// so an older version that lands late is still true, just less complete.
#ifndef LIFEBOAT_AGENT_MANIFEST_PUBLISHER_H_
#define LIFEBOAT_AGENT_MANIFEST_PUBLISHER_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "common/metrics.h"
#include "store/object_store.h"

namespace lifeboat {

class ManifestPublisher {
 public:
  // `on_stored` is called (from the publisher's thread) after each head is stored.
  ManifestPublisher(ObjectStore* store, std::string head_key, Metrics* metrics,
                    std::chrono::milliseconds max_backoff, std::function<void()> on_stored);
  ~ManifestPublisher();  // abandons what is not stored yet

  // Queues a part; it is stored before any head published after this call.
  void PublishPart(std::string key, std::string json);
  // Queues the head as version `version` (increasing), replacing a queued older one.
  void Publish(uint64_t version, std::string json);
  uint64_t stored_version() const;
  void Abort();

 private:
  void Run();

  ObjectStore* store_;
  const std::string head_key_;
  Metrics* metrics_;
  const std::chrono::milliseconds max_backoff_;
  std::function<void()> on_stored_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> parts_;  // (key, json), oldest first
  std::optional<std::pair<uint64_t, std::string>> queued_;
  uint64_t stored_version_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_MANIFEST_PUBLISHER_H_
