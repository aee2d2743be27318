// Evacuation: the one-shot shipping behind `lifeboat evacuate`, the replacement for the
// seed's `aws s3 cp /var/log/... s3://BUCKET/$instance/`.
//
// For each file: open it (the descriptor keeps it readable if it is rotated away), find
// its stream in the instance's manifest (continue after the last stored byte) or start a
// new one, plan chunks up to the size it had when opened, and ship them in parallel with
// create-only writes. A chunk is recorded only after the store acknowledged it, and a
// stream's record only grows by a gap-free prefix, so the manifest never claims a byte
// that is not stored. The manifest is written last, and only when something changed:
// running twice uploads nothing.
#ifndef LIFEBOAT_SHIP_EVACUATION_H_
#define LIFEBOAT_SHIP_EVACUATION_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/env.h"
#include "ship/codec.h"
#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

// An evacuation runs while the instance is held in Terminating:Wait, so its defaults are
// for speed: zstd's fastest standard level (1 is a third faster than 3 for ~8% more
// bytes; other codecs keep their own default), two chunks in flight per core (2..16), and
// large chunks (few requests; a chunk over the part size goes up in parallel parts).
int EvacuationDefaultLevel(Codec codec);
int EvacuationDefaultParallel();
inline constexpr uint64_t kDefaultEvacuationChunkBytes = uint64_t{64} << 20;

struct EvacuationOptions {
  std::string instance_id;
  Codec codec = kDefaultCodec;
  int level = EvacuationDefaultLevel(kDefaultCodec);
  uint64_t chunk_bytes = kDefaultEvacuationChunkBytes;
  int parallel = EvacuationDefaultParallel();
  std::string tool;  // recorded in the manifest
};

struct FileReport {
  std::string path;
  Status status;  // OK, or why the file is not completely stored
  uint32_t stream = 0;
  uint64_t stored_end = 0;       // bytes of this stream in the store after the run
  uint64_t raw_bytes = 0;        // shipped by this run
  uint64_t stored_bytes = 0;     // written by this run
  uint64_t chunks_uploaded = 0;
  uint64_t chunks_already_stored = 0;
  uint64_t bytes_written_since = 0;  // the file grew while it was read
};

struct EvacuationReport {
  std::vector<FileReport> files;
  Status manifest_status;
  bool manifest_written = false;
  std::string manifest_key;
  uint64_t raw_bytes = 0;
  uint64_t stored_bytes = 0;
  uint64_t chunks_uploaded = 0;
  uint64_t chunks_already_stored = 0;
  uint64_t requests = 0;
  double seconds = 0;

  // Every file completely stored and the manifest acknowledged.
  bool ok() const;
  size_t failed_files() const;
};

// Counters a progress display may read while Run works.
struct EvacuationProgress {
  std::atomic<uint64_t> bytes_total{0};
  std::atomic<uint64_t> bytes_done{0};
  std::atomic<uint64_t> files_total{0};
  std::atomic<uint64_t> files_done{0};
};

class Evacuation {
 public:
  // `env` and `store` must outlive the evacuation.
  Evacuation(Env* env, ObjectStore* store, EvacuationOptions options);

  // Ships what `arguments` (paths and globs) name. Per-file problems are in the report;
  // an error Status means nothing was attempted (bad options, an unusable manifest, a
  // store that cannot be reached).
  Result<EvacuationReport> Run(const std::vector<std::string>& arguments,
                               EvacuationProgress* progress = nullptr);

 private:
  struct FileWork;
  Result<Manifest> LoadManifest();
  void Prepare(FileWork& work, Manifest& manifest);
  void ShipAll(std::vector<FileWork>& works, EvacuationProgress* progress);
  bool Record(FileWork& work, Manifest& manifest);

  Env* env_;
  ObjectStore* store_;
  EvacuationOptions options_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_EVACUATION_H_
