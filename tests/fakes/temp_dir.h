// TempDir: a fresh directory on the real filesystem for one test, removed afterwards.
#ifndef LIFEBOAT_TESTS_FAKES_TEMP_DIR_H_
#define LIFEBOAT_TESTS_FAKES_TEMP_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace lifeboat {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "lifeboat-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Join(const std::string& rel) const { return path_ + "/" + rel; }

  // Writes a file (creating parents) and returns its path.
  std::string Write(const std::string& rel, const std::string& data) const {
    std::filesystem::path p = Join(rel);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
    return p.string();
  }

 private:
  std::string path_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_TEMP_DIR_H_
