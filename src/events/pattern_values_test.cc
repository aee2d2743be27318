// Value operators of the pattern language, case by case from the documentation: the
// EventBridge user guide ("Event patterns", "Content filtering", "Arrays", "null values")
// and the aws/event-ruler README.
#include <gtest/gtest.h>

#include "events/match_test_util.h"

namespace lifeboat {
namespace {

// The event of the event-ruler README ("Ruler by Example").
const std::string kRulerEvent = R"({
  "version": "0", "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
  "account": "012345679012", "time": "2017-10-02T16:24:49Z", "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  "detail": {"c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33",
             "instance-id": "i-000000aaaaaa00000", "state": "running"}})";

std::string WithDetail(const std::string& detail) {
  return R"({"source": "aws.ec2", "detail": )" + detail + "}";
}

class ValueOperatorTest : public testing::TestWithParam<MatchCase> {};
TEST_P(ValueOperatorTest, MatchesAsDocumented) { ExpectMatchCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    ExactValues, ValueOperatorTest,
    testing::Values(
        // README "Simple matching": "The rules in this section all match the sample event".
        MatchCase{"ruler README simple matching",
                  R"({"detail-type": ["EC2 Instance State-change Notification"],
                      "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
                      "detail": {"state": ["initializing", "running"]}})",
                  kRulerEvent, true},
        // User guide "Match values": "source" is either "aws.ec2" or "aws.fargate".
        MatchCase{"guide match values", R"({"source": ["aws.ec2", "aws.fargate"]})", kRulerEvent,
                  true},
        MatchCase{"guide match values, no listed value", R"({"source": ["aws.s3", "aws.fargate"]})",
                  kRulerEvent, false},
        // "For strings, EventBridge uses exact character-by-character matching without
        // case-folding".
        MatchCase{"guide exact strings are case sensitive", R"({"source": ["AWS.EC2"]})",
                  kRulerEvent, false},
        // "the event must contain all the field names listed in the event pattern".
        MatchCase{"guide all fields required",
                  R"({"source": ["aws.ec2"], "detail": {"missing": ["x"]}})", kRulerEvent, false},
        // Guide "Arrays": "the event pattern matches if the intersection of the event pattern array
        // and the event array is non-empty".
        MatchCase{
            "guide arrays",
            R"({"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                                    "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"]})",
            R"({"resources": ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate",
                                    "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]})",
            true},
        MatchCase{"guide arrays, empty intersection", R"({"resources": ["a", "b"]})",
                  R"({"resources": ["c", "d"]})", false},
        // Guide "Value matching" (Macie): numbers in the pattern match numbers in the event.
        MatchCase{
            "guide macie risk score",
            R"({"detail": {"risk-score": [80], "trigger": {"risk": [8]}}})",
            WithDetail(R"({"risk-score": 80, "trigger": {"risk": 8, "alert-type": "basic"}})"),
            true},
        MatchCase{"guide macie tags array", R"({"detail": {"tags": ["Insider"]}})",
                  WithDetail(R"({"tags": ["Custom_Alert", "Insider"]})"), true},
        // Numbers compare numerically (event-ruler adds a numeric-equals for number values).
        MatchCase{"numbers: 300 equals 300.0", R"({"detail": {"n": [300]}})",
                  WithDetail(R"({"n": 300.0})"), true},
        MatchCase{"numbers: 300 equals 3.0e2", R"({"detail": {"n": [300]}})",
                  WithDetail(R"({"n": 3.0e2})"), true},
        MatchCase{"numbers: 3.0e2 equals 300", R"({"detail": {"n": [3.0e2]}})",
                  WithDetail(R"({"n": 300})"), true},
        MatchCase{"numbers: 300 is not 301", R"({"detail": {"n": [300]}})",
                  WithDetail(R"({"n": 301})"), false},
        MatchCase{"numbers: account-sized numbers", R"({"detail": {"n": [123456789012]}})",
                  WithDetail(R"({"n": 123456789012})"), true},
        MatchCase{"numbers vs strings: 300 is not \"300\"", R"({"detail": {"n": [300]}})",
                  WithDetail(R"({"n": "300"})"), false},
        MatchCase{"numbers vs strings: \"300\" is not 300", R"({"detail": {"n": ["300"]}})",
                  WithDetail(R"({"n": 300})"), false},
        // Guide "Matching null values and empty strings": "Null values and empty strings are not
        // interchangeable in pattern matching".
        MatchCase{"guide empty string", R"({"detail": {"eventVersion": [""]}})",
                  WithDetail(R"({"eventVersion": "", "responseElements": null})"), true},
        MatchCase{"guide null", R"({"detail": {"responseElements": [null]}})",
                  WithDetail(R"({"eventVersion": "", "responseElements": null})"), true},
        MatchCase{"guide null is not empty string", R"({"detail": {"eventVersion": [null]}})",
                  WithDetail(R"({"eventVersion": "", "responseElements": null})"), false},
        MatchCase{"guide empty string is not null", R"({"detail": {"responseElements": [""]}})",
                  WithDetail(R"({"eventVersion": "", "responseElements": null})"), false},
        MatchCase{"literals: true", R"({"detail": {"ok": [true]}})", WithDetail(R"({"ok": true})"),
                  true},
        MatchCase{"literals: \"true\" is a string", R"({"detail": {"ok": ["true"]}})",
                  WithDetail(R"({"ok": true})"), false},
        MatchCase{"literals: false", R"({"detail": {"ok": [false]}})",
                  WithDetail(R"({"ok": true})"), false},
        // Patterns and events compare unescaped text.
        MatchCase{"escapes", R"({"detail": {"s": ["a\"b\u00e9"]}})",
                  WithDetail(R"({"s": "a\"b\u00e9"})"), true}));

INSTANTIATE_TEST_SUITE_P(
    PrefixSuffixCase, ValueOperatorTest,
    testing::Values(
        // Guide "Prefix matching": "time" starting with "2017-10-02".
        MatchCase{"guide prefix", R"({"time": [{"prefix": "2017-10-02"}]})",
                  R"({"time": "2017-10-02T18:43:48Z"})", true},
        MatchCase{"guide prefix, other day", R"({"time": [{"prefix": "2017-10-02"}]})",
                  R"({"time": "2017-10-03T00:00:00Z"})", false},
        // README: "Prefix matches only work on string-valued fields."
        MatchCase{"README prefix only strings", R"({"detail": {"c-count": [{"prefix": "5"}]}})",
                  kRulerEvent, false},
        MatchCase{"prefix: empty prefix matches any string", R"({"source": [{"prefix": ""}]})",
                  kRulerEvent, true},
        // Guide "Prefix matching while ignoring case".
        MatchCase{"guide prefix ignore case",
                  R"({"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}})",
                  WithDetail(R"({"service": "eventbridge"})"), true},
        MatchCase{"guide prefix ignore case, upper",
                  R"({"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}})",
                  WithDetail(R"({"service": "EVENTBRIDGE"})"), true},
        MatchCase{"guide prefix ignore case, not a prefix",
                  R"({"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}})",
                  WithDetail(R"({"service": "my-eventbridge"})"), false},
        // Guide "Suffix matching": "FileName" ending with ".png".
        MatchCase{"guide suffix", R"({"FileName": [{"suffix": ".png"}]})",
                  R"({"FileName": "image.png"})", true},
        MatchCase{"guide suffix is case sensitive", R"({"FileName": [{"suffix": ".png"}]})",
                  R"({"FileName": "image.PNG"})", false},
        MatchCase{"README suffix", R"({"source": [{"suffix": "ec2"}]})", kRulerEvent, true},
        // Guide "Suffix matching while ignoring case".
        MatchCase{"guide suffix ignore case",
                  R"({"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}})",
                  WithDetail(R"({"FileName": "image.PNG"})"), true},
        // Guide "Equals-ignore-case matching": Name is "Alice".
        MatchCase{"guide equals-ignore-case", R"({"Name": [{"equals-ignore-case": "alice"}]})",
                  R"({"Name": "ALICE"})", true},
        MatchCase{"guide equals-ignore-case, other name",
                  R"({"Name": [{"equals-ignore-case": "alice"}]})", R"({"Name": "alicia"})", false},
        MatchCase{"README equals-ignore-case", R"({"source": [{"equals-ignore-case": "AWS.EC2"}]})",
                  kRulerEvent, true},
        MatchCase{"equals-ignore-case beyond ASCII",
                  R"({"Name": [{"equals-ignore-case": "ÄRGER"}]})", R"({"Name": "ärger"})", true},
        MatchCase{"equals-ignore-case only strings",
                  R"({"detail": {"c-count": [{"equals-ignore-case": "5"}]}})", kRulerEvent, false},
        MatchCase{"exactly", R"({"source": [{"exactly": "aws.ec2"}]})", kRulerEvent, true}));

INSTANTIATE_TEST_SUITE_P(
    Wildcards, ValueOperatorTest,
    testing::Values(
        // README "Wildcard matching": {"wildcard": "Simple*Service"}.
        MatchCase{"README wildcard", R"({"source": [{"wildcard": "Simple*Service"}]})",
                  R"({"source": "SimpleQueueService"})", true},
        MatchCase{"README wildcard, empty run", R"({"source": [{"wildcard": "Simple*Service"}]})",
                  R"({"source": "SimpleService"})", true},
        MatchCase{"README wildcard, no suffix", R"({"source": [{"wildcard": "Simple*Service"}]})",
                  R"({"source": "SimpleQueue"})", false},
        // Guide "Wildcard matching": an event bus ARN in any account.
        MatchCase{"guide wildcard ARN",
                  R"({"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]})",
                  R"({"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"})",
                  true},
        MatchCase{"guide wildcard ARN, other region",
                  R"({"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]})",
                  R"({"EventBusArn": "arn:aws:events:eu-west-1:123456789012:event-bus/default"})",
                  false},
        MatchCase{"wildcard several stars", R"({"p": [{"wildcard": "*/lib/*.jar"}]})",
                  R"({"p": "/opt/lib/x/y.jar"})", true},
        MatchCase{"wildcard several stars, order", R"({"p": [{"wildcard": "*/lib/*.jar"}]})",
                  R"({"p": "/opt/x.jar/lib/"})", false},
        // README: "a wildcard character can be escaped with a backslash".
        MatchCase{"README escaped star", R"({"p": [{"wildcard": "a\\*b"}]})", R"({"p": "a*b"})",
                  true},
        MatchCase{"README escaped star is literal", R"({"p": [{"wildcard": "a\\*b"}]})",
                  R"({"p": "axb"})", false},
        MatchCase{"README escaped backslash", R"({"p": [{"wildcard": "a\\\\*"}]})",
                  R"({"p": "a\\xyz"})", true},
        MatchCase{"wildcard only strings", R"({"detail": {"c-count": [{"wildcard": "*"}]}})",
                  kRulerEvent, false}));

INSTANTIATE_TEST_SUITE_P(
    AnythingBut, ValueOperatorTest,
    testing::Values(
        // README/guide "Anything-but matching", single string then numeric.
        MatchCase{"guide anything-but string",
                  R"({"detail": {"state": [{"anything-but": "initializing"}]}})", kRulerEvent,
                  true},
        MatchCase{"guide anything-but string, excluded",
                  R"({"detail": {"state": [{"anything-but": "running"}]}})", kRulerEvent, false},
        MatchCase{"guide anything-but number",
                  R"({"detail": {"x-limit": [{"anything-but": 123}]}})", kRulerEvent, true},
        MatchCase{"guide anything-but number, excluded numerically",
                  R"({"detail": {"x-limit": [{"anything-but": 301.80}]}})", kRulerEvent, false},
        MatchCase{"guide anything-but list of strings",
                  R"({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}})",
                  kRulerEvent, true},
        MatchCase{"guide anything-but list of strings, excluded",
                  R"({"detail": {"state": [{"anything-but": ["stopped", "running"]}]}})",
                  kRulerEvent, false},
        MatchCase{"guide anything-but list of numbers",
                  R"({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}})", kRulerEvent,
                  true},
        MatchCase{"guide anything-but list of numbers, excluded",
                  R"({"detail": {"c-count": [{"anything-but": [4, 5, 6]}]}})", kRulerEvent, false},
        MatchCase{"guide anything-but prefix",
                  R"({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}})", kRulerEvent,
                  true},
        MatchCase{"guide anything-but prefix, excluded",
                  R"({"detail": {"state": [{"anything-but": {"prefix": "run"}}]}})", kRulerEvent,
                  false},
        MatchCase{"guide anything-but suffix",
                  R"({"FileName": [{"anything-but": {"suffix": ".png"}}]})",
                  R"({"FileName": "a.jpg"})", true},
        MatchCase{"guide anything-but suffix, excluded",
                  R"({"FileName": [{"anything-but": {"suffix": ".png"}}]})",
                  R"({"FileName": "a.png"})", false},
        MatchCase{"guide anything-but ignore case",
                  R"({"state": [{"anything-but": {"equals-ignore-case": "initializing"}}]})",
                  R"({"state": "INITIALIZING"})", false},
        MatchCase{"guide anything-but ignore case, other",
                  R"({"state": [{"anything-but": {"equals-ignore-case": ["a", "b"]}}]})",
                  R"({"state": "C"})", true},
        MatchCase{"guide anything-but wildcard",
                  R"({"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]})",
                  R"({"FilePath": "/usr/lib/libc.so"})", false},
        MatchCase{"guide anything-but wildcard, other path",
                  R"({"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]})",
                  R"({"FilePath": "/usr/bin/ls"})", true},
        MatchCase{"anything-but needs a value", R"({"missing": [{"anything-but": "x"}]})",
                  kRulerEvent, false},
        MatchCase{"anything-but on an event array: one other element suffices",
                  R"({"s": [{"anything-but": "initializing"}]})",
                  R"({"s": ["initializing", "running"]})", true},
        MatchCase{"anything-but on an event array: all excluded",
                  R"({"s": [{"anything-but": ["a", "b"]}]})", R"({"s": ["a", "b"]})", false},
        // event-ruler compares JSON text: a number is never one of the excluded strings.
        MatchCase{"anything-but string vs number",
                  R"({"detail": {"c-count": [{"anything-but": "5"}]}})", kRulerEvent, true}));

}  // namespace
}  // namespace lifeboat
