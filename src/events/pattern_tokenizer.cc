#include "events/pattern_tokenizer.h"

#include <algorithm>

#include "events/text_match.h"

namespace lifeboat::events_internal {
namespace {

constexpr std::string_view kValueExpectation =
    "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

std::string SourceRef(std::string_view json, size_t pos) {
  pos = std::min(pos, json.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < pos; ++i) {
    if (json[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  constexpr size_t kMaxSource = 500;  // Jackson's snippet length
  std::string source = "(String)\"";
  if (json.size() > kMaxSource) {
    source.append(json.substr(0, kMaxSource));
    source += "\"[truncated " + std::to_string(json.size() - kMaxSource) + " chars]";
  } else {
    source.append(json);
    source += "\"";
  }
  return "[Source: " + source + "; line: " + std::to_string(line) +
         ", column: " + std::to_string(pos - line_start + 1) + "]";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string CharDescription(char c) {
  auto code = static_cast<unsigned char>(c);
  if (code < 32) return "(CTRL-CHAR, code " + std::to_string(code) + ")";
  return std::string("('") + c + "' (code " + std::to_string(code) + "))";
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::string JacksonLocation(std::string_view json, size_t pos) {
  return "\n at " + SourceRef(json, pos);
}

Status PatternTokenizer::Error(std::string_view message) const {
  return Status::InvalidArgument(std::string(message) + JacksonLocation(json_, pos_));
}

Status PatternTokenizer::UnexpectedChar(char c, std::string_view expectation) const {
  return Error("Unexpected character " + CharDescription(c) + ": " + std::string(expectation));
}

void PatternTokenizer::SkipSpace() {
  while (pos_ < json_.size()) {
    char c = json_[pos_];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    ++pos_;
  }
}

Result<std::string> PatternTokenizer::ReadString() {
  std::string out;
  while (true) {
    if (pos_ >= json_.size()) {
      return Error("Unexpected end-of-input: was expecting closing quote for a string value");
    }
    char c = json_[pos_++];
    if (c == '"') return out;
    if (static_cast<unsigned char>(c) < 32) {
      return Error("Illegal unquoted character (" + CharDescription(c) +
                   "): has to be escaped using backslash to be included in string value");
    }
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (pos_ >= json_.size()) {
      return Error("Unexpected end-of-input: was expecting closing quote for a string value");
    }
    char e = json_[pos_++];
    switch (e) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        auto read_hex4 = [&]() -> Result<uint32_t> {
          uint32_t v = 0;
          for (int k = 0; k < 4; ++k) {
            if (pos_ >= json_.size()) {
              return Error("Unexpected end-of-input in character escape sequence");
            }
            char h = json_[pos_++];
            int d = HexValue(h);
            if (d < 0) {
              return UnexpectedChar(h, "expected a hex-digit for character escape sequence");
            }
            v = v * 16 + static_cast<uint32_t>(d);
          }
          return v;
        };
        LIFEBOAT_ASSIGN_OR_RETURN(uint32_t cp, read_hex4());
        if (cp >= 0xd800 && cp < 0xdc00 && pos_ + 1 < json_.size() && json_[pos_] == '\\' &&
            json_[pos_ + 1] == 'u') {
          size_t save = pos_;
          pos_ += 2;
          LIFEBOAT_ASSIGN_OR_RETURN(uint32_t low, read_hex4());
          if (low >= 0xdc00 && low < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else {
            pos_ = save;
          }
        }
        EncodeUtf8(cp, out);
        break;
      }
      default:
        return Error("Unrecognized character escape " + CharDescription(e).substr(1, 3) +
                     " (code " + std::to_string(static_cast<unsigned char>(e)) + ")");
    }
  }
}

Result<JsonToken> PatternTokenizer::ReadNumber() {
  size_t start = pos_;
  bool is_float = false;
  if (json_[pos_] == '-') {
    ++pos_;
    if (pos_ >= json_.size() || json_[pos_] < '0' || json_[pos_] > '9') {
      if (pos_ >= json_.size()) return Error("Unexpected end-of-input in numeric value");
      return Error(
          "Unexpected character " + CharDescription(json_[pos_]) +
          " in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value");
    }
  }
  if (json_[pos_] == '0' && pos_ + 1 < json_.size() && json_[pos_ + 1] >= '0' &&
      json_[pos_ + 1] <= '9') {
    pos_ += 2;
    return Error("Invalid numeric value: Leading zeroes not allowed");
  }
  while (pos_ < json_.size() && json_[pos_] >= '0' && json_[pos_] <= '9') ++pos_;
  if (pos_ < json_.size() && json_[pos_] == '.') {
    is_float = true;
    ++pos_;
    size_t digits = pos_;
    while (pos_ < json_.size() && json_[pos_] >= '0' && json_[pos_] <= '9') ++pos_;
    if (pos_ == digits) {
      if (pos_ >= json_.size()) return Error("Unexpected end-of-input in numeric value");
      char c = json_[pos_++];
      return Error("Unexpected character " + CharDescription(c) +
                   " in fractional part: Decimal point not followed by a digit");
    }
  }
  if (pos_ < json_.size() && (json_[pos_] == 'e' || json_[pos_] == 'E')) {
    is_float = true;
    ++pos_;
    if (pos_ < json_.size() && (json_[pos_] == '+' || json_[pos_] == '-')) ++pos_;
    size_t digits = pos_;
    while (pos_ < json_.size() && json_[pos_] >= '0' && json_[pos_] <= '9') ++pos_;
    if (pos_ == digits) {
      if (pos_ >= json_.size()) return Error("Unexpected end-of-input in numeric value");
      char c = json_[pos_++];
      return Error("Unexpected character " + CharDescription(c) +
                   " in exponent: Exponent indicator not followed by a digit");
    }
  }
  literal_.assign(json_.substr(start, pos_ - start));
  return is_float ? JsonToken::kFloat : JsonToken::kInt;
}

Result<JsonToken> PatternTokenizer::ReadLiteral() {
  size_t start = pos_;
  while (pos_ < json_.size() && IsTokenChar(json_[pos_])) ++pos_;
  std::string_view word = json_.substr(start, pos_ - start);
  literal_.assign(word);
  if (word == "true") return JsonToken::kTrue;
  if (word == "false") return JsonToken::kFalse;
  if (word == "null") return JsonToken::kNull;
  return Error("Unrecognized token '" + std::string(word) + "': was expecting " +
               std::string(kValueExpectation));
}

Result<JsonToken> PatternTokenizer::LexValue() {
  if (pos_ >= json_.size()) {
    if (stack_.empty()) return JsonToken::kNone;
    return Error(std::string("Unexpected end-of-input: expected close marker for ") +
                 (stack_.back().object ? "OBJECT" : "ARRAY"));
  }
  char c = json_[pos_];
  switch (c) {
    case '"':
      ++pos_;
      string_pending_ = true;
      literal_.clear();
      return JsonToken::kString;
    case '{':
      ++pos_;
      stack_.push_back({true});
      return JsonToken::kStartObject;
    case '[':
      ++pos_;
      stack_.push_back({false});
      return JsonToken::kStartArray;
    case ']':
    case '}':
      ++pos_;
      return UnexpectedChar(c, "expected a value");
    default:
      break;
  }
  if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
  if (IsTokenChar(c)) return ReadLiteral();
  ++pos_;
  return UnexpectedChar(c, "expected a valid value " + std::string(kValueExpectation));
}

Status PatternTokenizer::SkipPendingString() {
  if (current_ == JsonToken::kString && string_pending_) {
    LIFEBOAT_ASSIGN_OR_RETURN(literal_, ReadString());
    string_pending_ = false;
  }
  return Status::Ok();
}

Result<JsonToken> PatternTokenizer::Next() {
  if (queued_ != JsonToken::kNone) {
    current_ = queued_;
    queued_ = JsonToken::kNone;
    literal_ = queued_literal_;
    return current_;
  }
  LIFEBOAT_RETURN_IF_ERROR(SkipPendingString());
  SkipSpace();
  if (stack_.empty()) {
    // Jackson stops at the end of the root value; anything after it is never read.
    if (current_ != JsonToken::kNone) return current_ = JsonToken::kNone;
    LIFEBOAT_ASSIGN_OR_RETURN(current_, LexValue());
    return current_;
  }
  if (pos_ >= json_.size()) {
    return Error(std::string("Unexpected end-of-input: expected close marker for ") +
                 (stack_.back().object ? "OBJECT" : "ARRAY"));
  }
  char c = json_[pos_];
  if (stack_.back().object) {
    if (c == '}') {
      ++pos_;
      stack_.pop_back();
      return current_ = JsonToken::kEndObject;
    }
    if (stack_.back().expect_comma) {
      if (c != ',') {
        ++pos_;
        return UnexpectedChar(c, "was expecting comma to separate Object entries");
      }
      ++pos_;
      SkipSpace();
      if (pos_ >= json_.size())
        return Error("Unexpected end-of-input: expected close marker for OBJECT");
      c = json_[pos_];
    }
    if (c != '"') {
      ++pos_;
      return UnexpectedChar(c, "was expecting double-quote to start field name");
    }
    ++pos_;
    LIFEBOAT_ASSIGN_OR_RETURN(current_name_, ReadString());
    SkipSpace();
    if (pos_ >= json_.size())
      return Error("Unexpected end-of-input: expected close marker for OBJECT");
    if (json_[pos_] != ':') {
      char bad = json_[pos_++];
      return UnexpectedChar(bad, "was expecting a colon to separate field name and value");
    }
    ++pos_;
    SkipSpace();
    stack_.back().expect_comma = true;
    current_ = JsonToken::kFieldName;
    string_pending_ = false;
    LIFEBOAT_ASSIGN_OR_RETURN(queued_, LexValue());
    queued_literal_ = literal_;
    if (queued_ == JsonToken::kNone)
      return Error("Unexpected end-of-input: expected close marker for OBJECT");
    return current_;
  }
  if (c == ']') {
    ++pos_;
    stack_.pop_back();
    return current_ = JsonToken::kEndArray;
  }
  if (stack_.back().expect_comma) {
    if (c != ',') {
      ++pos_;
      return UnexpectedChar(c, "was expecting comma to separate Array entries");
    }
    ++pos_;
    SkipSpace();
  }
  stack_.back().expect_comma = true;
  LIFEBOAT_ASSIGN_OR_RETURN(current_, LexValue());
  if (current_ == JsonToken::kNone)
    return Error("Unexpected end-of-input: expected close marker for ARRAY");
  return current_;
}

Result<std::string> PatternTokenizer::Text() {
  switch (current_) {
    case JsonToken::kFieldName:
      return current_name_;
    case JsonToken::kString:
      LIFEBOAT_RETURN_IF_ERROR(SkipPendingString());
      return literal_;
    case JsonToken::kStartObject:
      return std::string("{");
    case JsonToken::kEndObject:
      return std::string("}");
    case JsonToken::kStartArray:
      return std::string("[");
    case JsonToken::kEndArray:
      return std::string("]");
    case JsonToken::kNone:
      return std::string("null");
    default:
      return literal_;
  }
}

}  // namespace lifeboat::events_internal
