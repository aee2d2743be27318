#include "store/object_store.h"

namespace lifeboat {

Status ObjectStore::Put(const std::string& key, std::string_view data,
                        const WriteOptions& options) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto writer, NewWriter(key, options));
  LIFEBOAT_RETURN_IF_ERROR(writer->Append(data));
  return writer->Commit();
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
