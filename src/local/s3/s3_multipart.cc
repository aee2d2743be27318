#include "local/s3/s3_multipart.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <set>

#include "common/hash.h"
#include "local/local_service.h"
#include "local/s3/s3_errors.h"

namespace lifeboat {
namespace {

constexpr std::string_view kRecordSuffix = ".upload";
constexpr size_t kCopyBuffer = 8 << 20;

bool IsUploadId(std::string_view id) {
  if (id.size() != 32) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string NewUploadId() {
  std::string id = NewRequestId();
  id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
  return id;
}

std::string RecordName(const std::string& id) { return id + std::string(kRecordSuffix); }

std::string PartName(const std::string& id, int part_number) {
  char n[8];
  std::snprintf(n, sizeof(n), "%05d", part_number);
  return id + "." + n;
}

int64_t NowMs(Env* env) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(env->Now().time_since_epoch())
      .count();
}

std::string StripQuotes(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

// The bytes of a hex string (an ETag's MD5).
std::string HexDecodeOrEmpty(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return "";
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

PartInfo PartFromMeta(const ObjectMeta& m) {
  return PartInfo{m.part_number,        m.size,    m.etag, m.last_modified_ms,
                  m.checksum_algorithm, m.checksum};
}

Status InvalidPart() {
  return S3Error("InvalidPart",
                 "One or more of the specified parts could not be found.  The part may not have "
                 "been uploaded, or the specified entity tag may not have matched the part's "
                 "entity tag.");
}

}  // namespace

Status S3Multipart::Recover() {
  LIFEBOAT_ASSIGN_OR_RETURN(auto buckets, store_->ListBuckets());
  Env* env = store_->env();
  for (const auto& bucket : buckets) {
    const std::string dir = store_->UploadsDir(bucket.name);
    auto names = env->ListDir(dir);
    if (!names.ok()) continue;
    std::set<std::string> live;
    for (const auto& name : *names) {
      if (name.ends_with(kRecordSuffix))
        live.insert(name.substr(0, name.size() - kRecordSuffix.size()));
    }
    for (const auto& name : *names) {
      if (!name.ends_with(kRecordSuffix) && !live.contains(name.substr(0, name.find('.')))) {
        // Best effort: an orphaned part only takes disk space; the next start retries.
        (void)env->Remove(JoinPath(dir, name));
      }
    }
  }
  return Status::Ok();
}

Result<std::string> S3Multipart::Create(const std::string& bucket, ObjectMeta meta) {
  const std::string id = NewUploadId();
  meta.last_modified_ms = NowMs(store_->env());
  meta.size = 0;
  LIFEBOAT_ASSIGN_OR_RETURN(auto staged, store_->Stage(bucket));
  LIFEBOAT_RETURN_IF_ERROR(staged->Append(EncodeObjectHeader(meta)));
  LIFEBOAT_RETURN_IF_ERROR(
      store_->CommitUploadFile(bucket, meta.key, RecordName(id), std::move(staged)));
  return id;
}

Result<UploadRecord> S3Multipart::GetUpload(const std::string& bucket, const std::string& key,
                                            const std::string& upload_id) {
  LIFEBOAT_RETURN_IF_ERROR(store_->CheckBucket(bucket));
  if (!IsUploadId(upload_id)) return NoSuchUpload();
  auto record =
      OpenStoredObject(store_->env(), JoinPath(store_->UploadsDir(bucket), RecordName(upload_id)));
  if (!record.ok()) {
    return record.status().code() == StatusCode::kNotFound ? NoSuchUpload() : record.status();
  }
  if (record->meta.key != key) return NoSuchUpload();
  return UploadRecord{upload_id, std::move(record->meta)};
}

Result<PartInfo> S3Multipart::UploadPart(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id, int part_number,
                                         std::string_view data, const std::string& md5_raw,
                                         const ReceivedChecksum& checksum) {
  if (part_number < 1 || part_number > kMaxPartNumber) {
    return S3Error("InvalidArgument",
                   "Part number must be an integer between 1 and 10000, inclusive");
  }
  LIFEBOAT_ASSIGN_OR_RETURN(UploadRecord record, GetUpload(bucket, key, upload_id));
  ObjectMeta part;
  part.key = key;
  part.size = data.size();
  part.etag = HexEncode(md5_raw);
  part.last_modified_ms = NowMs(store_->env());
  part.part_number = part_number;
  if (const ChecksumSpec* spec = FindChecksum(record.meta.checksum_algorithm)) {
    if (checksum.spec != nullptr && checksum.spec != spec) {
      std::string expected(spec->name), actual(checksum.spec->name);
      std::transform(expected.begin(), expected.end(), expected.begin(), ::tolower);
      std::transform(actual.begin(), actual.end(), actual.begin(), ::tolower);
      return S3Error("InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: " +
                                           expected + ", actual checksum Type: " + actual);
    }
    part.checksum_algorithm = spec->name;
    // A part sent without its checksum gets one here, so a composite checksum can be made.
    part.checksum = checksum.spec ? checksum.value : ChecksumBase64(spec->algorithm, data);
  } else if (checksum.spec != nullptr) {
    part.checksum_algorithm = checksum.spec->name;
    part.checksum = checksum.value;
  }
  LIFEBOAT_ASSIGN_OR_RETURN(auto staged, store_->Stage(bucket));
  LIFEBOAT_RETURN_IF_ERROR(staged->Append(EncodeObjectHeader(part)));
  LIFEBOAT_RETURN_IF_ERROR(staged->Append(data));
  const std::string record_path = JoinPath(store_->UploadsDir(bucket), RecordName(upload_id));
  Env* env = store_->env();
  LIFEBOAT_RETURN_IF_ERROR(store_->CommitUploadFile(
      bucket, key, PartName(upload_id, part_number), std::move(staged),
      [&]() -> Status { return env->Stat(record_path).ok() ? Status::Ok() : NoSuchUpload(); }));
  return PartFromMeta(part);
}

Result<std::vector<std::string>> S3Multipart::PartFiles(const std::string& bucket,
                                                        const std::string& upload_id) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto names, store_->env()->ListDir(store_->UploadsDir(bucket)));
  std::vector<std::string> out;
  for (auto& name : names) {
    if (name.starts_with(upload_id + ".") && !name.ends_with(kRecordSuffix)) {
      out.push_back(std::move(name));
    }
  }
  return out;
}

Result<std::vector<PartInfo>> S3Multipart::ListParts(const std::string& bucket,
                                                     const std::string& key,
                                                     const std::string& upload_id) {
  LIFEBOAT_RETURN_IF_ERROR(GetUpload(bucket, key, upload_id).status());
  LIFEBOAT_ASSIGN_OR_RETURN(auto names, PartFiles(bucket, upload_id));
  std::vector<PartInfo> parts;
  for (const auto& name : names) {
    auto part = OpenStoredObject(store_->env(), JoinPath(store_->UploadsDir(bucket), name));
    if (part.ok()) parts.push_back(PartFromMeta(part->meta));
  }
  std::sort(parts.begin(), parts.end(),
            [](const PartInfo& a, const PartInfo& b) { return a.part_number < b.part_number; });
  return parts;
}

Result<ObjectMeta> S3Multipart::Complete(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id,
                                         const std::vector<CompletedPartSpec>& parts,
                                         const ReceivedChecksum& full_checksum,
                                         const WriteConditions& conditions) {
  LIFEBOAT_ASSIGN_OR_RETURN(UploadRecord record, GetUpload(bucket, key, upload_id));
  if (parts.empty()) {
    return S3Error("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].part_number <= parts[i - 1].part_number) {
      return S3Error("InvalidPartOrder",
                     "The list of parts was not in ascending order. The parts list must be "
                     "specified in order by part number.");
    }
  }
  Env* env = store_->env();
  const std::string dir = store_->UploadsDir(bucket);
  std::vector<StoredObject> stored;
  std::string md5s, part_checksums;
  ObjectMeta m = record.meta;
  m.size = 0;
  for (const auto& p : parts) {
    auto part = OpenStoredObject(env, JoinPath(dir, PartName(upload_id, p.part_number)));
    if (!part.ok()) {
      if (part.status().code() == StatusCode::kNotFound) return InvalidPart();
      return part.status();
    }
    if (StripQuotes(p.etag) != part->meta.etag) return InvalidPart();
    for (const auto& [algorithm, value] : p.checksums) {
      if (!EqualsIgnoreCase(algorithm, part->meta.checksum_algorithm) ||
          value != part->meta.checksum) {
        return InvalidPart();
      }
    }
    m.size += part->meta.size;
    stored.push_back(std::move(*part));
  }
  for (size_t i = 0; i + 1 < stored.size(); ++i) {
    if (stored[i].meta.size < kMinPartSize) {
      return S3Error("EntityTooSmall",
                     "Your proposed upload is smaller than the minimum allowed object size.");
    }
  }
  const ChecksumSpec* spec = FindChecksum(record.meta.checksum_algorithm);
  std::unique_ptr<ChecksumHasher> full;
  if (spec != nullptr && record.meta.checksum_type == "FULL_OBJECT") {
    full = std::make_unique<ChecksumHasher>(spec->algorithm);
  }
  for (const auto& part : stored) {
    md5s += HexDecodeOrEmpty(part.meta.etag);
    if (spec != nullptr) part_checksums += Base64Decode(part.meta.checksum).value_or("");
  }
  const std::string n = std::to_string(stored.size());
  m.etag = HexEncode(Md5Raw(md5s)) + "-" + n;
  m.part_sizes.clear();
  for (const auto& part : stored) m.part_sizes.push_back(part.meta.size);
  m.last_modified_ms = NowMs(env);
  std::string buf(std::min<uint64_t>(kCopyBuffer, std::max<uint64_t>(m.size, 1)), '\0');
  auto for_each_piece = [&](const std::function<Status(std::string_view)>& fn) -> Status {
    for (const auto& part : stored) {
      for (uint64_t off = 0; off < part.meta.size;) {
        const size_t want =
            static_cast<size_t>(std::min<uint64_t>(buf.size(), part.meta.size - off));
        LIFEBOAT_ASSIGN_OR_RETURN(size_t got,
                                  part.file->ReadAt(part.data_offset + off, buf.data(), want));
        if (got == 0) return Status::DataLoss("part file ends early");
        LIFEBOAT_RETURN_IF_ERROR(fn(std::string_view(buf.data(), got)));
        off += got;
      }
    }
    return Status::Ok();
  };
  if (full) {
    // The header, written first, carries the checksum: one read pass computes it.
    LIFEBOAT_RETURN_IF_ERROR(for_each_piece([&](std::string_view d) {
      full->Update(d);
      return Status::Ok();
    }));
    m.checksum = Base64Encode(full->FinishRaw());
  } else if (spec != nullptr) {
    m.checksum = Base64Encode(ChecksumRaw(spec->algorithm, part_checksums)) + "-" + n;
  }
  if (full_checksum.spec != nullptr && full && full_checksum.spec == spec &&
      full_checksum.value != m.checksum) {
    return S3Error("BadDigest", "The " + std::string(spec->name) +
                                    " you specified did not match the calculated checksum.");
  }
  LIFEBOAT_ASSIGN_OR_RETURN(auto staged, store_->Stage(bucket));
  LIFEBOAT_RETURN_IF_ERROR(staged->Append(EncodeObjectHeader(m)));
  LIFEBOAT_RETURN_IF_ERROR(for_each_piece([&](std::string_view d) { return staged->Append(d); }));
  const std::string record_path = JoinPath(dir, RecordName(upload_id));
  LIFEBOAT_RETURN_IF_ERROR(store_->CommitObject(
      bucket, key, std::move(staged), conditions,
      [&]() -> Status { return env->Stat(record_path).ok() ? Status::Ok() : NoSuchUpload(); }));
  // A crash before this leaves the upload listed, and completing it again gives the same;
  // so does a failure to clean up, which the caller's completed object does not depend on.
  (void)RemoveUploadFiles(bucket, upload_id);
  return m;
}

Status S3Multipart::Abort(const std::string& bucket, const std::string& key,
                          const std::string& upload_id) {
  LIFEBOAT_RETURN_IF_ERROR(GetUpload(bucket, key, upload_id).status());
  Env* env = store_->env();
  const std::string record_path = JoinPath(store_->UploadsDir(bucket), RecordName(upload_id));
  // The record goes first, under the key's lock: a racing part upload or completion then
  // sees NoSuchUpload, and a crash half-way leaves parts that Recover() removes.
  LIFEBOAT_RETURN_IF_ERROR(store_->WithKeyLock(bucket, key, [&]() -> Status {
    Status s = env->Remove(record_path);
    return s.code() == StatusCode::kNotFound ? NoSuchUpload() : s;
  }));
  return RemoveUploadFiles(bucket, upload_id);
}

Status S3Multipart::RemoveUploadFiles(const std::string& bucket, const std::string& upload_id) {
  Env* env = store_->env();
  const std::string dir = store_->UploadsDir(bucket);
  // Abort removed the record already (kNotFound here). After a completion, a record that
  // stays keeps the upload listed, which completing it again answers with the same object.
  (void)env->Remove(JoinPath(dir, RecordName(upload_id)));
  LIFEBOAT_ASSIGN_OR_RETURN(auto names, PartFiles(bucket, upload_id));
  // Parts without a record are orphans that Recover() removes at the next start.
  for (const auto& name : names) (void)env->Remove(JoinPath(dir, name));
  return env->SyncDir(dir);
}

Result<std::vector<UploadRecord>> S3Multipart::ListUploads(const std::string& bucket,
                                                           std::string_view prefix) {
  LIFEBOAT_RETURN_IF_ERROR(store_->CheckBucket(bucket));
  const std::string dir = store_->UploadsDir(bucket);
  LIFEBOAT_ASSIGN_OR_RETURN(auto names, store_->env()->ListDir(dir));
  std::vector<UploadRecord> out;
  for (const auto& name : names) {
    if (!name.ends_with(kRecordSuffix)) continue;
    auto record = OpenStoredObject(store_->env(), JoinPath(dir, name));
    if (!record.ok() || !record->meta.key.starts_with(prefix)) continue;
    out.push_back({name.substr(0, name.size() - kRecordSuffix.size()), std::move(record->meta)});
  }
  std::sort(out.begin(), out.end(), [](const UploadRecord& a, const UploadRecord& b) {
    if (a.meta.key != b.meta.key) return a.meta.key < b.meta.key;
    return a.meta.last_modified_ms < b.meta.last_modified_ms;
  });
  return out;
}

}  // namespace lifeboat
