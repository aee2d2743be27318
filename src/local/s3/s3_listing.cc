#include "local/s3/s3_listing.h"

namespace lifeboat {

ListingPage ListPage(const std::vector<std::string>& sorted_keys, const ListingQuery& q) {
  ListingPage page;
  int count = 0;
  for (const auto& key : sorted_keys) {
    if (!key.starts_with(q.prefix)) continue;
    std::string entry = key;
    bool is_prefix = false;
    if (!q.delimiter.empty()) {
      const size_t at = key.find(q.delimiter, q.prefix.size());
      if (at != std::string::npos) {
        entry = key.substr(0, at + q.delimiter.size());
        is_prefix = true;
      }
    }
    // Entries come in sorted order (an entry is a prefix of its keys, and the keys under one
    // common prefix are adjacent), so a common prefix repeats only right after itself.
    if (entry <= q.marker) continue;
    if (is_prefix && !page.prefixes.empty() && page.prefixes.back() == entry) continue;
    if (count >= q.max_keys) {
      page.truncated = q.max_keys > 0;
      break;
    }
    (is_prefix ? page.prefixes : page.keys).push_back(entry);
    page.last = std::move(entry);
    ++count;
  }
  return page;
}

}  // namespace lifeboat
