#include "local/s3/s3_store.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "local/local_service.h"
#include "local/s3/s3_direct_file.h"
#include "local/s3/s3_errors.h"

namespace lifeboat {
namespace {

constexpr char kTmp[] = ".tmp";
constexpr char kTrash[] = ".trash";
constexpr char kObjects[] = "objects";
constexpr char kUploads[] = "uploads";
constexpr char kBucketFile[] = "bucket.json";

// Env has files but no directory removal; whole directories only go away from the
// temporary areas (a deleted bucket, a crashed bucket creation), after being renamed there.
void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace

bool IsValidBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  int dots = 0;
  bool all_digits_and_dots = true;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && c != '.' && c != '-') return false;
    if ((i == 0 || i + 1 == name.size()) && !alnum) return false;
    if (c == '.') {
      ++dots;
      if (name[i - 1] == '.') return false;
    }
    if (!(c == '.' || (c >= '0' && c <= '9'))) all_digits_and_dots = false;
  }
  if (dots == 3 && all_digits_and_dots) return false;  // looks like an IPv4 address
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (name.starts_with(prefix)) return false;
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (name.ends_with(suffix)) return false;
  }
  return true;
}

StagedFile::~StagedFile() {
  if (published_) return;
  file_.reset();
  // Best effort: an unpublished staged file is never read, and Recover() clears the
  // staging directory at the next start.
  (void)env_->Remove(path_);
}

Status StagedFile::Finish() {
  LIFEBOAT_RETURN_IF_ERROR(file_->Sync());
  return file_->Close();
}

Status StagedFile::Publish(const std::string& to, bool no_replace) {
  Status s = no_replace ? env_->RenameNoReplace(path_, to) : env_->Rename(path_, to);
  if (s.ok()) published_ = true;
  return s;
}

S3Store::S3Store(Env* env, std::string root, bool direct_io)
    : env_(env),
      root_(std::move(root)),
      direct_io_(direct_io),
      instance_(NewRequestId().substr(0, 8)) {}

std::string S3Store::BucketDir(const std::string& bucket) const { return JoinPath(root_, bucket); }

std::string S3Store::UploadsDir(const std::string& bucket) const {
  return JoinPath(BucketDir(bucket), kUploads);
}

std::string S3Store::ObjectPath(const std::string& bucket, const std::string& key) const {
  return JoinPath(JoinPath(BucketDir(bucket), kObjects), KeyToFileName(key));
}

std::string S3Store::UniqueName() {
  return instance_ + "-" + std::to_string(counter_.fetch_add(1));
}

std::shared_mutex& S3Store::BucketLock(const std::string& bucket) {
  std::lock_guard<std::mutex> lock(buckets_mu_);
  auto& slot = bucket_locks_[bucket];
  if (!slot) slot = std::make_unique<std::shared_mutex>();
  return *slot;
}

std::mutex& S3Store::KeyLock(const std::string& bucket, const std::string& key) {
  const size_t h = std::hash<std::string>()(bucket) * 31 + std::hash<std::string>()(key);
  return key_locks_[h % key_locks_.size()];
}

Status S3Store::Open() {
  for (const char* dir : {kTmp, kTrash}) {
    Status s = env_->CreateDirs(JoinPath(root_, dir));
    if (!s.ok()) return s.WithContext("cannot create the S3 store in " + root_);
  }
  return ClearTempAreas();
}

Status S3Store::ClearTempAreas() {
  for (const char* dir : {kTmp, kTrash}) {
    LIFEBOAT_ASSIGN_OR_RETURN(auto names, env_->ListDir(JoinPath(root_, dir)));
    for (const auto& name : names) RemoveTree(JoinPath(JoinPath(root_, dir), name));
  }
  LIFEBOAT_ASSIGN_OR_RETURN(auto buckets, env_->ListDir(root_));
  for (const auto& bucket : buckets) {
    if (!IsValidBucketName(bucket)) continue;
    const std::string tmp = JoinPath(BucketDir(bucket), kTmp);
    auto names = env_->ListDir(tmp);
    if (!names.ok()) continue;
    // Best effort: a staged file left behind is never read; the next start tries again.
    for (const auto& name : *names) (void)env_->Remove(JoinPath(tmp, name));
  }
  return Status::Ok();
}

Status S3Store::CheckBucket(const std::string& bucket) {
  if (!IsValidBucketName(bucket)) return NoSuchBucket();
  auto info = env_->Stat(JoinPath(BucketDir(bucket), kBucketFile));
  if (info.ok()) return Status::Ok();
  if (info.status().code() == StatusCode::kNotFound) return NoSuchBucket();
  return info.status();
}

Status S3Store::CreateBucket(const std::string& bucket, const std::string& region) {
  if (!IsValidBucketName(bucket)) {
    return S3Error("InvalidBucketName", "The specified bucket is not valid.");
  }
  auto owned = [] {
    return S3Error("BucketAlreadyOwnedByYou",
                   "Your previous request to create the named bucket succeeded and you already "
                   "own it.");
  };
  if (CheckBucket(bucket).ok()) return owned();
  // Built complete in the root's .tmp, then renamed into place: a bucket appears whole.
  const std::string staging = JoinPath(JoinPath(root_, kTmp), UniqueName());
  for (const char* dir : {kObjects, kUploads, kTmp}) {
    LIFEBOAT_RETURN_IF_ERROR(env_->CreateDirs(JoinPath(staging, dir)));
  }
  const nlohmann::json info = {{"created_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  env_->Now().time_since_epoch())
                                                  .count()},
                               {"region", region}};
  Status s = env_->WriteFileAtomically(JoinPath(staging, kBucketFile), info.dump());
  if (s.ok()) s = env_->SyncDir(staging);
  if (s.ok()) s = env_->RenameNoReplace(staging, BucketDir(bucket));
  if (!s.ok()) {
    RemoveTree(staging);
    return s.code() == StatusCode::kAlreadyExists ? owned() : s;
  }
  return env_->SyncDir(root_);
}

Status S3Store::DeleteBucket(const std::string& bucket) {
  std::unique_lock<std::shared_mutex> lock(BucketLock(bucket));
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  LIFEBOAT_ASSIGN_OR_RETURN(auto names, env_->ListDir(JoinPath(BucketDir(bucket), kObjects)));
  if (!names.empty()) {
    return S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty");
  }
  const std::string trash = JoinPath(JoinPath(root_, kTrash), UniqueName());
  LIFEBOAT_RETURN_IF_ERROR(env_->Rename(BucketDir(bucket), trash));
  LIFEBOAT_RETURN_IF_ERROR(env_->SyncDir(root_));
  RemoveTree(trash);
  return Status::Ok();
}

Result<BucketInfo> S3Store::GetBucket(const std::string& bucket) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string text,
                            env_->ReadFileToString(JoinPath(BucketDir(bucket), kBucketFile)));
  auto j = nlohmann::json::parse(text, nullptr, false);
  BucketInfo info;
  info.name = bucket;
  if (j.is_object()) {
    info.created_ms = j.value("created_ms", int64_t{0});
    info.region = j.value("region", std::string());
  }
  return info;
}

Result<std::vector<BucketInfo>> S3Store::ListBuckets() {
  LIFEBOAT_ASSIGN_OR_RETURN(auto names, env_->ListDir(root_));
  std::vector<BucketInfo> out;
  for (const auto& name : names) {
    auto info = GetBucket(name);
    if (info.ok()) out.push_back(std::move(*info));
  }
  return out;
}

Result<std::unique_ptr<StagedFile>> S3Store::Stage(const std::string& bucket) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  const std::string path = JoinPath(JoinPath(BucketDir(bucket), kTmp), UniqueName());
  auto file = direct_io_ ? NewDirectWritableFile(env_, path) : env_->NewWritableFile(path);
  if (!file.ok()) {
    // The bucket went away between the check and the open.
    if (file.status().code() == StatusCode::kNotFound) return NoSuchBucket();
    return file.status();
  }
  return std::unique_ptr<StagedFile>(new StagedFile(env_, path, std::move(*file)));
}

Status S3Store::WithKeyLock(const std::string& bucket, const std::string& key,
                            const std::function<Status()>& fn) {
  std::shared_lock<std::shared_mutex> bucket_lock(BucketLock(bucket));
  std::lock_guard<std::mutex> key_lock(KeyLock(bucket, key));
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  return fn();
}

Status S3Store::CommitObject(const std::string& bucket, const std::string& key,
                             std::unique_ptr<StagedFile> staged, const WriteConditions& conditions,
                             const std::function<Status()>& under_lock) {
  const std::string path = ObjectPath(bucket, key);
  auto precondition_failed = [] {
    return S3Error("PreconditionFailed",
                   "At least one of the pre-conditions you specified did not hold");
  };
  // The data is synced before any lock is taken; only the check and the rename are held.
  LIFEBOAT_RETURN_IF_ERROR(staged->Finish());
  Status s = WithKeyLock(bucket, key, [&]() -> Status {
    if (!conditions.if_match.empty()) {
      auto current = OpenStoredObject(env_, path);
      if (!current.ok()) {
        return current.status().code() == StatusCode::kNotFound ? NoSuchKey() : current.status();
      }
      if (conditions.if_match != "*" && conditions.if_match != current->meta.etag) {
        return precondition_failed();
      }
    }
    if (under_lock) LIFEBOAT_RETURN_IF_ERROR(under_lock());
    Status published = staged->Publish(path, conditions.if_none_match);
    if (published.code() == StatusCode::kAlreadyExists) return precondition_failed();
    return published;
  });
  LIFEBOAT_RETURN_IF_ERROR(s);
  return env_->SyncDir(DirName(path));
}

Result<StoredObject> S3Store::OpenObject(const std::string& bucket, const std::string& key) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  auto obj = OpenStoredObject(env_, ObjectPath(bucket, key));
  if (!obj.ok() && obj.status().code() == StatusCode::kNotFound) return NoSuchKey();
  return obj;
}

Status S3Store::DeleteObject(const std::string& bucket, const std::string& key) {
  const std::string path = ObjectPath(bucket, key);
  LIFEBOAT_RETURN_IF_ERROR(WithKeyLock(bucket, key, [&]() -> Status {
    Status s = env_->Remove(path);
    return s.code() == StatusCode::kNotFound ? Status::Ok() : s;
  }));
  return env_->SyncDir(DirName(path));
}

Result<std::vector<std::string>> S3Store::ListKeys(const std::string& bucket,
                                                   std::string_view prefix) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  const std::string dir = JoinPath(BucketDir(bucket), kObjects);
  LIFEBOAT_ASSIGN_OR_RETURN(auto names, env_->ListDir(dir));
  std::vector<std::string> keys;
  for (const auto& name : names) {
    std::optional<std::string> key = FileNameToKey(name);
    if (!key) {
      // A long key's name is its hash; the key is in the file's header.
      auto obj = OpenStoredObject(env_, JoinPath(dir, name));
      if (!obj.ok()) continue;
      key = obj->meta.key;
    }
    if (key->starts_with(prefix)) keys.push_back(std::move(*key));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

Status S3Store::CommitUploadFile(const std::string& bucket, const std::string& key,
                                 const std::string& name, std::unique_ptr<StagedFile> staged,
                                 const std::function<Status()>& under_lock) {
  const std::string dir = UploadsDir(bucket);
  LIFEBOAT_RETURN_IF_ERROR(staged->Finish());
  LIFEBOAT_RETURN_IF_ERROR(WithKeyLock(bucket, key, [&]() -> Status {
    if (under_lock) LIFEBOAT_RETURN_IF_ERROR(under_lock());
    return staged->Publish(JoinPath(dir, name), false);
  }));
  return env_->SyncDir(dir);
}

}  // namespace lifeboat
