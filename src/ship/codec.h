// Codecs: each chunk is stored as exactly one independently decodable frame (a zstd
// frame, a gzip member, or the raw bytes), so `zstd -dc` or `gunzip -c` of the chunks in
// key order rebuilds the file without lifeboat.
//
// An Encoder or Decoder is reused from chunk to chunk by one thread (contexts are costly
// to create); it is not thread-safe.
#ifndef LIFEBOAT_SHIP_CODEC_H_
#define LIFEBOAT_SHIP_CODEC_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

enum class Codec { kZstd, kGzip, kNone };
// What the agent and `evacuate` compress with unless told otherwise.
inline constexpr Codec kDefaultCodec = Codec::kZstd;

Result<Codec> ParseCodec(std::string_view name);  // "zstd" | "gzip" | "none"
std::string_view CodecName(Codec codec);
std::string_view CodecExtension(Codec codec);  // ".zst", ".gz", ""
std::string_view CodecContentType(Codec codec);
// The codec a chunk object name implies, from its extension.
Codec CodecFromObjectName(std::string_view name);
// The valid compression levels of a codec, for flag checking.
int CodecMinLevel(Codec codec);
int CodecMaxLevel(Codec codec);
int CodecDefaultLevel(Codec codec);

class Encoder {
 public:
  virtual ~Encoder() = default;
  // A new encoder, or kInvalidArgument for a level the codec does not have.
  static Result<std::unique_ptr<Encoder>> Create(Codec codec, int level);

  // Starts a frame that will hold exactly `raw_size` bytes (zstd records it in the header).
  virtual Status Begin(uint64_t raw_size) = 0;
  // Encodes `data`, appending whatever output is ready to `out`.
  virtual Status Update(std::string_view data, std::string* out) = 0;
  // Ends the frame, appending the rest of the output to `out`.
  virtual Status Finish(std::string* out) = 0;
};

// Receives decoded bytes in pieces; an error stops decoding.
using ByteSink = std::function<Status(std::string_view)>;

// Decodes one whole frame, streaming the raw bytes to `sink` through a small buffer.
// Fails with kDataLoss on a corrupt or truncated frame, or on bytes after the frame.
Status DecodeFrame(Codec codec, std::string_view frame, const ByteSink& sink);

// The length and CRC32C of what a frame decodes to (kDataLoss when it does not decode).
struct RawDigest {
  uint64_t size = 0;
  uint32_t crc32c = 0;
  bool operator==(const RawDigest&) const = default;
};
Result<RawDigest> DigestFrame(Codec codec, std::string_view frame);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_CODEC_H_
