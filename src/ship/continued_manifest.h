// ReadManifestToContinue: the manifest head that a writer of it (evacuate, the agent at
// its first start) continues from, telling "there is none yet" from "reading it is denied".
//
// S3 answers a GET of a missing key with 403 AccessDenied, not 404 NoSuchKey, unless the
// caller may s3:ListBucket. The documented instance policy (deploy/iam/instance-policy.json)
// grants no ListBucket on purpose: the manifest is the state, and listing would show
// every instance's keys under the fleet's prefix. So under that policy a first run's 403
// and a really denied read look the same. Taking every 403 for "absent" made a denied
// read ship everything again and overwrite the manifest's history; taking every 403 for
// "denied" would stop every first run.
//
// Decided: settle a 403 with a permission the run needs anyway, s3:PutObject. A
// create-only PUT (If-None-Match: *) of a manifest that records nothing succeeds only if
// the key is free: then there was no manifest, and the run starts one (it writes the real
// one at its end, as before). If the key is taken, the manifest exists and the read was
// really denied: an error naming the read, and nothing is shipped. Rejected: a ListBucket
// grant scoped by an s3:prefix condition, and a ListObjectsV2 probe (which needs that
// grant): both widen the policy to listing other instances' keys.
#ifndef LIFEBOAT_SHIP_CONTINUED_MANIFEST_H_
#define LIFEBOAT_SHIP_CONTINUED_MANIFEST_H_

#include <optional>
#include <string>

#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

// The manifest head's text, or nullopt when there is none yet (after a 403, `empty` -- a
// manifest of `empty.instance_id` that records nothing -- now stands at its key).
Result<std::optional<std::string>> ReadManifestToContinue(ObjectStore& store,
                                                          const Manifest& empty);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_CONTINUED_MANIFEST_H_
