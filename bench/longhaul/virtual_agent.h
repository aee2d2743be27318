// VirtualAgent: the agent's data path (a real Shipper over a real SQLite checkpoint) and
// the loop that drives it in virtual time, for bench/longhaul.
//
// Step() is one turn of agent_daemon's loop without the sleep: Shipper::Step, then, in
// real time, waiting for what that Step started to settle (uploads collected, a
// published manifest stored), stepping again on every wake as the daemon does. The
// caller then moves the virtual clock by NextWait(). Work that cannot settle without
// virtual time passing (or at all) is given up on after a few seconds, and counted.
//
// Not thread-safe: one bench thread drives it; the shipper's own threads call wake.
#ifndef LIFEBOAT_BENCH_LONGHAUL_VIRTUAL_AGENT_H_
#define LIFEBOAT_BENCH_LONGHAUL_VIRTUAL_AGENT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "agent/agent_config.h"
#include "agent/shipper.h"
#include "common/metrics.h"
#include "longhaul/counting_store.h"
#include "longhaul/synthetic_log_env.h"
#include "ship/checkpoint_store.h"

namespace lifeboat {

inline constexpr std::string_view kBenchInstanceId = "i-0123456789abcdef0";

class VirtualAgent {
 public:
  // The borrowed objects must outlive the agent. `state_dir` is the checkpoint's.
  VirtualAgent(SyntheticLogEnv* env, CountingObjectStore* store, std::string state_dir,
               const AgentConfig& config);
  ~VirtualAgent();
  VirtualAgent(const VirtualAgent&) = delete;
  VirtualAgent& operator=(const VirtualAgent&) = delete;

  // Opens the checkpoint and starts the shipper, as the daemon does before its loop.
  Status Start();
  Status Step(bool rescan);
  std::chrono::milliseconds NextWait() const { return shipper_->NextWait(); }

  uint64_t steps() const { return steps_; }
  uint64_t manifest_wait_timeouts() const { return manifest_wait_timeouts_; }
  // Steps that returned with the shipper still busy after kSettleLimit without a wake.
  uint64_t settle_timeouts() const { return settle_timeouts_; }
  Metrics& metrics() { return metrics_; }

 private:
  // True once every manifest the shipper stamped is stored. The shipper reads Now() once
  // per manifest it publishes (its updated_at) and for nothing else, so stamps count the
  // writes to expect at the manifest's key. Gives up (and counts it) when none arrives
  // for a while, so that a Now() read for another purpose cannot stall the run.
  bool ManifestsSettled();
  void Wake();

  SyntheticLogEnv* env_;
  CountingObjectStore* store_;
  const std::string state_dir_;
  const AgentConfig config_;
  Metrics metrics_;
  std::unique_ptr<CheckpointStore> checkpoint_;
  std::unique_ptr<Shipper> shipper_;

  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  uint64_t wakes_ = 0;

  uint64_t steps_ = 0;
  uint64_t stamps_seen_ = 0;
  uint64_t manifests_expected_ = 0;
  std::chrono::steady_clock::time_point manifest_wait_since_{};
  uint64_t manifest_wait_timeouts_ = 0;
  uint64_t settle_timeouts_ = 0;
};

// Measures of this process, for the figures.
double ProcessCpuSeconds();                       // user + system
uint64_t ProcessStatusBytes(const char* field);   // "VmRSS", "VmHWM" from /proc/self/status
uint64_t DirectoryBytes(const std::string& dir);  // regular files, recursively

}  // namespace lifeboat

#endif  // LIFEBOAT_BENCH_LONGHAUL_VIRTUAL_AGENT_H_
