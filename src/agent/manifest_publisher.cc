#include "agent/manifest_publisher.h"

#include "common/backoff.h"
#include "common/logging.h"

namespace lifeboat {

ManifestPublisher::ManifestPublisher(ObjectStore* store, std::string key, Metrics* metrics,
                                     std::chrono::milliseconds max_backoff,
                                     std::function<void()> on_stored)
    : store_(store),
      key_(std::move(key)),
      metrics_(metrics),
      max_backoff_(max_backoff),
      on_stored_(std::move(on_stored)),
      thread_([this] { Run(); }) {}

ManifestPublisher::~ManifestPublisher() {
  Abort();
  thread_.join();
}

void ManifestPublisher::Publish(uint64_t version, std::string json) {
  {
    std::lock_guard lock(mu_);
    queued_.emplace(version, std::move(json));
  }
  cv_.notify_all();
}

uint64_t ManifestPublisher::stored_version() const {
  std::lock_guard lock(mu_);
  return stored_version_;
}

bool ManifestPublisher::WaitStored(uint64_t version) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stopping_ || stored_version_ >= version; });
  return stored_version_ >= version;
}

void ManifestPublisher::Abort() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

void ManifestPublisher::Run() {
  Backoff backoff({std::chrono::milliseconds(200), max_backoff_});
  int attempt = 0;
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || queued_.has_value(); });
    if (stopping_) return;
    auto [version, json] = std::move(*queued_);
    queued_.reset();
    lock.unlock();
    WriteOptions options;
    options.if_none_match = false;  // each version replaces the last
    options.content_type = "application/json";
    Status s = store_->Put(key_, json, options);
    lock.lock();
    if (s.ok()) {
      attempt = 0;
      stored_version_ = std::max(stored_version_, version);
      lock.unlock();
      metrics_->Add("lifeboat_manifest_writes_total", 1);
      if (on_stored_) on_stored_();
      cv_.notify_all();
      lock.lock();
      continue;
    }
    metrics_->Add("lifeboat_upload_errors_total", 1);
    if (!queued_) queued_.emplace(version, std::move(json));  // unless a newer one came
    const auto wait = backoff.Delay(std::min(attempt++, 16));
    spdlog::warn("manifest {} not written, retrying in {} ms: {}", store_->Describe(key_),
                 wait.count(), s.message());
    cv_.wait_for(lock, wait, [&] { return stopping_; });
  }
}

}  // namespace lifeboat
