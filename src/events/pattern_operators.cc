#include "events/pattern_operators.h"

#include <algorithm>

namespace lifeboat::events_internal {
namespace {

constexpr std::string_view kTooMany = "Too many elements in numeric expression";

// event-ruler's numeric bounds when a range is open on one side.
constexpr std::string_view kMinusFiveBillion = "-5000000000";
constexpr std::string_view kFiveBillion = "5000000000";

Result<int64_t> Comparable(std::string_view literal) {
  ComparableNumber number = ToComparable(literal);
  if (number.error != ComparableError::kNone)
    return Status::InvalidArgument(ComparableErrorMessage(number.error));
  return number.value;
}

// event-ruler's Range: bottom must be below top, then both must be comparable numbers.
Result<NumericRange> MakeRange(std::string_view bottom, bool open_bottom, std::string_view top,
                               bool open_top) {
  if (LiteralToDouble(bottom) >= LiteralToDouble(top))
    return Status::InvalidArgument("Bottom must be less than top");
  NumericRange range;
  LIFEBOAT_ASSIGN_OR_RETURN(range.low, Comparable(bottom));
  LIFEBOAT_ASSIGN_OR_RETURN(range.high, Comparable(top));
  range.low_open = open_bottom;
  range.high_open = open_top;
  return range;
}

// A Status from an inner step of a compile becomes a located parser error.
Status Located(const PatternTokenizer& tok, const Status& status) {
  return tok.Error(status.message());
}

Result<ValuePattern> RangePattern(const PatternTokenizer& tok, Result<NumericRange> range) {
  if (!range.ok()) return Located(tok, range.status());
  ValuePattern value;
  value.op = ValueOp::kNumericRange;
  value.range = *range;
  return value;
}

Result<ValuePattern> NumericRangeTail(PatternTokenizer& tok, JsonToken t, const std::string& bottom,
                                      bool open_bottom) {
  if (t != JsonToken::kString) {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok.Text());
    return tok.Error("Bad value in numeric range: " + text);
  }
  LIFEBOAT_ASSIGN_OR_RETURN(std::string op, tok.Text());
  bool open_top = false;
  if (op == "<") {
    open_top = true;
  } else if (op != "<=") {
    return tok.Error("Bad numeric range operator: " + op);
  }
  LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
  if (!IsNumeric(t)) return tok.Error("Value of " + op + " must be numeric");
  LIFEBOAT_ASSIGN_OR_RETURN(std::string top, tok.Text());
  LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
  if (t != JsonToken::kEndArray) return tok.Error("Too many terms in numeric range expression");
  return RangePattern(tok, MakeRange(bottom, open_bottom, top, open_top));
}

enum class ButKind { kPlain, kIgnoreCase, kPrefix, kSuffix, kWildcard };

std::string SetTypeMessage(ButKind kind) {
  switch (kind) {
    case ButKind::kIgnoreCase:
      return "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
             "supported.";
    case ButKind::kWildcard:
      return "wildcard match pattern must be a string";
    default:
      return "prefix/suffix match pattern must be a string";
  }
}

// event-ruler catches its own parser errors inside anything-but lists and raises them
// again, so their messages carry the location twice.
Status Twice(const PatternTokenizer& tok, std::string_view message) {
  return tok.Error(tok.Error(message).message());
}

Result<ValuePattern> BuildSet(const PatternTokenizer& tok, ButKind kind,
                              std::vector<std::string> texts) {
  ValuePattern value;
  switch (kind) {
    case ButKind::kIgnoreCase:
      value.op = ValueOp::kAnythingButIgnoreCase;
      for (std::string& t : texts) t = FoldCase(t);
      break;
    case ButKind::kPrefix:
      value.op = ValueOp::kAnythingButPrefix;
      break;
    case ButKind::kSuffix:
      value.op = ValueOp::kAnythingButSuffix;
      break;
    case ButKind::kWildcard:
      value.op = ValueOp::kAnythingButWildcard;
      for (const std::string& t : texts) {
        auto wildcard = Wildcard::Parse(t);
        if (!wildcard.ok()) return tok.Error(wildcard.status().message());
        value.wildcards.push_back(std::move(*wildcard));
      }
      break;
    case ButKind::kPlain:
      value.op = ValueOp::kAnythingButStrings;
      break;
  }
  value.texts = std::move(texts);
  return value;
}

}  // namespace

Result<ValuePattern> CompileNumeric(PatternTokenizer& tok) {
  LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok.Next());
  if (t != JsonToken::kString) {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok.Text());
    return tok.Error("Invalid member in numeric match: " + text);
  }
  LIFEBOAT_ASSIGN_OR_RETURN(std::string op, tok.Text());
  LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
  if (op == "=") {
    if (!IsNumeric(t)) return tok.Error("Value of equals must be numeric");
    LIFEBOAT_ASSIGN_OR_RETURN(std::string val, tok.Text());
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
    if (t != JsonToken::kEndArray) return tok.Error(kTooMany);
    auto n = Comparable(val);
    if (!n.ok()) return Located(tok, n.status());
    return RangePattern(tok, NumericRange{*n, false, *n, false});
  }
  if (op == ">=" || op == ">") {
    if (!IsNumeric(t)) return tok.Error("Value of " + op + " must be numeric");
    LIFEBOAT_ASSIGN_OR_RETURN(std::string bottom, tok.Text());
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
    if (t == JsonToken::kEndArray)
      return RangePattern(tok, MakeRange(bottom, op == ">", kFiveBillion, false));
    return NumericRangeTail(tok, t, bottom, op == ">");
  }
  if (op == "<=" || op == "<") {
    if (!IsNumeric(t)) return tok.Error("Value of " + op + " must be numeric");
    LIFEBOAT_ASSIGN_OR_RETURN(std::string top, tok.Text());
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
    if (t != JsonToken::kEndArray) return tok.Error(kTooMany);
    return RangePattern(tok, MakeRange(kMinusFiveBillion, false, top, op == "<"));
  }
  return tok.Error("Unrecognized numeric range operator: " + op);
}

Result<ValuePattern> CompileAnythingBut(PatternTokenizer& tok) {
  ButKind kind = ButKind::kPlain;
  LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok.Next());
  if (t == JsonToken::kStartObject) {
    LIFEBOAT_ASSIGN_OR_RETURN(JsonToken name, tok.Next());
    if (name != JsonToken::kFieldName) return tok.Error("Anything-But expression name not found");
    const std::string op = tok.CurrentName();
    if (op == "equals-ignore-case") {
      kind = ButKind::kIgnoreCase;
    } else if (op == "prefix") {
      kind = ButKind::kPrefix;
    } else if (op == "suffix") {
      kind = ButKind::kSuffix;
    } else if (op == "wildcard") {
      kind = ButKind::kWildcard;
    } else {
      return tok.Error("Unsupported anything-but pattern: " + op);
    }
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
  }
  if (t != JsonToken::kStartArray && t != JsonToken::kString && !IsNumeric(t)) {
    return tok.Error("Value of anything-but must be an array or single string/number value.");
  }
  const bool affix = kind == ButKind::kPrefix || kind == ButKind::kSuffix;
  ValuePattern value;
  if (t == JsonToken::kStartArray && kind == ButKind::kPlain) {
    bool has_number = false;
    bool has_string = false;
    std::vector<std::string> strings;
    std::vector<int64_t> numbers;
    while (true) {
      LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
      if (t == JsonToken::kEndArray) break;
      LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok.Text());
      if (t == JsonToken::kString) {
        strings.push_back(std::move(text));
        has_string = true;
      } else if (IsNumeric(t)) {
        auto n = Comparable(text);
        if (!n.ok()) return Located(tok, n.status());
        numbers.push_back(*n);
        has_number = true;
      } else {
        return Twice(tok, "Inside anything but list, start|null|boolean is not supported.");
      }
    }
    if (has_number == has_string) {
      return tok.Error(
          "Inside anything but list, either all values are number or string, mixed type is not "
          "supported");
    }
    if (has_number) {
      value.op = ValueOp::kAnythingButNumbers;
      std::sort(numbers.begin(), numbers.end());
      value.numbers = std::move(numbers);
    } else {
      value.op = ValueOp::kAnythingButStrings;
      value.texts = std::move(strings);
    }
  } else if (t == JsonToken::kStartArray) {
    std::vector<std::string> texts;
    while (true) {
      LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
      if (t == JsonToken::kEndArray) break;
      if (t != JsonToken::kString) return Twice(tok, SetTypeMessage(kind));
      LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok.Text());
      if (affix && text.empty()) return Twice(tok, "Null prefix/suffix not allowed");
      texts.push_back(std::move(text));
    }
    LIFEBOAT_ASSIGN_OR_RETURN(value, BuildSet(tok, kind, std::move(texts)));
  } else if (kind == ButKind::kPlain) {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok.Text());
    if (t == JsonToken::kString) {
      value.op = ValueOp::kAnythingButStrings;
      value.texts.push_back(std::move(text));
    } else {
      // event-ruler lets this one escape its parser: the message has no location.
      LIFEBOAT_ASSIGN_OR_RETURN(int64_t n, Comparable(text));
      value.op = ValueOp::kAnythingButNumbers;
      value.numbers.push_back(n);
    }
  } else {
    if (t != JsonToken::kString) return tok.Error(SetTypeMessage(kind));
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok.Text());
    if (affix && text.empty()) return tok.Error("Null prefix/suffix not allowed");
    LIFEBOAT_ASSIGN_OR_RETURN(value, BuildSet(tok, kind, {std::move(text)}));
  }
  LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
  if (t != JsonToken::kEndObject) return tok.Error(kTooMany);
  if (kind != ButKind::kPlain) {
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok.Next());
    if (t != JsonToken::kEndObject) return tok.Error(kTooMany);
  }
  return value;
}

}  // namespace lifeboat::events_internal
