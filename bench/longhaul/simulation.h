// The runs of bench/longhaul: the real agent (lifeboat::Shipper at AgentConfig's
// defaults, a real SQLite checkpoint) driven through simulated days by its own loop
// in virtual time, against synthetic log files and a counting store.
//
// The loop is agent_daemon's: Step(), then sleep NextWait(). Here the sleep is virtual:
// after each Step the bench waits, in real time, until what the Step started (uploads,
// a manifest write) has settled, stepping again whenever the agent's wake callback fires,
// as the daemon does; then it moves the clock by NextWait() (or to the next rotation,
// which inotify would report) and the writers' files grow by what they wrote meanwhile.
// Uploads therefore take no virtual time, which is close to true: they take milliseconds,
// the agent sleeps for seconds.
#ifndef LIFEBOAT_BENCH_LONGHAUL_SIMULATION_H_
#define LIFEBOAT_BENCH_LONGHAUL_SIMULATION_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "agent/agent_config.h"
#include "common/status.h"
#include "longhaul/counting_store.h"
#include "longhaul/profiles.h"

namespace lifeboat {

struct RunOptions {
  double days = 0;
  std::string work_dir;  // an empty directory for the checkpoint and the stored manifest
  // A run still going after this long stops early and reports the days it simulated.
  std::chrono::seconds wall_limit{180};
  bool progress = false;  // a line on stderr per simulated day
};

struct ProfileResult {
  std::string profile;
  double days = 0;  // simulated
  bool stopped_early = false;
  double wall_seconds = 0;
  uint64_t steps = 0;  // Step() calls, those made on a wake included
  uint64_t raw_bytes_written = 0;
  uint64_t raw_bytes_shipped = 0;
  StoreTally store;
  uint64_t metadata_bytes_kept = 0;  // the objects under .lifeboat/ at the end
  uint64_t checkpoint_bytes = 0;     // the state_dir at the end
  uint64_t peak_rss_bytes = 0;       // the process's VmHWM (run in a process of its own)
  double cpu_seconds = 0;            // the process's user + system time during the run
  double render_cpu_seconds = 0;     // of which generating synthetic bytes (the bench's)
  uint64_t manifest_wait_timeouts = 0;
  uint64_t settle_timeouts = 0;
};

Result<ProfileResult> RunProfile(const Profile& profile, const RunOptions& options);

struct HistoryOptions {
  uint64_t chunks = 1'000'000;
  uint64_t chunk_bytes = 4096;  // flush.max_bytes
  std::string work_dir;
  std::chrono::seconds wall_limit{3600};
  bool progress = false;
};

struct HistoryResult {
  uint64_t chunks = 0;
  double wall_seconds = 0;
  double virtual_seconds = 0;
  bool stopped_early = false;
  // Once the history is shipped: VmRSS, VmRSS after malloc_trim (what the agent still
  // uses, less what glibc keeps of what it freed), and VmHWM.
  uint64_t rss_bytes = 0;
  uint64_t rss_trimmed_bytes = 0;
  uint64_t peak_rss_bytes = 0;
  uint64_t checkpoint_bytes = 0;
  // Manifest updates (the writes under .lifeboat/ up to and including one to the
  // manifest's key) while the history was built and over the steady phase after it: a
  // slow writer, a few new chunks per manifest interval.
  uint64_t updates = 0;
  uint64_t update_bytes_max = 0;
  double update_bytes_mean = 0;
  uint64_t steady_updates = 0;
  // The steady update furthest over (or least under) 64 KiB + 200 bytes per new chunk.
  uint64_t steady_worst_bytes = 0;
  uint64_t steady_worst_new_chunks = 0;
  uint64_t steady_over_target = 0;  // updates above 64 KiB + 200 bytes per new chunk
  // A restart on the same work_dir, in a process of its own (MeasureRestart).
  double restart_seconds = 0;
  uint64_t restart_rss_bytes = 0;
};

// The target for one manifest update: at most 64 KiB plus 200 bytes per chunk it
// adds. Returns bytes / that allowance: above 1 is over the target.
double UpdateShareOfTarget(uint64_t bytes, uint64_t new_chunks);

// Ships the history, then stops the agent; work_dir keeps its checkpoint and manifest.
Result<HistoryResult> RunHistory(const HistoryOptions& options);

// What a restart costs after RunHistory: CheckpointStore::Open and Shipper::Start on the
// same work_dir (real time), and VmRSS then. Meant for a fresh process, so that the RSS is
// the new agent's alone.
struct RestartResult {
  double seconds = 0;
  uint64_t rss_bytes = 0;
};
Result<RestartResult> MeasureRestart(const std::string& work_dir);

// The agent's settings every run starts from: AgentConfig's defaults.
AgentConfig ShippedDefaults();

}  // namespace lifeboat

#endif  // LIFEBOAT_BENCH_LONGHAUL_SIMULATION_H_
