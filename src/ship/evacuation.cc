#include "ship/evacuation.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "common/time_text.h"
#include "ship/chunk_planner.h"
#include "ship/chunk_uploader.h"
#include "ship/continued_manifest.h"
#include "ship/object_keys.h"
#include "ship/source_paths.h"
#include "ship/stream_identity.h"

namespace lifeboat {
namespace {

struct ChunkOutcome {
  enum State { kPending, kDone, kFailed, kWithheld } state = kPending;
  UploadedChunk chunk;
  Status error;
};

}  // namespace

struct Evacuation::FileWork {
  FileReport report;
  bool from_glob = false;
  bool skipped = false;  // a directory that a glob matched
  std::unique_ptr<RandomAccessFile> file;
  StreamIdentity identity;
  bool new_stream = false;
  uint64_t limit = 0;  // the size when opened: this run ships up to here
  WrittenBounds written;  // of every chunk this run ships of the file
  std::vector<ByteRange> planned;
  std::vector<ChunkOutcome> outcomes;
  std::unique_ptr<std::atomic<size_t>> chunks_left = std::make_unique<std::atomic<size_t>>(0);
};

int EvacuationDefaultLevel(Codec codec) {
  return codec == Codec::kZstd ? 1 : CodecDefaultLevel(codec);
}

int EvacuationDefaultParallel() {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::clamp(cores * 2, 2u, 16u));
}

bool EvacuationReport::ok() const { return failed_files() == 0 && manifest_status.ok(); }

size_t EvacuationReport::failed_files() const {
  size_t n = 0;
  for (const auto& f : files) n += f.status.ok() ? 0 : 1;
  return n;
}

Evacuation::Evacuation(Env* env, ObjectStore* store, EvacuationOptions options)
    : env_(env), store_(store), options_(std::move(options)) {}

Result<Manifest> Evacuation::LoadManifest() {
  const std::string key = ManifestKey(options_.instance_id);
  Manifest fresh;
  fresh.instance_id = options_.instance_id;
  fresh.tool = options_.tool;
  fresh.updated_at = FormatRfc3339(env_->Now());
  // A 403 is "none yet" only when the key turns out free (continued_manifest.h says why).
  LIFEBOAT_ASSIGN_OR_RETURN(auto text, ReadManifestToContinue(*store_, fresh));
  if (!text) return fresh;
  auto manifest = ParseManifest(*text);
  if (!manifest.ok()) {
    return manifest.status().WithContext(store_->Describe(key) +
                                         " (left untouched; move it away to start anew)");
  }
  if (manifest->instance_id != options_.instance_id) {
    return Status::DataLoss(store_->Describe(key) + " belongs to instance '" +
                            manifest->instance_id + "', not '" + options_.instance_id + "'");
  }
  return manifest;
}

void Evacuation::Prepare(FileWork& work, Manifest& manifest) {
  const std::string& path = work.report.path;
  auto fail = [&](Status s) { work.report.status = std::move(s); };

  auto info = env_->Stat(path);
  if (!info.ok()) return fail(info.status());
  if (info->type == FileType::kDirectory) {
    if (work.from_glob) {
      work.skipped = true;
      return;
    }
    return fail(Status::InvalidArgument(path + ": is a directory (name its files, or a glob "
                                        "such as " + path + "/*.log)"));
  }
  if (info->type != FileType::kRegular) return fail(Status::InvalidArgument(path + ": not a regular file"));

  auto file = env_->OpenForRead(path);
  if (!file.ok()) return fail(file.status());
  work.file = std::move(*file);
  auto opened = work.file->Stat();  // what we will read, even if the path changes now
  if (!opened.ok()) return fail(opened.status());
  auto identity = IdentifyStream(*work.file, *opened);
  if (!identity.ok()) return fail(identity.status().WithContext(path));
  work.identity = *identity;
  work.limit = opened->size;

  // Continue the recorded stream if this is still the same file and it has not shrunk;
  // otherwise (rotated, replaced, truncated) it is a new stream of the same path.
  bool resume = false;
  const StreamRecord* latest = manifest.LatestStream(path);
  if (latest != nullptr) {
    auto same = IsSameStream(*work.file, *opened, latest->identity);
    if (!same.ok()) return fail(same.status().WithContext(path));
    resume = *same && opened->size >= latest->end();
  }
  const uint64_t start = resume ? latest->end() : 0;
  work.new_stream = !resume;
  // Every byte up to `limit` was there when the file was last modified (or, with a clock
  // that disagrees, when it was opened). A log only grows: the bytes after a recorded
  // chunk were written after that chunk's own lower bound.
  const int64_t opened_ms = UnixMs(env_->Now());
  const int64_t mtime_ms = opened->mtime_ns / 1'000'000 + 1;
  work.written.by_ms = mtime_ms > 1 && mtime_ms <= opened_ms ? mtime_ms : opened_ms;
  if (resume && !latest->chunks.empty()) work.written.after_ms = latest->chunks.back().written.after_ms;
  work.report.stream = resume ? latest->stream : manifest.NextStreamId(path);
  work.report.stored_end = start;

  auto planned = PlanChunks(*work.file, start, work.limit, options_.chunk_bytes, /*final=*/true);
  if (!planned.ok()) return fail(planned.status().WithContext(path));
  work.planned = std::move(*planned);
  work.outcomes.resize(work.planned.size());
  *work.chunks_left = work.planned.size();
}

void Evacuation::ShipAll(std::vector<FileWork>& works, EvacuationProgress* progress) {
  struct Task {
    FileWork* work;
    size_t index;
  };
  std::vector<Task> tasks;
  for (auto& w : works) {
    for (size_t i = 0; i < w.planned.size(); ++i) tasks.push_back({&w, i});
  }
  // Largest first, so that no big chunk is left running alone at the end while the other
  // workers idle (outcomes are recorded per file in byte order whatever the order here).
  std::stable_sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
    return a.work->planned[a.index].size() > b.work->planned[b.index].size();
  });
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> ignored_bytes{0};
  std::atomic<uint64_t>* bytes_done = progress ? &progress->bytes_done : &ignored_bytes;

  auto worker = [&] {
    auto uploader = ChunkUploader::Create(store_, options_.codec, options_.level);
    for (size_t t; (t = next.fetch_add(1)) < tasks.size();) {
      FileWork& w = *tasks[t].work;
      ChunkOutcome& out = w.outcomes[tasks[t].index];
      ByteRange range = w.planned[tasks[t].index];
      const bool tail = tasks[t].index + 1 == w.planned.size();
      if (tail && range.end == w.limit) {
        // A file still being written may end mid-line: ship only whole lines then.
        auto now = w.file->Stat();
        if (now.ok() && now->size > w.limit) {
          auto end = FindChunkEnd(*w.file, range.begin, w.limit, options_.chunk_bytes, false);
          if (end.ok()) range.end = *end;
        }
      }
      if (!uploader.ok()) {
        out = {ChunkOutcome::kFailed, {}, uploader.status()};
      } else if (range.end == range.begin) {
        out = {ChunkOutcome::kWithheld, {}, Status::Ok()};
      } else {
        const std::string key = ChunkKey(
            options_.instance_id, w.report.path,
            {w.report.stream, range.begin, range.end, options_.codec});
        auto r = (*uploader)->Upload(*w.file, key, range, bytes_done);
        if (r.ok()) {
          out = {ChunkOutcome::kDone, *r, Status::Ok()};
        } else {
          out = {ChunkOutcome::kFailed, {}, r.status()};
        }
      }
      if (--*w.chunks_left == 0 && progress) ++progress->files_done;
    }
  };
  const size_t threads = std::min<size_t>(static_cast<size_t>(std::max(1, options_.parallel)),
                                          tasks.size());
  std::vector<std::thread> pool;
  for (size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
  if (threads > 0) worker();
  for (auto& t : pool) t.join();
}

bool Evacuation::Record(FileWork& work, Manifest& manifest) {
  FileReport& r = work.report;
  if (!r.status.ok() || work.skipped) return false;
  bool changed = false;
  StreamRecord* stream = nullptr;
  if (work.new_stream) {
    const bool any_done = !work.outcomes.empty() && work.outcomes[0].state == ChunkOutcome::kDone;
    if (!any_done && work.limit > 0) {
      // Nothing of a new stream is stored: recording it would claim nothing useful.
    } else {
      manifest.streams.push_back({r.path, r.stream, work.identity, 0, false, {}});
      stream = &manifest.streams.back();
      changed = true;
    }
  } else {
    stream = manifest.LatestStream(r.path);
    if (stream != nullptr && work.identity.head_size > stream->identity.head_size) {
      stream->identity = work.identity;  // a longer head identifies the stream better
      changed = true;
    }
  }
  for (auto& out : work.outcomes) {
    if (out.state == ChunkOutcome::kWithheld) break;
    if (out.state != ChunkOutcome::kDone) {
      r.status = out.error.WithContext(r.path);
      break;
    }
    out.chunk.record.written = work.written;
    if (stream != nullptr) stream->chunks.push_back(out.chunk.record);
    changed = true;
    const ChunkRecord& c = out.chunk.record;
    if (out.chunk.already_stored) {
      ++r.chunks_already_stored;
    } else {
      ++r.chunks_uploaded;
      r.raw_bytes += c.range.size();
      r.stored_bytes += c.stored_size;
    }
  }
  if (stream != nullptr) r.stored_end = stream->end();
  auto now = work.file->Stat();
  if (now.ok() && now->size > r.stored_end && r.status.ok()) {
    r.bytes_written_since = now->size - r.stored_end;
  }
  return changed;
}

Result<EvacuationReport> Evacuation::Run(const std::vector<std::string>& arguments,
                                         EvacuationProgress* progress) {
  const auto started = env_->SteadyNow();
  LIFEBOAT_RETURN_IF_ERROR(ValidateInstanceId(options_.instance_id));
  LIFEBOAT_RETURN_IF_ERROR(Encoder::Create(options_.codec, options_.level).status());
  if (options_.parallel < 1) return Status::InvalidArgument("--parallel must be at least 1");
  if (options_.chunk_bytes < 4096) return Status::InvalidArgument("chunk size must be at least 4 KiB");
  if (arguments.empty()) return Status::InvalidArgument("no file to evacuate was named");

  LIFEBOAT_ASSIGN_OR_RETURN(Manifest manifest, LoadManifest());
  const bool had_manifest = !manifest.streams.empty() || manifest.sealed;

  std::vector<FileWork> works;
  for (auto& source : ExpandSourcePaths(*env_, arguments)) {
    FileWork w;
    w.report.path = source.path;
    w.report.status = source.error;
    w.from_glob = source.from_glob;
    works.push_back(std::move(w));
  }
  for (auto& w : works) {
    if (w.report.status.ok()) Prepare(w, manifest);
    if (progress && !w.skipped) {
      ++progress->files_total;
      for (const auto& c : w.planned) progress->bytes_total += c.size();
      if (w.planned.empty()) ++progress->files_done;
    }
  }

  ShipAll(works, progress);

  EvacuationReport report;
  bool changed = !had_manifest;
  for (auto& w : works) {
    changed |= Record(w, manifest);
    if (w.skipped) continue;
    const FileReport& r = w.report;
    report.raw_bytes += r.raw_bytes;
    report.stored_bytes += r.stored_bytes;
    report.chunks_uploaded += r.chunks_uploaded;
    report.chunks_already_stored += r.chunks_already_stored;
    report.files.push_back(std::move(w.report));
  }

  const bool sealed = report.failed_files() == 0;
  changed |= manifest.sealed != sealed;
  report.manifest_key = ManifestKey(options_.instance_id);
  if (changed) {
    manifest.sealed = sealed;
    manifest.tool = options_.tool;
    manifest.updated_at = FormatRfc3339(env_->Now());
    WriteOptions overwrite;
    overwrite.if_none_match = false;
    overwrite.content_type = "application/json";
    // Tails past the limit become a part, stored before the head that counts it.
    for (const ManifestPart& part : RollManifest(manifest)) {
      const std::string key = ManifestPartKey(options_.instance_id, part.number);
      report.manifest_status = store_->Put(key, ManifestPartToJson(part), overwrite)
                                   .WithContext("cannot write the manifest part " + store_->Describe(key));
      if (!report.manifest_status.ok()) break;
    }
    if (report.manifest_status.ok()) {
      report.manifest_status = store_->Put(report.manifest_key, ManifestToJson(manifest), overwrite)
                                   .WithContext("cannot write the manifest");
    }
    report.manifest_written = report.manifest_status.ok();
  }
  report.requests = store_->requests();
  report.seconds = std::chrono::duration<double>(env_->SteadyNow() - started).count();
  return report;
}

}  // namespace lifeboat
