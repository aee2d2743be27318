// Env: every operating-system touchpoint lifeboat uses (files, inodes, fsync, rename,
// clocks, sleep, environment variables) behind one abstract class, so tests substitute an
// in-memory fake (tests/fakes/mem_env.h) or wrap the real one to inject faults.
//
// What lifeboat's core does with files and time goes through the Env it was given. Not
// behind it, on purpose: the kernel's wake-up sources (inotify, signalfd, eventfd), child
// processes, sockets (curl, the metrics listener) and SQLite's own reads and writes of
// the checkpoint database (its directory is made and synced through the Env).
//
// Env::Default() is the POSIX implementation; it is thread-safe and never destroyed.
// Implementations must be safe to call from several threads at once.
#ifndef LIFEBOAT_COMMON_ENV_H_
#define LIFEBOAT_COMMON_ENV_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

using SteadyTime = std::chrono::steady_clock::time_point;

enum class FileType { kRegular, kDirectory, kSymlink, kOther };

struct FileInfo {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  FileType type = FileType::kOther;
};

// A file opened for reading at arbitrary offsets. The descriptor stays valid after the
// path is renamed or unlinked, which is how a rotated-and-deleted log stays readable.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset into buf; returns the number read, 0 only at end of file.
  virtual Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) const = 0;
  // What the open file is now (fstat), not what its path points at.
  virtual Result<FileInfo> Stat() const = 0;
};

// A file being written sequentially. Close() without Sync() promises nothing durable.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

class Env {
 public:
  virtual ~Env() = default;
  static Env* Default();

  // Files. Paths are plain strings; errors name the path.
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) = 0;
  virtual Result<FileInfo> Stat(const std::string& path) = 0;  // follows symlinks
  // The entry itself: a symlink is kSymlink, even when what it points at is missing.
  virtual Result<FileInfo> StatNoFollow(const std::string& path) { return Stat(path); }
  // Paths matching a shell pattern, sorted; an empty list when nothing matches.
  virtual Result<std::vector<std::string>> Glob(const std::string& pattern) = 0;
  // Creates or truncates.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Status CreateDirs(const std::string& path) = 0;  // like mkdir -p
  virtual Status Rename(const std::string& from, const std::string& to) = 0;  // replaces `to`
  // Fails with kAlreadyExists, and changes nothing, if `to` exists.
  virtual Status RenameNoReplace(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;
  virtual Status SyncDir(const std::string& dir) = 0;
  // Entry names (not paths) in a directory, sorted, without "." and "..".
  virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;

  // Time. Now() is wall-clock time (signing, manifests); SteadyNow() measures intervals.
  virtual std::chrono::system_clock::time_point Now() = 0;
  virtual std::chrono::steady_clock::time_point SteadyNow() = 0;
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;

  // The process environment.
  virtual std::optional<std::string> GetVar(const std::string& name) = 0;
  virtual Result<std::string> CurrentDirectory() = 0;

  // Conveniences built on the primitives above.
  Result<std::string> ReadFileToString(const std::string& path);
  // Writes a temporary file next to `path`, fsyncs it, renames it over `path` and fsyncs
  // the directory: readers see the old content or the new, never a torn file.
  Status WriteFileAtomically(const std::string& path, std::string_view data);
  // A non-empty environment variable, or nullopt.
  std::optional<std::string> GetNonEmptyVar(const std::string& name);
};

// Forwards every call to another Env; a test subclass overrides only what it needs.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& p) override {
    return target_->OpenForRead(p);
  }
  Result<FileInfo> Stat(const std::string& p) override { return target_->Stat(p); }
  Result<FileInfo> StatNoFollow(const std::string& p) override { return target_->StatNoFollow(p); }
  Result<std::vector<std::string>> Glob(const std::string& p) override { return target_->Glob(p); }
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& p) override {
    return target_->NewWritableFile(p);
  }
  Status CreateDirs(const std::string& p) override { return target_->CreateDirs(p); }
  Status Rename(const std::string& f, const std::string& t) override {
    return target_->Rename(f, t);
  }
  Status RenameNoReplace(const std::string& f, const std::string& t) override {
    return target_->RenameNoReplace(f, t);
  }
  Status Remove(const std::string& p) override { return target_->Remove(p); }
  Status SyncDir(const std::string& d) override { return target_->SyncDir(d); }
  Result<std::vector<std::string>> ListDir(const std::string& d) override {
    return target_->ListDir(d);
  }
  std::chrono::system_clock::time_point Now() override { return target_->Now(); }
  std::chrono::steady_clock::time_point SteadyNow() override { return target_->SteadyNow(); }
  void SleepFor(std::chrono::nanoseconds d) override { target_->SleepFor(d); }
  std::optional<std::string> GetVar(const std::string& n) override { return target_->GetVar(n); }
  Result<std::string> CurrentDirectory() override { return target_->CurrentDirectory(); }

 private:
  Env* target_;
};

// The directory part of a path ("a/b/c" -> "a/b", "c" -> ".", "/c" -> "/").
std::string DirName(std::string_view path);
// `path` joined to `name` with exactly one '/'.
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_ENV_H_
