#include "store/file_object_store.h"

#include <unistd.h>

#include <algorithm>
#include <iterator>

#include "common/hash.h"

namespace lifeboat {

constexpr std::string_view kTempDir = ".tmp";

class FileObjectWriter final : public ObjectWriter {
 public:
  FileObjectWriter(FileObjectStore* store, std::string temp, std::string path, bool create_only,
                   std::unique_ptr<WritableFile> file)
      : store_(store), temp_(std::move(temp)), path_(std::move(path)),
        create_only_(create_only), file_(std::move(file)) {}
  ~FileObjectWriter() override { Abort(); }

  Status Append(std::string_view data) override {
    if (!file_) return Status::Internal("append after commit or abort: " + path_);
    return file_->Append(data);
  }

  Status Commit() override {
    if (!file_) return Status::Internal("commit after commit or abort: " + path_);
    Status s = file_->Sync();
    if (s.ok()) s = file_->Close();
    file_.reset();
    if (s.ok()) s = store_->env_->CreateDirs(DirName(path_));
    if (s.ok()) {
      s = create_only_ ? store_->env_->RenameNoReplace(temp_, path_)
                       : store_->env_->Rename(temp_, path_);
    }
    if (!s.ok()) {
      // Best effort: the commit's own error is what the caller needs; a temporary left
      // behind is invisible to readers (they never list temporaries).
      (void)store_->env_->Remove(temp_);
      temp_.clear();
      return s;
    }
    temp_.clear();
    return store_->env_->SyncDir(DirName(path_));
  }

  void Abort() override {
    file_.reset();
    // Best effort: Abort has no caller to tell; a temporary left behind is never listed.
    if (!temp_.empty()) (void)store_->env_->Remove(temp_);
    temp_.clear();
  }

 private:
  FileObjectStore* store_;
  std::string temp_;
  std::string path_;
  bool create_only_;
  std::unique_ptr<WritableFile> file_;
};

FileObjectStore::FileObjectStore(Env* env, std::string root) : env_(env), root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string FileObjectStore::Describe(std::string_view key) const {
  return "file://" + JoinPath(root_, key);
}

Result<std::string> FileObjectStore::PathOf(std::string_view key) const {
  if (key.empty() || key.front() == '/') {
    return Status::InvalidArgument("bad object key '" + std::string(key) + "'");
  }
  for (size_t at = 0; at <= key.size();) {
    size_t slash = key.find('/', at);
    if (slash == std::string_view::npos) slash = key.size();
    std::string_view part = key.substr(at, slash - at);
    if (part.empty() || part == "." || part == ".." || part == kTempDir) {
      return Status::InvalidArgument("object key '" + std::string(key) +
                                     "' cannot be stored in a directory");
    }
    at = slash + 1;
  }
  return JoinPath(root_, key);
}

Result<std::unique_ptr<ObjectWriter>> FileObjectStore::NewWriter(const std::string& key,
                                                                 const WriteOptions& options) {
  ++requests_;
  by_operation_.Count("PutObject");
  LIFEBOAT_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  const std::string temp_dir = JoinPath(root_, kTempDir);
  Status s = env_->CreateDirs(temp_dir);
  if (!s.ok()) return s.WithContext("cannot write to " + Describe(""));
  const std::string temp = JoinPath(temp_dir, std::to_string(::getpid()) + "-" +
                                                  std::to_string(temp_counter_.fetch_add(1)));
  auto file = env_->NewWritableFile(temp);
  if (!file.ok()) return file.status().WithContext("cannot write to " + Describe(""));
  return std::unique_ptr<ObjectWriter>(std::make_unique<FileObjectWriter>(
      this, temp, std::move(path), options.if_none_match, std::move(*file)));
}

namespace {

// A missing file (or directory on its path) is a missing object; other errors stay.
Status ObjectError(const Status& s) {
  if (s.code() != StatusCode::kNotFound) return s;
  return Status(StatusCode::kNotFound, s.message(), std::string(kNoSuchKey));
}

}  // namespace

Result<ObjectInfo> FileObjectStore::Head(const std::string& key) {
  ++requests_;
  by_operation_.Count("HeadObject");
  LIFEBOAT_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  auto opened = env_->OpenForRead(path);
  if (!opened.ok()) return ObjectError(opened.status());
  auto file = std::move(*opened);
  LIFEBOAT_ASSIGN_OR_RETURN(FileInfo info, file->Stat());
  if (info.type != FileType::kRegular) {
    return Status(StatusCode::kNotFound, Describe(key) + ": not an object", std::string(kNoSuchKey));
  }
  // A directory store can afford to read the object: it is local or on a LAN mount.
  uint32_t crc = 0;
  std::string buf(1 << 20, '\0');
  for (uint64_t offset = 0; offset < info.size;) {
    LIFEBOAT_ASSIGN_OR_RETURN(size_t n, file->ReadAt(offset, buf.data(), buf.size()));
    if (n == 0) break;
    crc = Crc32cExtend(crc, std::string_view(buf.data(), n));
    offset += n;
  }
  ObjectInfo out;
  out.size = info.size;
  out.crc32c = crc;
  return out;
}

Result<std::string> FileObjectStore::Get(const std::string& key) {
  ++requests_;
  by_operation_.Count("GetObject");
  LIFEBOAT_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  auto data = env_->ReadFileToString(path);
  if (!data.ok()) return ObjectError(data.status());
  return data;
}

void FileObjectStore::ListUnder(const std::string& dir, const std::string& key_prefix,
                                std::vector<ListedObject>* out) {
  auto names = env_->ListDir(dir);
  if (!names.ok()) return;
  for (const auto& name : *names) {
    if (key_prefix.empty() && name == kTempDir) continue;
    const std::string path = JoinPath(dir, name);
    const std::string key = key_prefix.empty() ? name : key_prefix + "/" + name;
    auto info = env_->Stat(path);
    if (!info.ok()) continue;
    if (info->type == FileType::kDirectory) {
      ListUnder(path, key, out);
    } else if (info->type == FileType::kRegular) {
      out->push_back({key, info->size});
    }
  }
}

Status FileObjectStore::ListPages(const std::string& prefix, const std::string& start_after,
                                  const ListPageFn& fn) {
  // Walk from the deepest directory the prefix names, then filter by the whole prefix.
  const auto slash = prefix.rfind('/');
  const std::string dir_key = slash == std::string::npos ? "" : prefix.substr(0, slash);
  std::vector<ListedObject> all;
  ListUnder(dir_key.empty() ? root_ : JoinPath(root_, dir_key), dir_key, &all);
  std::vector<ListedObject> out;
  for (auto& o : all) {
    if (o.key.compare(0, prefix.size(), prefix) == 0 && o.key > start_after) {
      out.push_back(std::move(o));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const ListedObject& a, const ListedObject& b) { return a.key < b.key; });
  constexpr size_t kPage = 1000;  // as S3's
  for (size_t from = 0; from == 0 || from < out.size(); from += kPage) {
    std::vector<ListedObject> page(std::make_move_iterator(out.begin() + from),
                                   std::make_move_iterator(out.begin() + std::min(out.size(), from + kPage)));
    ++requests_;  // one request a page, as S3 bills it
    by_operation_.Count("ListObjectsV2");
    LIFEBOAT_RETURN_IF_ERROR(fn(page));
  }
  return Status::Ok();
}

Status FileObjectStore::Delete(const std::string& key) {
  ++requests_;
  by_operation_.Count("DeleteObject");
  LIFEBOAT_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  Status s = env_->Remove(path);
  if (s.code() == StatusCode::kNotFound) return Status::Ok();  // as S3: deleting nothing is fine
  return s;
}

}  // namespace lifeboat
