// Source paths: turning the PATH_OR_GLOB arguments of `evacuate` (and the agent's source
// globs) into the absolute, lexically normal paths that object keys are made from.
#ifndef LIFEBOAT_SHIP_SOURCE_PATHS_H_
#define LIFEBOAT_SHIP_SOURCE_PATHS_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/env.h"

namespace lifeboat {

struct SourcePath {
  std::string path;  // absolute and lexically normal
  Status error;      // set when the argument could not be expanded (path is the argument)
  bool from_glob = false;  // matched by a pattern rather than named
};

bool HasGlobMagic(std::string_view pattern);

// "/var/log/../log//x" -> "/var/log/x"; relative paths are taken from `cwd`.
std::string AbsoluteNormalPath(std::string_view path, std::string_view cwd);

// Each argument in order: a glob is expanded (sorted); a plain path is kept as given, so
// that opening it later reports the real problem (missing, a directory, a symlink loop).
// A glob that matches nothing is an error entry. Paths named twice are listed once.
std::vector<SourcePath> ExpandSourcePaths(Env& env, const std::vector<std::string>& arguments);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_SOURCE_PATHS_H_
