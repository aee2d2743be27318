#include "common/hash.h"

#include <isa-l/crc.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>

namespace lifeboat {

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out;
  EVP_Digest(data.data(), data.size(), out.data(), nullptr, EVP_sha256(), nullptr);
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  Sha256Digest out;
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

uint32_t Crc32cExtend(uint32_t crc, std::string_view data) {
  // ISA-L takes and returns the register without the final inversion.
  uint32_t reg = ~crc;
  auto* p = reinterpret_cast<unsigned char*>(const_cast<char*>(data.data()));
  size_t left = data.size();
  constexpr size_t kMaxPiece = INT_MAX / 2;  // crc32_iscsi takes an int length
  while (left > 0) {
    size_t n = left < kMaxPiece ? left : kMaxPiece;
    reg = crc32_iscsi(p, static_cast<int>(n), reg);
    p += n;
    left -= n;
  }
  return ~reg;
}

uint32_t Crc32c(std::string_view data) { return Crc32cExtend(0, data); }

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string Crc32cBase64(uint32_t crc) {
  char be[4] = {static_cast<char>(crc >> 24), static_cast<char>(crc >> 16),
                static_cast<char>(crc >> 8), static_cast<char>(crc)};
  return Base64Encode(std::string_view(be, 4));
}

std::optional<uint32_t> Crc32cFromBase64(std::string_view text) {
  auto bytes = Base64Decode(text);
  if (!bytes || bytes->size() != 4) return std::nullopt;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes->data());
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

std::string Sha256Base64(const Sha256Digest& digest) {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()), 32));
}

}  // namespace lifeboat
