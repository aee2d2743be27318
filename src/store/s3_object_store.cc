#include "store/s3_object_store.h"

#include <spdlog/spdlog.h>

#include <deque>
#include <future>

#include "common/hash.h"

namespace lifeboat {
namespace {

// S3 reports a lost race on a create-only write as 412 PreconditionFailed (and, for
// CompleteMultipartUpload, sometimes 409 ConditionalRequestConflict).
bool IsConditionFailure(const Status& s) {
  return s.code() == StatusCode::kFailedPrecondition || s.service_code() == "PreconditionFailed" ||
         s.service_code() == "ConditionalRequestConflict";
}

}  // namespace

class S3ObjectWriter final : public ObjectWriter {
 public:
  S3ObjectWriter(S3ObjectStore* store, std::string key, WriteOptions options)
      : store_(store), key_(std::move(key)), options_(std::move(options)) {}
  ~S3ObjectWriter() override { Abort(); }

  Status Append(std::string_view data) override {
    if (done_) return Status::Internal("append after commit or abort: " + store_->Describe(key_));
    // One part's worth at once: growing by doubling would copy, and leave the smaller
    // copies in malloc's arenas, for every object. Untouched pages cost no memory.
    if (buffer_.capacity() < store_->options_.part_size) buffer_.reserve(store_->options_.part_size);
    buffer_.append(data);
    while (buffer_.size() >= store_->options_.part_size) {
      std::string part = buffer_.substr(0, store_->options_.part_size);
      buffer_.erase(0, store_->options_.part_size);
      Status s = SendPart(std::move(part));
      if (!s.ok()) {
        Abort();
        return s;
      }
    }
    return Status::Ok();
  }

  Status Commit() override {
    if (done_) return Status::Internal("commit after commit or abort: " + store_->Describe(key_));
    Status s = upload_id_.empty() ? PutWhole() : CompleteMultipart();
    if (!s.ok()) Abort();
    done_ = true;
    return s;
  }

  void Abort() override {
    // Parts still in flight must land (or fail) before the abort; how each ended does not
    // matter, the whole upload is dropped.
    (void)WaitAll();
    if (!upload_id_.empty()) {
      Status s = client().AbortMultipartUpload(bucket(), full_key(), upload_id_);
      if (!s.ok()) {
        spdlog::warn("could not abort multipart upload {} of {}: {}", upload_id_,
                     store_->Describe(key_), s.message());
      }
      upload_id_.clear();
    }
    buffer_.clear();
    done_ = true;
  }

 private:
  S3Client& client() { return *store_->client_; }
  const std::string& bucket() const { return store_->options_.bucket; }
  std::string full_key() const { return store_->FullKey(key_); }

  S3ObjectAttributes Attributes() const {
    S3ObjectAttributes a = store_->options_.attributes;
    a.content_type = options_.content_type;
    a.metadata = options_.metadata;
    return a;
  }

  Status PutWhole() {
    PutObjectRequest r;
    r.bucket = bucket();
    r.key = full_key();
    r.body = std::move(buffer_);
    r.attributes = Attributes();
    r.if_none_match = options_.if_none_match;
    auto put = client().PutObject(std::move(r));
    if (put.ok()) return Status::Ok();
    if (options_.if_none_match && IsConditionFailure(put.status())) {
      return Status::AlreadyExists(store_->Describe(key_) + " already exists");
    }
    return put.status();
  }

  Status SendPart(std::string body) {
    if (upload_id_.empty()) {
      CreateMultipartUploadRequest create;
      create.bucket = bucket();
      create.key = full_key();
      create.attributes = Attributes();
      LIFEBOAT_ASSIGN_OR_RETURN(upload_id_, client().CreateMultipartUpload(create));
    }
    // Bound memory and connections: wait for the oldest part when enough are in flight.
    while (in_flight_.size() >= static_cast<size_t>(std::max(1, store_->options_.parts_in_flight))) {
      LIFEBOAT_RETURN_IF_ERROR(WaitOldest());
    }
    UploadPartRequest part;
    part.bucket = bucket();
    part.key = full_key();
    part.upload_id = upload_id_;
    part.part_number = ++parts_sent_;
    part.body = std::move(body);
    S3Client* client = store_->client_;
    in_flight_.push_back(std::async(std::launch::async, [client, part = std::move(part)]() mutable {
      const int number = part.part_number;
      auto r = client->UploadPart(std::move(part));
      if (!r.ok()) return Result<CompletedPart>(r.status());
      return Result<CompletedPart>(CompletedPart{number, r->etag, r->checksum});
    }));
    return Status::Ok();
  }

  Status WaitOldest() {
    auto r = in_flight_.front().get();
    in_flight_.pop_front();
    if (!r.ok()) return r.status();
    completed_.push_back(*r);
    return Status::Ok();
  }

  // Waits for every part in flight; returns the first failure.
  Status WaitAll() {
    Status first;
    while (!in_flight_.empty()) {
      Status s = WaitOldest();
      if (first.ok()) first = s;
    }
    return first;
  }

  Status CompleteMultipart() {
    if (!buffer_.empty()) LIFEBOAT_RETURN_IF_ERROR(SendPart(std::move(buffer_)));
    LIFEBOAT_RETURN_IF_ERROR(WaitAll());
    CompleteMultipartUploadRequest complete;
    complete.bucket = bucket();
    complete.key = full_key();
    complete.upload_id = upload_id_;
    complete.parts = completed_;
    complete.if_none_match = options_.if_none_match;
    auto done = client().CompleteMultipartUpload(complete);
    if (done.ok()) {
      upload_id_.clear();  // nothing left to abort
      return Status::Ok();
    }
    if (options_.if_none_match && IsConditionFailure(done.status())) {
      return Status::AlreadyExists(store_->Describe(key_) + " already exists");
    }
    if (done.status().service_code() == "NoSuchUpload") {
      // A retried Complete whose first attempt succeeded but whose answer was lost: the
      // object may be ours. Report it as existing so the caller compares its content.
      upload_id_.clear();
      return Status::AlreadyExists(store_->Describe(key_) + " may already be complete");
    }
    return done.status();
  }

  S3ObjectStore* store_;
  std::string key_;
  WriteOptions options_;
  std::string buffer_;
  std::string upload_id_;
  int parts_sent_ = 0;
  std::deque<std::future<Result<CompletedPart>>> in_flight_;
  std::vector<CompletedPart> completed_;
  bool done_ = false;
};

S3ObjectStore::S3ObjectStore(S3Client* client, S3StoreOptions options)
    : client_(client), options_(std::move(options)) {}

std::string S3ObjectStore::FullKey(std::string_view key) const {
  return options_.prefix.empty() ? std::string(key) : options_.prefix + "/" + std::string(key);
}

std::string S3ObjectStore::Describe(std::string_view key) const {
  return "s3://" + options_.bucket + "/" + FullKey(key);
}

Result<std::unique_ptr<ObjectWriter>> S3ObjectStore::NewWriter(const std::string& key,
                                                               const WriteOptions& options) {
  return std::unique_ptr<ObjectWriter>(std::make_unique<S3ObjectWriter>(this, key, options));
}

Result<ObjectInfo> S3ObjectStore::Head(const std::string& key) {
  auto result = client_->HeadObject(options_.bucket, FullKey(key));
  if (!result.ok()) {
    const Status& s = result.status();
    // A HEAD has no body, so S3's 404 cannot say which: the key (or, rarely, the bucket).
    if (s.code() == StatusCode::kNotFound && s.service_code() == "NotFound") {
      return Status(s.code(), s.message(), std::string(kNoSuchKey));
    }
    return s;
  }
  HeadObjectResult head = std::move(*result);
  ObjectInfo info;
  info.size = head.size;
  info.crc32c = Crc32cFromBase64(head.checksum_crc32c);
  info.metadata = head.metadata;
  return info;
}

Result<std::string> S3ObjectStore::Get(const std::string& key) {
  GetObjectRequest r;
  r.bucket = options_.bucket;
  r.key = FullKey(key);
  LIFEBOAT_ASSIGN_OR_RETURN(GetObjectResult got, client_->GetObject(r));
  return std::move(got.body);
}

Status S3ObjectStore::ListPages(const std::string& prefix, const std::string& start_after,
                                const ListPageFn& fn) {
  const size_t strip = options_.prefix.empty() ? 0 : options_.prefix.size() + 1;
  return client_->ListEach(
      options_.bucket, FullKey(prefix), start_after.empty() ? "" : FullKey(start_after),
      [&](std::vector<S3ObjectSummary>& objects) {
        std::vector<ListedObject> page;
        page.reserve(objects.size());
        for (auto& o : objects) page.push_back({o.key.substr(strip), o.size});
        return fn(page);
      });
}

Status S3ObjectStore::Delete(const std::string& key) {
  return client_->DeleteObject(options_.bucket, FullKey(key));
}

uint64_t S3ObjectStore::requests() const { return client_->transport().stats().requests_sent; }
uint64_t S3ObjectStore::retries() const { return client_->transport().stats().retries; }
RequestCounts S3ObjectStore::requests_by_operation() const {
  return client_->transport().stats().requests_by_operation;
}

}  // namespace lifeboat
