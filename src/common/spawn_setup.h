// What every posix_spawn call of lifeboat needs: the attribute objects, destroyed on every
// path, and argv/envp as the C arrays posix_spawn takes. lifeboat spawns with posix_spawn
// rather than fork because it spawns from multi-threaded servers (lifeboat local).
#ifndef LIFEBOAT_COMMON_SPAWN_SETUP_H_
#define LIFEBOAT_COMMON_SPAWN_SETUP_H_

#include <signal.h>
#include <spawn.h>

#include <string>
#include <vector>

namespace lifeboat {

// Owns posix_spawn's attribute objects for one call.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // The child starts with no blocked and no ignored signals (its parent blocks termination
  // signals in its threads, and libraries ignore SIGPIPE), in a process group of its own, so
  // that killing the group ends everything it started.
  void CleanSignalsNewGroup() {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  }
};

// A null-terminated array pointing into `strings`, which must outlive it.
inline std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_SPAWN_SETUP_H_
