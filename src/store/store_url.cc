#include "store/store_url.h"

#include <cctype>

namespace lifeboat {
namespace {

// S3's bucket naming rules, the parts that a typo breaks.
bool ValidBucketName(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '.' || c == '-')) {
      return false;
    }
  }
  return std::isalnum(static_cast<unsigned char>(b.front())) &&
         std::isalnum(static_cast<unsigned char>(b.back()));
}

Result<std::string> CleanPath(std::string_view path, std::string_view url) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (size_t at = 0; at < path.size();) {
    size_t slash = path.find('/', at);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(at, slash - at);
    if (part.empty() || part == "." || part == "..") {
      return Status::InvalidArgument(std::string(url) + ": empty, '.' or '..' path component");
    }
    at = slash + 1;
  }
  return std::string(path);
}

}  // namespace

std::vector<std::string> StoreUrl::components() const {
  std::vector<std::string> out;
  for (size_t at = 0; at < path.size();) {
    size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  return out;
}

std::string StoreUrl::ToString() const {
  if (kind == Kind::kFile) return "file:///" + path;
  return "s3://" + bucket + (path.empty() ? "" : "/" + path);
}

StoreUrl StoreUrl::WithPath(std::string new_path) const {
  StoreUrl u = *this;
  u.path = std::move(new_path);
  return u;
}

Result<StoreUrl> ParseStoreUrl(std::string_view text) {
  StoreUrl url;
  if (text.starts_with("s3://")) {
    std::string_view rest = text.substr(5);
    const size_t slash = rest.find('/');
    url.kind = StoreUrl::Kind::kS3;
    url.bucket = std::string(rest.substr(0, slash));
    if (!ValidBucketName(url.bucket)) {
      return Status::InvalidArgument(std::string(text) + ": '" + url.bucket +
                                     "' is not a valid S3 bucket name");
    }
    LIFEBOAT_ASSIGN_OR_RETURN(url.path, CleanPath(slash == std::string_view::npos
                                                      ? std::string_view()
                                                      : rest.substr(slash), text));
    return url;
  }
  if (text.starts_with("file://")) {
    std::string_view rest = text.substr(7);
    if (rest.starts_with("localhost/")) rest.remove_prefix(9);
    if (!rest.starts_with("/")) {
      return Status::InvalidArgument(std::string(text) +
                                     ": a file:// URL needs an absolute path, as in file:///var/lib/logs");
    }
    url.kind = StoreUrl::Kind::kFile;
    LIFEBOAT_ASSIGN_OR_RETURN(url.path, CleanPath(rest, text));
    return url;
  }
  return Status::InvalidArgument(std::string(text) +
                                 ": not a store URL (expected s3://bucket[/prefix] or file:///dir)");
}

}  // namespace lifeboat
