// ChunkUploader: ships one byte range of a file as one object, exactly once.
//
// Reads the range in blocks, encodes it as one frame, streams the frame into a
// create-only write, and computes the CRC32C of the raw and the stored bytes on the way.
// When the key already exists (a re-run, or a crash after the store acknowledged), the
// stored object is accepted only if it holds the same raw bytes: identical stored bytes,
// or a frame that decodes to the same length and CRC32C (e.g. written at another level).
//
// One uploader per worker thread: it owns an encoder and buffers reused across chunks.
#ifndef LIFEBOAT_SHIP_CHUNK_UPLOADER_H_
#define LIFEBOAT_SHIP_CHUNK_UPLOADER_H_

#include <atomic>
#include <memory>
#include <string>

#include "common/env.h"
#include "ship/codec.h"
#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

struct UploadedChunk {
  ChunkRecord record;
  bool already_stored = false;  // the key existed with the same content
};

class ChunkUploader {
 public:
  // `store` must outlive the uploader.
  static Result<std::unique_ptr<ChunkUploader>> Create(ObjectStore* store, Codec codec, int level);

  // Ships [range.begin, range.end) of `file` under `key`. kDataLoss when the file shrank
  // below range.end, or when the key holds different content. Adds the raw bytes read to
  // `*bytes_read` as it goes, when given (progress display).
  Result<UploadedChunk> Upload(const RandomAccessFile& file, const std::string& key,
                               ByteRange range, std::atomic<uint64_t>* bytes_read = nullptr);

  // Checks that the object at `key` holds exactly the raw bytes `expected` describes
  // (range size and raw CRC32C), decoding it if needed; returns its stored size and CRC.
  static Result<ChunkRecord> CheckStoredChunk(ObjectStore* store, const std::string& key,
                                              const ChunkRecord& expected);

 private:
  ChunkUploader(ObjectStore* store, Codec codec, std::unique_ptr<Encoder> encoder);

  ObjectStore* store_;
  Codec codec_;
  std::unique_ptr<Encoder> encoder_;
  std::string read_buf_;
  std::string out_buf_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_CHUNK_UPLOADER_H_
