#include "local/s3/s3_listing.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

using Strings = std::vector<std::string>;

const Strings kKeys = {"a.txt",    "logs/2024/01/x", "logs/2024/02/y", "logs/2025/z",
                       "logs/top", "photos/p1",      "photos/p2",      "zeta"};

TEST(S3ListingTest, PrefixAndDelimiterRollUpCommonPrefixes) {
  ListingPage page = ListPage(kKeys, {.prefix = "logs/", .delimiter = "/"});
  EXPECT_EQ(page.keys, Strings({"logs/top"}));
  EXPECT_EQ(page.prefixes, Strings({"logs/2024/", "logs/2025/"}));
  EXPECT_FALSE(page.truncated);

  page = ListPage(kKeys, {.delimiter = "/"});
  EXPECT_EQ(page.keys, Strings({"a.txt", "zeta"}));
  EXPECT_EQ(page.prefixes, Strings({"logs/", "photos/"}));

  page = ListPage(kKeys, {.prefix = "photos/p"});
  EXPECT_EQ(page.keys, Strings({"photos/p1", "photos/p2"}));
}

TEST(S3ListingTest, PagesResumeAfterTheLastEntryWithoutRepeatsOrGaps) {
  for (const std::string delimiter : {"", "/"}) {
    for (int max_keys = 1; max_keys <= 4; ++max_keys) {
      Strings seen;
      ListingQuery q{.delimiter = delimiter, .max_keys = max_keys};
      for (int pages = 0;; ++pages) {
        ASSERT_LT(pages, 20);
        ListingPage page = ListPage(kKeys, q);
        EXPECT_LE(static_cast<int>(page.keys.size() + page.prefixes.size()), max_keys);
        // Keys and prefixes interleave in sorted order; the page's own order is enough here.
        for (auto& k : page.keys) seen.push_back(k);
        for (auto& p : page.prefixes) seen.push_back(p);
        if (!page.truncated) break;
        q.marker = page.last;
      }
      std::sort(seen.begin(), seen.end());
      const Strings want =
          delimiter.empty() ? kKeys : Strings({"a.txt", "logs/", "photos/", "zeta"});
      EXPECT_EQ(seen, want) << "delimiter '" << delimiter << "' max " << max_keys;
    }
  }
}

TEST(S3ListingTest, MarkerSkipsEverythingUpToAndIncludingIt) {
  ListingPage page = ListPage(kKeys, {.marker = "logs/2025/z"});
  EXPECT_EQ(page.keys, Strings({"logs/top", "photos/p1", "photos/p2", "zeta"}));
  // start-after need not be a key.
  page = ListPage(kKeys, {.marker = "m"});
  EXPECT_EQ(page.keys, Strings({"photos/p1", "photos/p2", "zeta"}));
}

TEST(S3ListingTest, ExactlyFullPageIsNotTruncatedAndZeroKeysReturnsNothing) {
  ListingPage page = ListPage(kKeys, {.prefix = "photos/", .max_keys = 2});
  EXPECT_EQ(page.keys.size(), 2u);
  EXPECT_FALSE(page.truncated);
  page = ListPage(kKeys, {.max_keys = 0});
  EXPECT_TRUE(page.keys.empty());
  EXPECT_FALSE(page.truncated);
}

TEST(S3ListingTest, MultiCharacterDelimiter) {
  ListingPage page = ListPage({"a--b", "a--c", "a-d"}, {.delimiter = "--"});
  EXPECT_EQ(page.prefixes, Strings({"a--"}));
  EXPECT_EQ(page.keys, Strings({"a-d"}));
}

}  // namespace
}  // namespace lifeboat
