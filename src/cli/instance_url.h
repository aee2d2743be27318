// Reading an instance's logs from a URL: "URL/INSTANCE-ID" (verify) and
// "URL/INSTANCE-ID/PATH" (cat), where URL is s3://bucket[/prefix] or file:///dir.
#ifndef LIFEBOAT_CLI_INSTANCE_URL_H_
#define LIFEBOAT_CLI_INSTANCE_URL_H_

#include <string>

#include "store/open_store.h"
#include "ship/manifest.h"

namespace lifeboat {

struct InstanceLocation {
  OpenedStore opened;     // rooted at the URL part before the instance id
  std::string instance_id;
  std::string path;       // "/var/log/app.log" for cat; empty for verify
  Manifest manifest;      // what the manifest records of `path` (cat only)
};

// "URL/INSTANCE-ID": the instance id is the last component.
Result<InstanceLocation> LocateInstance(const std::string& text, Env* env, AwsSession* session);

// "URL/INSTANCE-ID/PATH": the split is where a manifest exists that records PATH.
// Components that look like EC2 instance ids are tried first.
Result<InstanceLocation> LocateInstanceFile(const std::string& text, Env* env, AwsSession* session);

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_INSTANCE_URL_H_
