// SyntheticLogEnv: an Env in which weeks pass in seconds and log files are generated, not
// stored, so that bench/longhaul can run the real agent through 30 simulated days.
//
// Time is virtual: Now() and SteadyNow() move only when the bench calls Advance(), from
// any thread's point of view at once. Files under `root` (e.g. /longhaul) are synthetic:
// each has an inode, grows at a fixed number of fixed-length lines a second from the
// moment it was started, and holds text that is a pure function of (seed, line number),
// so any byte range can be read at any time without keeping the bytes. Rename keeps the
// inode and an open file keeps reading after its path is renamed over or removed, as on
// POSIX, which is what log rotation needs. Everything else (the checkpoint's SQLite
// directory, temporary files) goes to Env::Default().
//
// Thread-safe: the bench's loop advances time and rotates files while the agent's upload
// threads read.
#ifndef LIFEBOAT_BENCH_LONGHAUL_SYNTHETIC_LOG_ENV_H_
#define LIFEBOAT_BENCH_LONGHAUL_SYNTHETIC_LOG_ENV_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/env.h"

namespace lifeboat {

// What a synthetic log file holds and how fast it grows.
struct SyntheticLogSpec {
  uint64_t seed = 1;
  uint32_t line_bytes = 128;  // every line, '\n' included; at least 48
  double lines_per_second = 1.0;
};

// Renders line `index` of a file into out[0, spec.line_bytes): an nginx-like access line
// stamped `time`, cut or padded to length, ending in '\n'. Exposed for the compression
// check the bench prints.
void RenderSyntheticLine(const SyntheticLogSpec& spec, uint64_t index,
                         std::chrono::system_clock::time_point time, char* out);

class SyntheticLogEnv final : public EnvWrapper {
 public:
  // Paths at or under `root` (absolute, no trailing '/') are synthetic. Virtual time
  // starts at `start` (wall clock) and at an arbitrary, non-zero steady time.
  SyntheticLogEnv(std::string root, std::chrono::system_clock::time_point start);
  ~SyntheticLogEnv() override;

  // The bench's controls.
  void Advance(std::chrono::nanoseconds d);
  std::chrono::nanoseconds elapsed() const { return std::chrono::nanoseconds(elapsed_ns_.load()); }
  // A new, empty file at `path` (replacing what was there) that grows from now on.
  Status StartLog(const std::string& path, const SyntheticLogSpec& spec);
  // The writer let go of the file at `path` (it rotated): the file stops growing.
  Status StopLog(const std::string& path);
  // Bytes the writers have produced so far, over every file ever started.
  uint64_t bytes_written() const;
  // Reads of the wall clock. The shipper stamps every manifest it publishes with Now()
  // and reads it for nothing else, so a change tells the bench to wait for that write.
  uint64_t wall_clock_reads() const { return wall_clock_reads_.load(); }
  // CPU time spent rendering synthetic bytes: the bench's cost, not the agent's (a real
  // agent's pread copies bytes from the page cache instead).
  std::chrono::nanoseconds render_cpu() const {
    return std::chrono::nanoseconds(render_cpu_ns_.load());
  }

  // Env.
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override;
  Result<FileInfo> Stat(const std::string& path) override;
  Result<FileInfo> StatNoFollow(const std::string& path) override;
  Result<std::vector<std::string>> Glob(const std::string& pattern) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status RenameNoReplace(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  std::chrono::system_clock::time_point Now() override;
  std::chrono::steady_clock::time_point SteadyNow() override;
  // Does not move virtual time: only the bench's loop does, so a retry loop in the agent
  // cannot skip the simulated day ahead. A short real sleep lets the other threads run.
  void SleepFor(std::chrono::nanoseconds d) override;

  struct File;  // defined in the .cc; shared by the path table and open readers

 private:
  class Reader;

  bool IsSynthetic(const std::string& path) const;
  std::chrono::system_clock::time_point WallAt(int64_t elapsed_ns) const;
  Result<FileInfo> StatSynthetic(const std::string& path);
  Status Move(const std::string& from, const std::string& to, bool replace);
  void AddParents(const std::string& path);  // mu_ held
  void AddRenderCpu(std::chrono::nanoseconds d) { render_cpu_ns_ += d.count(); }

  const std::string root_;
  const std::chrono::system_clock::time_point start_;
  std::atomic<int64_t> elapsed_ns_{0};
  std::atomic<uint64_t> wall_clock_reads_{0};
  std::atomic<int64_t> render_cpu_ns_{0};

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<File>> files_;
  std::set<std::string> dirs_;
  uint64_t next_inode_ = 1000;
  uint64_t bytes_of_removed_ = 0;  // written to files no longer in files_
};

}  // namespace lifeboat

#endif  // LIFEBOAT_BENCH_LONGHAUL_SYNTHETIC_LOG_ENV_H_
