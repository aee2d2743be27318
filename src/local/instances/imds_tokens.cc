#include "local/instances/imds_tokens.h"

#include <charconv>
#include <cstdint>
#include <random>

#include "common/hash.h"

namespace lifeboat {
namespace {

constexpr int kMaxTtlSeconds = 21600;  // six hours, EC2's limit

std::string ExpiryBytes(int64_t expires_ns) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((expires_ns >> (56 - 8 * i)) & 0xff);
  return bytes;
}

}  // namespace

ImdsTokens::ImdsTokens() {
  std::random_device random;
  for (int i = 0; i < 8; ++i) {
    uint32_t word = random();
    key_.append(reinterpret_cast<const char*>(&word), sizeof word);
  }
}

std::optional<int> ImdsTokens::ParseTtl(std::string_view header) {
  int ttl = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), ttl);
  if (header.empty() || header[0] == '-' || header[0] == '+' || ec != std::errc() ||
      end != header.data() + header.size() || ttl < 1 || ttl > kMaxTtlSeconds) {
    return std::nullopt;
  }
  return ttl;
}

std::string ImdsTokens::Issue(std::chrono::steady_clock::time_point now,
                              std::chrono::seconds ttl) const {
  int64_t expires_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>((now + ttl).time_since_epoch()).count();
  std::string expiry = ExpiryBytes(expires_ns);
  Sha256Digest mac = HmacSha256(key_, expiry);
  return Base64Encode(expiry + std::string(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

bool ImdsTokens::Valid(std::string_view token, std::chrono::steady_clock::time_point now) const {
  std::optional<std::string> raw = Base64Decode(token);
  if (!raw || raw->size() != 8 + sizeof(Sha256Digest)) return false;
  std::string expiry = raw->substr(0, 8);
  Sha256Digest mac = HmacSha256(key_, expiry);
  unsigned char diff = 0;  // compare every byte: no early exit to time
  for (size_t i = 0; i < mac.size(); ++i) {
    diff |= static_cast<unsigned char>((*raw)[8 + i]) ^ mac[i];
  }
  if (diff != 0) return false;
  int64_t expires_ns = 0;
  for (int i = 0; i < 8; ++i) expires_ns = (expires_ns << 8) | static_cast<uint8_t>(expiry[i]);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() <
         expires_ns;
}

}  // namespace lifeboat
