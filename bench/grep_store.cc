// grep_store: builds the store `lifeboat grep` is measured on. One log file is cut into
// line-aligned chunks of --chunk bytes, compressed and stored as the agent stores them
// (file:// layout, a manifest of parts and a head), and each chunk is recorded as written
// during its own slice of --span-days: chunk i of n in [start + i*span/n, start +
// (i+1)*span/n]. So a window of 1% of the span holds 1% of the chunks, as on an instance
// that logs at a steady rate.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "ship/chunk_planner.h"
#include "ship/chunk_uploader.h"
#include "ship/manifest.h"
#include "ship/object_keys.h"
#include "store/file_object_store.h"

using namespace lifeboat;

int main(int argc, char** argv) {
  CLI::App app{"grep_store: a store of one log file, with chunks spread over time"};
  std::string log, dir, instance = "i-bench";
  uint64_t chunk = 8 << 20;
  double span_days = 30;
  int64_t start_unix = 1'780'000'000;
  app.add_option("--log", log, "the log file to store")->required();
  app.add_option("--dir", dir, "the store's directory (file:// root)")->required();
  app.add_option("--instance", instance, "instance id");
  app.add_option("--chunk", chunk, "raw bytes per chunk");
  app.add_option("--span-days", span_days, "the time the chunks are spread over");
  app.add_option("--start-unix", start_unix, "when the first chunk begins");
  CLI11_PARSE(app, argc, argv);

  Env* env = Env::Default();
  FileObjectStore store(env, dir);
  auto file = env->OpenForRead(log);
  if (!file.ok()) return std::fprintf(stderr, "grep_store: %s\n", file.status().message().c_str()), 2;
  auto info = (*file)->Stat();
  auto ranges = PlanChunks(**file, 0, info->size, chunk, /*final=*/true);
  if (!ranges.ok()) return std::fprintf(stderr, "grep_store: %s\n", ranges.status().message().c_str()), 2;
  auto uploader = ChunkUploader::Create(&store, Codec::kZstd, 3);
  Manifest head;
  head.instance_id = instance;
  head.tool = "grep_store";
  head.sealed = true;
  head.streams.emplace_back();
  head.streams[0].path = log;
  head.streams[0].identity = {info->device, info->inode, 0, 0};
  const double slice_ms = span_days * 86'400'000.0 / static_cast<double>(ranges->size());
  WriteOptions overwrite;
  overwrite.if_none_match = false;
  for (size_t i = 0; i < ranges->size(); ++i) {
    const ByteRange r = (*ranges)[i];
    auto up = (*uploader)->Upload(**file, ChunkKey(instance, log, {0, r.begin, r.end, Codec::kZstd}), r);
    if (!up.ok()) return std::fprintf(stderr, "grep_store: %s\n", up.status().message().c_str()), 2;
    up->record.written = {start_unix * 1000 + static_cast<int64_t>(slice_ms * static_cast<double>(i)),
                          start_unix * 1000 + static_cast<int64_t>(slice_ms * static_cast<double>(i + 1))};
    head.streams[0].chunks.push_back(up->record);  // RollManifest rebuilds the vector
    for (const ManifestPart& part : RollManifest(head)) {
      Status st = store.Put(ManifestPartKey(instance, part.number), ManifestPartToJson(part), overwrite);
      if (!st.ok()) return std::fprintf(stderr, "grep_store: %s\n", st.message().c_str()), 2;
    }
  }
  for (const ManifestPart& part : RollManifest(head, 0, /*force=*/true)) {
    Status st = store.Put(ManifestPartKey(instance, part.number), ManifestPartToJson(part), overwrite);
    if (!st.ok()) return std::fprintf(stderr, "grep_store: %s\n", st.message().c_str()), 2;
  }
  Status st = store.Put(ManifestKey(instance), ManifestToJson(head), overwrite);
  if (!st.ok()) return std::fprintf(stderr, "grep_store: %s\n", st.message().c_str()), 2;
  std::printf("%zu chunks of %s, spread over %.0f days from %lld\n", ranges->size(), log.c_str(), span_days,
              static_cast<long long>(start_unix));
  return 0;
}
