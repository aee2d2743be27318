// Object operations: PutObject, CopyObject, GetObject / HeadObject, DeleteObject.
#include <charconv>
#include <chrono>

#include "common/hash.h"
#include "http/percent_encoding.h"
#include "local/s3/s3_checksum.h"
#include "local/s3/s3_errors.h"
#include "local/s3/s3_http.h"
#include "local/s3/s3_service_impl.h"

namespace lifeboat {
namespace {

int64_t NowMs(Env* env) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(env->Now().time_since_epoch())
      .count();
}

// The "response-*" query parameters of a GetObject override the stored headers.
constexpr std::pair<std::string_view, std::string_view> kResponseOverrides[] = {
    {"response-content-type", "Content-Type"},
    {"response-content-language", "Content-Language"},
    {"response-expires", "Expires"},
    {"response-cache-control", "Cache-Control"},
    {"response-content-disposition", "Content-Disposition"},
    {"response-content-encoding", "Content-Encoding"},
};

// The 304 / 412 a conditional GET or HEAD gets, or OK to serve it; S3 checks If-Match
// before If-Unmodified-Since and If-None-Match before If-Modified-Since.
Status CheckReadConditions(const LocalRequest& r, const ObjectMeta& m) {
  auto failed = [] {
    return S3Error("PreconditionFailed",
                   "At least one of the pre-conditions you specified did not hold");
  };
  auto not_modified = [] { return S3Error("NotModified", "Not Modified"); };
  const int64_t modified_s = m.last_modified_ms / 1000;
  if (auto v = r.headers.Get("if-match")) {
    if (UnquoteEtag(*v) != "*" && UnquoteEtag(*v) != m.etag) return failed();
  } else if (auto v = r.headers.Get("if-unmodified-since")) {
    auto t = ParseHttpDateMs(*v);
    if (t && modified_s > *t / 1000) return failed();
  }
  if (auto v = r.headers.Get("if-none-match")) {
    if (UnquoteEtag(*v) == "*" || UnquoteEtag(*v) == m.etag) return not_modified();
  } else if (auto v = r.headers.Get("if-modified-since")) {
    auto t = ParseHttpDateMs(*v);
    if (t && modified_s <= *t / 1000) return not_modified();
  }
  return Status::Ok();
}

// The byte range of part `partNumber` of an object (a single PUT is one part).
Result<std::optional<ByteRange>> PartRange(const LocalRequest& r, const ObjectMeta& m) {
  if (r.headers.Has("range")) {
    return S3Error("InvalidRequest",
                   "Cannot specify both Range header and partNumber query parameter");
  }
  const std::string text = r.Param("partNumber");
  int n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size() || n < 1 || n > 10000) {
    return S3Error("InvalidArgument",
                   "Part number must be an integer between 1 and 10000, inclusive");
  }
  const std::vector<uint64_t> sizes =
      m.part_sizes.empty() ? std::vector<uint64_t>{m.size} : m.part_sizes;
  if (static_cast<size_t>(n) > sizes.size()) {
    return S3Error("InvalidPartNumber", "The requested partnumber is not satisfiable");
  }
  uint64_t first = 0;
  for (int i = 0; i + 1 < n; ++i) first += sizes[i];
  if (sizes[n - 1] == 0) return std::optional<ByteRange>();
  return std::optional<ByteRange>(ByteRange{first, first + sizes[n - 1] - 1});
}

LocalResponse PutResponse(const ObjectMeta& m) {
  LocalResponse out = EmptyResponse(200);
  out.headers.Set("ETag", Quoted(m.etag));
  if (const ChecksumSpec* spec = FindChecksum(m.checksum_algorithm)) {
    out.headers.Set(std::string(spec->header), m.checksum);
    out.headers.Set("x-amz-checksum-type", m.checksum_type);
  }
  return out;
}

}  // namespace

LocalResponse S3Service::PutObject(const LocalRequest& r, const S3Target& t) {
  auto conditions = WriteConditionsOf(r);
  if (!conditions.ok()) return S3ErrorFromStatus(conditions.status(), t.resource);
  // Everything is checked before a byte is written: a bad digest stores nothing.
  const std::string md5 = Md5Raw(r.body);
  auto checksum = ValidateUploadChecksums(r.headers, r.body, md5);
  if (!checksum.ok()) return S3ErrorFromStatus(checksum.status(), t.resource);
  ObjectMeta m;
  m.key = t.key;
  m.size = r.body.size();
  m.etag = HexEncode(md5);
  m.last_modified_ms = NowMs(env_);
  MetaFromRequest(r, &m);
  if (checksum->spec != nullptr) {
    m.checksum_algorithm = checksum->spec->name;
    m.checksum = checksum->value;
    m.checksum_type = "FULL_OBJECT";
  }
  if (conditions->if_none_match && store_.OpenObject(t.bucket, t.key).ok()) {
    // Fails fast; the rename is what decides when two writers race.
    return S3ErrorResponse(412, "PreconditionFailed",
                           "At least one of the pre-conditions you specified did not hold",
                           t.resource);
  }
  auto staged = store_.Stage(t.bucket);
  if (!staged.ok()) return S3ErrorFromStatus(staged.status(), t.resource);
  Status s = (*staged)->Append(EncodeObjectHeader(m));
  if (s.ok()) s = (*staged)->Append(r.body);
  if (s.ok()) s = store_.CommitObject(t.bucket, t.key, std::move(*staged), *conditions);
  if (!s.ok()) return S3ErrorFromStatus(s, t.resource);
  return PutResponse(m);
}

LocalResponse S3Service::CopyObject(const LocalRequest& r, const S3Target& t) {
  const std::string header = r.Header("x-amz-copy-source");
  std::string_view source = header;
  source = source.substr(0, source.find('?'));  // a versionId: every object has one version
  if (source.starts_with("/")) source.remove_prefix(1);
  const size_t slash = source.find('/');
  auto src_bucket = PercentDecode(source.substr(0, slash), PlusIsSpace::kNo);
  auto src_key = PercentDecode(slash == std::string_view::npos ? "" : source.substr(slash + 1),
                               PlusIsSpace::kNo);
  if (!src_bucket.ok() || !src_key.ok() || src_key->empty()) {
    return S3ErrorResponse(
        400, "InvalidArgument",
        "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", t.resource);
  }
  auto conditions = WriteConditionsOf(r);
  if (!conditions.ok()) return S3ErrorFromStatus(conditions.status(), t.resource);
  auto src = store_.OpenObject(*src_bucket, *src_key);
  if (!src.ok()) return S3ErrorFromStatus(src.status(), "/" + *src_bucket + "/" + *src_key);
  const bool replace = r.Header("x-amz-metadata-directive") == "REPLACE";
  if (!replace && *src_bucket == t.bucket && *src_key == t.key) {
    return S3ErrorResponse(400, "InvalidRequest",
                           "This copy request is illegal because it is trying to copy an object "
                           "to itself without changing the object's metadata, storage class, "
                           "website redirect location or encryption attributes.",
                           t.resource);
  }
  auto data = src->Read(0, src->meta.size);
  if (!data.ok()) return S3ErrorFromStatus(data.status(), t.resource);
  ObjectMeta m = src->meta;
  if (replace) {
    m.headers.clear();
    m.metadata.clear();
    MetaFromRequest(r, &m);
  }
  m.key = t.key;
  m.etag = HexEncode(Md5Raw(*data));  // a copy is one part, whatever the source was
  m.part_sizes.clear();
  m.last_modified_ms = NowMs(env_);
  const ChecksumSpec* wanted = FindChecksum(r.Header("x-amz-checksum-algorithm"));
  if (wanted == nullptr && m.checksum_type == "COMPOSITE") {
    wanted = FindChecksum(m.checksum_algorithm);  // a composite checksum is of the parts
  }
  if (wanted != nullptr) {
    m.checksum_algorithm = wanted->name;
    m.checksum = ChecksumBase64(wanted->algorithm, *data);
    m.checksum_type = "FULL_OBJECT";
  }
  auto staged = store_.Stage(t.bucket);
  if (!staged.ok()) return S3ErrorFromStatus(staged.status(), t.resource);
  Status s = (*staged)->Append(EncodeObjectHeader(m));
  if (s.ok()) s = (*staged)->Append(*data);
  if (s.ok()) s = store_.CommitObject(t.bucket, t.key, std::move(*staged), *conditions);
  if (!s.ok()) return S3ErrorFromStatus(s, t.resource);
  std::string xml = "<CopyObjectResult xmlns=\"" + std::string(kS3Xmlns) + "\"><ETag>" +
                    XmlEscape(Quoted(m.etag)) + "</ETag><LastModified>" +
                    IsoDate(m.last_modified_ms) + "</LastModified>";
  if (const ChecksumSpec* spec = FindChecksum(m.checksum_algorithm)) {
    xml += "<ChecksumType>" + m.checksum_type + "</ChecksumType><" + std::string(spec->member) +
           ">" + m.checksum + "</" + std::string(spec->member) + ">";
  }
  return XmlResponse(xml + "</CopyObjectResult>");
}

LocalResponse S3Service::GetObject(const LocalRequest& r, const S3Target& t, bool head) {
  auto obj = store_.OpenObject(t.bucket, t.key);
  if (!obj.ok()) return S3ErrorFromStatus(obj.status(), t.resource);
  const ObjectMeta& m = obj->meta;
  Status cond = CheckReadConditions(r, m);
  if (cond.service_code() == "NotModified") {
    LocalResponse out = EmptyResponse(304);
    out.headers.Set("ETag", Quoted(m.etag));
    out.headers.Set("Last-Modified", HttpDate(m.last_modified_ms));
    return out;
  }
  if (!cond.ok()) return S3ErrorFromStatus(cond, t.resource);
  auto range = r.HasParam("partNumber") ? PartRange(r, m) : ParseRange(r.Header("range"), m.size);
  if (!range.ok()) {
    LocalResponse out = S3ErrorFromStatus(range.status(), t.resource);
    out.headers.Set("Content-Range", "bytes */" + std::to_string(m.size));
    return out;
  }
  LocalResponse out = EmptyResponse(*range ? 206 : 200);
  // A checksum describes the whole object, so a range gets none (SDKs would reject it).
  const bool with_checksum =
      !*range && EqualsIgnoreCase(r.Header("x-amz-checksum-mode"), "ENABLED");
  AddObjectHeaders(m, with_checksum, &out);
  for (const auto& [param, header] : kResponseOverrides) {
    if (r.HasParam(param)) out.headers.Set(std::string(header), r.Param(param));
  }
  uint64_t first = 0, length = m.size;
  if (*range) {
    first = (*range)->first;
    length = (*range)->last - first + 1;
    out.headers.Set("Content-Range", "bytes " + std::to_string(first) + "-" +
                                         std::to_string((*range)->last) + "/" +
                                         std::to_string(m.size));
  }
  if (r.HasParam("partNumber") && !m.part_sizes.empty()) {
    out.headers.Set("x-amz-mp-parts-count", std::to_string(m.part_sizes.size()));
  }
  if (head) {
    out.headers.Set("Content-Length", std::to_string(length));
    return out;
  }
  auto data = obj->Read(first, length);
  if (!data.ok()) return S3ErrorFromStatus(data.status(), t.resource);
  out.body = std::move(*data);
  return out;
}

LocalResponse S3Service::DeleteObject(const S3Target& t) {
  Status s = store_.DeleteObject(t.bucket, t.key);
  return s.ok() ? EmptyResponse(204) : S3ErrorFromStatus(s, t.resource);
}

}  // namespace lifeboat
