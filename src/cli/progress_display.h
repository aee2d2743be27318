// ProgressDisplay: a one-line progress bar on a terminal, redrawn from its own thread
// while an evacuation runs; nothing at all when stderr is not a terminal.
#ifndef LIFEBOAT_CLI_PROGRESS_DISPLAY_H_
#define LIFEBOAT_CLI_PROGRESS_DISPLAY_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "ship/evacuation.h"

namespace lifeboat {

// "[#########...........]  45%  115.2/256.0 MiB  88.1 MiB/s  3/8 files"
std::string RenderProgressLine(uint64_t done, uint64_t total, uint64_t files_done,
                               uint64_t files_total, double seconds, size_t width);

class ProgressDisplay {
 public:
  // Starts drawing when `enabled`; reads `progress` until Stop().
  ProgressDisplay(const EvacuationProgress* progress, bool enabled);
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  // Erases the bar so the summary that follows starts on a clean line.
  void Stop();

 private:
  void Loop();

  const EvacuationProgress* progress_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_PROGRESS_DISPLAY_H_
