// aws-chunked: the body framing SDKs use to stream an upload of known length with
// per-chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) and/or a trailing checksum
// (STREAMING-UNSIGNED-PAYLOAD-TRAILER, ...-PAYLOAD-TRAILER). lifeboat local removes the
// framing before a service sees the body, verifying each chunk's signature in the chain
// that starts at the request's own signature, and hands trailers on as headers.
#ifndef LIFEBOAT_LOCAL_AWS_CHUNKED_H_
#define LIFEBOAT_LOCAL_AWS_CHUNKED_H_

#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

struct ChunkSigning {
  SigningConfig config;        // region, service, time and secret of the request
  std::string seed_signature;  // the request's signature
};

struct DecodedChunkedBody {
  std::string data;
  Headers trailers;  // "x-amz-checksum-crc32c" -> base64 value, ...
};

// Whether a request's body is aws-chunked (by x-amz-content-sha256 or Content-Encoding).
bool IsAwsChunked(const Headers& headers);

// Decodes `body`. With `signing`, every chunk signature (and a trailer signature, when
// present) must verify: kUnauthenticated otherwise. Malformed framing: kInvalidArgument.
Result<DecodedChunkedBody> DecodeAwsChunked(std::string_view body, const ChunkSigning* signing);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AWS_CHUNKED_H_
