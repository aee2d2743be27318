#include "fakes/fake_s3.h"

#include <chrono>
#include <thread>

#include "common/hash.h"
#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

std::string QueryValue(const std::string& query, const std::string& name) {
  const FormPairs pairs = ParseFormPairs(query, PlusIsSpace::kYes).value();
  for (const auto& [key, value] : pairs) {
    if (key == name) return value;
  }
  return {};
}

bool HasQuery(const std::string& query, const std::string& name) {
  return ("&" + query + "&").find("&" + name) != std::string::npos;
}

HttpResponse Error(int status, const std::string& code) {
  return {status, {}, "<Error><Code>" + code + "</Code><Message>" + code + "</Message></Error>"};
}

HttpResponse Ok(std::string body = {}, Headers headers = {}) { return {200, std::move(headers), std::move(body)}; }

}  // namespace

HttpResponse FakeS3::Handle(const HttpRequest& request) {
  {
    std::lock_guard lock(mu_);
    if (fault_) {
      if (auto r = fault_(request)) return *r;
    }
  }
  auto url = *ParseUrl(request.url);
  const std::string path =
      PercentDecode(url.path.substr(1), PlusIsSpace::kNo).value();  // bucket/key
  const std::string& q = url.query;
  const bool create_only = request.headers.Get("If-None-Match") == "*";

  if (request.method == "PUT" && HasQuery(q, "partNumber")) {
    {
      std::lock_guard lock(mu_);
      max_concurrent_parts_ = std::max(max_concurrent_parts_, ++concurrent_parts_);
    }
    // Hold the part briefly so that parts sent together overlap measurably.
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    std::lock_guard lock(mu_);
    --concurrent_parts_;
    auto it = uploads_.find(QueryValue(q, "uploadId"));
    if (it == uploads_.end()) return Error(404, "NoSuchUpload");
    const int number = std::stoi(QueryValue(q, "partNumber"));
    it->second.parts[number] = request.body;
    return Ok({}, {{"ETag", "\"etag-" + std::to_string(number) + "\""},
                   {"x-amz-checksum-crc32c", Crc32cBase64(Crc32c(request.body))}});
  }
  std::lock_guard lock(mu_);
  if (request.method == "PUT") {
    if (create_only && objects_.count(path)) return Error(412, "PreconditionFailed");
    objects_[path] = request.body;
    return Ok({}, {{"ETag", "\"e\""}, {"x-amz-checksum-crc32c", Crc32cBase64(Crc32c(request.body))}});
  }
  if (request.method == "POST" && HasQuery(q, "uploads")) {
    const std::string id = "upload-" + std::to_string(next_upload_++);
    uploads_[id] = Upload{path, {}};
    return Ok("<InitiateMultipartUploadResult><UploadId>" + id + "</UploadId></InitiateMultipartUploadResult>");
  }
  if (request.method == "POST" && HasQuery(q, "uploadId")) {
    auto it = uploads_.find(QueryValue(q, "uploadId"));
    if (it == uploads_.end()) return Error(404, "NoSuchUpload");
    if (create_only && objects_.count(path)) return Error(412, "PreconditionFailed");
    std::string body;
    for (const auto& [n, part] : it->second.parts) body += part;
    objects_[path] = body;
    uploads_.erase(it);
    return Ok("<CompleteMultipartUploadResult><ETag>\"m-2\"</ETag></CompleteMultipartUploadResult>");
  }
  if (request.method == "DELETE" && HasQuery(q, "uploadId")) {
    uploads_.erase(QueryValue(q, "uploadId"));
    return {204, {}, {}};
  }
  if (request.method == "GET" && HasQuery(q, "list-type")) {
    const std::string prefix = path + "/" + QueryValue(q, "prefix");
    std::string xml = "<ListBucketResult><IsTruncated>false</IsTruncated>";
    for (const auto& [k, v] : objects_) {
      if (k.compare(0, prefix.size(), prefix) != 0) continue;
      xml += "<Contents><Key>" + k.substr(path.size() + 1) + "</Key><Size>" + std::to_string(v.size()) +
             "</Size></Contents>";
    }
    return Ok(xml + "</ListBucketResult>");
  }
  auto it = objects_.find(path);
  if (request.method == "HEAD" || request.method == "GET") {
    if (it == objects_.end()) return request.method == "HEAD" ? HttpResponse{404, {}, {}} : Error(404, "NoSuchKey");
    Headers h{{"Content-Length", std::to_string(it->second.size())}, {"ETag", "\"e\""}};
    return {200, h, request.method == "GET" ? it->second : ""};
  }
  if (request.method == "DELETE") {
    objects_.erase(path);
    return {204, {}, {}};
  }
  return Error(400, "NotImplemented");
}

}  // namespace lifeboat
