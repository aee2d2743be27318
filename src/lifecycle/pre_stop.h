// Pre-stop commands: what the operator wants run before the last logs are shipped, such as
// `systemctl stop php-fpm`, so the application writes its shutdown lines now and nothing
// after. Each runs through /bin/sh -c in a process group of its own, with the caller's
// environment and output; one that outlives `timeout` is sent SIGTERM, then SIGKILL
// (the whole group) a few seconds later.
//
// A failing command is reported but never stops the evacuation: the logs must go anyway.
#ifndef LIFEBOAT_LIFECYCLE_PRE_STOP_H_
#define LIFEBOAT_LIFECYCLE_PRE_STOP_H_

#include <chrono>
#include <string>
#include <vector>

#include "common/env.h"
#include "common/status.h"

namespace lifeboat {

struct PreStopResult {
  std::string command;
  int exit_code = 0;  // 128+N for signal N
  bool timed_out = false;
  std::chrono::milliseconds took{0};
};

// Runs `commands` in order; one result per command. Each outcome is logged. Timeouts are
// measured and waited out on `env`'s steady clock.
std::vector<PreStopResult> RunPreStopCommands(Env& env, const std::vector<std::string>& commands,
                                              std::chrono::milliseconds timeout);

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_PRE_STOP_H_
