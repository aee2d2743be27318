// Verification: proves an instance's logs are complete in the store, against its manifest.
//
// Checks, per stream, that the chunks partition the bytes from 0 (no gap, no overlap),
// and per chunk that the object exists with the recorded size and, unless `quick`, that
// its stored bytes have the recorded CRC32C and decode to the recorded raw length and
// CRC32C. If the store can be listed, chunk objects the manifest does not name are
// reported too: a plain `aws s3 cp --recursive` would put their bytes in the rebuilt files.
#ifndef LIFEBOAT_SHIP_VERIFICATION_H_
#define LIFEBOAT_SHIP_VERIFICATION_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

struct VerifyOptions {
  bool quick = false;  // sizes only: no download
  int parallel = 4;
};

struct VerifyReport {
  Manifest manifest;  // the head: instance, sealed, number of parts
  // What the whole manifest lists.
  size_t streams = 0;
  uint64_t raw_bytes = 0;
  uint64_t stored_bytes = 0;
  uint64_t chunks_checked = 0;
  // Problems in byte order of the streams; empty means verified.
  std::vector<Status> problems;
  std::vector<std::string> warnings;

  bool ok() const { return problems.empty(); }
};

// An error Status when there is no readable manifest to verify against. The manifest is
// read a part at a time: memory follows the number of streams, not of chunks.
Result<VerifyReport> VerifyInstance(ObjectStore* store, const std::string& instance_id,
                                    const VerifyOptions& options);

// The head of the instance's manifest; kNotFound with service code kNoSuchKey when the
// store has none for this instance.
Result<Manifest> ReadManifestHead(ObjectStore* store, const std::string& instance_id);
// Calls `fn` with the streams of each part in order, then with the head's.
Status ForEachManifestPiece(ObjectStore* store, const Manifest& head,
                            const std::function<Status(const std::vector<StreamRecord>&)>& fn);
// The whole manifest, parts and head merged (streams sorted by path and stream), for
// tools that need every chunk at once; errors as ReadManifestHead.
Result<Manifest> ReadManifest(ObjectStore* store, const std::string& instance_id);
// What the manifest headed by `head` records of one source path: its streams (oldest
// first) with every chunk. Memory follows that path's history, not the instance's.
Result<Manifest> ReadPathManifest(ObjectStore* store, const Manifest& head, std::string_view path);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_VERIFICATION_H_
