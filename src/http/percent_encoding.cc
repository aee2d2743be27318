#include "http/percent_encoding.h"

#include <cctype>

namespace lifeboat {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

Result<std::string> PercentDecode(std::string_view text, PlusIsSpace plus) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus == PlusIsSpace::kYes) {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      const int hi = i + 1 < text.size() ? HexDigit(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexDigit(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("'" + std::string(text.substr(i, 3)) + "' at offset " +
                                       std::to_string(i) + " is not a %XX escape");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

Result<FormPairs> ParseFormPairs(std::string_view text, PlusIsSpace plus) {
  FormPairs out;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    const std::string_view name = piece.substr(0, eq);
    auto decoded_name = PercentDecode(name, plus);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : piece.substr(eq + 1), plus);
    const Status& bad = !decoded_name.ok() ? decoded_name.status() : value.status();
    if (!bad.ok()) {
      return Status::InvalidArgument("malformed percent-encoding in parameter '" +
                                     std::string(name) + "': " + bad.message());
    }
    out.emplace_back(std::move(*decoded_name), std::move(*value));
  }
  return out;
}

}  // namespace lifeboat
