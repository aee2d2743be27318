#include "lifecycle/pre_stop.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "fakes/mem_env.h"
#include "fakes/temp_dir.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PreStopTest, RunsEachCommandInOrderThroughTheShell) {
  TempDir dir;
  const std::string out = dir.path() + "/order";
  auto results = RunPreStopCommands(
      *Env::Default(), {"echo first >> " + out, "", "echo second >> " + out + " && exit 3"}, milliseconds(5000));
  ASSERT_EQ(results.size(), 2u);  // the empty one is skipped
  EXPECT_EQ(results[0].exit_code, 0);
  EXPECT_EQ(results[1].exit_code, 3);
  EXPECT_EQ(Slurp(out), "first\nsecond\n");
}

TEST(PreStopTest, StopsTheWholeGroupOfACommandThatOutlivesItsTimeout) {
  TempDir dir;
  const std::string marker = dir.path() + "/survived";
  // A child of the command would write the marker if it outlived the group kill.
  auto results =
      RunPreStopCommands(*Env::Default(), {"(sleep 2; touch " + marker + ") & sleep 30"}, milliseconds(200));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].timed_out);
  EXPECT_EQ(results[0].exit_code, 128 + SIGTERM);
  EXPECT_LT(results[0].took.count(), 5000);
  std::this_thread::sleep_for(milliseconds(2500));
  EXPECT_FALSE(std::ifstream(marker).good()) << "the command's child outlived it";
}

TEST(PreStopTest, TimeoutRunsOnTheGivenEnvsClock) {
  // On a virtual clock, a 10-minute timeout passes while the command still sleeps: the
  // timeout is measured on the Env, not on the machine's clock.
  MemEnv env;
  auto results = RunPreStopCommands(env, {"sleep 30"}, std::chrono::minutes(10));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].timed_out);
  EXPECT_EQ(results[0].exit_code, 128 + SIGTERM);
  EXPECT_GE(results[0].took, std::chrono::minutes(10));
}

TEST(PreStopTest, CommandsStartWithTerminationSignalsUnblocked) {
  // The agent blocks SIGTERM in all its threads; a pre-stop command (systemctl, kill) and
  // what it starts must still be stoppable.
  sigset_t term, old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &old);
  auto results =
      RunPreStopCommands(*Env::Default(), {"grep -q '^SigBlk:\\s*0*$' /proc/self/status"}, milliseconds(5000));
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].exit_code, 0) << "the command inherited blocked signals";
  EXPECT_FALSE(results[0].timed_out);
}

}  // namespace
}  // namespace lifeboat
