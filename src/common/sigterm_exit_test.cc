#include "common/sigterm_exit.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

// Forks a child that (maybe) calls ExitOnSigterm(code), sends itself SIGTERM and waits;
// returns the child's wait status.
int StatusOfChildSentSigterm(bool exit_on_sigterm, int code) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (exit_on_sigterm) ExitOnSigterm(code);
    ::kill(::getpid(), SIGTERM);
    for (int i = 0; i < 100; ++i) ::usleep(10000);
    ::_exit(99);  // the signal did nothing
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(SigtermExitTest, WithoutItSigtermKillsTheProcess) {
  const int status = StatusOfChildSentSigterm(false, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

TEST(SigtermExitTest, SigtermExitsWithTheDecidedCode) {
  int status = StatusOfChildSentSigterm(true, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  status = StatusOfChildSentSigterm(true, 1);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

}  // namespace
}  // namespace lifeboat
