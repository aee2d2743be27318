#include "longhaul/simulation.h"

#include <malloc.h>

#include <cstdio>
#include <functional>

#include "longhaul/virtual_agent.h"
#include "ship/object_keys.h"

namespace lifeboat {
namespace {

using std::chrono::duration;
using std::chrono::nanoseconds;
using std::chrono::steady_clock;

constexpr char kRoot[] = "/longhaul";
constexpr auto kDay = std::chrono::hours(24);
// The first simulated day: fixed, so every run writes the same bytes.
const auto kStart =
    std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));  // 2026-01-01
// NextWait() may be zero (something is due now); the clock still moves, as poll(0)
// followed by a Step would take some time.
constexpr auto kMinWait = std::chrono::milliseconds(1);

// History mode: the fast writer fills this many chunks (of flush.max_bytes) a virtual
// second, in short lines; then a slow one adds a few chunks per manifest interval for some
// intervals. Fast in wall time, but not so fast in virtual time that one manifest
// interval holds a large share of the history: what a long life is about is many
// chunks behind the agent and few in front (a million in about a day).
constexpr double kHistoryChunksPerSecond = 10;
constexpr uint32_t kHistoryLineBytes = 64;
constexpr char kHistoryDir[] = "/longhaul/history";
constexpr double kSteadyChunksPerInterval = 10;
constexpr int kSteadyIntervals = 4;
// The target for one manifest update: this much, plus this much per new chunk.
constexpr uint64_t kUpdateBaseBytes = 64 << 10;
constexpr uint64_t kUpdateBytesPerChunk = 200;

double Seconds(nanoseconds d) { return duration<double>(d).count(); }

struct Workspace {
  std::string state_dir;
  std::string store_dir;
};

Result<Workspace> MakeWorkspace(const std::string& work_dir) {
  Workspace w{JoinPath(work_dir, "state"), JoinPath(work_dir, "store")};
  LIFEBOAT_RETURN_IF_ERROR(Env::Default()->CreateDirs(w.state_dir));
  LIFEBOAT_RETURN_IF_ERROR(Env::Default()->CreateDirs(w.store_dir));
  return w;
}

// logrotate's default (create, no copytruncate) for every file of a profile: the writer
// lets go, the file is renamed to .1 over yesterday's (deleting it), a new file starts.
Status Rotate(SyntheticLogEnv& env, const Profile& profile, uint64_t generation) {
  for (int i = 0; i < profile.files; ++i) {
    const std::string path = ProfileFile(profile, i);
    LIFEBOAT_RETURN_IF_ERROR(env.StopLog(path));
    LIFEBOAT_RETURN_IF_ERROR(env.Rename(path, path + ".1"));
    LIFEBOAT_RETURN_IF_ERROR(env.StartLog(path, ProfileLogSpec(profile, i, generation)));
  }
  return Status::Ok();
}

uint64_t MetadataBytesKept(CountingObjectStore& store) {
  auto listed = store.List(std::string(kBenchInstanceId) + "/" + std::string(kMetadataDir) + "/");
  uint64_t total = 0;
  if (listed.ok()) {
    for (const auto& object : *listed) total += object.size;
  }
  return total;
}

// Steps `agent` through virtual time until `done()` or `until`, whichever comes first.
Status RunUntil(SyntheticLogEnv& env, VirtualAgent& agent, nanoseconds until,
                const std::function<bool()>& done, steady_clock::time_point deadline,
                bool* stopped_early) {
  bool rescan = true;
  while (env.elapsed() < until && !done()) {
    LIFEBOAT_RETURN_IF_ERROR(agent.Step(rescan));
    rescan = false;
    env.Advance(nanoseconds(std::max(agent.NextWait(), kMinWait)));
    if (steady_clock::now() > deadline) {
      *stopped_early = true;
      break;
    }
  }
  return Status::Ok();
}

AgentConfig HistoryConfig(const HistoryOptions& options) {
  AgentConfig config = ShippedDefaults();
  config.flush_max_bytes = options.chunk_bytes;
  config.sources = {{std::string(kHistoryDir) + "/*.log", {}}};
  return config;
}

// Groups the writes under .lifeboat/ into manifest updates, each ending with a write to
// the manifest's key, and checks the updates after the first `history_writes` writes
// against the target.
void SummarizeUpdates(const std::vector<MetadataWrite>& log, size_t history_writes,
                      HistoryResult& r) {
  uint64_t total = 0, update = 0, chunks_before = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    update += log[i].bytes;
    if (!log[i].manifest) continue;
    ++r.updates;
    total += update;
    r.update_bytes_max = std::max(r.update_bytes_max, update);
    const uint64_t new_chunks = log[i].chunks_stored - chunks_before;
    if (i >= history_writes) {
      ++r.steady_updates;
      const double share = UpdateShareOfTarget(update, new_chunks);
      if (r.steady_updates == 1 ||
          share > UpdateShareOfTarget(r.steady_worst_bytes, r.steady_worst_new_chunks)) {
        r.steady_worst_bytes = update;
        r.steady_worst_new_chunks = new_chunks;
      }
      if (share > 1) ++r.steady_over_target;
    }
    chunks_before = log[i].chunks_stored;
    update = 0;
  }
  r.update_bytes_mean = r.updates == 0 ? 0 : static_cast<double>(total) / r.updates;
}

}  // namespace

AgentConfig ShippedDefaults() { return AgentConfig{}; }

double UpdateShareOfTarget(uint64_t bytes, uint64_t new_chunks) {
  return static_cast<double>(bytes) /
         static_cast<double>(kUpdateBaseBytes + kUpdateBytesPerChunk * new_chunks);
}

Result<ProfileResult> RunProfile(const Profile& profile, const RunOptions& options) {
  LIFEBOAT_ASSIGN_OR_RETURN(const Workspace work, MakeWorkspace(options.work_dir));
  SyntheticLogEnv env(kRoot, kStart);
  CountingObjectStore store(std::string(kBenchInstanceId), work.store_dir);
  AgentConfig config = ShippedDefaults();
  config.sources = {{ProfileGlob(profile), {}}};
  for (int i = 0; i < profile.files; ++i) {
    LIFEBOAT_RETURN_IF_ERROR(env.StartLog(ProfileFile(profile, i), ProfileLogSpec(profile, i, 0)));
  }

  ProfileResult r;
  r.profile = profile.name;
  VirtualAgent agent(&env, &store, work.state_dir, config);
  const double cpu_before = ProcessCpuSeconds();
  const auto render_before = env.render_cpu();
  const auto wall_start = steady_clock::now();
  LIFEBOAT_RETURN_IF_ERROR(agent.Start());

  const auto end = std::chrono::duration_cast<nanoseconds>(options.days *
                                                           duration<double, std::ratio<86400>>(1));
  const bool rotates = profile.rotate_every.count() > 0;
  nanoseconds next_rotation = rotates ? nanoseconds(profile.rotate_every) : nanoseconds::max();
  uint64_t generation = 0;
  int64_t days_reported = 0;
  bool rescan = true;
  while (env.elapsed() < end) {
    LIFEBOAT_RETURN_IF_ERROR(agent.Step(rescan));
    rescan = false;
    const nanoseconds until =
        std::min(env.elapsed() + nanoseconds(std::max(agent.NextWait(), kMinWait)), end);
    if (next_rotation <= until) {
      // inotify reports the rename and the new file: the agent steps and rescans at once.
      env.Advance(next_rotation - env.elapsed());
      LIFEBOAT_RETURN_IF_ERROR(Rotate(env, profile, ++generation));
      next_rotation += profile.rotate_every;
      rescan = true;
    } else {
      env.Advance(until - env.elapsed());
    }
    const auto wall = steady_clock::now() - wall_start;
    if (options.progress && env.elapsed() / kDay > days_reported) {
      days_reported = env.elapsed() / kDay;
      std::fprintf(stderr, "longhaul: %s: day %lld done, %.0f s\n", profile.name.c_str(),
                   static_cast<long long>(days_reported), Seconds(wall));
    }
    if (wall > options.wall_limit) {
      r.stopped_early = true;
      break;
    }
  }

  r.wall_seconds = Seconds(steady_clock::now() - wall_start);
  r.cpu_seconds = ProcessCpuSeconds() - cpu_before;
  r.render_cpu_seconds = Seconds(env.render_cpu() - render_before);
  r.peak_rss_bytes = ProcessStatusBytes("VmHWM");
  r.days = Seconds(env.elapsed()) / Seconds(kDay);
  r.steps = agent.steps();
  r.raw_bytes_written = env.bytes_written();
  r.raw_bytes_shipped =
      static_cast<uint64_t>(agent.metrics().Value("lifeboat_bytes_shipped_total"));
  r.store = store.tally();
  r.metadata_bytes_kept = MetadataBytesKept(store);
  r.checkpoint_bytes = DirectoryBytes(work.state_dir);
  r.manifest_wait_timeouts = agent.manifest_wait_timeouts();
  r.settle_timeouts = agent.settle_timeouts();
  return r;
}

Result<HistoryResult> RunHistory(const HistoryOptions& options) {
  LIFEBOAT_ASSIGN_OR_RETURN(const Workspace work, MakeWorkspace(options.work_dir));
  SyntheticLogEnv env(kRoot, kStart);
  CountingObjectStore store(std::string(kBenchInstanceId), work.store_dir);
  const AgentConfig config = HistoryConfig(options);
  const std::string dir = kHistoryDir;
  const double lines_per_chunk = static_cast<double>(options.chunk_bytes) / kHistoryLineBytes;

  HistoryResult r;
  const auto wall_start = steady_clock::now();
  const auto deadline = wall_start + options.wall_limit;
  const std::string fast = dir + "/fast.log";
  LIFEBOAT_RETURN_IF_ERROR(
      env.StartLog(fast, {1, kHistoryLineBytes, kHistoryChunksPerSecond * lines_per_chunk}));
  auto agent = std::make_unique<VirtualAgent>(&env, &store, work.state_dir, config);
  LIFEBOAT_RETURN_IF_ERROR(agent->Start());

  // Build the history: chunks as fast as the fast writer fills them.
  uint64_t next_report = 100'000;
  auto history_done = [&] {
    const uint64_t chunks = store.chunk_objects();
    if (options.progress && chunks >= next_report) {
      std::fprintf(stderr, "longhaul: history: %llu chunks, %.0f s\n",
                   static_cast<unsigned long long>(chunks),
                   Seconds(steady_clock::now() - wall_start));
      next_report += 100'000;
    }
    return chunks >= options.chunks;
  };
  LIFEBOAT_RETURN_IF_ERROR(
      RunUntil(env, *agent, nanoseconds::max(), history_done, deadline, &r.stopped_early));
  LIFEBOAT_RETURN_IF_ERROR(env.StopLog(fast));
  r.chunks = store.chunk_objects();
  r.virtual_seconds = Seconds(env.elapsed());
  r.rss_bytes = ProcessStatusBytes("VmRSS");
  r.peak_rss_bytes = ProcessStatusBytes("VmHWM");
  ::malloc_trim(0);
  r.rss_trimmed_bytes = ProcessStatusBytes("VmRSS");
  r.checkpoint_bytes = DirectoryBytes(work.state_dir);
  const size_t history_writes = store.metadata_log().size();

  // The steady phase: a few new chunks per manifest interval on top of the history.
  if (!r.stopped_early) {
    const double interval = Seconds(config.manifest_interval);
    LIFEBOAT_RETURN_IF_ERROR(env.StartLog(
        dir + "/slow.log",
        {2, kHistoryLineBytes, kSteadyChunksPerInterval * lines_per_chunk / interval}));
    const nanoseconds until = env.elapsed() + (kSteadyIntervals + 1) * config.manifest_interval;
    LIFEBOAT_RETURN_IF_ERROR(RunUntil(
        env, *agent, until, [] { return false; }, deadline, &r.stopped_early));
  }

  agent.reset();  // as at exit: joins its threads, closes the checkpoint
  SummarizeUpdates(store.metadata_log(), history_writes, r);
  r.wall_seconds = Seconds(steady_clock::now() - wall_start);
  return r;
}

Result<RestartResult> MeasureRestart(const std::string& work_dir) {
  LIFEBOAT_ASSIGN_OR_RETURN(const Workspace work, MakeWorkspace(work_dir));
  SyntheticLogEnv env(kRoot, kStart);
  CountingObjectStore store(std::string(kBenchInstanceId), work.store_dir);
  VirtualAgent agent(&env, &store, work.state_dir, HistoryConfig(HistoryOptions{}));
  const auto start = steady_clock::now();
  LIFEBOAT_RETURN_IF_ERROR(agent.Start());
  RestartResult r;
  r.seconds = Seconds(steady_clock::now() - start);
  r.rss_bytes = ProcessStatusBytes("VmRSS");
  return r;
}

}  // namespace lifeboat
