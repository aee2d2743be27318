#include "common/env.h"

#include <atomic>
#include <cstdio>
#include <unistd.h>

namespace lifeboat {

Result<std::string> Env::ReadFileToString(const std::string& path) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto file, OpenForRead(path));
  std::string out;
  char buf[64 * 1024];
  for (uint64_t offset = 0;;) {
    LIFEBOAT_ASSIGN_OR_RETURN(size_t n, file->ReadAt(offset, buf, sizeof buf));
    if (n == 0) break;
    out.append(buf, n);
    offset += n;
  }
  return out;
}

Status Env::WriteFileAtomically(const std::string& path, std::string_view data) {
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." +
                          std::to_string(counter.fetch_add(1));
  {
    LIFEBOAT_ASSIGN_OR_RETURN(auto file, NewWritableFile(tmp));
    Status s = file->Append(data);
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
    if (!s.ok()) {
      (void)Remove(tmp);  // best effort: the write's own error is what the caller needs
      return s;
    }
  }
  Status s = Rename(tmp, path);
  if (!s.ok()) {
    (void)Remove(tmp);  // best effort: the rename's own error is what the caller needs
    return s;
  }
  return SyncDir(DirName(path));
}

std::optional<std::string> Env::GetNonEmptyVar(const std::string& name) {
  auto v = GetVar(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

std::string DirName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out(dir);
  while (!out.empty() && out.back() == '/') out.pop_back();
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  out += '/';
  out += name;
  return out;
}

}  // namespace lifeboat
