#include "search/line_matcher.h"

#include <gtest/gtest.h>

#include <vector>

namespace lifeboat {
namespace {

std::vector<std::string> Matches(const std::string& pattern, std::string_view text,
                                 MatchOptions options = {}) {
  auto m = LineMatcher::Create(pattern, options);
  EXPECT_TRUE(m.ok()) << m.status().message();
  std::vector<std::string> out;
  if (!m.ok()) return out;
  m->ForEachMatch(text, [&](std::string_view line) {
    out.emplace_back(line);
    return true;
  });
  return out;
}

const char kLog[] =
    "GET /index.html 200\n"
    "POST /login 500 upstream timed out\n"
    "GET /health 200\n"
    "PHP Fatal error: Allowed memory size exhausted\n"
    "last line without a newline 500";

TEST(LineMatcherTest, EachMatchingLineOnceInOrder) {
  EXPECT_EQ(Matches("500", kLog),
            (std::vector<std::string>{"POST /login 500 upstream timed out",
                                      "last line without a newline 500"}));
  EXPECT_EQ(Matches("GET|Fatal", kLog),
            (std::vector<std::string>{"GET /index.html 200", "GET /health 200",
                                      "PHP Fatal error: Allowed memory size exhausted"}));
  EXPECT_EQ(Matches("e", "eee\n"), std::vector<std::string>{"eee"}) << "a line once, however many hits";
}

TEST(LineMatcherTest, AnchorsAreLineEndsAndNoMatchSpansLines) {
  EXPECT_EQ(Matches("^GET", kLog), (std::vector<std::string>{"GET /index.html 200", "GET /health 200"}));
  EXPECT_EQ(Matches("200$", kLog), (std::vector<std::string>{"GET /index.html 200", "GET /health 200"}));
  EXPECT_TRUE(Matches("200.POST", kLog).empty()) << ". does not match the newline";
  EXPECT_TRUE(Matches("200\\sPOST", kLog).empty());
}

TEST(LineMatcherTest, FixedStringsAndCase) {
  EXPECT_EQ(Matches("/login 5", kLog, {.fixed = true}),
            std::vector<std::string>{"POST /login 500 upstream timed out"});
  EXPECT_TRUE(Matches("a.c", "abc\n", {.fixed = true}).empty()) << "-F: the dot is a dot";
  EXPECT_EQ(Matches("a.c", "a.c\n", {.fixed = true}), std::vector<std::string>{"a.c"});
  EXPECT_EQ(Matches("fatal", kLog, {.ignore_case = true}),
            std::vector<std::string>{"PHP Fatal error: Allowed memory size exhausted"});
  EXPECT_EQ(Matches("FATAL ERROR", kLog, {.fixed = true, .ignore_case = true}).size(), 1u);
  EXPECT_TRUE(Matches("fatal", kLog).empty());
}

TEST(LineMatcherTest, EmptyLinesAndTheEmptyPattern) {
  EXPECT_EQ(Matches("^$", "a\n\nb\n\n"), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(Matches("", "a\nb\nc\n", {.fixed = true}), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LineMatcherTest, ABadPatternIsOneClearError) {
  auto m = LineMatcher::Create("(unclosed", {});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("(unclosed"), std::string::npos) << m.status().message();
}

}  // namespace
}  // namespace lifeboat
