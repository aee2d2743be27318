#include "local/lambda/lambda_zip.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "common/env.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;

Status Bad(const std::string& why) { return Status::InvalidArgument("zip: " + why); }

// The entry's path split into components, or nullopt when it would leave the directory
// (absolute, "..") or is not a path at all.
std::optional<std::vector<std::string>> SafeComponents(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part == "..") return std::nullopt;
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// Whether a link at `link_parts` pointing at `target` stays inside the root, judged on the
// text alone (nothing it names needs to exist).
bool LinkStaysInside(const std::vector<std::string>& link_parts, std::string_view target) {
  if (target.empty() || target.front() == '/') return false;
  std::vector<std::string> at(link_parts.begin(), link_parts.end() - 1);
  size_t start = 0;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    std::string_view part = target.substr(start, end - start);
    if (part == "..") {
      if (at.empty()) return false;
      at.pop_back();
    } else if (!part.empty() && part != ".") {
      at.emplace_back(part);
    }
    start = end + 1;
  }
  return true;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

struct Link {
  std::vector<std::string> parts;
  std::string target;
};

class Extractor {
 public:
  Extractor(zip_t* archive, std::string dest, uint64_t limit)
      : archive_(archive), dest_(std::move(dest)), limit_(limit) {}

  Status Run() {
    zip_int64_t n = zip_get_num_entries(archive_, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      LIFEBOAT_RETURN_IF_ERROR(Entry(static_cast<zip_uint64_t>(i)));
    }
    for (const Link& link : links_) {
      std::string path = JoinPath(dest_, Join(link.parts));
      LIFEBOAT_RETURN_IF_ERROR(MakeParents(link.parts));
      if (::symlink(link.target.c_str(), path.c_str()) != 0) {
        return Bad("cannot create link '" + Join(link.parts) + "': " + std::strerror(errno));
      }
    }
    return Status::Ok();
  }

 private:
  Status Entry(zip_uint64_t index) {
    zip_stat_t st;
    if (zip_stat_index(archive_, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
      return Bad(std::string("unreadable entry: ") + zip_strerror(archive_));
    }
    std::string name = st.name;
    auto parts = SafeComponents(name);
    if (!parts) return Bad("entry '" + name + "' escapes the function's directory");
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    zip_file_get_external_attributes(archive_, index, 0, &opsys, &attributes);
    const mode_t unix_mode = opsys == ZIP_OPSYS_UNIX ? static_cast<mode_t>(attributes >> 16) : 0;
    if (name.back() == '/' || S_ISDIR(unix_mode)) {
      if (parts->empty()) return Status::Ok();  // "./"
      return MakeDirs(*parts);
    }
    if (parts->empty()) return Bad("entry '" + name + "' has no file name");
    if (S_ISLNK(unix_mode)) {
      LIFEBOAT_ASSIGN_OR_RETURN(std::string target, ReadAll(index, name, 4096));
      if (!LinkStaysInside(*parts, target)) {
        return Bad("link '" + name + "' -> '" + target + "' escapes the function's directory");
      }
      links_.push_back({*parts, target});
      return Status::Ok();
    }
    // Unix permission bits when the archive has them; the owner can always read.
    mode_t mode = (unix_mode & 07777) != 0 ? ((unix_mode & 0777) | 0400) : 0644;
    return WriteFile(index, name, *parts, mode);
  }

  Status MakeDirs(const std::vector<std::string>& parts) {
    std::error_code ec;
    fs::create_directories(JoinPath(dest_, Join(parts)), ec);
    if (ec) return Bad("cannot create directory '" + Join(parts) + "': " + ec.message());
    return Status::Ok();
  }

  Status MakeParents(const std::vector<std::string>& parts) {
    if (parts.size() <= 1) return Status::Ok();
    return MakeDirs(std::vector<std::string>(parts.begin(), parts.end() - 1));
  }

  Result<std::string> ReadAll(zip_uint64_t index, const std::string& name, size_t limit) {
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(archive_, index, 0));
    if (!file) return Bad("cannot read '" + name + "': " + zip_strerror(archive_));
    std::string out;
    char buf[4096];
    for (;;) {
      zip_int64_t got = zip_fread(file.get(), buf, sizeof buf);
      if (got < 0) return Bad("cannot read '" + name + "': " + zip_file_strerror(file.get()));
      if (got == 0) return out;
      out.append(buf, static_cast<size_t>(got));
      if (out.size() > limit) return Bad("entry '" + name + "' is too large");
    }
  }

  Status WriteFile(zip_uint64_t index, const std::string& name,
                   const std::vector<std::string>& parts, mode_t mode) {
    LIFEBOAT_RETURN_IF_ERROR(MakeParents(parts));
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(archive_, index, 0));
    if (!file) return Bad("cannot read '" + name + "': " + zip_strerror(archive_));
    std::string path = JoinPath(dest_, Join(parts));
    // O_EXCL and O_NOFOLLOW: a duplicate entry or anything already there is an error.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return Bad("cannot create '" + name + "': " + std::strerror(errno));
    Status status = Copy(file.get(), fd, name);
    if (status.ok() && ::fchmod(fd, mode) != 0) status = PosixError("chmod " + path, errno);
    if (::close(fd) != 0 && status.ok()) status = PosixError("write " + path, errno);
    return status;
  }

  Status Copy(zip_file_t* file, int fd, const std::string& name) {
    char buf[64 * 1024];
    for (;;) {
      zip_int64_t got = zip_fread(file, buf, sizeof buf);
      if (got < 0) return Bad("cannot read '" + name + "': " + zip_file_strerror(file));
      if (got == 0) return Status::Ok();
      written_ += static_cast<uint64_t>(got);
      if (written_ > limit_) {
        return Bad("unzipped size must be smaller than " + std::to_string(limit_) + " bytes");
      }
      for (zip_int64_t off = 0; off < got;) {
        ssize_t w = ::write(fd, buf + off, static_cast<size_t>(got - off));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return PosixError("write " + name, errno);
        off += w;
      }
    }
  }

  zip_t* archive_;
  const std::string dest_;
  const uint64_t limit_;
  uint64_t written_ = 0;
  std::vector<Link> links_;
};

}  // namespace

Status ExtractZip(std::string_view zip_bytes, const std::string& dest_dir,
                  uint64_t max_unzipped_bytes) {
  if (zip_bytes.empty()) return Bad("the file is empty");
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Bad(why);
  }
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open_from_source(source, ZIP_RDONLY, &error));
  if (!archive) {
    zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Bad("not a zip file (" + why + ")");
  }
  zip_error_fini(&error);
  std::error_code ec;
  if (fs::exists(dest_dir, ec)) return Status::AlreadyExists(dest_dir + " already exists");
  fs::create_directories(dest_dir, ec);
  if (ec) return Status::IoError("cannot create " + dest_dir + ": " + ec.message());
  return Extractor(archive.get(), dest_dir, max_unzipped_bytes).Run();
}

}  // namespace lifeboat
