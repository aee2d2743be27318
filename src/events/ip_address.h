// IP addresses and CIDR blocks for the `cidr` operator, with event-ruler's rules: a string
// is an address only if it looks like one (four dotted decimals, or hex groups with a
// colon) and parses; a CIDR range runs from the address as written up to the address with
// all host bits set; IPv4 masks must be < 32 and IPv6 masks < 128.
#ifndef LIFEBOAT_EVENTS_IP_ADDRESS_H_
#define LIFEBOAT_EVENTS_IP_ADDRESS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace lifeboat::events_internal {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  uint8_t size = 0;  // 4 or 16
};

// The address in `text` ("10.0.0.1", "2001:db8::1"), or nullopt if it is not one.
// IPv4-mapped IPv6 addresses ("::ffff:a00:1") are IPv4 addresses, as in Java.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

struct IpRange {
  IpAddress low;
  IpAddress high;
  bool Contains(const IpAddress& address) const;
};

// "10.0.0.0/24" -> [10.0.0.0, 10.0.0.255]. Errors carry event-ruler's messages
// ("Malformed CIDR, one '/' required", "IPv4 mask bits must be < 32", ...).
Result<IpRange> ParseCidr(std::string_view text);

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_IP_ADDRESS_H_
