#include "cli/instance_url.h"

#include <algorithm>

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

// EC2's form, "i-" and 8 or 17 hex digits (up to 17 accepted): such components are
// tried first as the instance.
bool LooksLikeInstanceId(std::string_view part) {
  if (part.size() < 10 || part.size() > 19 || part.substr(0, 2) != "i-") return false;
  return std::all_of(part.begin() + 2, part.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
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
  std::vector<size_t> order;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (LooksLikeInstanceId(parts[i])) order.push_back(i);
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!LooksLikeInstanceId(parts[i])) order.push_back(i);
  }
  Status last = Status::NotFound("no manifest found along " + text);
  for (size_t i : order) {
    InstanceLocation loc;
    loc.instance_id = parts[i];
    loc.path = "/" + JoinComponents(parts, i + 1, parts.size());
    LIFEBOAT_ASSIGN_OR_RETURN(loc.opened, OpenStore(url.WithPath(JoinComponents(parts, 0, i)), env, session));
    auto head = ReadManifestHead(loc.opened.store.get(), loc.instance_id);
    if (!head.ok()) {
      // No manifest object at this split: try the next one. Anything else is an answer.
      if (!IsNoSuchKey(head.status())) return head.status();
      continue;
    }
    auto manifest = ReadPathManifest(loc.opened.store.get(), *head, loc.path);
    if (!manifest.ok()) return manifest.status();
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
