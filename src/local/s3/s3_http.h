// The HTTP details of S3's REST-XML protocol that several handlers share: dates, byte
// ranges, ETag quoting, XML responses, and the object headers stored on PUT and returned
// on GET and HEAD.
#ifndef LIFEBOAT_LOCAL_S3_S3_HTTP_H_
#define LIFEBOAT_LOCAL_S3_S3_HTTP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "local/local_service.h"
#include "local/s3/s3_object_file.h"

namespace lifeboat {

inline constexpr std::string_view kS3Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

// "Mon, 12 Oct 2009 17:50:00 GMT" (Last-Modified) and "2009-10-12T17:50:00.000Z" (XML).
std::string HttpDate(int64_t ms);
std::string IsoDate(int64_t ms);
// Milliseconds since the epoch of an RFC 1123 date (If-Modified-Since); nullopt when it
// is not one.
std::optional<int64_t> ParseHttpDateMs(std::string_view text);

// An inclusive byte range of an object.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;
};
// The range a Range header asks of an object of `size` bytes. nullopt means the whole
// object (no header, or one S3 ignores: not "bytes=", several ranges, last < first);
// InvalidRange when it starts past the end.
Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size);

inline std::string Quoted(std::string_view etag) { return "\"" + std::string(etag) + "\""; }
// An If-Match / If-None-Match value without quotes (and without a weak "W/" mark).
std::string UnquoteEtag(std::string_view value);

// A 200 (or `status`) response with an XML body and S3's request id headers.
LocalResponse XmlResponse(std::string body, int status = 200);
// An empty response with S3's request id headers.
LocalResponse EmptyResponse(int status);

// Content-Type, the stored system headers and x-amz-meta-* of a PUT or
// CreateMultipartUpload, into `meta`.
void MetaFromRequest(const LocalRequest& request, ObjectMeta* meta);
// ETag, Last-Modified, Content-Type, stored headers, metadata, Accept-Ranges; the
// checksum with `with_checksum` (x-amz-checksum-mode: ENABLED on a whole-object read).
void AddObjectHeaders(const ObjectMeta& meta, bool with_checksum, LocalResponse* response);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_HTTP_H_
