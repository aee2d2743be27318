// ExitOnSigterm: from the call on, SIGTERM ends the process at once with a chosen exit
// code instead of killing it.
//
// For a command whose outcome is decided before the SIGTERM that outcome brings: `lifeboat
// evacuate --complete-lifecycle` lets the instance terminate, and the shutdown then sends
// SIGTERM to everything still running, lifeboat included, while it prints its report.
// Killed by the signal, it is recorded as failed ("Failed", exit 143, in Run Command's
// history) although its logs are stored and the action completed; exiting with the
// decided code records what happened.
#ifndef LIFEBOAT_COMMON_SIGTERM_EXIT_H_
#define LIFEBOAT_COMMON_SIGTERM_EXIT_H_

namespace lifeboat {

// Process-wide (any thread may take the signal). The exit is _exit(): no destructor runs
// and stdio buffers are not flushed, so flush what must be seen before it may come.
void ExitOnSigterm(int exit_code);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_SIGTERM_EXIT_H_
