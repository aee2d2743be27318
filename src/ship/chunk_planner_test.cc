#include "ship/chunk_planner.h"

#include <gtest/gtest.h>

#include "fakes/mem_env.h"

namespace lifeboat {

void PrintTo(const ByteRange& r, std::ostream* os) { *os << "[" << r.begin << "," << r.end << ")"; }

namespace {

class ChunkPlannerTest : public ::testing::Test {
 protected:
  std::vector<ByteRange> Plan(const std::string& data, uint64_t max, bool final,
                              uint64_t begin = 0) {
    env_.SetFile("/f", data);
    auto file = *env_.OpenForRead("/f");
    auto r = PlanChunks(*file, begin, data.size(), max, final);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<ByteRange>{};
  }
  MemEnv env_;
};

TEST_F(ChunkPlannerTest, CutsAfterTheLastLineEndInEachWindow) {
  // Lines of 4 bytes; windows of 10 hold two whole lines.
  EXPECT_EQ(Plan("aaa\nbbb\nccc\nddd\neee\n", 10, true),
            (std::vector<ByteRange>{{0, 8}, {8, 16}, {16, 20}}));
}

TEST_F(ChunkPlannerTest, FinalKeepsThePartialLastLine) {
  EXPECT_EQ(Plan("aaa\nbb", 100, true), (std::vector<ByteRange>{{0, 6}}));
}

TEST_F(ChunkPlannerTest, NotFinalLeavesThePartialLastLineForLater) {
  EXPECT_EQ(Plan("aaa\nbb", 100, false), (std::vector<ByteRange>{{0, 4}}));
  EXPECT_TRUE(Plan("no newline yet", 100, false).empty());
}

TEST_F(ChunkPlannerTest, LongLinesAndBinaryAreCutAtTheWindow) {
  EXPECT_EQ(Plan(std::string(25, 'x'), 10, true),
            (std::vector<ByteRange>{{0, 10}, {10, 20}, {20, 25}}));
  // A long line followed by short ones: the window with no '\n' is cut at its end, and
  // the next window takes the rest of the long line up to its line end.
  EXPECT_EQ(Plan(std::string(12, 'x') + "\nab\n" + std::string(8, 'z'), 10, false),
            (std::vector<ByteRange>{{0, 10}, {10, 16}}));
}

TEST_F(ChunkPlannerTest, FullWindowsDoNotDependOnFileLength) {
  const std::string grown = "aaa\nbbb\nccc\nddd\neee\nfff\n";
  auto short_plan = Plan(grown.substr(0, 18), 10, false);
  auto long_plan = Plan(grown, 10, false);
  ASSERT_GE(short_plan.size(), 1u);
  // Every full-window chunk of the shorter file is a chunk of the longer one.
  EXPECT_EQ(short_plan[0], long_plan[0]);
  EXPECT_EQ(short_plan[1], long_plan[1]);
}

TEST_F(ChunkPlannerTest, ScansBackwardsAcrossReadBlocks) {
  // The only line end is far before the window end: found across several 64 KiB reads.
  std::string data = "x\n" + std::string(300000, 'y');
  EXPECT_EQ(Plan(data, 250000, false), (std::vector<ByteRange>{{0, 2}, {2, 250002}}));
}

TEST_F(ChunkPlannerTest, StartsAtTheGivenOffset) {
  EXPECT_EQ(Plan("aaa\nbbb\nccc\n", 100, true, 4), (std::vector<ByteRange>{{4, 12}}));
}

TEST_F(ChunkPlannerTest, ShrunkFileIsDataLoss) {
  env_.SetFile("/f", "abc");
  auto file = *env_.OpenForRead("/f");
  EXPECT_EQ(FindChunkEnd(*file, 0, 100, 10, false).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace lifeboat
