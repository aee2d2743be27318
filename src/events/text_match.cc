#include "events/text_match.h"

#include <cstdint>

namespace lifeboat::events_internal {
namespace {

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes decode as themselves.
uint32_t DecodeUtf8(std::string_view s, size_t& i) {
  uint8_t b0 = static_cast<uint8_t>(s[i]);
  int extra = b0 < 0x80             ? 0
              : (b0 & 0xe0) == 0xc0 ? 1
              : (b0 & 0xf0) == 0xe0 ? 2
              : (b0 & 0xf8) == 0xf0 ? 3
                                    : -1;
  if (extra <= 0 || i + extra >= s.size()) {
    ++i;
    return b0;
  }
  uint32_t cp = b0 & (0x3f >> extra);
  for (int k = 1; k <= extra; ++k) {
    uint8_t b = static_cast<uint8_t>(s[i + k]);
    if ((b & 0xc0) != 0x80) {
      ++i;
      return b0;
    }
    cp = (cp << 6) | (b & 0x3f);
  }
  i += extra + 1;
  return cp;
}

uint32_t FoldCodePoint(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  if (cp < 0xc0) return cp;
  if (cp <= 0xde) return cp == 0xd7 ? cp : cp + 0x20;  // Latin-1 capitals
  if (cp >= 0x100 && cp <= 0x137) return cp | 1;       // Latin Extended-A pairs
  if (cp >= 0x139 && cp <= 0x148) return (cp & 1) ? cp + 1 : cp;
  if (cp >= 0x14a && cp <= 0x177) return cp | 1;
  if (cp == 0x178) return 0xff;
  if (cp >= 0x179 && cp <= 0x17e) return (cp & 1) ? cp + 1 : cp;
  if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) return cp + 0x20;  // Greek
  if (cp >= 0x410 && cp <= 0x42f) return cp + 0x20;                 // Cyrillic
  if (cp >= 0x400 && cp <= 0x40f) return cp + 0x50;
  return cp;
}

}  // namespace

void EncodeUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

void FoldCaseInto(std::string_view text, std::string& out) {
  out.clear();
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      char c = text[i++];
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 0x20) : c);
      continue;
    }
    size_t start = i;
    uint32_t cp = DecodeUtf8(text, i);
    uint32_t folded = FoldCodePoint(cp);
    if (folded == cp) {
      out.append(text.substr(start, i - start));
    } else {
      EncodeUtf8(folded, out);
    }
  }
}

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  FoldCaseInto(text, out);
  return out;
}

Result<Wildcard> Wildcard::Parse(std::string_view value) {
  Wildcard w;
  w.pieces_.emplace_back();
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    // Positions count the bytes of the value with its quotes: event-ruler parses "\"" + v + "\"".
    if (c == '*') {
      if (i + 1 < value.size() && value[i + 1] == '*') {
        return Status::InvalidArgument("Consecutive wildcard characters at pos " +
                                       std::to_string(i + 1));
      }
      w.pieces_.emplace_back();
    } else if (c == '\\') {
      if (i + 1 < value.size() && (value[i + 1] == '*' || value[i + 1] == '\\')) {
        w.pieces_.back().push_back(value[++i]);
      } else {
        return Status::InvalidArgument("Invalid escape character at pos " + std::to_string(i + 1));
      }
    } else {
      w.pieces_.back().push_back(c);
    }
  }
  return w;
}

bool Wildcard::Matches(std::string_view text) const {
  if (pieces_.size() == 1) return text == pieces_[0];
  const std::string& first = pieces_.front();
  const std::string& last = pieces_.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.compare(0, first.size(), first) != 0) return false;
  if (text.compare(text.size() - last.size(), last.size(), last) != 0) return false;
  // Leftmost placement of each middle piece is optimal for `*`-only globs.
  size_t pos = first.size();
  size_t end = text.size() - last.size();
  for (size_t k = 1; k + 1 < pieces_.size(); ++k) {
    std::string_view window = text.substr(pos, end - pos);
    size_t found = window.find(pieces_[k]);
    if (found == std::string_view::npos) return false;
    pos += found + pieces_[k].size();
  }
  return true;
}

}  // namespace lifeboat::events_internal
