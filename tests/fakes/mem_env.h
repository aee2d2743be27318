// MemEnv: an in-memory Env for unit tests. Files have inodes (so rename keeps identity and
// an open file survives unlink), the clocks move only when told to or when SleepFor is
// called, and environment variables come from a map.
#ifndef LIFEBOAT_TESTS_FAKES_MEM_ENV_H_
#define LIFEBOAT_TESTS_FAKES_MEM_ENV_H_

#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "common/env.h"

namespace lifeboat {

class MemEnv : public Env {
 public:
  MemEnv();

  // Test controls.
  void SetVar(const std::string& name, std::string value) { vars_[name] = std::move(value); }
  void SetFile(const std::string& path, std::string data);  // creates parents
  void AppendToFile(const std::string& path, std::string_view data);
  void Advance(std::chrono::nanoseconds d);
  std::chrono::nanoseconds total_slept() const { return slept_; }

  // Env.
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override;
  Result<FileInfo> Stat(const std::string& path) override;
  Result<std::vector<std::string>> Glob(const std::string& pattern) override;
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Status CreateDirs(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RenameNoReplace(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status SyncDir(const std::string& dir) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  std::chrono::system_clock::time_point Now() override;
  std::chrono::steady_clock::time_point SteadyNow() override;
  void SleepFor(std::chrono::nanoseconds d) override;
  std::optional<std::string> GetVar(const std::string& name) override;
  Result<std::string> CurrentDirectory() override { return std::string("/work"); }

  struct Node {
    uint64_t inode = 0;
    std::string data;
  };

 private:
  bool DirExists(const std::string& path) const;  // requires mu_

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Node>> files_;
  std::set<std::string> dirs_;
  std::map<std::string, std::string> vars_;
  uint64_t next_inode_ = 100;
  std::chrono::nanoseconds elapsed_{0};
  std::chrono::nanoseconds slept_{0};
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_MEM_ENV_H_
