#include "ship/chunk_uploader.h"

#include "common/hash.h"

namespace lifeboat {
namespace {

constexpr size_t kReadBlock = 256 << 10;
// Encoded output is handed to the writer in pieces of about this size; the S3 writer
// gathers them into parts.
constexpr size_t kHandOff = 256 << 10;

}  // namespace

Result<std::unique_ptr<ChunkUploader>> ChunkUploader::Create(ObjectStore* store, Codec codec,
                                                             int level) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto encoder, Encoder::Create(codec, level));
  return std::unique_ptr<ChunkUploader>(new ChunkUploader(store, codec, std::move(encoder)));
}

ChunkUploader::ChunkUploader(ObjectStore* store, Codec codec, std::unique_ptr<Encoder> encoder)
    : store_(store), codec_(codec), encoder_(std::move(encoder)), read_buf_(kReadBlock, '\0') {}

Result<UploadedChunk> ChunkUploader::Upload(const RandomAccessFile& file, const std::string& key,
                                            ByteRange range, std::atomic<uint64_t>* bytes_read) {
  WriteOptions options;
  options.if_none_match = true;
  options.content_type = std::string(CodecContentType(codec_));
  LIFEBOAT_ASSIGN_OR_RETURN(auto writer, store_->NewWriter(key, options));

  ChunkRecord record;
  record.range = range;
  record.codec = codec_;
  out_buf_.clear();
  auto hand_off = [&]() -> Status {
    record.stored_crc32c = Crc32cExtend(record.stored_crc32c, out_buf_);
    record.stored_size += out_buf_.size();
    Status s = writer->Append(out_buf_);
    out_buf_.clear();
    return s;
  };

  LIFEBOAT_RETURN_IF_ERROR(encoder_->Begin(range.size()));
  for (uint64_t offset = range.begin; offset < range.end;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kReadBlock, range.end - offset));
    LIFEBOAT_ASSIGN_OR_RETURN(size_t got, file.ReadAt(offset, read_buf_.data(), want));
    if (got == 0) {
      return Status::DataLoss("file shrank to " + std::to_string(offset) +
                              " bytes while being read (expected " + std::to_string(range.end) + ")");
    }
    const std::string_view block(read_buf_.data(), got);
    record.raw_crc32c = Crc32cExtend(record.raw_crc32c, block);
    LIFEBOAT_RETURN_IF_ERROR(encoder_->Update(block, &out_buf_));
    if (out_buf_.size() >= kHandOff) LIFEBOAT_RETURN_IF_ERROR(hand_off());
    offset += got;
    if (bytes_read != nullptr) *bytes_read += got;
  }
  LIFEBOAT_RETURN_IF_ERROR(encoder_->Finish(&out_buf_));
  LIFEBOAT_RETURN_IF_ERROR(hand_off());

  Status committed = writer->Commit();
  if (committed.ok()) return UploadedChunk{record, false};
  if (committed.code() != StatusCode::kAlreadyExists) return committed;
  LIFEBOAT_ASSIGN_OR_RETURN(ChunkRecord existing, CheckStoredChunk(store_, key, record));
  return UploadedChunk{existing, true};
}

Result<ChunkRecord> ChunkUploader::CheckStoredChunk(ObjectStore* store, const std::string& key,
                                                    const ChunkRecord& expected) {
  ChunkRecord found = expected;
  // Cheap path: the store knows the object's checksum and it is the one expected.
  LIFEBOAT_ASSIGN_OR_RETURN(ObjectInfo info, store->Head(key));
  if (info.crc32c && expected.stored_size == info.size &&
      *info.crc32c == expected.stored_crc32c && expected.stored_size > 0) {
    return found;
  }
  // Otherwise read it back and compare what it decodes to.
  LIFEBOAT_ASSIGN_OR_RETURN(std::string stored, store->Get(key));
  found.codec = CodecFromObjectName(key);
  found.stored_size = stored.size();
  found.stored_crc32c = Crc32c(stored);
  auto digest = DigestFrame(found.codec, stored);
  if (!digest.ok() || *digest != RawDigest{expected.range.size(), expected.raw_crc32c}) {
    return Status::DataLoss(store->Describe(key) +
                            " already exists with different content; it was not overwritten" +
                            (digest.ok() ? "" : " (" + digest.status().message() + ")"));
  }
  return found;
}

}  // namespace lifeboat
