#include "longhaul/virtual_agent.h"

#include <sys/resource.h>

#include <filesystem>
#include <fstream>

namespace lifeboat {
namespace {

using std::chrono::steady_clock;

// An upload of one chunk takes milliseconds. Busy() with no upload finishing for this
// long of real time is work that waits for virtual time (a planned range whose file
// must reappear within rotate_wait) or a stuck upload; the clock moves on either way.
constexpr auto kSettleLimit = std::chrono::seconds(5);
// How often the wait re-checks a manifest write that has no wake of its own yet.
constexpr auto kWakePoll = std::chrono::milliseconds(5);
// Between Shipper::Step publishing a manifest and the publisher's thread opening the
// write there is only a thread switch; a wall-clock read followed by no write for this
// long was not a manifest.
constexpr auto kManifestPatience = std::chrono::seconds(1);

}  // namespace

VirtualAgent::VirtualAgent(SyntheticLogEnv* env, CountingObjectStore* store, std::string state_dir,
                           const AgentConfig& config)
    : env_(env), store_(store), state_dir_(std::move(state_dir)), config_(config) {}

VirtualAgent::~VirtualAgent() {
  shipper_.reset();  // joins its threads before the checkpoint goes
  checkpoint_.reset();
}

Status VirtualAgent::Start() {
  LIFEBOAT_ASSIGN_OR_RETURN(
      checkpoint_,
      CheckpointStore::Open(*env_, state_dir_, store_->Describe("") + std::string(kBenchInstanceId)));
  shipper_ = std::make_unique<Shipper>(env_, store_, checkpoint_.get(), &metrics_,
                                       ShipperOptionsFrom(config_, std::string(kBenchInstanceId)),
                                       [this] { Wake(); });
  stamps_seen_ = env_->wall_clock_reads();
  manifests_expected_ = store_->manifest_writes();
  return shipper_->Start();
}

void VirtualAgent::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    ++wakes_;
  }
  wake_cv_.notify_one();
}

Status VirtualAgent::Step(bool rescan) {
  uint64_t seen;
  {
    std::lock_guard lock(wake_mu_);
    seen = wakes_;
  }
  LIFEBOAT_RETURN_IF_ERROR(shipper_->Step(rescan));
  ++steps_;
  auto last_progress = steady_clock::now();
  for (;;) {
    // Busy() stays true until a Step collects the finished uploads, so it settles only
    // by stepping on wakes, as the daemon does.
    if (!shipper_->Busy() && ManifestsSettled()) return Status::Ok();
    bool woken;
    {
      std::unique_lock lock(wake_mu_);
      woken = wake_cv_.wait_for(lock, kWakePoll, [&] { return wakes_ != seen; });
      seen = wakes_;
    }
    const auto now = steady_clock::now();
    if (woken) {
      LIFEBOAT_RETURN_IF_ERROR(shipper_->Step(false));
      ++steps_;
      last_progress = now;
    } else if (now - last_progress > kSettleLimit) {
      ++settle_timeouts_;
      return Status::Ok();
    }
  }
}

bool VirtualAgent::ManifestsSettled() {
  const auto now = steady_clock::now();
  const uint64_t stamps = env_->wall_clock_reads();
  if (stamps != stamps_seen_) {
    manifests_expected_ += stamps - stamps_seen_;
    stamps_seen_ = stamps;
    manifest_wait_since_ = now;
  }
  // A part written ahead of its head is not the end of an update: wait while any write
  // under .lifeboat/ is open, too.
  const bool open = store_->metadata_writes_open() > 0;
  if (store_->manifest_writes() >= manifests_expected_ && !open) return true;
  if (open || now - manifest_wait_since_ < kManifestPatience) return false;
  ++manifest_wait_timeouts_;
  manifests_expected_ = store_->manifest_writes();
  return true;
}

double ProcessCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

uint64_t ProcessStatusBytes(const char* field) {
  std::ifstream status("/proc/self/status");
  const std::string prefix = std::string(field) + ":";
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(prefix)) return std::stoull(line.substr(prefix.size())) * 1024;  // kB
  }
  return 0;
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

}  // namespace lifeboat
