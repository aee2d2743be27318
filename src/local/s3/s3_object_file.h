// How lifeboat local's S3 keeps an object on disk: ONE file holding a metadata header and
// then the data, so an object and its metadata are written, fsync'd and renamed into place
// together and can never disagree after a crash (a sidecar file would need two renames,
// and a crash between them would pair new data with old metadata).
//
//   bytes 0-7   "LBS3OBJ1"
//   bytes 8-11  n, the length of the JSON header (little-endian uint32)
//   n bytes     JSON: key, size, ETag, Last-Modified, Content-Type, user metadata, checksum
//   size bytes  the object's data
//
// Multipart parts and upload records use the same format. File names encode keys so any
// key (with '/', "..", "//", a trailing '/', bytes > 0x7f) is one flat, safe name.
#ifndef LIFEBOAT_LOCAL_S3_S3_OBJECT_FILE_H_
#define LIFEBOAT_LOCAL_S3_S3_OBJECT_FILE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/env.h"
#include "common/status.h"

namespace lifeboat {

struct ObjectMeta {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // without quotes: "<md5 hex>" or "<md5 of md5s>-<parts>"
  int64_t last_modified_ms = 0;
  std::string content_type;
  // Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires.
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> metadata;  // x-amz-meta-<name>, name lower
  std::string checksum_algorithm;                             // "CRC32C", ...; empty when none
  std::string checksum;              // base64, or "<base64>-<parts>" when composite
  std::string checksum_type;         // "FULL_OBJECT" or "COMPOSITE" with a checksum
  std::vector<uint64_t> part_sizes;  // a multipart object's parts; empty for a single PUT
  int part_number = 0;               // in a part file
};

// The magic, length and JSON that precede the data.
std::string EncodeObjectHeader(const ObjectMeta& meta);

// An object file opened for reading; the descriptor stays valid if the key is replaced.
struct StoredObject {
  ObjectMeta meta;
  uint64_t data_offset = 0;
  std::unique_ptr<RandomAccessFile> file;

  // `length` bytes of the data from `offset`.
  Result<std::string> Read(uint64_t offset, uint64_t length) const;
};

// Opens and checks an object file: magic, header, and a file size that matches the header
// (a torn file is kDataLoss, which fsync-then-rename never leaves behind).
Result<StoredObject> OpenStoredObject(Env* env, const std::string& path);

// The file name of `key`: percent-encoding of every byte but [A-Za-z0-9._~-] (and of a
// leading '.'), or, when that would pass 200 bytes, "#" + SHA-256 hex of the key ('#' never
// starts an encoded name; such a file's key is read from its header).
std::string KeyToFileName(std::string_view key);
// The key a file name encodes; nullopt for a hashed name or a name that is not an encoding.
std::optional<std::string> FileNameToKey(std::string_view name);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_OBJECT_FILE_H_
