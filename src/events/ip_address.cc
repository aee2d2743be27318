#include "events/ip_address.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace lifeboat::events_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// event-ruler's IPv4_REGEX: [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+
bool LooksLikeIpv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

// event-ruler's IPv6_REGEX: [0-9a-fA-F:]*:[0-9a-fA-F:]*
bool LooksLikeIpv6(std::string_view s) {
  bool colon = false;
  for (char c : s) {
    if (c == ':') {
      colon = true;
    } else if (!IsHex(c)) {
      return false;
    }
  }
  return colon;
}

std::optional<IpAddress> ParseIpv4(std::string_view s) {
  IpAddress address;
  address.size = 4;
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    uint32_t value = 0;
    while (i < s.size() && IsDigit(s[i])) {
      value = value * 10 + (s[i] - '0');
      if (value > 255) return std::nullopt;
      ++i;
    }
    address.bytes[part++] = static_cast<uint8_t>(value);
    ++i;  // the dot
  }
  return address;
}

std::optional<IpAddress> ParseIpv6(std::string_view s) {
  std::string text(s);
  IpAddress address;
  if (inet_pton(AF_INET6, text.c_str(), address.bytes.data()) != 1) return std::nullopt;
  address.size = 16;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(address.bytes.data(), kMapped, sizeof(kMapped)) == 0) {
    IpAddress v4;
    v4.size = 4;
    std::memcpy(v4.bytes.data(), address.bytes.data() + 12, 4);
    return v4;
  }
  return address;
}

int Compare(const IpAddress& a, const IpAddress& b) {
  return std::memcmp(a.bytes.data(), b.bytes.data(), a.size);
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (LooksLikeIpv4(text)) return ParseIpv4(text);
  if (LooksLikeIpv6(text)) return ParseIpv6(text);
  return std::nullopt;
}

bool IpRange::Contains(const IpAddress& address) const {
  return address.size == low.size && Compare(low, address) <= 0 && Compare(address, high) <= 0;
}

Result<IpRange> ParseCidr(std::string_view text) {
  // Java's String.split("/") drops trailing empty pieces, so "10.0.0.0/" has one piece.
  size_t slash = text.find('/');
  if (slash == std::string_view::npos || text.find('/', slash + 1) != std::string_view::npos ||
      slash + 1 == text.size()) {
    return Status::InvalidArgument("Malformed CIDR, one '/' required");
  }
  std::string_view ip_text = text.substr(0, slash);
  std::string_view mask_text = text.substr(slash + 1);
  // Integer.parseInt: an optional sign, then decimal digits.
  size_t i = (mask_text[0] == '+' || mask_text[0] == '-') ? 1 : 0;
  if (i == mask_text.size())
    return Status::InvalidArgument("Malformed CIDR, mask bits must be an integer");
  int64_t mask = 0;
  for (size_t k = i; k < mask_text.size(); ++k) {
    if (!IsDigit(mask_text[k]) || k - i > 9) {
      return Status::InvalidArgument("Malformed CIDR, mask bits must be an integer");
    }
    mask = mask * 10 + (mask_text[k] - '0');
  }
  if (mask_text[0] == '-') mask = -mask;
  if (mask < 0) return Status::InvalidArgument("Malformed CIDR, mask bits must not be negative");

  std::optional<IpAddress> base;
  bool looks_like_ip = LooksLikeIpv4(ip_text) || LooksLikeIpv6(ip_text);
  if (looks_like_ip) base = ParseIpAddress(ip_text);
  if (looks_like_ip && !base) {
    return Status::InvalidArgument("Invalid IP address: " + std::string(ip_text));
  }
  if (!base) return Status::InvalidArgument("Nonstandard IP address: " + std::string(ip_text));
  if (base->size == 4 && mask > 31) return Status::InvalidArgument("IPv4 mask bits must be < 32");
  if (base->size == 16 && mask > 127)
    return Status::InvalidArgument("IPv6 mask bits must be < 128");

  IpRange range;
  range.low = *base;
  range.high = *base;
  int host_bits = base->size * 8 - static_cast<int>(mask);
  for (int b = base->size - 1; b >= 0 && host_bits > 0; --b, host_bits -= 8) {
    range.high.bytes[b] |= host_bits >= 8 ? 0xff : static_cast<uint8_t>((1u << host_bits) - 1);
  }
  return range;
}

}  // namespace lifeboat::events_internal
