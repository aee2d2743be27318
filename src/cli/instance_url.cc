#include "cli/instance_url.h"

#include <regex>

#include "ship/verification.h"

namespace lifeboat {
namespace {

std::string JoinComponents(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (!out.empty()) out += '/';
    out += parts[i];
  }
  return out;
}

}  // namespace

Result<InstanceLocation> LocateInstance(const std::string& text, Env* env, AwsSession* session) {
  LIFEBOAT_ASSIGN_OR_RETURN(StoreUrl url, ParseStoreUrl(text));
  auto parts = url.components();
  if (parts.empty()) {
    return Status::InvalidArgument(text + ": name the instance, as in " + url.ToString() + "/i-0123456789abcdef0");
  }
  InstanceLocation loc;
  loc.instance_id = parts.back();
  LIFEBOAT_ASSIGN_OR_RETURN(loc.opened, OpenStore(url.WithPath(JoinComponents(parts, 0, parts.size() - 1)),
                                                  env, session));
  return loc;
}

Result<InstanceLocation> LocateInstanceFile(const std::string& text, Env* env, AwsSession* session) {
  LIFEBOAT_ASSIGN_OR_RETURN(StoreUrl url, ParseStoreUrl(text));
  auto parts = url.components();
  if (parts.size() < 2) {
    return Status::InvalidArgument(text + ": expected URL/INSTANCE-ID/PATH, as in " + url.ToString() +
                                   "/i-0123456789abcdef0/var/log/app.log");
  }
  static const std::regex kEc2Id("i-[0-9a-f]{8,17}");
  std::vector<size_t> order;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (std::regex_match(parts[i], kEc2Id)) order.push_back(i);
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!std::regex_match(parts[i], kEc2Id)) order.push_back(i);
  }
  Status last = Status::NotFound("no manifest found along " + text);
  for (size_t i : order) {
    InstanceLocation loc;
    loc.instance_id = parts[i];
    loc.path = "/" + JoinComponents(parts, i + 1, parts.size());
    LIFEBOAT_ASSIGN_OR_RETURN(loc.opened, OpenStore(url.WithPath(JoinComponents(parts, 0, i)), env, session));
    auto manifest = ReadManifest(loc.opened.store.get(), loc.instance_id);
    if (!manifest.ok()) {
      // No manifest object at this split: try the next one. Anything else is an answer.
      if (!IsNoSuchKey(manifest.status())) return manifest.status();
      continue;
    }
    if (manifest->LatestStream(loc.path) == nullptr) {
      last = Status::NotFound(loc.path + " was not shipped for instance " + loc.instance_id +
                              " (see its manifest, " + loc.opened.store->Describe(ManifestKey(loc.instance_id)) + ")");
      continue;
    }
    loc.manifest = std::move(*manifest);
    return loc;
  }
  return last;
}

}  // namespace lifeboat
