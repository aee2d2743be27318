#include "cli/progress_display.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(ProgressDisplayTest, RendersBarPercentSizesRateAndFiles) {
  EXPECT_EQ(RenderProgressLine(uint64_t{128} << 20, uint64_t{256} << 20, 3, 8, 2.0, 10),
            "[#####.....]  50%  128.0 MiB/256.0 MiB  64.0 MiB/s  3/8 files");
}

TEST(ProgressDisplayTest, NothingToDoIsComplete) {
  EXPECT_EQ(RenderProgressLine(0, 0, 0, 0, 0, 4), "[####] 100%  0 B/0 B  0 B/s  0/0 files");
}

}  // namespace
}  // namespace lifeboat
