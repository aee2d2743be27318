#include "agent/upload_pool.h"

#include "common/backoff.h"
#include "common/hash.h"
#include "common/logging.h"

namespace lifeboat {
namespace {

// Logging every retry of a long outage would flood the journal: the first few, then
// one in this many.
constexpr int kLogEveryNthRetry = 20;

}  // namespace

Result<std::unique_ptr<UploadPool>> UploadPool::Start(ObjectStore* store, Metrics* metrics,
                                                      UploadPoolOptions options,
                                                      std::function<void()> on_done) {
  std::unique_ptr<UploadPool> pool(new UploadPool(store, metrics, options, std::move(on_done)));
  for (int i = 0; i < options.workers; ++i) {
    LIFEBOAT_ASSIGN_OR_RETURN(auto uploader, ChunkUploader::Create(store, options.codec, options.level));
    pool->uploaders_.push_back(std::move(uploader));
  }
  for (size_t i = 0; i < pool->uploaders_.size(); ++i) {
    pool->threads_.emplace_back([p = pool.get(), i] { p->Work(i); });
  }
  return pool;
}

UploadPool::UploadPool(ObjectStore* store, Metrics* metrics, UploadPoolOptions options,
                       std::function<void()> on_done)
    : store_(store), metrics_(metrics), options_(options), on_done_(std::move(on_done)) {}

UploadPool::~UploadPool() {
  Abort();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void UploadPool::Submit(UploadJob job) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
    ++pending_;
  }
  cv_.notify_one();
}

std::vector<UploadOutcome> UploadPool::Collect() {
  std::lock_guard lock(mu_);
  std::vector<UploadOutcome> out;
  out.swap(done_);
  pending_ -= out.size();
  return out;
}

size_t UploadPool::pending() const {
  std::lock_guard lock(mu_);
  return pending_;
}

void UploadPool::Abort() {
  aborted_ = true;
  cv_.notify_all();
}

bool UploadPool::SleepUnlessAborted(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [&] { return aborted_.load(); });
  return !aborted_;
}

void UploadPool::Work(size_t worker) {
  for (;;) {
    UploadJob job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    UploadOutcome outcome = Run(*uploaders_[worker], std::move(job));
    {
      std::lock_guard lock(mu_);
      done_.push_back(std::move(outcome));
    }
    if (on_done_) on_done_();
  }
}

UploadOutcome UploadPool::Run(ChunkUploader& uploader, UploadJob job) {
  UploadOutcome out;
  Backoff backoff({std::chrono::milliseconds(200), options_.max_backoff});
  for (int attempt = 0;; ++attempt) {
    if (aborted_) {
      out.kind = UploadOutcome::Kind::kAborted;
      out.error = Status::Cancelled("upload of " + store_->Describe(job.key) + " abandoned at exit");
      break;
    }
    Status error;
    if (job.source) {
      std::atomic<uint64_t> read{0};
      auto uploaded = uploader.Upload(*job.source, job.key, job.range, &read);
      metrics_->Add("lifeboat_bytes_read_total", static_cast<double>(read.load()));
      if (uploaded.ok()) {
        out.kind = UploadOutcome::Kind::kStored;
        out.record = uploaded->record;
        out.already_stored = uploaded->already_stored;
        break;
      }
      error = uploaded.status();
      // A source that no longer holds the range cannot do better on a retry.
      auto info = job.source->Stat();
      if (info.ok() && info->size < job.range.end) {
        out.kind = UploadOutcome::Kind::kUnreadable;
        out.error = error;
        break;
      }
      if (error.code() == StatusCode::kDataLoss) {
        out.kind = UploadOutcome::Kind::kConflict;
        out.error = error;
        break;
      }
    } else {
      auto adopted = store_->Get(job.key);
      if (adopted.ok()) {
        auto digest = DigestFrame(CodecFromObjectName(job.key), *adopted);
        if (digest.ok() && digest->size == job.range.size()) {
          out.kind = UploadOutcome::Kind::kStored;
          out.already_stored = true;
          out.record = {job.range, CodecFromObjectName(job.key), adopted->size(),
                        digest->crc32c, Crc32c(*adopted)};
        } else {
          out.kind = UploadOutcome::Kind::kConflict;
          out.error = Status::DataLoss(store_->Describe(job.key) + " does not hold the planned range");
        }
        break;
      }
      if (IsNoSuchKey(adopted.status())) {
        out.kind = UploadOutcome::Kind::kMissing;
        out.error = adopted.status();
        break;
      }
      error = adopted.status();
    }
    metrics_->Add("lifeboat_upload_retries_total", 1);
    metrics_->Add("lifeboat_upload_errors_total", 1);
    const auto wait = backoff.Delay(std::min(attempt, 16));
    if (attempt < 3 || attempt % kLogEveryNthRetry == 0) {
      spdlog::warn("upload of {} failed (attempt {}), retrying in {} ms: {}",
                   store_->Describe(job.key), attempt + 1, wait.count(), error.message());
    }
    if (!SleepUnlessAborted(wait)) continue;
  }
  if (out.kind == UploadOutcome::Kind::kConflict) metrics_->Add("lifeboat_upload_errors_total", 1);
  out.job = std::move(job);
  return out;
}

}  // namespace lifeboat
