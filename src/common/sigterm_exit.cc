#include "common/sigterm_exit.h"

#include <signal.h>
#include <unistd.h>

namespace lifeboat {
namespace {

volatile sig_atomic_t g_exit_code = 0;

// Only async-signal-safe calls here: the signal may land while any thread holds a lock.
void ExitWithDecidedCode(int) { ::_exit(g_exit_code); }

}  // namespace

void ExitOnSigterm(int exit_code) {
  g_exit_code = exit_code;
  struct sigaction action {};
  action.sa_handler = ExitWithDecidedCode;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
}

}  // namespace lifeboat
