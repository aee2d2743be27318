// LineMatcher: finds the lines of a text that match a pattern, as grep does, without
// splitting the text into lines first: the pattern is searched through the whole buffer
// (never across a newline) and only a match's own line is cut out. A rare pattern then
// costs one pass of the engine's scan, not one call per line.
//
// Patterns are RE2's syntax (close to POSIX extended expressions, grep -E); `fixed` takes
// the pattern as a literal string (grep -F).
#ifndef LIFEBOAT_SEARCH_LINE_MATCHER_H_
#define LIFEBOAT_SEARCH_LINE_MATCHER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace re2 {
class RE2;
}

namespace lifeboat {

struct MatchOptions {
  bool fixed = false;        // a literal string, not an expression
  bool ignore_case = false;  // -i
};

class LineMatcher {
 public:
  // kInvalidArgument naming what is wrong with the pattern.
  static Result<LineMatcher> Create(const std::string& pattern, MatchOptions options);
  ~LineMatcher();
  LineMatcher(LineMatcher&&) noexcept;
  LineMatcher& operator=(LineMatcher&&) noexcept;

  // Calls `fn` with each matching line of `text` (without its newline), in order; stops
  // early when `fn` returns false.
  void ForEachMatch(std::string_view text, const std::function<bool(std::string_view)>& fn) const;

 private:
  LineMatcher(std::string literal, std::unique_ptr<re2::RE2> re);
  // The first match at or after `from`: its offset, or npos.
  size_t FindFrom(std::string_view text, size_t from) const;

  std::string literal_;  // fixed and case-sensitive: searched with memmem
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_SEARCH_LINE_MATCHER_H_
