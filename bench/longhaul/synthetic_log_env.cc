#include "longhaul/synthetic_log_env.h"

#include <fnmatch.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <thread>

#include "workload/generator_util.h"
#include "workload/log_vocabulary.h"

namespace lifeboat {
namespace {

using std::chrono::nanoseconds;
namespace vocab = log_vocabulary;

constexpr uint64_t kDevice = 0x4c48;  // "LH": one device for every synthetic file
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
// The steady clock starts where a machine up for a while would be, so that no virtual
// time equals the default-constructed time_point the agent uses for "never".
constexpr auto kSteadyStart = std::chrono::hours(1000);

// A bounded writer into one line: what does not fit is cut off.
class LineWriter {
 public:
  LineWriter(char* out, size_t capacity) : p_(out), end_(out + capacity) {}
  void Put(std::string_view s) {
    const size_t n = std::min(s.size(), static_cast<size_t>(end_ - p_));
    std::memcpy(p_, s.data(), n);
    p_ += n;
  }
  void Put(char c) {
    if (p_ < end_) *p_++ = c;
  }
  void Number(uint64_t v, int width = 0) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof(buf), v);
    for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) Put('0');
    Put(std::string_view(buf, r.ptr - buf));
  }
  void PadTo(char c) {
    std::memset(p_, c, end_ - p_);
    p_ = end_;
  }

 private:
  char* p_;
  char* end_;
};

// "2026-01-01T00:00:01.123Z". Consecutive lines mostly share their second, whose text
// each thread keeps: the date arithmetic was a third of the cost of a line.
void PutTimestamp(LineWriter& w, std::chrono::system_clock::time_point time) {
  thread_local int64_t cached_second = -1;
  thread_local char cached[20];  // "2026-01-01T00:00:01"
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const int64_t second = ms / 1000;
  if (second != cached_second) {
    // Howard Hinnant's days-to-civil.
    const int64_t z = second / 86400 + 719468;
    const int64_t in_day = second % 86400;
    const int64_t era = z / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = yoe + era * 400 + (month <= 2);
    LineWriter text(cached, sizeof(cached) - 1);
    text.Number(year, 4);
    text.Put('-');
    text.Number(month, 2);
    text.Put('-');
    text.Number(day, 2);
    text.Put('T');
    text.Number(in_day / 3600, 2);
    text.Put(':');
    text.Number(in_day / 60 % 60, 2);
    text.Put(':');
    text.Number(in_day % 60, 2);
    cached_second = second;
  }
  w.Put(std::string_view(cached, sizeof(cached) - 1));
  w.Put('.');
  w.Number(ms % 1000, 3);
  w.Put('Z');
}

// Random draws for one line: 16 bits at a time from a SplitMix64 stream, which is
// cheaper than seeding a generator per line.
class Draws {
 public:
  explicit Draws(uint64_t seed) : state_(seed) {}
  // Uniform in [0, n) for n <= 65536.
  uint64_t Below(uint64_t n) {
    if (left_ == 0) {
      bits_ = SplitMix64(state_);
      left_ = 4;
    }
    const uint64_t r = bits_ & 0xffff;
    bits_ >>= 16;
    --left_;
    return r * n >> 16;
  }
  // Popular items first, as clients and pages are in real traffic.
  uint64_t Skewed(uint64_t n) { return Below(n) * Below(n) / n; }

 private:
  uint64_t state_;
  uint64_t bits_ = 0;
  int left_ = 0;
};

uint64_t ThreadCpuNanos() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

void RenderSyntheticLine(const SyntheticLogSpec& spec, uint64_t index,
                         std::chrono::system_clock::time_point time, char* out) {
  Draws draw(spec.seed ^ Mix(index));
  LineWriter w(out, spec.line_bytes - 1);
  PutTimestamp(w, time);
  w.Put(' ');
  // A client keeps its address and its browser; a page keeps its name and its size.
  const uint64_t client = Mix(draw.Skewed(3000) ^ spec.seed);
  w.Put("10.");
  w.Number(client >> 8 & 63);
  w.Put('.');
  w.Number(client >> 16 & 255);
  w.Put('.');
  w.Number(client >> 24 & 255);
  w.Put(" \"");
  const uint64_t kind = draw.Below(100);
  uint64_t page = 0;
  if (kind < 25) {
    page = draw.Skewed(std::size(vocab::kStaticAssets));
    w.Put("GET ");
    w.Put(vocab::kStaticAssets[page]);
  } else if (kind < 70) {
    page = Mix(draw.Skewed(2000) + 1);
    w.Put("GET /products/");
    w.Put(vocab::kWords[page % std::size(vocab::kWords)]);
    w.Put('-');
    w.Put(vocab::kWords[page / 7 % std::size(vocab::kWords)]);
    w.Put('-');
    w.Number(page % 20000);
  } else if (kind < 85) {
    const uint64_t category = draw.Skewed(std::size(vocab::kCategories));
    const uint64_t sort = draw.Below(std::size(vocab::kSorts));
    const uint64_t number = 1 + draw.Skewed(12);
    page = Mix(category << 16 | sort << 8 | number);
    w.Put("GET /c/");
    w.Put(vocab::kCategories[category]);
    w.Put("?sort=");
    w.Put(vocab::kSorts[sort]);
    w.Put("&page=");
    w.Number(number);
  } else if (kind < 95) {
    page = draw.Below(4096);
    w.Put("POST /api/v1/cart/items");
  } else {
    const uint64_t a = draw.Below(std::size(vocab::kWords));
    const uint64_t b = draw.Below(std::size(vocab::kWords));
    page = Mix(a << 16 | b);
    w.Put("GET /search?q=");
    w.Put(vocab::kWords[a]);
    w.Put('+');
    w.Put(vocab::kWords[b]);
  }
  w.Put(" HTTP/1.1\" ");
  const uint64_t roll = draw.Below(100);
  const uint64_t status = roll < 86   ? 200
                          : roll < 91 ? 304
                          : roll < 93 ? 301
                          : roll < 97 ? 404
                          : roll < 98 ? 499
                          : roll < 99 ? 500
                                      : 502;
  w.Number(status);
  w.Put(' ');
  w.Number(status == 304 ? 0 : 200 + page % 60000 + draw.Below(32));
  w.Put(' ');
  const uint64_t ms = draw.Below(40) + (draw.Below(100) < 5 ? draw.Below(2500) : 0);
  w.Number(ms / 1000);
  w.Put('.');
  w.Number(ms % 1000, 3);
  w.Put(" \"");
  w.Put(vocab::kBrowserAgents[(client >> 32) % std::size(vocab::kBrowserAgents)]);
  w.Put('"');
  w.PadTo(' ');
  out[spec.line_bytes - 1] = '\n';
}

struct SyntheticLogEnv::File {
  File(uint64_t inode, const SyntheticLogSpec& spec, int64_t born_ns)
      : inode(inode), spec(spec), born_ns(born_ns) {}

  // Whole lines written by `now_ns`: line i is complete (i + 1) / lines_per_second after
  // the file was started.
  uint64_t LinesAt(int64_t now_ns) const {
    const int64_t end = std::min(now_ns, stopped_ns.load());
    if (end <= born_ns) return 0;
    return static_cast<uint64_t>(static_cast<double>(end - born_ns) * 1e-9 * spec.lines_per_second);
  }
  uint64_t SizeAt(int64_t now_ns) const { return LinesAt(now_ns) * spec.line_bytes; }
  int64_t LineTimeNs(uint64_t index) const {
    return born_ns +
           static_cast<int64_t>(static_cast<double>(index + 1) * 1e9 / spec.lines_per_second);
  }
  FileInfo InfoAt(int64_t now_ns) const {
    const uint64_t lines = LinesAt(now_ns);
    FileInfo info;
    info.device = kDevice;
    info.inode = inode;
    info.size = lines * spec.line_bytes;
    info.mtime_ns = lines == 0 ? born_ns : LineTimeNs(lines - 1);
    info.type = FileType::kRegular;
    return info;
  }

  const uint64_t inode;
  const SyntheticLogSpec spec;
  const int64_t born_ns;
  std::atomic<int64_t> stopped_ns{kNever};
};

class SyntheticLogEnv::Reader final : public RandomAccessFile {
 public:
  Reader(SyntheticLogEnv* env, std::shared_ptr<const File> file)
      : env_(env), file_(std::move(file)) {}

  Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) const override {
    const uint64_t size = file_->SizeAt(env_->elapsed_ns_.load());
    if (offset >= size) return size_t{0};
    n = static_cast<size_t>(std::min<uint64_t>(n, size - offset));
    const uint64_t cpu_before = ThreadCpuNanos();
    const uint32_t line_bytes = file_->spec.line_bytes;
    uint64_t line = offset / line_bytes;
    size_t skip = static_cast<size_t>(offset % line_bytes);
    char partial[1024];
    for (size_t done = 0; done < n; ++line, skip = 0) {
      const bool whole = skip == 0 && n - done >= line_bytes;
      char* dst = whole ? buf + done : partial;
      RenderSyntheticLine(file_->spec, line, env_->WallAt(file_->LineTimeNs(line)), dst);
      const size_t take = std::min<size_t>(line_bytes - skip, n - done);
      if (!whole) std::memcpy(buf + done, partial + skip, take);
      done += take;
    }
    env_->AddRenderCpu(nanoseconds(ThreadCpuNanos() - cpu_before));
    return n;
  }

  Result<FileInfo> Stat() const override { return file_->InfoAt(env_->elapsed_ns_.load()); }

 private:
  SyntheticLogEnv* env_;
  std::shared_ptr<const File> file_;
};

SyntheticLogEnv::SyntheticLogEnv(std::string root, std::chrono::system_clock::time_point start)
    : EnvWrapper(Env::Default()), root_(std::move(root)), start_(start) {
  dirs_.insert(root_);
}

SyntheticLogEnv::~SyntheticLogEnv() = default;

std::chrono::system_clock::time_point SyntheticLogEnv::WallAt(int64_t elapsed_ns) const {
  return start_ +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(nanoseconds(elapsed_ns));
}

void SyntheticLogEnv::Advance(nanoseconds d) { elapsed_ns_ += d.count(); }

Status SyntheticLogEnv::StartLog(const std::string& path, const SyntheticLogSpec& spec) {
  if (!IsSynthetic(path) || path == root_) {
    return Status::InvalidArgument(path + ": not a file under " + root_);
  }
  if (spec.line_bytes < 48 || spec.line_bytes > 1024 || !(spec.lines_per_second > 0)) {
    return Status::InvalidArgument(path + ": lines of 48 to 1024 bytes at a positive rate");
  }
  std::lock_guard lock(mu_);
  auto file = std::make_shared<File>(next_inode_++, spec, elapsed_ns_.load());
  auto [it, inserted] = files_.try_emplace(path, file);
  if (!inserted) {
    bytes_of_removed_ += it->second->SizeAt(elapsed_ns_.load());
    it->second = std::move(file);
  }
  AddParents(path);
  return Status::Ok();
}

Status SyntheticLogEnv::StopLog(const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path + ": no such synthetic file");
  int64_t growing = kNever;
  it->second->stopped_ns.compare_exchange_strong(growing, elapsed_ns_.load());
  return Status::Ok();
}

uint64_t SyntheticLogEnv::bytes_written() const {
  std::lock_guard lock(mu_);
  uint64_t total = bytes_of_removed_;
  for (const auto& [path, file] : files_) total += file->SizeAt(elapsed_ns_.load());
  return total;
}

bool SyntheticLogEnv::IsSynthetic(const std::string& path) const {
  return path == root_ ||
         (path.size() > root_.size() && path.starts_with(root_) && path[root_.size()] == '/');
}

void SyntheticLogEnv::AddParents(const std::string& path) {
  for (std::string dir = DirName(path); IsSynthetic(dir) && dirs_.insert(dir).second;) {
    dir = DirName(dir);
  }
}

Result<std::unique_ptr<RandomAccessFile>> SyntheticLogEnv::OpenForRead(const std::string& path) {
  if (!IsSynthetic(path)) return target()->OpenForRead(path);
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    return dirs_.count(path) ? Status::InvalidArgument(path + ": is a directory")
                             : Status::NotFound(path + ": no such file or directory");
  }
  return std::unique_ptr<RandomAccessFile>(std::make_unique<Reader>(this, it->second));
}

Result<FileInfo> SyntheticLogEnv::StatSynthetic(const std::string& path) {
  std::lock_guard lock(mu_);
  if (auto it = files_.find(path); it != files_.end())
    return it->second->InfoAt(elapsed_ns_.load());
  if (dirs_.count(path)) {
    FileInfo info;
    info.device = kDevice;
    info.inode = std::hash<std::string>()(path);
    info.type = FileType::kDirectory;
    return info;
  }
  return Status::NotFound(path + ": no such file or directory");
}

Result<FileInfo> SyntheticLogEnv::Stat(const std::string& path) {
  return IsSynthetic(path) ? StatSynthetic(path) : target()->Stat(path);
}

Result<FileInfo> SyntheticLogEnv::StatNoFollow(const std::string& path) {
  return IsSynthetic(path) ? StatSynthetic(path) : target()->StatNoFollow(path);
}

Result<std::vector<std::string>> SyntheticLogEnv::Glob(const std::string& pattern) {
  if (!IsSynthetic(pattern)) return target()->Glob(pattern);
  std::vector<std::string> matched;
  std::lock_guard lock(mu_);
  // Like glob(3): a wildcard matches neither '/' nor a leading '.'.
  auto match = [&](const std::string& path) {
    if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) {
      matched.push_back(path);
    }
  };
  for (const auto& [path, file] : files_) match(path);
  for (const auto& dir : dirs_) match(dir);
  std::sort(matched.begin(), matched.end());
  return matched;
}

Status SyntheticLogEnv::Move(const std::string& from, const std::string& to, bool replace) {
  if (IsSynthetic(from) != IsSynthetic(to)) {
    return Status::InvalidArgument("cannot rename " + from + " to " + to + ": across devices");
  }
  std::lock_guard lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return Status::NotFound(from + ": no such file");
  auto file = std::move(it->second);
  files_.erase(it);
  auto [dest, inserted] = files_.try_emplace(to, file);
  if (!inserted) {
    if (!replace) {
      files_.emplace(from, std::move(file));
      return Status::AlreadyExists(to + ": exists");
    }
    // The file renamed over is unlinked; whoever has it open keeps reading it.
    bytes_of_removed_ += dest->second->SizeAt(elapsed_ns_.load());
    dest->second = std::move(file);
  }
  AddParents(to);
  return Status::Ok();
}

Status SyntheticLogEnv::Rename(const std::string& from, const std::string& to) {
  if (!IsSynthetic(from) && !IsSynthetic(to)) return target()->Rename(from, to);
  return Move(from, to, /*replace=*/true);
}

Status SyntheticLogEnv::RenameNoReplace(const std::string& from, const std::string& to) {
  if (!IsSynthetic(from) && !IsSynthetic(to)) return target()->RenameNoReplace(from, to);
  return Move(from, to, /*replace=*/false);
}

Status SyntheticLogEnv::Remove(const std::string& path) {
  if (!IsSynthetic(path)) return target()->Remove(path);
  std::lock_guard lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path + ": no such file");
  bytes_of_removed_ += it->second->SizeAt(elapsed_ns_.load());
  files_.erase(it);  // open readers hold the file
  return Status::Ok();
}

Result<std::vector<std::string>> SyntheticLogEnv::ListDir(const std::string& dir) {
  if (!IsSynthetic(dir)) return target()->ListDir(dir);
  std::lock_guard lock(mu_);
  if (!dirs_.count(dir)) return Status::NotFound(dir + ": no such directory");
  std::set<std::string> names;
  auto add_child = [&](const std::string& path) {
    if (path != dir && DirName(path) == dir) names.insert(path.substr(dir.size() + 1));
  };
  for (const auto& [path, file] : files_) add_child(path);
  for (const auto& d : dirs_) add_child(d);
  return std::vector<std::string>(names.begin(), names.end());
}

std::chrono::system_clock::time_point SyntheticLogEnv::Now() {
  ++wall_clock_reads_;
  return WallAt(elapsed_ns_.load());
}

std::chrono::steady_clock::time_point SyntheticLogEnv::SteadyNow() {
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          kSteadyStart + nanoseconds(elapsed_ns_.load())));
}

void SyntheticLogEnv::SleepFor(nanoseconds d) {
  std::this_thread::sleep_for(std::min<nanoseconds>(d, std::chrono::milliseconds(1)));
}

}  // namespace lifeboat
