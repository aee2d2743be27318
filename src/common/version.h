// lifeboat's version (project(VERSION) in CMakeLists.txt). Defined in a file CMake
// generates (cmake/version.cc.in), so that a new version recompiles that one file, not
// every file that a compile definition would reach.
#ifndef LIFEBOAT_COMMON_VERSION_H_
#define LIFEBOAT_COMMON_VERSION_H_

namespace lifeboat {

// "0.1.0"
const char* LifeboatVersion();

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_VERSION_H_
