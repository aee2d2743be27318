#include "search/line_matcher.h"

#include <re2/re2.h>

#include <cstring>

namespace lifeboat {

Result<LineMatcher> LineMatcher::Create(const std::string& pattern, MatchOptions options) {
  if (options.fixed && !options.ignore_case) {
    if (pattern.empty()) return LineMatcher("", nullptr);  // matches every line
    if (pattern.find('\n') != std::string::npos) {
      return Status::InvalidArgument("the pattern holds a newline; lines are matched one at a time");
    }
    return LineMatcher(pattern, nullptr);
  }
  RE2::Options o;
  o.set_log_errors(false);
  o.set_literal(options.fixed);
  o.set_case_sensitive(!options.ignore_case);
  // A match never spans lines, and ^ and $ are a line's ends, as in grep.
  o.set_never_nl(true);
  o.set_posix_syntax(true);
  o.set_one_line(false);
  o.set_perl_classes(true);
  o.set_word_boundary(true);
  auto re = std::make_unique<RE2>(pattern, o);
  if (!re->ok()) {
    return Status::InvalidArgument("not a valid pattern '" + pattern + "': " + re->error());
  }
  return LineMatcher("", std::move(re));
}

LineMatcher::LineMatcher(std::string literal, std::unique_ptr<re2::RE2> re)
    : literal_(std::move(literal)), re_(std::move(re)) {}
LineMatcher::~LineMatcher() = default;
LineMatcher::LineMatcher(LineMatcher&&) noexcept = default;
LineMatcher& LineMatcher::operator=(LineMatcher&&) noexcept = default;

size_t LineMatcher::FindFrom(std::string_view text, size_t from) const {
  if (from > text.size()) return std::string_view::npos;
  if (!re_) {
    if (literal_.empty()) return from < text.size() ? from : std::string_view::npos;
    const void* at = ::memmem(text.data() + from, text.size() - from, literal_.data(), literal_.size());
    return at == nullptr ? std::string_view::npos
                         : static_cast<size_t>(static_cast<const char*>(at) - text.data());
  }
  re2::StringPiece match;
  if (!re_->Match(re2::StringPiece(text.data(), text.size()), from, text.size(), RE2::UNANCHORED,
                  &match, 1)) {
    return std::string_view::npos;
  }
  return static_cast<size_t>(match.data() - text.data());
}

void LineMatcher::ForEachMatch(std::string_view text,
                               const std::function<bool(std::string_view)>& fn) const {
  size_t from = 0;
  while (from < text.size()) {
    const size_t at = FindFrom(text, from);
    if (at == std::string_view::npos) return;
    const size_t begin = at == 0 ? 0 : text.rfind('\n', at - 1) + 1;  // npos + 1 == 0
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    if (!fn(text.substr(begin, end - begin))) return;
    from = end + 1;
  }
}

}  // namespace lifeboat
