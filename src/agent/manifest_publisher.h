// ManifestPublisher: writes the agent's manifest in the background, always the newest
// version handed to it, retrying forever like chunk uploads. The manifest is rebuilt from
// the checkpoint and lists only chunks the store acknowledged, so an older version that
// lands late is still true, just less complete.
#ifndef LIFEBOAT_AGENT_MANIFEST_PUBLISHER_H_
#define LIFEBOAT_AGENT_MANIFEST_PUBLISHER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/metrics.h"
#include "store/object_store.h"

namespace lifeboat {

class ManifestPublisher {
 public:
  // `on_stored` is called (from the publisher's thread) after each version is stored.
  ManifestPublisher(ObjectStore* store, std::string key, Metrics* metrics,
                    std::chrono::milliseconds max_backoff, std::function<void()> on_stored);
  ~ManifestPublisher();  // abandons a version not yet stored

  // Queues `json` as version `version` (increasing), replacing a queued older one.
  void Publish(uint64_t version, std::string json);
  uint64_t stored_version() const;
  // Waits until `version` is stored; false if Abort() was called first.
  bool WaitStored(uint64_t version);
  void Abort();

 private:
  void Run();

  ObjectStore* store_;
  const std::string key_;
  Metrics* metrics_;
  const std::chrono::milliseconds max_backoff_;
  std::function<void()> on_stored_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::pair<uint64_t, std::string>> queued_;
  uint64_t stored_version_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_MANIFEST_PUBLISHER_H_
