// The building blocks of the matcher: comparable numbers, IP parsing, case folding,
// wildcards, and event flattening.
#include <gtest/gtest.h>

#include "events/event.h"
#include "events/event_value.h"
#include "events/ip_address.h"
#include "events/text_match.h"

namespace lifeboat::events_internal {
namespace {

TEST(ComparableNumberTest, SixDecimalFixedPoint) {
  EXPECT_EQ(ToComparable("300").value, 300'000'000);
  EXPECT_EQ(ToComparable("300.0").value, 300'000'000);
  EXPECT_EQ(ToComparable("3.0e2").value, 300'000'000);
  EXPECT_EQ(ToComparable("3.018e2").value, 301'800'000);
  EXPECT_EQ(ToComparable("-0.000001").value, -1);
  EXPECT_EQ(ToComparable("0").value, 0);
  EXPECT_EQ(ToComparable("5e9").value, 5'000'000'000'000'000);
  EXPECT_EQ(ToComparable("-5000000000").value, -5'000'000'000'000'000);
  EXPECT_EQ(ToComparable("1.0000000").value, 1'000'000);  // trailing zeros carry no precision
  EXPECT_EQ(ToComparable(300.0).value, 300'000'000);
  EXPECT_EQ(ToComparable(0.1).value, 100'000);
  EXPECT_EQ(ToComparable(int64_t{42}).value, 42'000'000);
}

TEST(ComparableNumberTest, RangeAndPrecisionLimits) {
  EXPECT_EQ(ToComparable("5000000001").error, ComparableError::kOutOfRange);
  EXPECT_EQ(ToComparable("-6e9").error, ComparableError::kOutOfRange);
  EXPECT_EQ(ToComparable("1e300").error, ComparableError::kOutOfRange);
  EXPECT_EQ(ToComparable("1.0000001").error, ComparableError::kTooManyDecimals);
  EXPECT_EQ(ToComparable("1e-7").error, ComparableError::kTooManyDecimals);
  EXPECT_EQ(ToComparable("01").error, ComparableError::kNotANumber);
  EXPECT_EQ(ToComparable("1.").error, ComparableError::kNotANumber);
  EXPECT_EQ(ToComparable(int64_t{6'000'000'000}).error, ComparableError::kOutOfRange);
  EXPECT_EQ(ComparableErrorMessage(ComparableError::kOutOfRange),
            "Value must be between -5.0E9 and 5.0E9, inclusive");
}

TEST(IpAddressTest, ParsesWhatLooksLikeAnAddress) {
  auto v4 = ParseIpAddress("10.0.0.33");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->size, 4);
  EXPECT_EQ(v4->bytes[3], 33);
  EXPECT_FALSE(ParseIpAddress("10.0.0"));
  EXPECT_FALSE(ParseIpAddress("10.0.0.256"));
  EXPECT_FALSE(ParseIpAddress("host.example"));
  auto v6 = ParseIpAddress("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->size, 16);
  EXPECT_EQ(ParseIpAddress("::ffff:a00:1")->size, 4);  // IPv4-mapped, as Java reads it
  EXPECT_FALSE(ParseIpAddress("1:2"));
}

TEST(IpAddressTest, CidrRangesRunFromTheAddressAsWritten) {
  auto range = ParseCidr("10.0.0.5/24");
  ASSERT_TRUE(range.ok());
  EXPECT_TRUE(range->Contains(*ParseIpAddress("10.0.0.5")));
  EXPECT_TRUE(range->Contains(*ParseIpAddress("10.0.0.255")));
  EXPECT_FALSE(range->Contains(*ParseIpAddress("10.0.0.4")));  // event-ruler keeps the host bits
  auto v6 = ParseCidr("2001:db8::/127");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->Contains(*ParseIpAddress("2001:db8::1")));
  EXPECT_FALSE(v6->Contains(*ParseIpAddress("2001:db8::2")));
  EXPECT_EQ(ParseCidr("10.0.0.0/32").status().message(), "IPv4 mask bits must be < 32");
  EXPECT_EQ(ParseCidr("10.0.0.0/").status().message(), "Malformed CIDR, one '/' required");
  EXPECT_EQ(ParseCidr("/8").status().message(), "Nonstandard IP address: ");
}

TEST(CaseFoldTest, FoldsCommonScripts) {
  EXPECT_EQ(FoldCase("EventBridge"), "eventbridge");
  EXPECT_EQ(FoldCase("ÄÖÜ ÀÉ"), "äöü àé");
  EXPECT_EQ(FoldCase("ΣΩ АБВ"), "σω абв");
  EXPECT_EQ(FoldCase("×"), "×");
  EXPECT_EQ(FoldCase("日本"), "日本");
}

TEST(WildcardTest, MatchesStarsAndEscapes) {
  auto w = *Wildcard::Parse("*/lib/*.jar");
  EXPECT_TRUE(w.Matches("/lib/a.jar"));
  EXPECT_TRUE(w.Matches("x/lib/y/z.jar"));
  EXPECT_FALSE(w.Matches("/lib/a.jarx"));
  EXPECT_FALSE(w.Matches("lib/a.jar"));
  auto star = *Wildcard::Parse("*");
  EXPECT_TRUE(star.Matches(""));
  auto literal = *Wildcard::Parse("a\\*b\\\\");
  EXPECT_TRUE(literal.Matches("a*b\\"));
  EXPECT_FALSE(literal.Matches("axb\\"));
  auto overlap = *Wildcard::Parse("ab*ba");
  EXPECT_FALSE(overlap.Matches("aba"));  // the pieces may not share characters
  EXPECT_TRUE(overlap.Matches("abba"));
  EXPECT_EQ(Wildcard::Parse("a**").status().message(), "Consecutive wildcard characters at pos 2");
  EXPECT_EQ(Wildcard::Parse("\\x").status().message(), "Invalid escape character at pos 1");
}

}  // namespace
}  // namespace lifeboat::events_internal

namespace lifeboat {
namespace {

TEST(EventTest, FlattensPathsAndCrushesArrays) {
  auto event = Event::Parse(
      R"({"source": "aws.ec2", "detail": {"a": {"b": 1}, "c.d": true, "list": [1, [2, {"x": "y"}]],
                               "empty": [], "nothing": {}, "n": null}})");
  ASSERT_TRUE(event.ok()) << event.status().message();
  EXPECT_EQ(event->LeavesAt("source").size(), 1u);
  EXPECT_EQ(event->LeavesAt("detail.a.b").size(), 1u);
  EXPECT_EQ(event->LeavesAt("detail.c.d").size(), 1u);  // dotted key, same path as nested
  EXPECT_EQ(event->LeavesAt("detail.list").size(), 2u);
  EXPECT_EQ(event->LeavesAt("detail.list.x").size(), 1u);
  EXPECT_TRUE(event->LeavesAt("detail.empty").empty());
  EXPECT_TRUE(event->LeavesAt("detail.nothing").empty());
  EXPECT_TRUE(event->LeavesAt("detail.a").empty());  // an object is not a leaf
  ASSERT_EQ(event->LeavesAt("detail.n").size(), 1u);
  EXPECT_EQ(event->leaves()[event->LeavesAt("detail.n")[0]].value.type, EventValueType::kNull);

  const EventLeaf& nested = event->leaves()[event->LeavesAt("detail.list.x")[0]];
  ASSERT_EQ(nested.positions_size, 2u);  // element 1 of the outer array, element 1 of the inner
  EXPECT_EQ(event->positions()[nested.positions_begin].index, 1u);
  EXPECT_EQ(event->positions()[nested.positions_begin + 1].index, 1u);
  EXPECT_NE(event->positions()[nested.positions_begin].array,
            event->positions()[nested.positions_begin + 1].array);
}

TEST(EventTest, KeepsValuesAfterMoves) {
  auto event =
      Event::Parse(R"({"s": "a string long enough not to fit any small buffer", "n": 3.5})");
  ASSERT_TRUE(event.ok());
  Event moved = std::move(*event);
  auto other = Event::Parse(R"({"s": "something else entirely, to reuse the parser"})");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(moved.leaves()[moved.LeavesAt("s")[0]].value.text,
            "a string long enough not to fit any small buffer");
  EXPECT_EQ(moved.leaves()[moved.LeavesAt("n")[0]].value.comparable, 3'500'000);
}

TEST(EventTest, ReadsNumbersBeyondSixtyFourBits) {
  auto event = Event::Parse(R"({"big": 123456789012345678901234567890, "s": "x"})");
  ASSERT_TRUE(event.ok()) << event.status().message();
  const EventValue& big = event->leaves()[event->LeavesAt("big")[0]].value;
  EXPECT_EQ(big.type, EventValueType::kNumber);
  EXPECT_FALSE(big.has_comparable);
  EXPECT_DOUBLE_EQ(big.number, 1.2345678901234568e29);
}

TEST(EventTest, RefusesWhatIsNotAnObject) {
  EXPECT_FALSE(Event::Parse("[1]").ok());
  EXPECT_FALSE(Event::Parse(R"({"a": )").ok());
  EXPECT_FALSE(Event::Parse(R"({"a": tru})").ok());
  EXPECT_FALSE(Event::Parse(R"({"a": 1} {"b": 2})").ok());
}

}  // namespace
}  // namespace lifeboat
