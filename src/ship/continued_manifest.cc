#include "ship/continued_manifest.h"

#include <spdlog/spdlog.h>

#include "ship/object_keys.h"

namespace lifeboat {
namespace {

bool IsAccessDenied(const Status& s) {
  return s.code() == StatusCode::kPermissionDenied && s.service_code() == "AccessDenied";
}

}  // namespace

Result<std::optional<std::string>> ReadManifestToContinue(ObjectStore& store,
                                                          const Manifest& empty) {
  const std::string key = ManifestKey(empty.instance_id);
  auto text = store.Get(key);
  if (text.ok()) return std::optional<std::string>(std::move(*text));
  if (IsNoSuchKey(text.status())) return std::optional<std::string>();
  if (!IsAccessDenied(text.status())) {
    return text.status().WithContext("cannot read the manifest");
  }

  WriteOptions create_only;  // if_none_match: S3 creates it only where nothing is
  create_only.content_type = "application/json";
  Status created = store.Put(key, ManifestToJson(empty), create_only);
  if (created.ok()) {
    spdlog::debug("{}: read denied and the key was free: no manifest yet (S3 answers 403 "
                  "for a missing key without s3:ListBucket)",
                  store.Describe(key));
    return std::optional<std::string>();
  }
  if (created.code() != StatusCode::kAlreadyExists) {
    return created.WithContext("cannot read the manifest " + store.Describe(key) +
                               " (access denied) nor tell whether it exists");
  }
  // Taken: it exists. Read once more, in case it was written between our read and write.
  auto again = store.Get(key);
  if (again.ok()) return std::optional<std::string>(std::move(*again));
  if (!IsAccessDenied(again.status())) return again.status().WithContext("cannot read the manifest");
  return again.status().WithContext(
      "the manifest " + store.Describe(key) +
      " exists but reading it (s3:GetObject) is denied, so this run cannot continue it; "
      "nothing was shipped");
}

}  // namespace lifeboat
