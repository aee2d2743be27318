// Routing: which S3 operation a request is, by method, bucket, key and subresource.
#include "local/s3/s3_service.h"

#include "http/percent_encoding.h"
#include "local/s3/s3_errors.h"
#include "local/s3/s3_http.h"
#include "local/s3/s3_service_impl.h"

namespace lifeboat {
namespace {

constexpr size_t kMaxKeyBytes = 1024;

// Subresources S3 has and lifeboat local does not; they answer NotImplemented rather than
// being mistaken for the plain operation on the same path.
constexpr std::string_view kUnsupported[] = {"acl",
                                             "tagging",
                                             "policy",
                                             "lifecycle",
                                             "cors",
                                             "website",
                                             "logging",
                                             "notification",
                                             "replication",
                                             "encryption",
                                             "object-lock",
                                             "retention",
                                             "legal-hold",
                                             "torrent",
                                             "select",
                                             "restore",
                                             "attributes",
                                             "accelerate",
                                             "analytics",
                                             "inventory",
                                             "metrics",
                                             "ownershipControls",
                                             "publicAccessBlock",
                                             "intelligent-tiering",
                                             "requestPayment",
                                             "policyStatus",
                                             "versions",
                                             "renameObject"};

// The bucket named by a virtual-hosted Host (bucket.localhost, bucket.s3.localhost, with
// any port), or "" for path-style.
std::string VirtualHostBucket(std::string_view host) {
  if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  constexpr std::string_view kLocal = ".localhost";
  if (!host.ends_with(kLocal)) return "";
  host.remove_suffix(kLocal.size());
  if (host.ends_with(".s3")) host.remove_suffix(3);
  if (host == "s3") return "";
  return std::string(host);
}

Result<S3Target> TargetOf(const LocalRequest& r) {
  S3Target t;
  std::string_view path = r.path.empty() ? "/" : std::string_view(r.path);
  if (path.front() == '/') path.remove_prefix(1);
  const std::string host = r.host.empty() ? r.Header("host") : r.host;
  std::string_view raw_key;
  t.bucket = VirtualHostBucket(host);
  if (!t.bucket.empty()) {
    raw_key = path;
  } else {
    const size_t slash = path.find('/');
    auto bucket = PercentDecode(path.substr(0, slash), PlusIsSpace::kNo);
    if (!bucket.ok()) return S3Error("InvalidURI", "Couldn't parse the specified URI.");
    t.bucket = *bucket;
    if (slash != std::string_view::npos) raw_key = path.substr(slash + 1);
  }
  // In a path '+' is itself: the key "a+b" is sent as /bucket/a+b.
  auto key = PercentDecode(raw_key, PlusIsSpace::kNo);
  if (!key.ok()) return S3Error("InvalidURI", "Couldn't parse the specified URI.");
  t.key = std::move(*key);
  t.resource = "/" + t.bucket + (t.key.empty() ? "" : "/" + t.key);
  return t;
}

LocalResponse NotImplemented(const S3Target& t) {
  return S3ErrorResponse(501, "NotImplemented",
                         "A header or query you provided requested a function that is not "
                         "implemented by lifeboat local.",
                         t.resource);
}

LocalResponse MethodNotAllowed(const S3Target& t) {
  return S3ErrorResponse(405, "MethodNotAllowed",
                         "The specified method is not allowed against this resource.", t.resource);
}

}  // namespace

std::unique_ptr<LocalService> NewLocalS3Service(Env* env, std::string root_dir) {
  return std::make_unique<S3Service>(env, std::move(root_dir));
}

S3Service::S3Service(Env* env, std::string root)
    : env_(env),
      store_(env, std::move(root), /*direct_io=*/env == Env::Default()),
      multipart_(&store_) {
  open_status_ = store_.Open();
  if (open_status_.ok()) open_status_ = multipart_.Recover();
}

std::string OwnerXml(std::string_view element) {
  return "<" + std::string(element) +
         "><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>"
         "<DisplayName>lifeboat</DisplayName></" +
         std::string(element) + ">";
}

Result<WriteConditions> WriteConditionsOf(const LocalRequest& r) {
  WriteConditions c;
  if (auto v = r.headers.Get("if-none-match")) {
    if (UnquoteEtag(*v) != "*") {
      return S3Error("NotImplemented",
                     "A header you provided implies functionality that is not implemented");
    }
    c.if_none_match = true;
  }
  if (auto v = r.headers.Get("if-match")) c.if_match = UnquoteEtag(*v);
  return c;
}

LocalResponse S3Service::Handle(const LocalRequest& r) {
  auto target = TargetOf(r);
  if (!target.ok()) return S3ErrorFromStatus(target.status(), r.path);
  if (!open_status_.ok()) return S3ErrorFromStatus(open_status_, target->resource);
  LocalResponse response = Route(r, *target);
  // A HEAD answer is headers only (HeadObject sets Content-Length itself).
  if (r.method == "HEAD") response.body.clear();
  return response;
}

LocalResponse S3Service::Route(const LocalRequest& r, const S3Target& t) {
  const std::string& m = r.method;
  if (t.bucket.empty()) {
    return m == "GET" ? ListBuckets(r) : MethodNotAllowed(t);
  }
  for (std::string_view sub : kUnsupported) {
    if (r.HasParam(sub)) return NotImplemented(t);
  }
  if (t.key.empty()) {
    if (m == "PUT") return r.HasParam("versioning") ? NotImplemented(t) : CreateBucket(r, t);
    if (m == "HEAD") return HeadBucket(t);
    if (m == "DELETE") return DeleteBucket(t);
    if (m == "POST") return r.HasParam("delete") ? DeleteObjects(r, t) : MethodNotAllowed(t);
    if (m != "GET") return MethodNotAllowed(t);
    if (r.HasParam("location")) return GetBucketLocation(t);
    if (r.HasParam("versioning")) return GetBucketVersioning(t);
    if (r.HasParam("uploads")) return ListMultipartUploads(r, t);
    return ListObjects(r, t, r.Param("list-type") == "2");
  }
  if (t.key.size() > kMaxKeyBytes) {
    return S3ErrorResponse(400, "KeyTooLongError", "Your key is too long", t.resource);
  }
  if (m == "PUT") {
    if (r.HasParam("uploadId") || r.HasParam("partNumber")) {
      return r.headers.Has("x-amz-copy-source") ? NotImplemented(t) : UploadPart(r, t);
    }
    return r.headers.Has("x-amz-copy-source") ? CopyObject(r, t) : PutObject(r, t);
  }
  if (m == "GET") return r.HasParam("uploadId") ? ListParts(r, t) : GetObject(r, t, false);
  if (m == "HEAD") return GetObject(r, t, true);
  if (m == "DELETE") {
    return r.HasParam("uploadId") ? AbortMultipartUpload(r, t) : DeleteObject(t);
  }
  if (m == "POST") {
    if (r.HasParam("uploads")) return CreateMultipartUpload(r, t);
    if (r.HasParam("uploadId")) return CompleteMultipartUpload(r, t);
  }
  return MethodNotAllowed(t);
}

}  // namespace lifeboat
