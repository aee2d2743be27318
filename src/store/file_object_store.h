// FileObjectStore: the object layout in a directory (file:///dir), for EFS/NFS mounts and
// the offline default. An object is written to a temporary file under <root>/.tmp,
// fsync'd, then renamed into place (create-only writes use a no-replace rename), and the
// directory is fsync'd: a crash leaves the old state or the new, never a torn object.
#ifndef LIFEBOAT_STORE_FILE_OBJECT_STORE_H_
#define LIFEBOAT_STORE_FILE_OBJECT_STORE_H_

#include "common/env.h"
#include "store/object_store.h"

namespace lifeboat {

class FileObjectStore final : public ObjectStore {
 public:
  // `root` is an absolute directory; it is created if missing when the first object is
  // written. `env` must outlive the store.
  FileObjectStore(Env* env, std::string root);

  std::string Describe(std::string_view key) const override;
  Result<std::unique_ptr<ObjectWriter>> NewWriter(const std::string& key,
                                                  const WriteOptions& options) override;
  Result<ObjectInfo> Head(const std::string& key) override;
  Result<std::string> Get(const std::string& key) override;
  // A directory is walked whole and sorted; the pages only bound what callers hold.
  Status ListPages(const std::string& prefix, const std::string& start_after,
                   const ListPageFn& fn) override;
  Status Delete(const std::string& key) override;
  uint64_t requests() const override { return requests_.load(); }
  RequestCounts requests_by_operation() const override { return by_operation_.Snapshot(); }

 private:
  friend class FileObjectWriter;
  Result<std::string> PathOf(std::string_view key) const;  // rejects keys that escape root
  void ListUnder(const std::string& dir, const std::string& key_prefix,
                 std::vector<ListedObject>* out);

  Env* env_;
  std::string root_;
  std::atomic<uint64_t> requests_{0};
  RequestCounter by_operation_;
  std::atomic<uint64_t> temp_counter_{0};
};

}  // namespace lifeboat

#endif  // LIFEBOAT_STORE_FILE_OBJECT_STORE_H_
