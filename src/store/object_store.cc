#include "store/object_store.h"

namespace lifeboat {

Status ObjectStore::Put(const std::string& key, std::string_view data,
                        const WriteOptions& options) {
  LIFEBOAT_ASSIGN_OR_RETURN(auto writer, NewWriter(key, options));
  LIFEBOAT_RETURN_IF_ERROR(writer->Append(data));
  return writer->Commit();
}

}  // namespace lifeboat
