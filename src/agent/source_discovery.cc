#include "agent/source_discovery.h"

#include <fnmatch.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "ship/source_paths.h"

namespace lifeboat {

bool IsExcluded(const SourceSpec& spec, const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  for (const auto& pattern : spec.exclude) {
    // A pattern with a '/' is matched against the whole path, otherwise the name.
    const std::string& subject = pattern.find('/') == std::string::npos ? name : path;
    if (::fnmatch(pattern.c_str(), subject.c_str(), FNM_PATHNAME) == 0) return true;
  }
  return false;
}

DiscoveryResult DiscoverSources(Env& env, const std::vector<SourceSpec>& specs) {
  DiscoveryResult result;
  std::map<std::string, FileInfo> found;
  for (const auto& spec : specs) {
    std::vector<std::string> paths;
    if (HasGlobMagic(spec.pattern)) {
      auto matched = env.Glob(spec.pattern);
      if (!matched.ok()) {
        result.problems.push_back(matched.status().WithContext(spec.pattern));
        continue;
      }
      paths = std::move(*matched);
    } else {
      paths.push_back(spec.pattern);
    }
    for (const auto& path : paths) {
      if (found.count(path) || IsExcluded(spec, path)) continue;
      auto info = env.Stat(path);
      if (!info.ok()) {
        // A named file that does not exist yet is normal (it appears later), and so is a
        // glob match that vanished between glob and stat (rotated away); a symlink to
        // nothing is a configuration problem worth a line.
        if (info.status().code() != StatusCode::kNotFound) {
          result.problems.push_back(info.status());
        } else if (auto link = env.StatNoFollow(path); link.ok() && link->type == FileType::kSymlink) {
          result.problems.push_back(Status::NotFound(path + ": a symlink to a missing file, skipped"));
        }
        continue;
      }
      if (info->type != FileType::kRegular) {
        result.problems.push_back(Status::InvalidArgument(path + ": not a regular file, skipped"));
        continue;
      }
      found.emplace(path, *info);
    }
  }
  for (auto& [path, info] : found) result.files.push_back({path, info});
  return result;
}

std::string LiteralDirectory(const std::string& pattern) {
  const auto magic = pattern.find_first_of("*?[");
  const std::string literal = pattern.substr(0, magic);
  const auto slash = literal.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return literal.substr(0, slash);
}

ChangeWatcher::~ChangeWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<ChangeWatcher> ChangeWatcher::Create(const std::vector<SourceSpec>& specs) {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  std::unique_ptr<ChangeWatcher> watcher(new ChangeWatcher(fd));
  std::set<std::string> dirs;
  for (const auto& spec : specs) dirs.insert(LiteralDirectory(spec.pattern));
  watcher->Watch(dirs);
  return watcher;
}

void ChangeWatcher::Watch(const std::set<std::string>& dirs) {
  if (fd_ < 0) return;
  constexpr uint32_t kMask = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                             IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
  for (const auto& dir : dirs) {
    if (watched_.count(dir)) continue;
    // A directory that does not exist yet is tried again on the next scan.
    if (::inotify_add_watch(fd_, dir.c_str(), kMask) >= 0) watched_.insert(dir);
  }
}

bool ChangeWatcher::Drain() {
  if (fd_ < 0) return false;
  bool any = false;
  alignas(inotify_event) char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof(buf));
    if (n <= 0) break;
    any = true;
    // A watched directory that went away must be watched again when it comes back.
    for (ssize_t off = 0; off < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buf + off);
      if (event->mask & IN_IGNORED) watched_.clear();
      off += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  return any;
}

}  // namespace lifeboat
