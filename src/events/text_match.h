// String primitives of the pattern language: case folding for `equals-ignore-case`
// (and its prefix/suffix/anything-but forms) and `wildcard` values with `\*` escapes.
#ifndef LIFEBOAT_EVENTS_TEXT_MATCH_H_
#define LIFEBOAT_EVENTS_TEXT_MATCH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat::events_internal {

// Appends code point `cp` to `out` in UTF-8.
void EncodeUtf8(uint32_t cp, std::string& out);

// Lower-cases UTF-8 text code point by code point: ASCII, Latin-1, Latin Extended-A, Greek
// and Cyrillic capitals fold to their small letters; everything else is kept as is.
std::string FoldCase(std::string_view text);
// FoldCase into `out` (reusing its capacity).
void FoldCaseInto(std::string_view text, std::string& out);

// A parsed `wildcard` value: literal pieces separated by `*`.
class Wildcard {
 public:
  // Parses a value as event-ruler does: `*` matches any run of characters, `\*` is a literal
  // star, `\\` a backslash; consecutive stars and other escapes are errors whose messages
  // ("Consecutive wildcard characters at pos 2") count bytes of the quoted value.
  static Result<Wildcard> Parse(std::string_view value);

  bool Matches(std::string_view text) const;

  // Literal pieces: pieces[0] before the first star, pieces.back() after the last one.
  const std::vector<std::string>& pieces() const { return pieces_; }

 private:
  std::vector<std::string> pieces_;
};

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_TEXT_MATCH_H_
