#include "store/object_store.h"

#include <iterator>

namespace lifeboat {

Status ObjectStore::Put(const std::string& key, std::string_view data,
                        const WriteOptions& options) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto writer, NewWriter(key, options));
  LIFEBOAT_RETURN_IF_ERROR(writer->Append(data));
  return writer->Commit();
}

Result<std::vector<ListedObject>> ObjectStore::List(const std::string& prefix) {
  std::vector<ListedObject> all;
  LIFEBOAT_RETURN_IF_ERROR(ListPages(prefix, "", [&all](std::vector<ListedObject>& page) {
    std::move(page.begin(), page.end(), std::back_inserter(all));
    return Status::Ok();
  }));
  return all;
}

void RequestCounter::Count(std::string_view operation) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(operation);
  if (it == counts_.end()) it = counts_.emplace(std::string(operation), 0).first;
  ++it->second;
}

RequestCounts RequestCounter::Snapshot() const {
  std::lock_guard lock(mu_);
  return counts_;
}

}  // namespace lifeboat
