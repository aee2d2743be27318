// The paging rule of ListObjects / ListObjectsV2 as a pure function over sorted keys:
// keys under a prefix, rolled up at the first delimiter after it into common prefixes,
// strictly after a marker (start-after, a continuation token, or V1's marker), at most
// max-keys entries where a common prefix counts as one.
#ifndef LIFEBOAT_LOCAL_S3_S3_LISTING_H_
#define LIFEBOAT_LOCAL_S3_S3_LISTING_H_

#include <string>
#include <vector>

namespace lifeboat {

struct ListingQuery {
  std::string prefix;
  std::string delimiter;
  std::string marker;  // entries (keys or common prefixes) <= marker are skipped
  int max_keys = 1000;
};

struct ListingPage {
  std::vector<std::string> keys;      // <Contents>, in order
  std::vector<std::string> prefixes;  // <CommonPrefixes>, in order
  bool truncated = false;
  std::string last;  // the last key or prefix returned: where the next page starts after
};

ListingPage ListPage(const std::vector<std::string>& sorted_keys, const ListingQuery& query);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_LISTING_H_
