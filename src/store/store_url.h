// Store URLs: s3://bucket[/prefix] and file:///dir, the destinations lifeboat writes to
// and the locations `verify` and `cat` read from.
#ifndef LIFEBOAT_STORE_STORE_URL_H_
#define LIFEBOAT_STORE_STORE_URL_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct StoreUrl {
  enum class Kind { kS3, kFile };
  Kind kind = Kind::kS3;
  std::string bucket;  // S3 only
  // The path under the bucket or below "/" for directories, without leading or trailing
  // '/'; empty for the bucket or filesystem root.
  std::string path;

  // The directory of a file:// store: "/" + path.
  std::string directory() const { return "/" + path; }
  std::vector<std::string> components() const;
  // The same store rooted `n` components deeper or shallower is built by the caller from
  // components(); this renders a URL for messages.
  std::string ToString() const;
  // This URL with `path` replaced.
  StoreUrl WithPath(std::string new_path) const;
};

// One clear line on failure: the URL and what is wrong with it.
Result<StoreUrl> ParseStoreUrl(std::string_view text);

}  // namespace lifeboat

#endif  // LIFEBOAT_STORE_STORE_URL_H_
