#include "agent/shipper.h"

#include <algorithm>

#include "common/hash.h"
#include "common/logging.h"
#include "common/time_text.h"
#include "common/version.h"
#include "ship/chunk_planner.h"
#include "ship/continued_manifest.h"
#include "ship/object_keys.h"
#include "ship/stream_identity.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

// Uploads queued ahead of the workers: enough to keep them busy, few enough that a long
// outage does not plan thousands of small age-cut chunks (what waits is planned later,
// in bigger chunks).
constexpr size_t kQueuedPerWorker = 2;
// A writer that never stops would keep a drain going forever; after this many passes the
// manifest is sealed with what is shipped.
constexpr int kMaxDrainPasses = 20;
// A file at its own path, shipped to a line end and unchanged this long, is closed.
constexpr auto kIdleClose = std::chrono::seconds(60);
// The longest the loop sleeps between size polls: a busy stream passes max_bytes at most
// this late (its chunk is a little bigger), an idle agent wakes a dozen times a minute.
constexpr milliseconds kMaxTick(5000);

bool EndsWithLineEnd(const RandomAccessFile& file, uint64_t size) {
  if (size == 0) return true;
  char last = 0;
  auto got = file.ReadAt(size - 1, &last, 1);
  return got.ok() && *got == 1 && last == '\n';
}

Result<std::string> ReadHead(const RandomAccessFile& file, uint64_t n) {
  std::string buf(static_cast<size_t>(n), '\0');
  size_t have = 0;
  while (have < buf.size()) {
    LIFEBOAT_ASSIGN_OR_RETURN(size_t got, file.ReadAt(have, buf.data() + have, buf.size() - have));
    if (got == 0) break;
    have += got;
  }
  buf.resize(have);
  return buf;
}

// Whether `file` holds exactly the bytes of `chunk` (a copy of the stream it came from).
bool HoldsChunk(const RandomAccessFile& file, const ChunkRecord& chunk) {
  std::string buf(static_cast<size_t>(std::min<uint64_t>(chunk.range.size(), 1 << 20)), '\0');
  uint32_t crc = 0;
  for (uint64_t offset = chunk.range.begin; offset < chunk.range.end;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), chunk.range.end - offset));
    auto got = file.ReadAt(offset, buf.data(), want);
    if (!got.ok() || *got == 0) return false;
    crc = Crc32cExtend(crc, std::string_view(buf.data(), *got));
    offset += *got;
  }
  return crc == chunk.raw_crc32c;
}

// A rotated stream and the new file at its path ship side by side: both need a series.
Labels GaugeLabels(const StreamKey& key) {
  return {{"path", key.path}, {"stream", std::to_string(key.stream)}};
}

std::string Describe(const StreamKey& key) {
  return key.path + " (stream " + std::to_string(key.stream) + ")";
}

}  // namespace

ShipperOptions ShipperOptionsFrom(const AgentConfig& c, std::string instance_id) {
  ShipperOptions o;
  o.instance_id = std::move(instance_id);
  o.tool = std::string("lifeboat ") + LifeboatVersion();
  o.sources = c.sources;
  o.codec = c.codec;
  o.level = c.level;
  o.max_bytes = c.flush_max_bytes;
  o.max_age = c.flush_max_age;
  o.rotate_wait = c.rotate_wait;
  o.rescan_interval = c.rescan_interval;
  o.manifest_interval = c.manifest_interval;
  o.parallel = c.parallel;
  o.max_open_files = c.max_open_files;
  o.max_backoff = c.retry_max_backoff;
  return o;
}

Shipper::Shipper(Env* env, ObjectStore* store, CheckpointStore* checkpoint, Metrics* metrics,
                 ShipperOptions options, std::function<void()> wake)
    : env_(env),
      store_(store),
      checkpoint_(checkpoint),
      metrics_(metrics),
      options_(std::move(options)),
      wake_(std::move(wake)),
      clock_anchor_{env_->Now(), env_->SteadyNow()} {
  for (const auto& spec : options_.sources) dirs_.insert(LiteralDirectory(spec.pattern));
}

Shipper::~Shipper() {
  Abort();
  pool_.reset();
  publisher_.reset();
}

void Shipper::Abort() {
  if (pool_) pool_->Abort();
  if (publisher_) publisher_->Abort();
}

Status Shipper::Start() {
  LIFEBOAT_ASSIGN_OR_RETURN(auto recorded, checkpoint_->Load());
  if (recorded.empty()) LIFEBOAT_RETURN_IF_ERROR(Bootstrap(recorded));
  const auto now = env_->SteadyNow();
  for (auto& r : recorded) {
    LiveStream s(std::move(r));
    s.Detach(now);  // until a rescan finds its file again
    streams_.emplace(s.key(), std::move(s));
  }
  LIFEBOAT_ASSIGN_OR_RETURN(pool_, UploadPool::Start(store_, metrics_,
                                                     {options_.codec, options_.level,
                                                      options_.parallel, options_.max_backoff},
                                                     wake_));
  publisher_ = std::make_unique<ManifestPublisher>(store_, ManifestKey(options_.instance_id),
                                                   metrics_, options_.max_backoff, wake_);
  LIFEBOAT_ASSIGN_OR_RETURN(manifest_parts_, checkpoint_->ManifestParts());
  recorder_ = std::make_unique<InstanceRecorder>(env_, store_, options_.instance_id,
                                                 options_.instance, manifest_parts_);
  manifest_version_ = 1;  // the first manifest says the agent is here, even if empty
  next_manifest_ = now;
  return Status::Ok();
}

// An empty checkpoint with a manifest in the store: the state_dir was lost, or
// `evacuate` ran first. Its streams are continued instead of shipped again.
Status Shipper::Bootstrap(std::vector<CheckpointedStream>& recorded) {
  // Read as evacuate reads it: under the instance policy (no s3:ListBucket) a first start
  // finds no manifest as a 403, which must not stop the agent, while a denied read of a
  // manifest that exists must (continued_manifest.h).
  Manifest empty;
  empty.instance_id = options_.instance_id;
  empty.tool = options_.tool;
  empty.updated_at = FormatRfc3339(env_->Now());
  const std::string key = ManifestKey(options_.instance_id);
  auto text = ReadManifestToContinue(*store_, empty);
  if (!text.ok()) return text.status().WithContext("reading the manifest to continue from");
  if (!*text) return Status::Ok();
  auto manifest = ParseManifest(**text);
  if (!manifest.ok()) return manifest.status().WithContext(store_->Describe(key));
  if (manifest->instance_id != options_.instance_id) {
    return Status::DataLoss(store_->Describe(key) + " names instance '" + manifest->instance_id +
                            "', not '" + options_.instance_id + "'");
  }
  // The head holds what continuing needs: the open streams and the newest of each path,
  // with where the parts' record of each ends.
  std::map<StreamKey, uint64_t> ends;
  for (const auto& stream : manifest->streams) {
    StreamKey key{stream.path, stream.stream};
    batch_.new_streams.push_back({key, stream.identity, stream.base_end});
    for (const auto& chunk : stream.chunks) batch_.acked.push_back({key, chunk});
    if (stream.finished) batch_.finished.push_back(key);
    ends[key] = stream.end();
  }
  batch_.manifest_parts = manifest->parts;
  AdoptUnlistedChunks(ends);
  LIFEBOAT_RETURN_IF_ERROR(Commit());
  spdlog::info("continuing from the manifest in {}: {} streams", store_->Describe(ManifestKey(options_.instance_id)),
               manifest->streams.size());
  LIFEBOAT_ASSIGN_OR_RETURN(recorded, checkpoint_->Load());
  return Status::Ok();
}

// Chunks stored after the manifest was last written (the agent was killed within
// manifest_interval of them) would otherwise be planned again with other boundaries and
// overlap. With list permission they are found and recorded; without it (the instance
// policy has none) they may be shipped twice, and `verify` names the strays.
void Shipper::AdoptUnlistedChunks(std::map<StreamKey, uint64_t>& ends) {
  for (auto& [key, end] : ends) {
    // One listing per stream, from the first key that could start at `end` (a name whose
    // end equals its begin sorts before every real chunk of that begin): the requests and
    // the memory depend on the streams the head lists, not on the chunks ever shipped.
    const ChunkName from{key.stream, end, end, Codec::kNone};
    const std::string first = ChunkKey(options_.instance_id, key.path, from);
    const std::string dir = first.substr(0, first.rfind('/') + 1);
    Status listed = store_->ListPages(dir, first, [&](std::vector<ListedObject>& page) {
      for (const auto& object : page) {  // in key order: this stream's chunks in byte order
        auto name = ParseChunkName(std::string_view(object.key).substr(dir.size()));
        if (!name || name->stream != key.stream || name->begin != end) {
          return Status(StatusCode::kCancelled, "past the stream's stored chunks");
        }
        auto frame = store_->Get(object.key);
        if (!frame.ok()) return Status(StatusCode::kCancelled, "unreadable");
        auto digest = DigestFrame(name->codec, *frame);
        if (!digest.ok() || digest->size != name->end - name->begin) {
          return Status(StatusCode::kCancelled, "not a whole chunk");
        }
        batch_.acked.push_back({key, ChunkRecord{{name->begin, name->end}, name->codec,
                                                 frame->size(), digest->crc32c, Crc32c(*frame)}});
        end = name->end;
        spdlog::info("{}: bytes {}..{} were stored after the last manifest; recorded",
                     Describe(key), name->begin, name->end);
      }
      return Status::Ok();
    });
    if (!listed.ok() && listed.code() != StatusCode::kCancelled) {
      spdlog::warn("cannot list {} ({}): chunks stored after the last manifest may be shipped again",
                   store_->Describe(dir), listed.message());
      return;
    }
  }
}

Status Shipper::Step(bool rescan) {
  const auto now = env_->SteadyNow();
  HandleOutcomes();
  if (rescan || now >= next_rescan_) {
    Rescan();
    next_rescan_ = now + options_.rescan_interval;
  }
  PollSizes();
  LIFEBOAT_RETURN_IF_ERROR(PlanAndSubmit(false));
  RetireStreams(false);
  SettleParts();
  LIFEBOAT_RETURN_IF_ERROR(Commit());
  if (ManifestDue(now)) PublishManifest(false);
  UpdateGauges();
  return Status::Ok();
}

// One manifest update per flush, not one per chunk: a change is published once every
// upload it belongs to has settled, at most once per manifest_interval. Uploads that never
// settle (a backlog, an outage) delay it by at most another interval.
bool Shipper::ManifestDue(SteadyTime now) {
  if (manifest_version_ <= published_version_) return false;
  if (unpublished_since_ == SteadyTime{}) unpublished_since_ = now;
  if (now < next_manifest_) return false;
  return !Busy() || now - unpublished_since_ >= options_.manifest_interval;
}

std::chrono::milliseconds Shipper::NextWait() const {
  // Sizes are polled on this tick; a quarter of max_age keeps age cuts within 25% late.
  // Uploads finishing, signals and new files wake the loop earlier.
  auto wait = std::clamp(options_.max_age / 4, milliseconds(10), kMaxTick);
  const auto now = env_->SteadyNow();
  auto until = [&](SteadyTime t) {
    return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(t - now));
  };
  wait = std::min(wait, until(next_rescan_));
  if (manifest_version_ > published_version_) wait = std::min(wait, until(next_manifest_));
  return wait;
}

void Shipper::Report(const std::string& path, const Status& problem) {
  auto& last = reported_[path];
  if (last == problem.message()) return;
  last = problem.message();
  spdlog::warn("{}", problem.message());
}

void Shipper::Rescan() {
  DiscoveryResult found = DiscoverSources(*env_, options_.sources);
  for (const auto& problem : found.problems) Report(problem.message(), problem);
  std::map<std::string, InodeKey> at_path;
  std::set<InodeKey> seen;
  for (const auto& file : found.files) {
    at_path[file.path] = {file.info.device, file.info.inode};
    dirs_.insert(DirName(file.path));
    MatchFile(file, seen);
  }
  for (auto& [key, s] : streams_) {
    const auto* src = s.source();
    if (src == nullptr) continue;
    auto it = at_path.find(key.path);
    s.set_at_home(!src->is_copy && it != at_path.end() &&
                  it->second == InodeKey{src->device, src->inode});
    // Truncated and written past the old end between two polls: the size never shrank,
    // but the head is not the stream's any more.
    if (!src->is_copy && s.identity().head_size > 0 && s.size() >= s.identity().head_size) {
      auto head = ReadHead(*src->file, s.identity().head_size);
      if (head.ok() && head->size() == s.identity().head_size &&
          Crc32c(*head) != s.identity().head_crc32c) {
        LoseSource(s, "was rewritten from the start");
      }
    }
  }
  for (auto it = ignored_.begin(); it != ignored_.end();) {
    it = seen.count(it->first) ? std::next(it) : ignored_.erase(it);
  }
}

void Shipper::MatchFile(const DiscoveredFile& file, std::set<InodeKey>& seen) {
  InodeKey inode{file.info.device, file.info.inode};
  seen.insert(inode);
  if (by_inode_.count(inode)) return;
  if (auto it = ignored_.find(inode); it != ignored_.end() && it->second == file.info.size) return;
  if (open_files_ >= options_.max_open_files) {
    metrics_->Add("lifeboat_open_file_limit_hits_total", 1);
    Report(file.path, Status::ResourceExhausted(
                          file.path + ": not opened yet: max_open_files (" +
                          std::to_string(options_.max_open_files) +
                          ") descriptors are held by files still being shipped"));
    return;
  }
  auto handle = env_->OpenForRead(file.path);
  if (!handle.ok()) {
    Report(file.path, handle.status());
    return;
  }
  std::shared_ptr<RandomAccessFile> shared(std::move(*handle));
  auto info = shared->Stat();
  if (!info.ok()) return Report(file.path, info.status());
  inode = {info->device, info->inode};  // the file opened, should the path have moved on
  seen.insert(inode);
  if (by_inode_.count(inode)) return;
  auto head = ReadHead(*shared, std::min(info->size, kIdentityHeadBytes));
  if (!head.ok()) return Report(file.path, head.status());
  reported_.erase(file.path);
  const auto now = env_->SteadyNow();

  // The same inode with the same head: a recorded stream found again (after a restart,
  // or a finished stream that grew).
  LiveStream* same = nullptr;
  for (auto& [key, s] : streams_) {
    const auto& id = s.identity();
    if (s.source() || id.device != inode.device || id.inode != inode.inode) continue;
    if (id.head_size > head->size()) continue;
    if (Crc32c(std::string_view(*head).substr(0, id.head_size)) == id.head_crc32c) same = &s;
  }
  if (same == nullptr) {
    same = RecallFinished(inode, *head, info->size);
    auto it = ignored_.find(inode);
    if (same == nullptr && it != ignored_.end() && it->second == info->size) return;
  }
  LiveStream* target = same;
  bool is_copy = false;
  if (target == nullptr) {
    target = FindCopyTarget(*shared, *info, *head);
    is_copy = target != nullptr;
    if (is_copy) {
      // A copy supplies only what its stream has not stored yet, and only while the
      // stream's own file cannot.
      if (target->source() || info->size <= target->contiguous_end()) {
        ignored_[inode] = info->size;
        return;
      }
    }
  } else if (target->finished() && info->size <= target->planned_end()) {
    ignored_[inode] = info->size;
    return;
  }
  if (target == nullptr) {
    StreamIdentity identity{inode.device, inode.inode, head->size(), Crc32c(*head)};
    return OpenStream(file, shared, *info, identity);
  }
  if (target->finished()) {
    target->set_finished(false);
    batch_.reopened.push_back(target->key());
  }
  spdlog::info("{}: {} {}, shipping from byte {}", file.path,
               is_copy ? "a copy of" : "found again:", Describe(target->key()),
               target->contiguous_end());
  target->Attach({shared, inode.device, inode.inode, is_copy}, info->size, now);
  target->set_at_home(!is_copy && file.path == target->key().path);
  by_inode_[inode] = target->key();
  ++open_files_;
}

// A finished stream that left memory, found again at the same inode with the same head
// (a rotated name, a restart). One that did not grow is only remembered as ignored.
LiveStream* Shipper::RecallFinished(const InodeKey& inode, std::string_view head, uint64_t size) {
  auto found = checkpoint_->FindFinished(inode.device, inode.inode);
  if (!found.ok()) {
    Report(std::to_string(inode.inode), found.status());
    return nullptr;
  }
  if (!*found) return nullptr;
  const StreamIdentity& id = (*found)->identity;
  if (id.head_size > head.size() || Crc32c(head.substr(0, id.head_size)) != id.head_crc32c) {
    return nullptr;
  }
  LiveStream recalled(std::move(**found));
  if (size <= recalled.planned_end()) {
    ignored_[inode] = size;
    return nullptr;
  }
  recalled.Detach(env_->SteadyNow());
  auto [it, inserted] = streams_.emplace(recalled.key(), std::move(recalled));
  return &it->second;
}

// The stream a file is a copy of (copytruncate): a stream on another inode whose head
// fingerprint the file shares and whose last stored chunk it holds byte for byte.
// Streams that lost their own file are preferred: they are the ones waiting for a copy.
LiveStream* Shipper::FindCopyTarget(const RandomAccessFile& file, const FileInfo& info,
                                    std::string_view head) {
  LiveStream* best = nullptr;
  for (auto& [key, s] : streams_) {
    const auto& id = s.identity();
    if (id.head_size == 0 || id.head_size > head.size()) continue;
    if (id.device == info.device && id.inode == info.inode) continue;
    if (Crc32c(head.substr(0, id.head_size)) != id.head_crc32c) continue;
    if (best != nullptr && best->source() == nullptr && s.source() != nullptr) continue;
    // A copy holds at least what its stream stored, and the last stored chunk byte for
    // byte. A shorter file, or one that differs there, is a new stream that merely
    // starts alike (a banner): shipping it again is better than not at all.
    const ChunkRecord* last = s.last_contiguous_chunk();
    if (info.size < s.contiguous_end()) continue;
    if (last != nullptr && !HoldsChunk(file, *last)) continue;
    best = &s;
  }
  return best;
}

void Shipper::OpenStream(const DiscoveredFile& file, std::shared_ptr<RandomAccessFile> handle,
                         const FileInfo& info, const StreamIdentity& head) {
  uint32_t id = 0;
  for (auto it = streams_.lower_bound(StreamKey{file.path, 0});
       it != streams_.end() && it->first.path == file.path; ++it) {
    id = it->first.stream + 1;
  }
  StreamKey key{file.path, id};
  CheckpointedStream recorded{key, head, false, 0, false, {}, {}};
  auto [it, inserted] = streams_.emplace(key, LiveStream(std::move(recorded)));
  (void)inserted;
  LiveStream& s = it->second;
  s.Attach({std::move(handle), info.device, info.inode, false}, info.size, env_->SteadyNow());
  s.set_at_home(true);
  by_inode_[{info.device, info.inode}] = key;
  ++open_files_;
  batch_.new_streams.push_back({key, head});
  ++manifest_version_;
  spdlog::info("shipping {} from byte 0 ({} bytes now)", Describe(key), info.size);
}

void Shipper::PollSizes() {
  const auto now = env_->SteadyNow();
  for (auto& [key, s] : streams_) {
    const auto* src = s.source();
    if (src == nullptr) continue;
    auto info = src->file->Stat();
    if (!info.ok()) {
      Report(key.path, info.status());
      continue;
    }
    if (!s.Observe(info->size, now)) LoseSource(s, "was truncated");
  }
}

// The stream's file no longer holds its bytes (truncated in place, or rewritten). What
// was planned and not stored can still come from a copy (copytruncate); the inode itself
// now holds a new stream, found by the next rescan.
void Shipper::LoseSource(LiveStream& s, const char* why) {
  const auto* src = s.source();
  by_inode_.erase({src->device, src->inode});
  --open_files_;
  const uint64_t pending = s.size() > s.contiguous_end() ? s.size() - s.contiguous_end() : 0;
  spdlog::info("{} {} at byte {}; {} bytes not stored yet are taken from a copy if one "
               "appears within rotate_wait",
               Describe(s.key()), why, s.contiguous_end(), pending);
  s.Detach(env_->SteadyNow());
  ignored_.clear();  // a copy judged "nothing new" before may now be needed
  next_rescan_ = {};
}

void Shipper::HandleOutcomes() {
  for (UploadOutcome& o : pool_->Collect()) {
    auto it = streams_.find(o.job.stream);
    if (it == streams_.end()) continue;
    LiveStream& s = it->second;
    s.set_in_flight(o.job.range.begin, false);
    const auto& range = o.job.range;
    switch (o.kind) {
      case UploadOutcome::Kind::kStored:
        o.record.written = WrittenBoundsOf(s, range);
        recorder_->Shipped(s.ArrivalOf(range.begin, env_->SteadyNow()),
                           s.ArrivalOf(range.end - 1, env_->SteadyNow()));
        s.Ack(o.record);
        batch_.acked.push_back({s.key(), o.record});
        metrics_->Add("lifeboat_bytes_shipped_total", static_cast<double>(range.size()));
        metrics_->Add("lifeboat_bytes_stored_total", static_cast<double>(o.record.stored_size));
        metrics_->Add("lifeboat_chunks_shipped_total", 1);
        if (o.already_stored) metrics_->Add("lifeboat_chunks_already_stored_total", 1);
        ++manifest_version_;
        UpgradeIdentity(s);
        break;
      case UploadOutcome::Kind::kUnreadable:
        // The file shrank: the range waits for a copy, or is adopted or given up.
        if (const auto* src = s.source(); src != nullptr) {
          auto info = src->file->Stat();
          if (info.ok() && !s.Observe(info->size, env_->SteadyNow())) LoseSource(s, "was truncated");
        }
        break;
      case UploadOutcome::Kind::kMissing:
      case UploadOutcome::Kind::kConflict:
        if (o.kind == UploadOutcome::Kind::kConflict) {
          spdlog::error("{}: bytes {}..{} not shipped: {}", Describe(s.key()), range.begin,
                        range.end, o.error.message());
        } else {
          spdlog::warn("{}: bytes {}..{} lost: the file was truncated or deleted before they "
                       "were shipped",
                       Describe(s.key()), range.begin, range.end);
        }
        s.Abandon(range);
        batch_.abandoned.push_back({s.key(), range});
        metrics_->Add("lifeboat_bytes_lost_total", static_cast<double>(range.size()));
        ++manifest_version_;
        break;
      case UploadOutcome::Kind::kAborted:
        break;
    }
  }
}

// The stream saw its bytes arrive on the steady clock; the manifest states wall time,
// taken from the last wall-clock reading (at start-up or the last manifest update: no
// extra reading per chunk). The wall clock may be slewed meanwhile (NTP: at most 0.5 ms
// a second), so the bounds are widened by a second on either side.
WrittenBounds Shipper::WrittenBoundsOf(const LiveStream& s, ByteRange range) const {
  constexpr int64_t kSlackMs = 1000;
  const auto [wall_then, steady_then] = clock_anchor_;
  auto wall_ms = [&, wall_then = wall_then, steady_then = steady_then](SteadyTime t) {
    return UnixMs(wall_then + std::chrono::duration_cast<std::chrono::system_clock::duration>(t - steady_then));
  };
  const LiveStream::WrittenBetween between = s.WrittenTimes(range, env_->SteadyNow());
  return {between.after ? wall_ms(*between.after) - kSlackMs : 0, wall_ms(between.by) + kSlackMs};
}

std::string Shipper::KeyOf(const StreamKey& key, ByteRange range) const {
  return ChunkKey(options_.instance_id, key.path,
                  ChunkName{key.stream, range.begin, range.end, options_.codec});
}

// Whether some stream's oldest pending byte is max_age old. Bytes left over by the last
// flush (a partial line) count from that flush, so a line that never ends does not make
// every tick a flush.
bool Shipper::FlushDue(SteadyTime now) const {
  for (const auto& [key, s] : streams_) {
    if (s.finished() || s.source() == nullptr || s.size() <= s.planned_end()) continue;
    const SteadyTime oldest = std::max(s.ArrivalOf(s.planned_end(), now), last_flush_);
    if (now - oldest >= options_.max_age) return true;
  }
  return false;
}

Status Shipper::PlanAndSubmit(bool final) {
  std::vector<UploadJob> jobs;
  // Cut for cost, drain for safety: a stream is cut on its own only when max_bytes are
  // pending. When any stream's oldest byte reaches max_age, every stream is cut at once,
  // so that the chunks of one flush share one manifest update.
  const auto now = env_->SteadyNow();
  const bool flush_all = final || FlushDue(now);
  if (flush_all) last_flush_ = now;
  for (auto& [key, s] : streams_) {
    if (!s.finished()) PlanStream(s, final, flush_all, jobs);
  }
  // The plans are durable before any upload starts: after a crash the same ranges are
  // sent again under the same keys.
  LIFEBOAT_RETURN_IF_ERROR(Commit());
  for (auto& job : jobs) {
    streams_.at(job.stream).set_in_flight(job.range.begin, true);
    pool_->Submit(std::move(job));
  }
  return Status::Ok();
}

void Shipper::PlanStream(LiveStream& s, bool final, bool flush_all, std::vector<UploadJob>& jobs) {
  const auto now = env_->SteadyNow();
  const size_t queue_limit = kQueuedPerWorker * static_cast<size_t>(options_.parallel);
  auto room = [&] { return pool_->pending() + jobs.size() < queue_limit; };
  const auto* src = s.source();
  const bool waited = now - s.detached_at() >= options_.rotate_wait;

  // Ranges planned earlier and not being uploaded: recovered from the checkpoint, or
  // unreadable from a file that was truncated. Without a file that holds them, an
  // earlier run may still have stored them (it crashed before recording the
  // acknowledgement): the job adopts the object, or reports the bytes lost.
  for (const auto& [begin, range] : s.planned()) {
    if (s.in_flight(begin) || !room()) continue;
    if (src != nullptr && s.size() >= range.end) {
      jobs.push_back({s.key(), range, KeyOf(s.key(), range), src->file});
    } else if ((src == nullptr || s.size() < range.end) && (final || waited)) {
      jobs.push_back({s.key(), range, KeyOf(s.key(), range), nullptr});
    }
  }
  if (src == nullptr) return;

  // A stream whose file was rotated away (or is a copy) and stopped growing is drained to
  // its last byte, partial line included: nothing will complete that line.
  const bool drain = final || (!s.at_home() && now - s.last_change() >= options_.rotate_wait);
  // A chunk cut for size runs to the last line end within twice max_bytes, so that it
  // holds at least max_bytes (less only when a line is longer than the window).
  const uint64_t window = 2 * options_.max_bytes;
  uint64_t pos = s.planned_end();
  size_t planned_here = 0;
  while (pos < s.size() && room() &&
         s.in_flight_count() + planned_here < static_cast<size_t>(options_.parallel)) {
    const bool full = s.size() - pos >= options_.max_bytes;
    if (!full && !flush_all && !drain) break;
    auto end = FindChunkEnd(*src->file, pos, s.size(), window, drain);
    if (!end.ok()) {
      Report(s.key().path, end.status());
      break;
    }
    if (*end == pos) break;  // only a partial line so far
    const ByteRange range{pos, *end};
    s.Plan(range);
    batch_.planned.push_back({s.key(), range});
    jobs.push_back({s.key(), range, KeyOf(s.key(), range), src->file});
    ++planned_here;
    pos = *end;
  }
}

// Closes streams that are done: shipped to the end of a file that left its path (or of a
// copy) and idle for rotate_wait, or without a file and with nothing left to adopt.
void Shipper::RetireStreams(bool final) {
  const auto now = env_->SteadyNow();
  for (auto& [key, s] : streams_) {
    if (s.finished() || !s.planned().empty()) continue;
    const auto* src = s.source();
    const bool had_file = src != nullptr;
    const bool at_home = s.at_home();
    if (had_file) {
      if (s.planned_end() < s.size()) continue;
      if (at_home) {
        // An idle file still at its path (yesterday's log.1 when the agent started) need
        // not hold a descriptor: if it grows, the rescan opens it again. Only at a line
        // end, so that a line is never split across chunks by closing.
        if (final || now - s.last_change() < kIdleClose || !EndsWithLineEnd(*src->file, s.size())) {
          continue;
        }
      } else if (!final && now - s.last_change() < options_.rotate_wait) {
        continue;
      }
      by_inode_.erase({src->device, src->inode});
      --open_files_;
      s.Detach(now);
    } else if (!final && now - s.detached_at() < options_.rotate_wait) {
      continue;
    }
    s.set_finished(true);
    batch_.finished.push_back(key);
    metrics_->Remove("lifeboat_oldest_unshipped_seconds", GaugeLabels(key));
    spdlog::log(at_home ? spdlog::level::debug : spdlog::level::info,
                "{}: shipped to its end ({} bytes){}", Describe(key), s.contiguous_end(),
                had_file ? ", closed" : "");
  }
}

// The head fingerprint covers up to 1 KiB of bytes already stored, so it grows with a
// stream that started small; a longer fingerprint tells copies and reused inodes apart.
void Shipper::UpgradeIdentity(LiveStream& s) {
  const auto* src = s.source();
  const auto& id = s.identity();
  if (src == nullptr || id.head_size >= kIdentityHeadBytes || s.contiguous_end() <= id.head_size) {
    return;
  }
  auto head = ReadHead(*src->file, std::min(s.contiguous_end(), kIdentityHeadBytes));
  if (!head.ok() || head->size() <= id.head_size) return;
  if (Crc32c(std::string_view(*head).substr(0, id.head_size)) != id.head_crc32c) return;
  StreamIdentity upgraded{id.device, id.inode, head->size(), Crc32c(*head)};
  s.set_identity(upgraded);
  batch_.identities.push_back({s.key(), upgraded});
}

Status Shipper::Commit() {
  if (batch_.empty()) return Status::Ok();
  LIFEBOAT_RETURN_IF_ERROR(checkpoint_->Apply(batch_));
  batch_ = {};
  return Status::Ok();
}

// The head lists every stream in memory with its tail. When the tails pass
// kMaxTailChunks they become the next part, queued before the head that counts it; the
// checkpoint forgets those chunks once that head is stored (SettleParts).
void Shipper::PublishManifest(bool sealed) {
  Manifest m;
  m.instance_id = options_.instance_id;
  m.tool = options_.tool;
  const WallTime now = env_->Now();  // the update's one wall-clock reading
  clock_anchor_ = {now, env_->SteadyNow()};
  m.updated_at = FormatRfc3339(now);
  m.sealed = sealed;
  m.parts = manifest_parts_;
  for (const auto& [key, s] : streams_) {
    // While uploads finish out of order only the gap-free prefix is claimed; a sealed
    // manifest lists everything stored, so bytes lost in between show up as a gap.
    m.streams.push_back({key.path, key.stream, s.identity(), s.base_end(), s.finished(),
                         s.Tail(sealed)});
  }
  if (sealed) ++manifest_version_;
  const auto parts = RollManifest(m);
  // The record (when due) is queued after the parts and before the head, so a stored
  // head means a stored record.
  auto record_writes = recorder_->OnManifest(now, m, parts);
  if (!parts.empty()) {
    for (const ManifestPart& part : parts) {
      publisher_->PublishPart(ManifestPartKey(options_.instance_id, part.number),
                              ManifestPartToJson(part));
    }
    PendingPart pending{manifest_version_, parts.back().number, {}};
    for (auto& [key, s] : streams_) {
      s.MoveBase();
      pending.ends.push_back({key, {s.base_end(), s.base_end()}});
    }
    manifest_parts_ = parts.back().number;
    pending_parts_.push_back(std::move(pending));
  }
  for (auto& [key, body] : record_writes) publisher_->PublishPart(std::move(key), std::move(body));
  publisher_->Publish(manifest_version_, ManifestToJson(m));
  published_version_ = manifest_version_;
  next_manifest_ = env_->SteadyNow() + options_.manifest_interval;
  unpublished_since_ = {};
}

// Records the parts whose head is stored, then lets go of finished streams that the
// parts list whole (the newest stream of a path stays: the next one's number follows it).
void Shipper::SettleParts() {
  const uint64_t stored = publisher_->stored_version();
  while (!pending_parts_.empty() && pending_parts_.front().version <= stored) {
    PendingPart& p = pending_parts_.front();
    batch_.manifest_parts = p.number;
    for (auto& end : p.ends) batch_.part_ends.push_back(std::move(end));
    pending_parts_.pop_front();
  }
  if (!pending_parts_.empty()) return;
  for (auto it = streams_.begin(); it != streams_.end();) {
    const LiveStream& s = it->second;
    auto next = std::next(it);
    const bool newest = next == streams_.end() || next->first.path != it->first.path;
    if (s.finished() && !newest && s.in_parts() && s.planned().empty() &&
        s.base_end() == s.contiguous_end()) {
      it = streams_.erase(it);
    } else {
      it = next;
    }
  }
}

void Shipper::UpdateGauges() {
  const auto now = env_->SteadyNow();
  size_t active = 0;
  for (const auto& [key, s] : streams_) {
    if (s.finished()) continue;
    ++active;
    double age = 0;
    if (s.source() != nullptr && s.size() > s.contiguous_end()) {
      age = std::chrono::duration<double>(now - s.ArrivalOf(s.contiguous_end(), now)).count();
    }
    metrics_->Set("lifeboat_oldest_unshipped_seconds", age, GaugeLabels(key));
  }
  metrics_->Set("lifeboat_streams", static_cast<double>(active));
  // Requests the store's own client repeated (S3 retries inside one upload attempt).
  const uint64_t retries = store_->retries();
  if (retries > store_retries_seen_) {
    const double delta = static_cast<double>(retries - store_retries_seen_);
    metrics_->Add("lifeboat_upload_retries_total", delta);
    metrics_->Add("lifeboat_upload_errors_total", delta);
    store_retries_seen_ = retries;
  }
  // Requests by operation, what the bill counts: each PUT is $0.005 per 1,000.
  for (const auto& [op, count] : store_->requests_by_operation()) {
    uint64_t& seen = requests_seen_[op];
    if (count <= seen) continue;
    metrics_->Add("lifeboat_s3_requests_total", static_cast<double>(count - seen), {{"op", op}});
    seen = count;
  }
  metrics_->Set("lifeboat_open_files", open_files_);
}

Status Shipper::Drain(const std::function<bool()>& aborted) {
  spdlog::info("shipping every source to its last byte");
  for (int pass = 1;; ++pass) {
    HandleOutcomes();
    Rescan();
    PollSizes();
    bool grew = false;
    for (const auto& [key, s] : streams_) {
      if (s.source() != nullptr && s.planned_end() < s.size()) grew = true;
    }
    LIFEBOAT_RETURN_IF_ERROR(PlanAndSubmit(true));
    while (Busy()) {
      if (aborted()) return Status::Cancelled("stopped before every source was shipped");
      env_->SleepFor(milliseconds(10));
      HandleOutcomes();
      LIFEBOAT_RETURN_IF_ERROR(PlanAndSubmit(true));
    }
    LIFEBOAT_RETURN_IF_ERROR(Commit());
    if (!grew) break;
    if (pass == kMaxDrainPasses) {
      spdlog::warn("sources still growing after {} passes; sealing what is shipped", pass);
      break;
    }
  }
  PublishManifest(true);
  const uint64_t version = manifest_version_;
  while (publisher_->stored_version() < version) {
    if (aborted()) return Status::Cancelled("stopped before the sealed manifest was stored");
    env_->SleepFor(milliseconds(10));
  }
  UpdateGauges();
  spdlog::info("sealed manifest stored at {}", store_->Describe(ManifestKey(options_.instance_id)));
  return Status::Ok();
}

void Shipper::EndWith(EndCause cause) {
  if (recorder_) recorder_->EndWith(cause);
}

// Uploads still queued or running, or planned ranges that a job can still settle.
bool Shipper::Busy() const {
  if (pool_->pending() > 0) return true;
  for (const auto& [key, s] : streams_) {
    if (!s.finished() && !s.planned().empty()) return true;
  }
  return false;
}

}  // namespace lifeboat
