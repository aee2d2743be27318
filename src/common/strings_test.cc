#include "common/strings.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

using Pieces = std::vector<std::string>;

TEST(SplitStringTest, KeepsEmptyPieces) {
  EXPECT_EQ(SplitString("a,,b", ','), (Pieces{"a", "", "b"}));
  EXPECT_EQ(SplitString(",a,", ','), (Pieces{"", "a", ""}));
}

TEST(SplitStringTest, TextWithoutSeparatorIsOnePiece) {
  EXPECT_EQ(SplitString("abc", ','), (Pieces{"abc"}));
  EXPECT_EQ(SplitString("", ','), (Pieces{""}));
}

TEST(XmlEscapeTest, EscapesWhatMarkupAndAttributesNeed) {
  EXPECT_EQ(XmlEscape("a<b>&\"c\" 'd'"), "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;");
  EXPECT_EQ(XmlEscape("plain"), "plain");
  EXPECT_EQ(XmlEscapeText("a<b>&\"c\" 'd'"), "a&lt;b&gt;&amp;\"c\" 'd'");
}

TEST(TrimSpaceTest, DropsWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(TrimSpace(" \tTerminated\r\n"), "Terminated");
  EXPECT_EQ(TrimSpace("a b"), "a b");
  EXPECT_EQ(TrimSpace(" \n "), "");
}

}  // namespace
}  // namespace lifeboat
