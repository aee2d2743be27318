// A streaming JSON tokenizer for event patterns that reports errors the way EventBridge
// does. EventBridge compiles patterns with a Jackson streaming parser (aws/event-ruler's
// JsonRuleCompiler), and its InvalidEventPatternException messages end with Jackson's
// location: "\n at [Source: (String)\"<pattern>\"; line: 1, column: 40]". To reproduce those
// positions this tokenizer reads ahead exactly as Jackson does: returning a field name it
// has already consumed the colon and the start of the value (a whole number or literal, the
// opening quote of a string, the bracket of an array or object); a string value is
// consumed up to its closing quote only when its text is asked for.
#ifndef LIFEBOAT_EVENTS_PATTERN_TOKENIZER_H_
#define LIFEBOAT_EVENTS_PATTERN_TOKENIZER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat::events_internal {

enum class JsonToken {
  kNone,  // end of input
  kStartObject,
  kEndObject,
  kStartArray,
  kEndArray,
  kFieldName,
  kString,
  kInt,
  kFloat,
  kTrue,
  kFalse,
  kNull,
};

inline bool IsNumeric(JsonToken t) { return t == JsonToken::kInt || t == JsonToken::kFloat; }

class PatternTokenizer {
 public:
  explicit PatternTokenizer(std::string_view json) : json_(json) {}

  // The next token; a syntax error is a Status with Jackson's message and location.
  Result<JsonToken> Next();

  // The current token's text: the unescaped name or string, the number as written,
  // "true"/"false"/"null", or the bracket. Reading a string's text consumes it.
  Result<std::string> Text();
  // The name of the field whose value is being read (Jackson's getCurrentName()).
  const std::string& CurrentName() const { return current_name_; }

  // `message` plus Jackson's location suffix for where the tokenizer stands now.
  Status Error(std::string_view message) const;

 private:
  struct Context {
    bool object;
    bool expect_comma = false;
  };

  Result<JsonToken> LexValue();
  Result<std::string> ReadString();  // from after the opening quote through the closing one
  Result<JsonToken> ReadNumber();
  Result<JsonToken> ReadLiteral();
  Status SkipPendingString();
  void SkipSpace();
  Status UnexpectedChar(char c, std::string_view expectation) const;

  std::string_view json_;
  size_t pos_ = 0;
  std::vector<Context> stack_;
  JsonToken current_ = JsonToken::kNone;
  JsonToken queued_ = JsonToken::kNone;  // a field's value, read ahead with its name
  bool string_pending_ = false;          // current kString's body not yet consumed
  std::string current_name_;
  std::string literal_;  // number or literal text of the current/queued token
  std::string queued_literal_;
};

// Jackson's location suffix for `pos` in `json`: "\n at [Source: (String)\"...\"; line: L,
// column: C]" (the source is cut after 500 characters).
std::string JacksonLocation(std::string_view json, size_t pos);

}  // namespace lifeboat::events_internal

#endif  // LIFEBOAT_EVENTS_PATTERN_TOKENIZER_H_
