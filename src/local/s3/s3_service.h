// lifeboat local's S3: the REST-XML protocol over a durable directory store (s3_store.h),
// for the unmodified aws CLI, boto3 and lifeboat's own S3 client.
//
// Addressing is path-style (/bucket/key) or virtual-hosted when the Host is
// bucket.localhost[:port] or bucket.s3.localhost[:port]. Operations: ListBuckets,
// CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning,
// ListObjects (V1 and V2), DeleteObjects, PutObject, CopyObject, GetObject, HeadObject,
// DeleteObject, and multipart uploads (create, upload part, complete, abort, list parts,
// list uploads). Anything else answers 501 NotImplemented.
#ifndef LIFEBOAT_LOCAL_S3_S3_SERVICE_H_
#define LIFEBOAT_LOCAL_S3_S3_SERVICE_H_

#include <memory>
#include <string>

#include "common/env.h"
#include "local/local_service.h"

namespace lifeboat {

// Opens (creating if needed) the store in `root_dir` and clears what a crash left in its
// temporary areas. If the directory cannot be used, every request answers 500 naming it.
std::unique_ptr<LocalService> NewLocalS3Service(Env* env, std::string root_dir);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_SERVICE_H_
