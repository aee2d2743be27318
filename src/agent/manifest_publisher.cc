#include "agent/manifest_publisher.h"

#include "common/backoff.h"
#include "common/logging.h"

namespace lifeboat {

ManifestPublisher::ManifestPublisher(ObjectStore* store, std::string head_key, Metrics* metrics,
                                     std::chrono::milliseconds max_backoff,
                                     std::function<void()> on_stored)
    : store_(store),
      head_key_(std::move(head_key)),
      metrics_(metrics),
      max_backoff_(max_backoff),
      on_stored_(std::move(on_stored)),
      thread_([this] { Run(); }) {}

ManifestPublisher::~ManifestPublisher() {
  Abort();
  thread_.join();
}

void ManifestPublisher::PublishPart(std::string key, std::string json) {
  {
    std::lock_guard lock(mu_);
    parts_.emplace_back(std::move(key), std::move(json));
  }
  cv_.notify_all();
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
    cv_.wait(lock, [&] { return stopping_ || !parts_.empty() || queued_.has_value(); });
    if (stopping_) return;
    // A part may be written again after an interrupted update (a head never counted it),
    // so parts replace, like heads.
    const bool is_part = !parts_.empty();
    std::string key = is_part ? parts_.front().first : head_key_;
    std::string json = is_part ? parts_.front().second : queued_->second;
    const uint64_t version = is_part ? 0 : queued_->first;
    lock.unlock();
    WriteOptions options;
    options.if_none_match = false;
    options.content_type = "application/json";
    Status s = store_->Put(key, json, options);
    lock.lock();
    if (s.ok()) {
      attempt = 0;
      metrics_->Add("lifeboat_manifest_bytes_written_total", static_cast<double>(json.size()));
      if (is_part) {
        parts_.pop_front();
        continue;
      }
      if (queued_ && queued_->first == version) queued_.reset();
      stored_version_ = std::max(stored_version_, version);
      lock.unlock();
      metrics_->Add("lifeboat_manifest_writes_total", 1);
      if (on_stored_) on_stored_();
      cv_.notify_all();
      lock.lock();
      continue;
    }
    metrics_->Add("lifeboat_upload_errors_total", 1);
    const auto wait = backoff.Delay(std::min(attempt++, 16));
    spdlog::warn("manifest {} not written, retrying in {} ms: {}", store_->Describe(key),
                 wait.count(), s.message());
    cv_.wait_for(lock, wait, [&] { return stopping_; });
  }
}

}  // namespace lifeboat
