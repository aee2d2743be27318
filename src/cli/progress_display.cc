#include "cli/progress_display.h"

#include <fmt/format.h>

#include <cstdio>

#include "common/units.h"

namespace lifeboat {

std::string RenderProgressLine(uint64_t done, uint64_t total, uint64_t files_done,
                               uint64_t files_total, double seconds, size_t width) {
  const double fraction = total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / total);
  const size_t filled = static_cast<size_t>(fraction * width);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  return fmt::format("[{}{}] {:3.0f}%  {}/{}  {}/s  {}/{} files", std::string(filled, '#'),
                     std::string(width - filled, '.'), fraction * 100, FormatBytes(done),
                     FormatBytes(total), FormatBytes(static_cast<uint64_t>(rate)), files_done,
                     files_total);
}

ProgressDisplay::ProgressDisplay(const EvacuationProgress* progress, bool enabled)
    : progress_(progress) {
  if (enabled) thread_ = std::thread([this] { Loop(); });
}

ProgressDisplay::~ProgressDisplay() { Stop(); }

void ProgressDisplay::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

void ProgressDisplay::Loop() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; })) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const std::string line =
        RenderProgressLine(progress_->bytes_done, progress_->bytes_total, progress_->files_done,
                           progress_->files_total, seconds, 30);
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    std::fflush(stderr);
  }
}

}  // namespace lifeboat
