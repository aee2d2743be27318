// ForwardingObjectStore: an ObjectStore that passes every call to another one, so that a
// test's fault-injecting store overrides only the call it changes.
#ifndef LIFEBOAT_TESTS_FAKES_FORWARDING_STORE_H_
#define LIFEBOAT_TESTS_FAKES_FORWARDING_STORE_H_

#include "store/object_store.h"

namespace lifeboat {

class ForwardingObjectStore : public ObjectStore {
 public:
  explicit ForwardingObjectStore(ObjectStore* inner) : inner_(inner) {}
  std::string Describe(std::string_view key) const override { return inner_->Describe(key); }
  Result<std::unique_ptr<ObjectWriter>> NewWriter(const std::string& key,
                                                  const WriteOptions& o) override {
    return inner_->NewWriter(key, o);
  }
  Result<ObjectInfo> Head(const std::string& key) override { return inner_->Head(key); }
  Result<std::string> Get(const std::string& key) override { return inner_->Get(key); }
  Status ListPages(const std::string& p, const std::string& after, const ListPageFn& fn) override {
    return inner_->ListPages(p, after, fn);
  }
  Status Delete(const std::string& key) override { return inner_->Delete(key); }
  uint64_t requests() const override { return inner_->requests(); }
  RequestCounts requests_by_operation() const override { return inner_->requests_by_operation(); }

 private:
  ObjectStore* inner_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_FORWARDING_STORE_H_
