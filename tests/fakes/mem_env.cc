#include "fakes/mem_env.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace lifeboat {
namespace {

// 2015-08-30T12:36:00Z, the date of AWS's signing test suite.
constexpr std::chrono::seconds kEpochStart{1440938160};

class MemReadFile final : public RandomAccessFile {
 public:
  MemReadFile(std::shared_ptr<MemEnv::Node> node, std::mutex* mu) : node_(std::move(node)), mu_(mu) {}
  Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) const override {
    std::lock_guard lock(*mu_);
    if (offset >= node_->data.size()) return size_t{0};
    size_t count = std::min<size_t>(n, node_->data.size() - offset);
    std::memcpy(buf, node_->data.data() + offset, count);
    return count;
  }
  Result<FileInfo> Stat() const override {
    std::lock_guard lock(*mu_);
    return FileInfo{1, node_->inode, node_->data.size(), 0, FileType::kRegular};
  }

 private:
  std::shared_ptr<MemEnv::Node> node_;
  std::mutex* mu_;
};

class MemWriteFile final : public WritableFile {
 public:
  MemWriteFile(std::shared_ptr<MemEnv::Node> node, std::mutex* mu) : node_(std::move(node)), mu_(mu) {}
  Status Append(std::string_view data) override {
    std::lock_guard lock(*mu_);
    node_->data.append(data);
    return Status::Ok();
  }
  Status Sync() override { return Status::Ok(); }
  Status Close() override { return Status::Ok(); }

 private:
  std::shared_ptr<MemEnv::Node> node_;
  std::mutex* mu_;
};

}  // namespace

MemEnv::MemEnv() { dirs_.insert("/"); }

void MemEnv::SetFile(const std::string& path, std::string data) {
  // Only a file in the way fails, which is a mistake in the test's own setup: GoogleTest
  // reports the exception as the test's failure.
  if (Status made = CreateDirs(DirName(path)); !made.ok()) {
    throw std::logic_error("MemEnv::SetFile: " + made.message());
  }
  std::lock_guard lock(mu_);
  auto& node = files_[path];
  if (!node) node = std::make_shared<Node>(Node{next_inode_++, {}});
  node->data = std::move(data);
}

void MemEnv::AppendToFile(const std::string& path, std::string_view data) {
  std::lock_guard lock(mu_);
  auto& node = files_[path];
  if (!node) node = std::make_shared<Node>(Node{next_inode_++, {}});
  node->data.append(data);
}

void MemEnv::Advance(std::chrono::nanoseconds d) {
  std::lock_guard lock(mu_);
  elapsed_ += d;
}

bool MemEnv::DirExists(const std::string& path) const { return dirs_.count(path) > 0; }

Result<std::unique_ptr<RandomAccessFile>> MemEnv::OpenForRead(const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    if (DirExists(path)) return PosixError(path, EISDIR);
    return PosixError(path, ENOENT);
  }
  return std::unique_ptr<RandomAccessFile>(std::make_unique<MemReadFile>(it->second, &mu_));
}

Result<FileInfo> MemEnv::Stat(const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it != files_.end()) {
    return FileInfo{1, it->second->inode, it->second->data.size(), 0, FileType::kRegular};
  }
  if (DirExists(path)) return FileInfo{1, 1, 0, 0, FileType::kDirectory};
  return PosixError(path, ENOENT);
}

Result<std::vector<std::string>> MemEnv::Glob(const std::string& pattern) {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [path, node] : files_) {
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) out.push_back(path);
  }
  for (const auto& dir : dirs_) {
    if (::fnmatch(pattern.c_str(), dir.c_str(), FNM_PATHNAME) == 0) out.push_back(dir);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::unique_ptr<WritableFile>> MemEnv::NewWritableFile(const std::string& path) {
  std::lock_guard lock(mu_);
  if (!DirExists(DirName(path))) return PosixError(path, ENOENT);
  auto node = std::make_shared<Node>(Node{next_inode_++, {}});
  files_[path] = node;
  return std::unique_ptr<WritableFile>(std::make_unique<MemWriteFile>(node, &mu_));
}

Status MemEnv::CreateDirs(const std::string& path) {
  std::lock_guard lock(mu_);
  for (std::string p = path; p != "/" && p != "." && !p.empty(); p = DirName(p)) {
    if (files_.count(p)) return PosixError(p, ENOTDIR);
    dirs_.insert(p);
  }
  return Status::Ok();
}

Status MemEnv::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return PosixError(from, ENOENT);
  auto node = it->second;
  files_.erase(it);
  files_[to] = node;
  return Status::Ok();
}

Status MemEnv::RenameNoReplace(const std::string& from, const std::string& to) {
  {
    std::lock_guard lock(mu_);
    if (files_.count(to)) return PosixError(to, EEXIST);
  }
  return Rename(from, to);
}

Status MemEnv::Remove(const std::string& path) {
  std::lock_guard lock(mu_);
  if (files_.erase(path) == 0) return PosixError(path, ENOENT);
  return Status::Ok();
}

Status MemEnv::SyncDir(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (!DirExists(dir)) return PosixError(dir, ENOENT);
  return Status::Ok();
}

Result<std::vector<std::string>> MemEnv::ListDir(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (!DirExists(dir)) return PosixError(dir, ENOENT);
  std::set<std::string> names;
  const std::string prefix = dir == "/" ? "/" : dir + "/";
  auto consider = [&](const std::string& p) {
    if (p.size() > prefix.size() && p.compare(0, prefix.size(), prefix) == 0) {
      std::string rest = p.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    }
  };
  for (const auto& [p, n] : files_) consider(p);
  for (const auto& d : dirs_) consider(d);
  return std::vector<std::string>(names.begin(), names.end());
}

std::chrono::system_clock::time_point MemEnv::Now() {
  std::lock_guard lock(mu_);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(kEpochStart + elapsed_));
}

std::chrono::steady_clock::time_point MemEnv::SteadyNow() {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(elapsed_));
}

void MemEnv::SleepFor(std::chrono::nanoseconds d) {
  std::lock_guard lock(mu_);
  elapsed_ += d;
  slept_ += d;
}

std::optional<std::string> MemEnv::GetVar(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

}  // namespace lifeboat
