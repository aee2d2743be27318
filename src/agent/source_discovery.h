// Source discovery: which files the agent's source globs name right now, and a watcher
// that wakes the agent when files appear, move or vanish in the directories they live in.
//
// Discovery is a full rescan (cheap: one glob and one stat per file); the watcher only
// makes it prompt. Growth is not watched: the agent polls the size of the files it has
// open, which costs one fstat each, instead of one wake-up per write.
#ifndef LIFEBOAT_AGENT_SOURCE_DISCOVERY_H_
#define LIFEBOAT_AGENT_SOURCE_DISCOVERY_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/agent_config.h"
#include "common/env.h"

namespace lifeboat {

struct DiscoveredFile {
  std::string path;  // as the glob matched it
  FileInfo info;     // of the file the path points at
};

struct DiscoveryResult {
  std::vector<DiscoveredFile> files;  // regular files, sorted by path, each once
  // Matches that cannot be shipped (a directory, a FIFO, a dangling symlink, a stat error),
  // each naming the path.
  std::vector<Status> problems;
};

DiscoveryResult DiscoverSources(Env& env, const std::vector<SourceSpec>& specs);

// Whether `name` (a file name, no directory) matches one of the exclude globs.
bool IsExcluded(const SourceSpec& spec, const std::string& path);

// inotify on the directories the patterns name (their longest literal prefix) and on the
// directories holding discovered files.
class ChangeWatcher {
 public:
  ~ChangeWatcher();
  // Never fails hard: without inotify (limits reached) the agent still rescans on its timer.
  static std::unique_ptr<ChangeWatcher> Create(const std::vector<SourceSpec>& specs);

  int fd() const { return fd_; }
  // Adds watches for these directories if not watched yet (directories that appeared).
  void Watch(const std::set<std::string>& dirs);
  // Reads every pending event; true when any arrived (the caller then rescans).
  bool Drain();

 private:
  explicit ChangeWatcher(int fd) : fd_(fd) {}
  int fd_;
  std::set<std::string> watched_;
};

// The longest leading part of an absolute pattern without glob characters, as a
// directory: "/var/log/nginx/*.log" -> "/var/log/nginx", "/var/log/*/x.log" -> "/var/log".
std::string LiteralDirectory(const std::string& pattern);

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_SOURCE_DISCOVERY_H_
