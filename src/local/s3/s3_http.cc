#include "local/s3/s3_http.h"

#include <time.h>

#include <charconv>
#include <cstdio>

#include "aws/aws_transport.h"
#include "local/s3/s3_checksum.h"
#include "local/s3/s3_errors.h"

namespace lifeboat {
namespace {

// The system headers S3 stores with an object and returns on GET and HEAD.
constexpr std::string_view kStoredHeaders[] = {"Cache-Control", "Content-Disposition",
                                               "Content-Encoding", "Content-Language", "Expires"};
constexpr std::string_view kMetaPrefix = "x-amz-meta-";

struct tm UtcTm(int64_t ms) {
  const time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  return tm;
}

std::optional<uint64_t> ParseNumber(std::string_view s) {
  uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Content-Encoding without the "aws-chunked" the transfer added, as S3 stores it.
std::string WithoutAwsChunked(std::string_view value) {
  std::string out;
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view token = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (token.empty() || EqualsIgnoreCase(token, "aws-chunked")) continue;
    if (!out.empty()) out += ",";
    out += token;
  }
  return out;
}

}  // namespace

std::string HttpDate(int64_t ms) {
  const struct tm tm = UtcTm(ms);
  char buf[40];
  strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string IsoDate(int64_t ms) {
  const struct tm tm = UtcTm(ms);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::optional<int64_t> ParseHttpDateMs(std::string_view text) {
  auto t = ParseHttpDate(text);
  if (!t) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
}

Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size) {
  constexpr std::string_view kBytes = "bytes=";
  if (!header.starts_with(kBytes)) return std::optional<ByteRange>();
  std::string_view spec = header.substr(kBytes.size());
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) {
    return std::optional<ByteRange>();
  }
  auto unsatisfiable = [] {
    return S3Error("InvalidRange", "The requested range is not satisfiable");
  };
  const std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  if (a.empty()) {  // bytes=-n: the last n bytes
    auto n = ParseNumber(b);
    if (!n) return std::optional<ByteRange>();
    if (*n == 0 || size == 0) return unsatisfiable();
    return std::optional<ByteRange>(ByteRange{size > *n ? size - *n : 0, size - 1});
  }
  auto first = ParseNumber(a);
  if (!first) return std::optional<ByteRange>();
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!b.empty()) {
    auto l = ParseNumber(b);
    if (!l || *l < *first) return std::optional<ByteRange>();
    last = std::min(*l, last);
  }
  if (*first >= size) return unsatisfiable();
  return std::optional<ByteRange>(ByteRange{*first, last});
}

std::string UnquoteEtag(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.starts_with("W/")) value.remove_prefix(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

LocalResponse EmptyResponse(int status) {
  LocalResponse r;
  r.status = status;
  const std::string id = NewRequestId();
  r.headers.Set("x-amz-request-id", id);
  r.headers.Set("x-amz-id-2", id);
  return r;
}

LocalResponse XmlResponse(std::string body, int status) {
  LocalResponse r = EmptyResponse(status);
  r.headers.Set("Content-Type", "application/xml");
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + std::move(body);
  return r;
}

void MetaFromRequest(const LocalRequest& request, ObjectMeta* meta) {
  meta->content_type = request.Header("content-type");
  if (meta->content_type.empty()) meta->content_type = "binary/octet-stream";
  for (std::string_view name : kStoredHeaders) {
    auto value = request.headers.Get(name);
    if (!value) continue;
    std::string v = EqualsIgnoreCase(name, "Content-Encoding") ? WithoutAwsChunked(*value) : *value;
    if (!v.empty()) meta->headers.emplace_back(std::string(name), std::move(v));
  }
  for (const auto& [name, value] : request.headers) {
    if (name.size() > kMetaPrefix.size() &&
        EqualsIgnoreCase(name.substr(0, kMetaPrefix.size()), kMetaPrefix)) {
      std::string n = name.substr(kMetaPrefix.size());
      for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      meta->metadata.emplace_back(std::move(n), value);
    }
  }
}

void AddObjectHeaders(const ObjectMeta& meta, bool with_checksum, LocalResponse* r) {
  r->headers.Set("ETag", Quoted(meta.etag));
  r->headers.Set("Last-Modified", HttpDate(meta.last_modified_ms));
  r->headers.Set("Content-Type", meta.content_type);
  r->headers.Set("Accept-Ranges", "bytes");
  for (const auto& [name, value] : meta.headers) r->headers.Set(name, value);
  for (const auto& [name, value] : meta.metadata) {
    r->headers.Add(std::string(kMetaPrefix) + name, value);
  }
  if (with_checksum && !meta.checksum.empty()) {
    if (const ChecksumSpec* spec = FindChecksum(meta.checksum_algorithm)) {
      r->headers.Set(std::string(spec->header), meta.checksum);
      if (!meta.checksum_type.empty()) r->headers.Set("x-amz-checksum-type", meta.checksum_type);
    }
  }
}

}  // namespace lifeboat
