// Opening the store a URL names: a directory for file://, S3 for s3:// (through the
// session's S3 transport). An OpenedStore owns what the store borrows.
#ifndef LIFEBOAT_STORE_OPEN_STORE_H_
#define LIFEBOAT_STORE_OPEN_STORE_H_

#include <memory>

#include "aws/aws_session.h"
#include "aws/s3_client.h"
#include "store/object_store.h"
#include "store/s3_object_store.h"
#include "store/store_url.h"

namespace lifeboat {

struct OpenedStore {
  std::unique_ptr<S3Client> s3;  // for s3:// URLs
  std::unique_ptr<ObjectStore> store;
};

// `session` is only used (and may be null) for file:// URLs when it is not needed.
// `s3_options` supplies attributes and part sizes; its bucket and prefix come from `url`.
Result<OpenedStore> OpenStore(const StoreUrl& url, Env* env, AwsSession* session,
                              S3StoreOptions s3_options = {});

}  // namespace lifeboat

#endif  // LIFEBOAT_STORE_OPEN_STORE_H_
