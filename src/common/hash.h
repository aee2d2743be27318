// Digests and encodings: SHA-256 and HMAC (OpenSSL), CRC32C (ISA-L, hardware-accelerated),
// hex and base64. CRC32C is what S3 validates on receipt and what manifests record.
#ifndef LIFEBOAT_COMMON_HASH_H_
#define LIFEBOAT_COMMON_HASH_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lifeboat {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// CRC32C (Castagnoli). Crc32cExtend(Crc32c(a), b) == Crc32c(a + b).
uint32_t Crc32c(std::string_view data);
uint32_t Crc32cExtend(uint32_t crc, std::string_view data);

std::string HexEncode(std::string_view bytes);
template <size_t N>
std::string HexEncode(const std::array<uint8_t, N>& bytes) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), N));
}
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

// The base64 of a CRC32C's four big-endian bytes: the form of x-amz-checksum-crc32c.
std::string Crc32cBase64(uint32_t crc);
// The inverse of Crc32cBase64; nullopt for anything that is not four base64 bytes (such as
// S3's composite multipart checksums, "<base64>-<parts>").
std::optional<uint32_t> Crc32cFromBase64(std::string_view text);
std::string Sha256Base64(const Sha256Digest& digest);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_HASH_H_
