// Compiles event patterns the way aws/event-ruler's JsonRuleCompiler does, token by
// token, so that errors come in the same order and with the same messages. Errors made
// with Barf() carry Jackson's location suffix; those event-ruler raises as
// IllegalArgumentException outside its parser (bad CIDR, single anything-but numbers out of
// range) do not.
#include <algorithm>
#include <map>

#include "events/event_pattern.h"
#include "events/pattern_operators.h"
#include "events/pattern_tokenizer.h"
#include "events/wildcard_complexity.h"

namespace lifeboat::events_internal {
namespace {

constexpr std::string_view kOr = "$or";

// event-ruler's RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP.
bool IsReservedInOr(std::string_view name) {
  static constexpr std::string_view kReserved[] = {"exactly",
                                                   "equals-ignore-case",
                                                   "prefix",
                                                   "suffix",
                                                   "anything-but",
                                                   "exists",
                                                   "wildcard",
                                                   "numeric",
                                                   "cidr",
                                                   "html",
                                                   "=",
                                                   "<",
                                                   "<=",
                                                   ">",
                                                   ">=",
                                                   "regex",
                                                   "not-wildcard",
                                                   "not-equals-ignore-case",
                                                   "date-after",
                                                   "date-on-or-after",
                                                   "date-before",
                                                   "date-on-or-before",
                                                   "in-date-range",
                                                   "ip-address-in-range",
                                                   "ip-address-not-in-range"};
  return std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
}

using Rule = std::map<std::string, FieldCondition>;

class Compiler {
 public:
  explicit Compiler(std::string_view json) : tok_(json) {}

  Result<std::vector<Rule>> Run() {
    LIFEBOAT_ASSIGN_OR_RETURN(JsonToken first, tok_.Next());
    if (first != JsonToken::kStartObject) return Barf("Filter is not an object");
    std::vector<Rule> rules;
    LIFEBOAT_RETURN_IF_ERROR(ParseObject(rules, false));
    return rules;
  }

 private:
  Status Barf(std::string_view message) const { return tok_.Error(message); }

  std::string Extended(const std::string& name) const {
    std::string out;
    for (const std::string& step : path_) out += step + ".";
    return out + name;
  }

  Status ParseObject(std::vector<Rule>& rules, bool inside_or) {
    bool fields_present = false;
    while (true) {
      LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
      if (t == JsonToken::kEndObject) break;
      fields_present = true;
      std::string step = tok_.CurrentName();
      if (step == kOr) {
        LIFEBOAT_RETURN_IF_ERROR(ParseOr(rules));
        continue;
      }
      if (inside_or && IsReservedInOr(step)) {
        return Barf(step + " is Ruler reserved fieldName which cannot be used inside $or.");
      }
      LIFEBOAT_ASSIGN_OR_RETURN(JsonToken value, tok_.Next());
      if (value == JsonToken::kStartObject) {
        path_.push_back(step);
        LIFEBOAT_RETURN_IF_ERROR(ParseObject(rules, inside_or));
        path_.pop_back();
      } else if (value == JsonToken::kStartArray) {
        LIFEBOAT_RETURN_IF_ERROR(WriteRules(rules, Extended(step)));
      } else {
        return Barf("\"" + step + "\" must be an object or an array");
      }
    }
    if (!fields_present) return Barf("Empty objects are not allowed");
    return Status::Ok();
  }

  // "$or": [ {...}, {...} ]: every alternative forks a copy of the rules so far.
  Status ParseOr(std::vector<Rule>& rules) {
    std::vector<Rule> current = rules;
    rules.clear();
    LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
    if (t != JsonToken::kStartArray) return Barf("It must be an Array followed with $or.");
    int count = 0;
    while (true) {
      LIFEBOAT_ASSIGN_OR_RETURN(t, tok_.Next());
      if (t == JsonToken::kEndArray) break;
      ++count;
      if (t != JsonToken::kStartObject)
        return Barf("Only JSON object is allowed in array of $or relationship.");
      std::vector<Rule> forked = current;
      if (forked.empty()) forked.emplace_back();
      LIFEBOAT_RETURN_IF_ERROR(ParseObject(forked, true));
      rules.insert(rules.end(), forked.begin(), forked.end());
    }
    if (count < 2) return Barf("There must have at least 2 Objects in $or relationship.");
    return Status::Ok();
  }

  Status WriteRules(std::vector<Rule>& rules, const std::string& name) {
    FieldCondition field;
    field.path = name;
    bool any = false;
    while (true) {
      LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
      if (t == JsonToken::kEndArray) break;
      any = true;
      switch (t) {
        case JsonToken::kStartObject: {
          LIFEBOAT_ASSIGN_OR_RETURN(ValuePattern value, MatchExpression());
          if (value.op == ValueOp::kAbsent) {
            field.matches_absent = true;
          } else {
            field.values.push_back(std::move(value));
          }
          break;
        }
        case JsonToken::kString: {
          LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok_.Text());
          ValuePattern value;
          // event-ruler turns IP address strings into one-address ranges.
          if (auto address = ParseIpAddress(text)) {
            value.op = ValueOp::kIpRange;
            value.ip = {*address, *address};
          } else {
            value.op = ValueOp::kExactString;
          }
          value.text = std::move(text);
          field.values.push_back(std::move(value));
          break;
        }
        case JsonToken::kInt:
        case JsonToken::kFloat: {
          LIFEBOAT_ASSIGN_OR_RETURN(std::string text, tok_.Text());
          ValuePattern value;
          value.op = ValueOp::kExactNumber;
          ComparableNumber number = ToComparable(text);
          value.has_comparable = number.error == ComparableError::kNone;
          value.comparable = number.value;
          value.number = LiteralToDouble(text);
          value.text = std::move(text);
          field.values.push_back(std::move(value));
          break;
        }
        case JsonToken::kTrue:
        case JsonToken::kFalse:
        case JsonToken::kNull: {
          ValuePattern value;
          value.op = t == JsonToken::kTrue    ? ValueOp::kTrue
                     : t == JsonToken::kFalse ? ValueOp::kFalse
                                              : ValueOp::kNull;
          field.values.push_back(std::move(value));
          break;
        }
        default:
          return Barf("Match value must be String, number, true, false, or null");
      }
    }
    if (!any) return Barf("Empty arrays are not allowed");
    if (rules.empty()) rules.emplace_back();
    // A path given twice (a repeated key, or dotted and nested forms): the last one wins.
    for (Rule& rule : rules) rule[name] = field;
    return Status::Ok();
  }

  Status ExpectEndObject() {
    LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
    if (t != JsonToken::kEndObject) return Barf("Only one key allowed in match expression");
    return Status::Ok();
  }

  Result<std::string> StringOperand(std::string_view message) {
    LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
    if (t != JsonToken::kString) return Barf(message);
    return tok_.Text();
  }

  Result<ValuePattern> MatchExpression();
  Result<ValuePattern> AffixIgnoreCase(bool prefix);
  Result<ValuePattern> Exists();
  Result<Wildcard> CheckedWildcard(const std::string& text) {
    auto wildcard = Wildcard::Parse(text);
    if (!wildcard.ok()) return Barf(wildcard.status().message());
    return wildcard;
  }

  PatternTokenizer tok_;
  std::vector<std::string> path_;
};

Result<ValuePattern> Compiler::MatchExpression() {
  LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
  if (t != JsonToken::kFieldName) return Barf("Match expression name not found");
  std::string type = tok_.CurrentName();
  ValuePattern value;
  if (type == "exactly") {
    LIFEBOAT_ASSIGN_OR_RETURN(value.text, StringOperand("exact match pattern must be a string"));
    value.op = ValueOp::kExactString;
    LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
    return value;
  }
  if (type == "prefix" || type == "suffix") {
    bool prefix = type == "prefix";
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok_.Next());
    if (t == JsonToken::kStartObject) return AffixIgnoreCase(prefix);
    if (t != JsonToken::kString)
      return Barf(prefix ? "prefix match pattern must be a string"
                         : "suffix match pattern must be a string");
    LIFEBOAT_ASSIGN_OR_RETURN(value.text, tok_.Text());
    value.op = prefix ? ValueOp::kPrefix : ValueOp::kSuffix;
    LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
    return value;
  }
  if (type == "numeric") {
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok_.Next());
    if (t != JsonToken::kStartArray) return Barf("Value of numeric must be an array.");
    LIFEBOAT_ASSIGN_OR_RETURN(value, CompileNumeric(tok_));
    LIFEBOAT_ASSIGN_OR_RETURN(t, tok_.Next());
    if (t != JsonToken::kEndObject) return Barf("Too many elements in numeric expression");
    return value;
  }
  if (type == "anything-but") return CompileAnythingBut(tok_);
  if (type == "exists") return Exists();
  if (type == "cidr") {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text,
                              StringOperand("prefix match pattern must be a string"));
    LIFEBOAT_ASSIGN_OR_RETURN(value.ip, ParseCidr(text));  // no location, as in event-ruler
    value.op = ValueOp::kIpRange;
    LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
    return value;
  }
  if (type == "equals-ignore-case") {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text,
                              StringOperand("equals-ignore-case match pattern must be a string"));
    value.op = ValueOp::kEqualsIgnoreCase;
    value.text = FoldCase(text);
    LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
    return value;
  }
  if (type == "wildcard") {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string text,
                              StringOperand("wildcard match pattern must be a string"));
    LIFEBOAT_ASSIGN_OR_RETURN(Wildcard wildcard, CheckedWildcard(text));
    value.op = ValueOp::kWildcard;
    value.text = text;
    value.wildcards.push_back(std::move(wildcard));
    LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
    return value;
  }
  return Barf("Unrecognized match type " + type);
}

Result<ValuePattern> Compiler::AffixIgnoreCase(bool prefix) {
  LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
  if (t != JsonToken::kFieldName)
    return Barf(prefix ? "Prefix expression name not found" : "Suffix expression name not found");
  std::string op = tok_.CurrentName();
  if (op != "equals-ignore-case") {
    return Barf((prefix ? "Unsupported prefix pattern: " : "Unsupported suffix pattern: ") + op);
  }
  LIFEBOAT_ASSIGN_OR_RETURN(std::string text,
                            StringOperand("equals-ignore-case match pattern must be a string"));
  ValuePattern value;
  value.op = prefix ? ValueOp::kPrefixIgnoreCase : ValueOp::kSuffixIgnoreCase;
  value.text = FoldCase(text);
  LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
  LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
  return value;
}

Result<ValuePattern> Compiler::Exists() {
  LIFEBOAT_ASSIGN_OR_RETURN(JsonToken t, tok_.Next());
  ValuePattern value;
  if (t == JsonToken::kTrue) {
    value.op = ValueOp::kExists;
  } else if (t == JsonToken::kFalse) {
    value.op = ValueOp::kAbsent;
  } else {
    return Barf("exists match pattern must be either true or false.");
  }
  LIFEBOAT_RETURN_IF_ERROR(ExpectEndObject());
  return value;
}

// EventBridge evaluates the wildcard patterns of each field together (one event-ruler byte
// machine per field) and refuses the rule when one field is above the limit.
Status CheckComplexity(const std::vector<Rule>& rules) {
  std::map<std::string, std::vector<WildcardPattern>> by_path;
  for (const Rule& rule : rules) {
    for (const auto& [path, field] : rule) {
      for (const ValuePattern& value : field.values) {
        if (value.wildcards.empty()) continue;
        WildcardPattern pattern{value.op == ValueOp::kAnythingButWildcard, {}};
        for (const Wildcard& w : value.wildcards) pattern.values.push_back(&w);
        by_path[path].push_back(std::move(pattern));
      }
    }
  }
  for (const auto& [path, patterns] : by_path) {
    if (WildcardComplexity(patterns, kMaxWildcardComplexity + 1) > kMaxWildcardComplexity) {
      return Status::InvalidArgument(std::string(kTooComplexMessage));
    }
  }
  return Status::Ok();
}
}  // namespace

Result<std::vector<PatternBranch>> CompilePattern(std::string_view json) {
  Compiler compiler(json);
  LIFEBOAT_ASSIGN_OR_RETURN(std::vector<Rule> rules, compiler.Run());
  LIFEBOAT_RETURN_IF_ERROR(CheckComplexity(rules));
  std::vector<PatternBranch> branches;
  for (Rule& rule : rules) {
    PatternBranch branch;
    for (auto& [path, field] : rule)
      branch.fields.push_back(std::move(field));  // map order = path order
    branches.push_back(std::move(branch));
  }
  return branches;
}

}  // namespace lifeboat::events_internal
