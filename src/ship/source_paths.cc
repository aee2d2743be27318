#include "ship/source_paths.h"

#include <filesystem>
#include <set>

namespace lifeboat {

bool HasGlobMagic(std::string_view pattern) {
  return pattern.find_first_of("*?[{") != std::string_view::npos;
}

std::string AbsoluteNormalPath(std::string_view path, std::string_view cwd) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(cwd) / p;
  std::string normal = p.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

std::vector<SourcePath> ExpandSourcePaths(Env& env, const std::vector<std::string>& arguments) {
  std::vector<SourcePath> out;
  std::set<std::string> seen;
  auto cwd = env.CurrentDirectory();
  auto add = [&](const std::string& path, bool from_glob) {
    std::string normal = AbsoluteNormalPath(path, cwd.ok() ? *cwd : "/");
    if (seen.insert(normal).second) out.push_back({normal, Status::Ok(), from_glob});
  };
  for (const auto& arg : arguments) {
    if (arg.empty()) {
      out.push_back({arg, Status::InvalidArgument("an empty path was given")});
      continue;
    }
    if (!HasGlobMagic(arg)) {
      add(arg, false);
      continue;
    }
    auto matches = env.Glob(arg);
    if (!matches.ok()) {
      out.push_back({arg, matches.status()});
    } else if (matches->empty()) {
      out.push_back({arg, Status::NotFound(arg + ": no file matches this pattern")});
    } else {
      for (const auto& m : *matches) add(m, true);
    }
  }
  return out;
}

}  // namespace lifeboat
