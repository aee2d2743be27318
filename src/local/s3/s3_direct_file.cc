#include "local/s3/s3_direct_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace lifeboat {
namespace {

constexpr size_t kAlign = 4096;
constexpr size_t kBufferSize = 4 << 20;

// Aligned buffers are kept for reuse: touching fresh memory is what is slow on these VMs.
class BufferPool {
 public:
  char* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        char* b = free_.back();
        free_.pop_back();
        return b;
      }
    }
    return static_cast<char*>(std::aligned_alloc(kAlign, kBufferSize));
  }
  void Release(char* b) {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.size() < 16) {
      free_.push_back(b);
    } else {
      std::free(b);
    }
  }

 private:
  std::mutex mu_;
  std::vector<char*> free_;
};

BufferPool& Pool() {
  static BufferPool* pool = new BufferPool;  // never destroyed: threads may outlive main()
  return *pool;
}

class DirectWritableFile final : public WritableFile {
 public:
  DirectWritableFile(std::string path, int fd)
      : path_(std::move(path)), fd_(fd), buf_(Pool().Acquire()) {}
  ~DirectWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
    Pool().Release(buf_);
  }
  DirectWritableFile(const DirectWritableFile&) = delete;
  DirectWritableFile& operator=(const DirectWritableFile&) = delete;

  Status Append(std::string_view data) override {
    if (tail_written_) return Status::Internal(path_ + ": append after sync of a direct file");
    while (!data.empty()) {
      const size_t n = std::min(kBufferSize - used_, data.size());
      std::memcpy(buf_ + used_, data.data(), n);
      used_ += n;
      data.remove_prefix(n);
      if (used_ == kBufferSize) LIFEBOAT_RETURN_IF_ERROR(WriteBuffer(kBufferSize));
    }
    return Status::Ok();
  }

  Status Sync() override {
    LIFEBOAT_RETURN_IF_ERROR(WriteTail());
    if (::fdatasync(fd_) != 0) return PosixError(path_, errno);
    return Status::Ok();
  }

  Status Close() override {
    Status s = WriteTail();
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && s.ok()) s = PosixError(path_, errno);
    return s;
  }

 private:
  // Writes the first `n` (block-aligned) buffered bytes at the file's end.
  Status WriteBuffer(size_t n) {
    for (size_t done = 0; done < n;) {
      const ssize_t w = ::pwrite(fd_, buf_ + done, n - done, static_cast<off_t>(offset_ + done));
      if (w < 0) {
        if (errno == EINTR) continue;
        return PosixError(path_, errno);
      }
      done += static_cast<size_t>(w);
    }
    offset_ += n;
    used_ = 0;
    return Status::Ok();
  }

  // The last partial block, padded to a whole one, then the file cut to its real length.
  Status WriteTail() {
    if (tail_written_) return Status::Ok();
    tail_written_ = true;
    if (used_ == 0) return Status::Ok();
    const uint64_t size = offset_ + used_;
    const size_t padded = (used_ + kAlign - 1) / kAlign * kAlign;
    std::memset(buf_ + used_, 0, padded - used_);
    LIFEBOAT_RETURN_IF_ERROR(WriteBuffer(padded));
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return PosixError(path_, errno);
    return Status::Ok();
  }

  std::string path_;
  int fd_;
  char* buf_;
  size_t used_ = 0;
  uint64_t offset_ = 0;
  bool tail_written_ = false;
};

}  // namespace

Result<std::unique_ptr<WritableFile>> NewDirectWritableFile(Env* env, const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_DIRECT, 0644);
  if (fd < 0) {
    if (errno == EINVAL) return env->NewWritableFile(path);
    return PosixError(path, errno);
  }
  return std::unique_ptr<WritableFile>(std::make_unique<DirectWritableFile>(path, fd));
}

}  // namespace lifeboat
