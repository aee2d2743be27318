// Invalid patterns are refused with EventBridge's reasons (event-ruler's JsonRuleCompiler
// messages plus Jackson's location), as InvalidEventPatternException shows them after
// "Event pattern is not valid. Reason: ".
#include <gtest/gtest.h>

#include "events/event_pattern.h"

namespace lifeboat {
namespace {

struct ErrorCase {
  const char* source;
  std::string pattern;
  std::string message;  // the reason without the location
  bool located;         // whether Jackson's location follows
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.source << ": " << c.pattern; }

class CompileErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(CompileErrorTest, RefusedWithEventBridgeReason) {
  const ErrorCase& c = GetParam();
  auto pattern = EventPattern::Compile(c.pattern);
  ASSERT_FALSE(pattern.ok()) << c.source;
  const std::string& reason = pattern.status().message();
  EXPECT_EQ(reason.substr(0, c.message.size()), c.message) << c.source;
  if (c.located) {
    EXPECT_EQ(reason.substr(c.message.size(), 21), "\n at [Source: (String") << reason;
  } else {
    EXPECT_EQ(reason, c.message);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Structure, CompileErrorTest,
    testing::Values(
        ErrorCase{"not an object", R"(["aws.ec2"])", "Filter is not an object", true},
        ErrorCase{"a value must be an array", R"({"source": "aws.ec2"})",
                  R"("source" must be an object or an array)", true},
        ErrorCase{"empty array", R"({"source": []})", "Empty arrays are not allowed", true},
        ErrorCase{"empty object", R"({"detail": {}})", "Empty objects are not allowed", true},
        ErrorCase{"nested array", R"({"source": [["a"]]})",
                  "Match value must be String, number, true, false, or null", true},
        ErrorCase{"empty match expression", R"({"source": [{}]})",
                  "Match expression name not found", true},
        ErrorCase{"unknown operator", R"({"source": [{"contains": "ec2"}]})",
                  "Unrecognized match type contains", true},
        ErrorCase{"two keys in a match expression",
                  R"({"source": [{"prefix": "a", "suffix": "b"}]})",
                  "Only one key allowed in match expression", true},
        ErrorCase{"$or not an array", R"({"$or": {"a": [1]}})",
                  "It must be an Array followed with $or.", true},
        ErrorCase{"$or with one object", R"({"$or": [{"a": [1]}]})",
                  "There must have at least 2 Objects in $or relationship.", true},
        ErrorCase{"$or with values", R"({"$or": [1, 2]})",
                  "Only JSON object is allowed in array of $or relationship.", true},
        ErrorCase{"$or with reserved names", R"({"$or": [{"prefix": ["a"]}, {"b": [1]}]})",
                  "prefix is Ruler reserved fieldName which cannot be used inside $or.", true},
        // JSON syntax errors are Jackson's.
        ErrorCase{
            "ansible issue: escaped quotes", R"({\"detail\": {}})",
            "Unexpected character ('\\' (code 92)): was expecting double-quote to start field name",
            true},
        ErrorCase{"trailing comma", R"({"a": [1,]})",
                  "Unexpected character (']' (code 93)): expected a value", true},
        ErrorCase{"missing colon", R"({"a" [1]})",
                  "Unexpected character ('[' (code 91)): was expecting a colon to separate field "
                  "name and value",
                  true},
        ErrorCase{"unterminated", R"({"a": [1])",
                  "Unexpected end-of-input: expected close marker for OBJECT", true},
        ErrorCase{"bad token", R"({"a": [nope]})",
                  "Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or "
                  "token 'null', "
                  "'true' or 'false')",
                  true}));

INSTANTIATE_TEST_SUITE_P(
    Operators, CompileErrorTest,
    testing::Values(
        ErrorCase{"prefix number", R"({"a": [{"prefix": 1}]})",
                  "prefix match pattern must be a string", true},
        // aws-cdk issue 32492: {"suffix": ["created"]}.
        ErrorCase{"aws-cdk suffix list", R"({"a": [{"suffix": [":created"]}]})",
                  "suffix match pattern must be a string", true},
        ErrorCase{"prefix with an unknown option", R"({"a": [{"prefix": {"foo": "x"}}]})",
                  "Unsupported prefix pattern: foo", true},
        ErrorCase{"suffix ignore-case number", R"({"a": [{"suffix": {"equals-ignore-case": 5}}]})",
                  "equals-ignore-case match pattern must be a string", true},
        ErrorCase{"equals-ignore-case number", R"({"a": [{"equals-ignore-case": 5}]})",
                  "equals-ignore-case match pattern must be a string", true},
        ErrorCase{"exactly number", R"({"a": [{"exactly": 5}]})",
                  "exact match pattern must be a string", true},
        ErrorCase{"exists not boolean", R"({"a": [{"exists": "yes"}]})",
                  "exists match pattern must be either true or false.", true},
        ErrorCase{"wildcard not a string", R"({"a": [{"wildcard": 5}]})",
                  "wildcard match pattern must be a string", true},
        // README: "consecutive wildcard characters are not allowed"; positions count the quoted
        // value.
        ErrorCase{"consecutive stars", R"({"a": [{"wildcard": "a**b"}]})",
                  "Consecutive wildcard characters at pos 2", true},
        // README: "A backslash escaping any character other than asterisk or backslash is not
        // allowed."
        ErrorCase{"bad escape", R"({"a": [{"wildcard": "a\\b"}]})",
                  "Invalid escape character at pos 2", true},
        ErrorCase{"trailing backslash", R"({"a": [{"wildcard": "ab\\"}]})",
                  "Invalid escape character at pos 3", true},
        // A rule EventBridge refused as "Rule is too complex": four {"wildcard":
        // "*:stack/{name}/*"} values on one field (three were accepted).
        ErrorCase{
            "too complex",
            R"({"detail": {"stack-id": [{"wildcard": "*:stack/A/*"}, {"wildcard": "*:stack/B/*"},
                  {"wildcard": "*:stack/C/*"}, {"wildcard": "*:stack/D/*"}]}})",
            std::string(events_internal::kTooComplexMessage), false}));

INSTANTIATE_TEST_SUITE_P(
    NumericAndCidr, CompileErrorTest,
    testing::Values(
        ErrorCase{"numeric not an array", R"({"a": [{"numeric": 5}]})",
                  "Value of numeric must be an array.", true},
        ErrorCase{"numeric without operator", R"({"a": [{"numeric": [5]}]})",
                  "Invalid member in numeric match: 5", true},
        ErrorCase{"numeric unknown operator", R"({"a": [{"numeric": ["!=", 5]}]})",
                  "Unrecognized numeric range operator: !=", true},
        ErrorCase{"numeric value not a number", R"({"a": [{"numeric": [">", "5"]}]})",
                  "Value of > must be numeric", true},
        ErrorCase{"numeric = not a number", R"({"a": [{"numeric": ["=", "5"]}]})",
                  "Value of equals must be numeric", true},
        ErrorCase{"numeric two lower bounds", R"({"a": [{"numeric": [">", 0, ">", 5]}]})",
                  "Bad numeric range operator: >", true},
        ErrorCase{"numeric upper then lower", R"({"a": [{"numeric": ["<", 5, ">", 0]}]})",
                  "Too many elements in numeric expression", true},
        ErrorCase{"numeric too many terms", R"({"a": [{"numeric": [">", 0, "<", 5, 6]}]})",
                  "Too many terms in numeric range expression", true},
        ErrorCase{"numeric empty range", R"({"a": [{"numeric": [">", 5, "<", 1]}]})",
                  "Bottom must be less than top", true},
        // Guide/README: "limited to values between -5.0e9 and +5.0e9 inclusive ... six digits to
        // the right of the decimal point".
        ErrorCase{"numeric out of range", R"({"a": [{"numeric": ["<", 6e9]}]})",
                  "Value must be between -5.0E9 and 5.0E9, inclusive", true},
        ErrorCase{"numeric = out of range", R"({"a": [{"numeric": ["=", -5000000001]}]})",
                  "Value must be between -5.0E9 and 5.0E9, inclusive", true},
        ErrorCase{"numeric seven decimals", R"({"a": [{"numeric": ["=", 1.1234567]}]})",
                  "Only values upto 6 decimals are supported", true},
        ErrorCase{"cidr not a string", R"({"a": [{"cidr": 10}]})",
                  "prefix match pattern must be a string", true},
        ErrorCase{"cidr without mask", R"({"a": [{"cidr": "10.0.0.0"}]})",
                  "Malformed CIDR, one '/' required", false},
        ErrorCase{"cidr bad mask", R"({"a": [{"cidr": "10.0.0.0/x"}]})",
                  "Malformed CIDR, mask bits must be an integer", false},
        ErrorCase{"cidr negative mask", R"({"a": [{"cidr": "10.0.0.0/-1"}]})",
                  "Malformed CIDR, mask bits must not be negative", false},
        ErrorCase{"cidr IPv4 mask", R"({"a": [{"cidr": "10.0.0.0/33"}]})",
                  "IPv4 mask bits must be < 32", false},
        ErrorCase{"cidr IPv6 mask", R"({"a": [{"cidr": "2001:db8::/129"}]})",
                  "IPv6 mask bits must be < 128", false},
        ErrorCase{"cidr not an address", R"({"a": [{"cidr": "hello/8"}]})",
                  "Nonstandard IP address: hello", false},
        ErrorCase{"cidr bad address", R"({"a": [{"cidr": "300.0.0.0/8"}]})",
                  "Invalid IP address: 300.0.0.0", false}));

INSTANTIATE_TEST_SUITE_P(
    AnythingBut, CompileErrorTest,
    testing::Values(
        ErrorCase{"anything-but null", R"({"a": [{"anything-but": null}]})",
                  "Value of anything-but must be an array or single string/number value.", true},
        ErrorCase{"anything-but mixed list", R"({"a": [{"anything-but": [1, "a"]}]})",
                  "Inside anything but list, either all values are number or string, mixed type is "
                  "not supported",
                  true},
        ErrorCase{"anything-but empty list", R"({"a": [{"anything-but": []}]})",
                  "Inside anything but list, either all values are number or string, mixed type is "
                  "not supported",
                  true},
        ErrorCase{"anything-but list with null", R"({"a": [{"anything-but": [null]}]})",
                  "Inside anything but list, start|null|boolean is not supported.", true},
        ErrorCase{"anything-but unknown option", R"({"a": [{"anything-but": {"contains": "x"}}]})",
                  "Unsupported anything-but pattern: contains", true},
        ErrorCase{"anything-but empty prefix", R"({"a": [{"anything-but": {"prefix": ""}}]})",
                  "Null prefix/suffix not allowed", true},
        ErrorCase{"anything-but prefix number", R"({"a": [{"anything-but": {"prefix": 5}}]})",
                  "prefix/suffix match pattern must be a string", true},
        ErrorCase{"anything-but ignore-case numbers",
                  R"({"a": [{"anything-but": {"equals-ignore-case": [1]}}]})",
                  "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
                  "supported.",
                  true},
        ErrorCase{"anything-but bad wildcard", R"({"a": [{"anything-but": {"wildcard": "a**"}}]})",
                  "Consecutive wildcard characters at pos 2", true},
        ErrorCase{"anything-but extra key", R"({"a": [{"anything-but": "x", "prefix": "y"}]})",
                  "Too many elements in numeric expression", true},
        // event-ruler lets this error escape its parser, so it has no location.
        ErrorCase{"anything-but number out of range", R"({"a": [{"anything-but": 6e9}]})",
                  "Value must be between -5.0E9 and 5.0E9, inclusive", false}));

// The exact text of an InvalidEventPatternException reported on GitHub
// (cloud-custodian issue 6507): "Reason: Empty objects are not allowed at [Source: ...]".
TEST(CompileErrorLocation, MatchesEventBridgeText) {
  auto pattern = EventPattern::Compile(R"({"source": ["aws.health"], "detail": {}})");
  ASSERT_FALSE(pattern.ok());
  EXPECT_EQ(pattern.status().message(),
            "Empty objects are not allowed\n at [Source: (String)\"{\"source\": [\"aws.health\"], "
            "\"detail\": {}}\"; "
            "line: 1, column: 40]");
}

TEST(CompileErrorLocation, StringValuePointsAfterItsOpeningQuote) {
  // Jackson has read the value's opening quote when it hands out the field name.
  auto pattern = EventPattern::Compile("{\n  \"source\": \"aws.ec2\"}");
  ASSERT_FALSE(pattern.ok());
  EXPECT_EQ(pattern.status().message(),
            "\"source\" must be an object or an array\n at [Source: (String)\"{\n  \"source\": "
            "\"aws.ec2\"}\"; "
            "line: 2, column: 14]");
}

TEST(CompileErrorLocation, LongPatternsAreCut) {
  std::string pattern = R"({"source": [")" + std::string(600, 'x') + R"("], "d": {}})";
  auto compiled = EventPattern::Compile(pattern);
  ASSERT_FALSE(compiled.ok());
  std::string cut =
      "\"[truncated " + std::to_string(pattern.size() - 500) + " chars]; line: 1, column: ";
  EXPECT_NE(compiled.status().message().find(cut), std::string::npos)
      << compiled.status().message();
}

TEST(CompileErrorLocation, AnythingButListErrorsCarryTheLocationTwice) {
  auto pattern = EventPattern::Compile(R"({"a": [{"anything-but": [true]}]})");
  ASSERT_FALSE(pattern.ok());
  const std::string& m = pattern.status().message();
  size_t first = m.find("\n at [Source");
  ASSERT_NE(first, std::string::npos);
  size_t second = m.find("\n at [Source", first + 1);
  ASSERT_NE(second, std::string::npos) << m;
  EXPECT_EQ(m.substr(first, second - first), m.substr(second)) << m;
}

TEST(CompileTest, AcceptsEveryDocumentedOperator) {
  for (
      const char* ok : {
          R"({"source": ["aws.ec2"], "detail": {"state": [{"anything-but": {"prefix": "init"}}]}})",
          R"({"a": [{"wildcard": "*"}, {"wildcard": "a\\*b"}, {"anything-but": {"wildcard": ["*x", "y*"]}}]})",
          R"({"a": [{"numeric": [">=", -5e9, "<=", 5e9]}, {"cidr": "::/0"}, {"exists": true}]})",
          R"({"a": [{"anything-but": {"suffix": [".png", ".jpg"]}}, {"anything-but": {"equals-ignore-case": "x"}}]})",
          R"({"a": [123456789012, 1.5, -0.0, true, false, null, ""]})",
          R"({"a": [{"anything-but": {"prefix": []}}]})",
          R"({"a": [1]} trailing content is never read)",
      }) {
    auto pattern = EventPattern::Compile(ok);
    EXPECT_TRUE(pattern.ok()) << ok << ": " << pattern.status().message();
  }
}

TEST(CompileTest, ThreeStackWildcardsAreNotTooComplex) {
  auto pattern = EventPattern::Compile(R"({"detail": {"stack-id": [{"wildcard": "*:stack/A/*"},
      {"wildcard": "*:stack/B/*"}, {"wildcard": "*:stack/C/*"}]}})");
  EXPECT_TRUE(pattern.ok()) << pattern.status().message();
}

}  // namespace
}  // namespace lifeboat
