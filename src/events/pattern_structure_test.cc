// Numeric, IP, exists, $or, nesting and array consistency, case by case from the
// EventBridge user guide and the aws/event-ruler README.
#include <gtest/gtest.h>

#include "events/match_test_util.h"

namespace lifeboat {
namespace {

const std::string kRulerEvent = R"({
  "version": "0", "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
  "account": "012345679012", "time": "2017-10-02T16:24:49Z", "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  "detail": {"c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33",
             "instance-id": "i-000000aaaaaa00000", "state": "running"}})";

std::string Detail(const std::string& detail) {
  return R"({"source": "aws.ec2", "detail": )" + detail + "}";
}

// The README's "JSON Array Matching" event.
const std::string kEmployees = R"({"employees": [
  {"firstName": "John", "lastName": "Doe"},
  {"firstName": "Anna", "lastName": "Smith"},
  {"firstName": "Peter", "lastName": "Jones"}]})";

class StructureTest : public testing::TestWithParam<MatchCase> {};
TEST_P(StructureTest, MatchesAsDocumented) { ExpectMatchCase(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Numeric, StructureTest,
    testing::Values(
        // README/guide "Numeric matching".
        MatchCase{
            "guide numeric",
            R"({"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                                 "x-limit": [{"numeric": ["=", 3.018e2]}]}})",
            kRulerEvent, true},
        MatchCase{"numeric > is open", R"({"detail": {"n": [{"numeric": [">", 5]}]}})",
                  Detail(R"({"n": 5})"), false},
        MatchCase{"numeric >= is closed", R"({"detail": {"n": [{"numeric": [">=", 5]}]}})",
                  Detail(R"({"n": 5})"), true},
        MatchCase{"numeric <= is closed", R"({"detail": {"n": [{"numeric": [">", 0, "<=", 5]}]}})",
                  Detail(R"({"n": 5})"), true},
        MatchCase{"numeric < is open", R"({"detail": {"n": [{"numeric": [">", 0, "<", 5]}]}})",
                  Detail(R"({"n": 5})"), false},
        MatchCase{"numeric below range", R"({"detail": {"n": [{"numeric": [">", 0, "<=", 5]}]}})",
                  Detail(R"({"n": 0})"), false},
        MatchCase{"numeric negative", R"({"detail": {"n": [{"numeric": ["<", 0]}]}})",
                  Detail(R"({"n": -0.5})"), true},
        MatchCase{"numeric = compares values", R"({"detail": {"n": [{"numeric": ["=", 300]}]}})",
                  Detail(R"({"n": 3.0e2})"), true},
        MatchCase{"numeric six decimals", R"({"detail": {"n": [{"numeric": [">", 1.000001]}]}})",
                  Detail(R"({"n": 1.000002})"), true},
        // "Numeric matching works with values that are JSON numbers."
        MatchCase{"guide numeric only numbers", R"({"detail": {"n": [{"numeric": [">", 0]}]}})",
                  Detail(R"({"n": "5"})"), false},
        // Beyond the +-5.0e9 range numbers have no comparable form and never fall in a range.
        MatchCase{"numeric out of comparable range",
                  R"({"detail": {"n": [{"numeric": [">", 0]}]}})", Detail(R"({"n": 6e9})"), false},
        MatchCase{"numeric on an array: any element",
                  R"({"detail": {"n": [{"numeric": [">", 10]}]}})", Detail(R"({"n": [1, 20]})"),
                  true}));

INSTANTIATE_TEST_SUITE_P(
    IpAddresses, StructureTest,
    testing::Values(
        // Guide "IP address matching": "10.0.0.0/24".
        MatchCase{"guide cidr", R"({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}})",
                  Detail(R"({"sourceIPAddress": "10.0.0.33"})"), true},
        MatchCase{"guide cidr, last address",
                  R"({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}})",
                  Detail(R"({"sourceIPAddress": "10.0.0.255"})"), true},
        MatchCase{"guide cidr, outside",
                  R"({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}})",
                  Detail(R"({"sourceIPAddress": "10.0.1.0"})"), false},
        MatchCase{"README cidr /8", R"({"detail": {"source-ip": [{"cidr": "10.0.0.0/8"}]}})",
                  kRulerEvent, true},
        // "This also works with IPv6 addresses."
        MatchCase{"README cidr IPv6", R"({"ip": [{"cidr": "2001:db8::/32"}]})",
                  R"({"ip": "2001:db8:0:0:1::7"})", true},
        MatchCase{"README cidr IPv6, outside", R"({"ip": [{"cidr": "2001:db8::/32"}]})",
                  R"({"ip": "2001:db9::1"})", false},
        MatchCase{"cidr IPv4 pattern, IPv6 value", R"({"ip": [{"cidr": "10.0.0.0/8"}]})",
                  R"({"ip": "::1"})", false},
        MatchCase{"cidr not an address", R"({"ip": [{"cidr": "10.0.0.0/8"}]})",
                  R"({"ip": "10.0.0.x"})", false},
        // event-ruler compiles an exact IP string into a one-address range.
        MatchCase{"exact IP string", R"({"ip": ["10.0.0.1"]})", R"({"ip": "10.0.0.1"})", true},
        MatchCase{"exact IPv6 string, other spelling", R"({"ip": ["2001:db8::1"]})",
                  R"({"ip": "2001:0db8:0:0:0:0:0:1"})", true}));

INSTANTIATE_TEST_SUITE_P(
    Exists, StructureTest,
    testing::Values(
        // Guide "Exists matching": matches any event that does not have a detail.c-count field.
        MatchCase{"guide exists false", R"({"detail": {"c-count": [{"exists": false}]}})",
                  R"({"detail-type": "x", "detail": {"state": ["initializing", "running"]}})",
                  true},
        // "also matches the following event because c-count isn't a leaf node".
        MatchCase{"guide exists false, not a leaf",
                  R"({"detail": {"c-count": [{"exists": false}]}})",
                  R"({"detail": {"state": "running", "c-count": {"c1": 100}}})", true},
        MatchCase{"exists false, present", R"({"detail": {"c-count": [{"exists": false}]}})",
                  kRulerEvent, false},
        MatchCase{"exists false, no detail at all",
                  R"({"detail": {"c-count": [{"exists": false}]}})", R"({"source": "x"})", true},
        // Guide: {"detail": {"state": [{"exists": true}]}} matches an event with detail.state ...
        MatchCase{
            "guide exists true", R"({"detail": {"state": [{"exists": true}]}})",
            R"({"version": "0", "source": "aws.ec2", "detail": {"instance-id": "i-abcd1111", "state": "pending"}})",
            true},
        // ... and does NOT match one without it (c-count only).
        MatchCase{"guide exists true, absent", R"({"detail": {"state": [{"exists": true}]}})",
                  R"({"detail": {"c-count": {"c1": 100}}})", false},
        MatchCase{"exists true on null", R"({"detail": {"r": [{"exists": true}]}})",
                  Detail(R"({"r": null})"), true},
        // An empty array holds no value: the field counts as absent.
        MatchCase{"exists false, empty array", R"({"resources": [{"exists": false}]})",
                  R"({"resources": []})", true},
        MatchCase{"exists true, empty array", R"({"resources": [{"exists": true}]})",
                  R"({"resources": []})", false},
        MatchCase{"exists false or a value", R"({"detail": {"s": [{"exists": false}, "on"]}})",
                  Detail(R"({"s": "on"})"), true}));

INSTANTIATE_TEST_SUITE_P(
    OrAndNesting, StructureTest,
    testing::Values(
        // README "$or": Effect of "source" && ("metricName" || "namespace").
        MatchCase{"README $or, first", R"({"source": ["aws.cloudwatch"], "$or": [
                      {"metricName": ["CPUUtilization", "ReadLatency"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}]})",
                  R"({"source": "aws.cloudwatch", "metricName": "CPUUtilization"})", true},
        MatchCase{"README $or, second", R"({"source": ["aws.cloudwatch"], "$or": [
                      {"metricName": ["CPUUtilization", "ReadLatency"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}]})",
                  R"({"source": "aws.cloudwatch", "namespace": "AWS/ES"})", true},
        MatchCase{"README $or, neither", R"({"source": ["aws.cloudwatch"], "$or": [
                      {"metricName": ["CPUUtilization", "ReadLatency"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}]})",
                  R"({"source": "aws.cloudwatch", "namespace": "AWS/S3"})", false},
        MatchCase{"README $or, and still applies", R"({"source": ["aws.cloudwatch"], "$or": [
                      {"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]})",
                  R"({"source": "aws.ec2", "namespace": "AWS/EC2"})", false},
        // README: "Or" has an "And" inside, and nested "Or".
        MatchCase{
            "README nested $or", R"({"source": ["aws.cloudwatch"], "$or": [
                      {"metricName": ["CPUUtilization"]},
                      {"metricType": ["MetricType"], "namespace": ["AWS/EC2"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
                      {"scope": ["Service"]}]})",
            R"({"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2", "spaceId": 1000})",
            true},
        MatchCase{
            "README nested $or, inner missing", R"({"source": ["aws.cloudwatch"], "$or": [
                      {"metricName": ["CPUUtilization"]},
                      {"metricType": ["MetricType"], "namespace": ["AWS/EC2"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]}]})",
            R"({"source": "aws.cloudwatch", "metricType": "MetricType", "namespace": "AWS/EC2"})",
            false},
        MatchCase{"README parallel $or in detail",
                  R"({"detail": {"$or": [{"source": ["aws.cloudwatch"]},
                      {"detail-type": ["CloudWatch Alarm State Change"]}]}})",
                  R"({"detail": {"detail-type": "CloudWatch Alarm State Change"}})", true},
        // README "Compiled rules and JSON keys with dots": dotted and nested forms are the same.
        MatchCase{"README dots: nested pattern, dotted event",
                  R"({"detail": {"state": {"status": ["running"]}}})",
                  R"({"detail": {"state.status": "running"}})", true},
        MatchCase{"README dots: dotted pattern, nested event",
                  R"({"detail": {"state.status": ["running"]}})",
                  R"({"detail": {"state": {"status": "running"}}})", true},
        MatchCase{"dots: top-level dotted pattern", R"({"detail.state": ["running"]})", kRulerEvent,
                  true},
        // Guide note: "if you include a key more than once the last reference will be the one
        // used".
        MatchCase{
            "guide repeated key, last wins",
            R"({"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}})",
            Detail(R"({"location": "eu-west"})"), true},
        MatchCase{
            "guide repeated key, last wins (excluded)",
            R"({"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}})",
            Detail(R"({"location": "us-east"})"), false},
        // A pattern object needs an object in the event, not a value.
        MatchCase{"nested pattern vs scalar", R"({"detail": {"state": ["running"]}})",
                  R"({"detail": "running"})", false}));

INSTANTIATE_TEST_SUITE_P(
    ArrayConsistency, StructureTest,
    testing::Values(
        // README "JSON Array Matching".
        MatchCase{"README arrays crushed", R"({"employees": {"firstName": ["Anna"]}})", kEmployees,
                  true},
        MatchCase{"README arrays: same element",
                  R"({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}})", kEmployees,
                  true},
        // "rulesForJSONEvent() will *not* match the Anna/Jones rule".
        MatchCase{"README arrays: never across elements",
                  R"({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}})", kEmployees,
                  false},
        MatchCase{
            "README multi-level arrays",
            R"({"employees": {"firstName": ["Peter"], "lastName": ["Jones"]}})",
            R"({"employees": [[{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"}],
                                    [{"firstName": "Peter", "lastName": "Jones"}]]})",
            true},
        MatchCase{
            "README multi-level arrays: across",
            R"({"employees": {"firstName": ["John"], "lastName": ["Jones"]}})",
            R"({"employees": [[{"firstName": "John", "lastName": "Doe"}], [{"firstName": "Peter", "lastName": "Jones"}]]})",
            false},
        MatchCase{"arrays: a later element", R"({"e": {"a": [2], "b": [{"prefix": "y"}]}})",
                  R"({"e": [{"a": 1, "b": "x"}, {"a": 2, "b": "x"}, {"a": 2, "b": "yes"}]})", true},
        MatchCase{"arrays: outside fields combine freely",
                  R"({"source": ["s"], "e": {"a": [1], "b": ["x"]}})",
                  R"({"source": "s", "e": [{"a": 1, "b": "x"}]})", true},
        MatchCase{"arrays: exists false within the chosen element",
                  R"({"e": {"a": [1], "b": [{"exists": false}]}})",
                  R"({"e": [{"a": 1, "b": "x"}, {"a": 1}]})", true},
        MatchCase{"arrays: exists false, every element has it",
                  R"({"e": {"a": [1], "c": [{"exists": false}]}})",
                  R"({"e": [{"a": 1, "c": "x"}, {"a": 2}]})", false}));

}  // namespace
}  // namespace lifeboat
