// What every posix_spawn call of lifeboat needs: the attribute objects, destroyed on every
// path, and argv/envp as the C arrays posix_spawn takes. lifeboat spawns with posix_spawn
// rather than fork because it spawns from multi-threaded servers (lifeboat local).
#ifndef LIFEBOAT_COMMON_SPAWN_SETUP_H_
#define LIFEBOAT_COMMON_SPAWN_SETUP_H_

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
