#include "lifecycle/completion_line.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(CompletionLineTest, TheControllerRecognisesWhatEvacuatePrints) {
  const std::string action = "web/lifeboat for i-0123456789abcdef0";
  EXPECT_TRUE(
      OutputSaysActionSettled("lifeboat: something\n" + CompletedLine(action, "CONTINUE") + "\n"));
  EXPECT_TRUE(OutputSaysActionSettled(CompletedLine(action, "ABANDON")));
  EXPECT_TRUE(OutputSaysActionSettled(AlreadyEndedLine(action, "ValidationError: No active ...")));
}

TEST(CompletionLineTest, OtherOutputIsNotASettlement) {
  EXPECT_FALSE(OutputSaysActionSettled(""));
  EXPECT_FALSE(OutputSaysActionSettled("upload: ./error.log to s3://bucket/i-1/error.log\n"));
  EXPECT_FALSE(OutputSaysActionSettled("lifeboat: lifecycle action web/x could not complete"));
  // Mentioned inside another line (an echo of the command, say) it does not count.
  EXPECT_FALSE(OutputSaysActionSettled("+ echo lifeboat: completed lifecycle action x: CONTINUE"));
}

}  // namespace
}  // namespace lifeboat
