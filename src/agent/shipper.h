// Shipper: the agent's data path, driven by the agent's loop one Step() at a time.
//
//   rescan (globs) -> match files to streams (inode + head fingerprint; copies by fingerprint)
//   -> poll sizes (growth, truncation) -> plan chunks (size, age, line ends)
//   -> checkpoint the plans (fsync) -> upload in parallel -> checkpoint the acknowledgements
//   -> manifest (periodically; sealed by Drain)
//
// The source files are the buffer: nothing is copied into memory but the chunk being
// compressed. A stream keeps its descriptor open until it is shipped to its end, so a file
// rotated away and deleted is still read to the last byte.
#ifndef LIFEBOAT_AGENT_SHIPPER_H_
#define LIFEBOAT_AGENT_SHIPPER_H_

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "agent/instance_recorder.h"
#include "agent/live_stream.h"
#include "agent/manifest_publisher.h"
#include "agent/source_discovery.h"
#include "agent/upload_pool.h"
#include "common/env.h"
#include "common/metrics.h"
#include "ship/checkpoint_store.h"
#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

// What the shipper runs with: ShipperOptionsFrom(the agent's configuration), plus who it
// is. Every default is the agent's own (agent_config.h), so a test that sets only what it
// is about runs at the shipped settings.
struct ShipperOptions {
  std::string instance_id;
  std::string tool;  // recorded in the manifest
  std::vector<SourceSpec> sources;
  Codec codec = kDefaultCodec;
  int level = CodecDefaultLevel(kDefaultCodec);
  uint64_t max_bytes = kDefaultFlushMaxBytes;
  std::chrono::milliseconds max_age = kDefaultFlushMaxAge;
  std::chrono::milliseconds rotate_wait = kDefaultRotateWait;
  std::chrono::milliseconds rescan_interval = kDefaultRescanInterval;
  std::chrono::milliseconds manifest_interval = kDefaultManifestInterval;
  int parallel = kDefaultParallel;
  int max_open_files = kDefaultMaxOpenFiles;
  std::chrono::milliseconds max_backoff = kDefaultRetryMaxBackoff;
  InstanceDescription instance;  // for the instance record
};
ShipperOptions ShipperOptionsFrom(const AgentConfig& config, std::string instance_id);

class Shipper {
 public:
  // Borrowed objects must outlive the shipper. `wake` is called from other threads when
  // an upload or manifest write finished (the loop should Step() soon).
  Shipper(Env* env, ObjectStore* store, CheckpointStore* checkpoint, Metrics* metrics,
          ShipperOptions options, std::function<void()> wake);
  ~Shipper();

  // Loads the checkpoint (or, when it is empty, the manifest already in the store, so a
  // lost state_dir does not ship everything twice) and starts the workers.
  Status Start();

  // One round. `rescan` forces a glob rescan (the watcher saw a change). An error means
  // the checkpoint could not be written: the caller must stop, because nothing shipped
  // from now on could be recorded.
  Status Step(bool rescan);
  // How long the loop may sleep before the next Step is due.
  std::chrono::milliseconds NextWait() const;
  // Directories to watch for new files.
  const std::set<std::string>& watched_dirs() const { return dirs_; }

  // Ships every source to its last byte (partial last lines too) and stores the sealed
  // manifest; returns once it is stored, or with an error when the checkpoint failed or
  // `aborted` became true.
  Status Drain(const std::function<bool()>& aborted);
  void Abort();
  // Why the instance is going away, for its record: the next sealed manifest's record
  // names the cause and the time. The first cause given sticks.
  void EndWith(EndCause cause);

  // Uploads queued or running, or planned ranges still to be settled.
  bool Busy() const;

 private:
  struct InodeKey {
    uint64_t device, inode;
    auto operator<=>(const InodeKey&) const = default;
  };

  Status Bootstrap(std::vector<CheckpointedStream>& recorded);
  void AdoptUnlistedChunks(std::map<StreamKey, uint64_t>& ends);
  void Rescan();
  void MatchFile(const DiscoveredFile& file, std::set<InodeKey>& seen);
  LiveStream* RecallFinished(const InodeKey& inode, std::string_view head, uint64_t size);
  LiveStream* FindCopyTarget(const RandomAccessFile& file, const FileInfo& info,
                             std::string_view head);
  void OpenStream(const DiscoveredFile& file, std::shared_ptr<RandomAccessFile> handle,
                  const FileInfo& info, const StreamIdentity& head);
  void PollSizes();
  void LoseSource(LiveStream& s, const char* why);
  void HandleOutcomes();
  bool FlushDue(SteadyTime now) const;
  Status PlanAndSubmit(bool final);
  void PlanStream(LiveStream& s, bool final, bool flush_all, std::vector<UploadJob>& jobs);
  void RetireStreams(bool final);
  void UpgradeIdentity(LiveStream& s);
  Status Commit();
  bool ManifestDue(SteadyTime now);
  void PublishManifest(bool sealed);
  void SettleParts();
  void UpdateGauges();
  std::string KeyOf(const StreamKey& key, ByteRange range) const;
  WrittenBounds WrittenBoundsOf(const LiveStream& s, ByteRange range) const;
  void Report(const std::string& path, const Status& problem);

  Env* env_;
  ObjectStore* store_;
  CheckpointStore* checkpoint_;
  Metrics* metrics_;
  ShipperOptions options_;
  std::function<void()> wake_;
  // A wall-clock reading and the steady time it was taken at (WrittenBoundsOf).
  std::pair<std::chrono::system_clock::time_point, SteadyTime> clock_anchor_;
  std::unique_ptr<UploadPool> pool_;
  std::unique_ptr<ManifestPublisher> publisher_;
  std::unique_ptr<InstanceRecorder> recorder_;

  std::map<StreamKey, LiveStream> streams_;
  std::map<InodeKey, StreamKey> by_inode_;        // sources open on their own inode or a copy
  std::map<InodeKey, uint64_t> ignored_;          // copies with nothing new: size when judged
  std::map<std::string, std::string> reported_;   // path -> last problem logged
  std::set<std::string> dirs_;
  CheckpointBatch batch_;

  SteadyTime next_rescan_{};
  // A part queued with the head of `version`; once that head is stored the checkpoint
  // records each stream's new manifest_end.
  struct PendingPart {
    uint64_t version;
    uint64_t number;
    std::vector<CheckpointBatch::Planned> ends;
  };
  std::deque<PendingPart> pending_parts_;
  uint64_t manifest_parts_ = 0;       // parts counted by the newest head handed over
  SteadyTime next_manifest_{};
  SteadyTime unpublished_since_{};    // when what the manifest would list first changed
  SteadyTime last_flush_{};           // the last cut of every stream at once
  uint64_t manifest_version_ = 0;     // bumped when what the manifest would list changes
  uint64_t published_version_ = 0;
  int open_files_ = 0;
  uint64_t store_retries_seen_ = 0;
  std::map<std::string, uint64_t> requests_seen_;  // by operation, already added to metrics
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_SHIPPER_H_
