#include "aws/s3_client.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "aws/aws_error.h"

namespace lifeboat {
namespace {

constexpr std::string_view kMetaPrefix = "x-amz-meta-";

// Prefixes `uri` unless the message already starts with it (request builders name the
// object themselves), so every message starts with it exactly once.
Status Named(const Status& status, std::string_view uri) {
  if (status.ok()) return status;
  const std::string prefix = std::string(uri) + ": ";
  if (status.message().starts_with(prefix)) return status;
  return status.WithContext(uri);
}

template <typename T>
Result<T> Named(Result<T> result, std::string_view uri) {
  if (result.ok()) return result;
  return Named(result.status(), uri);
}

std::string HeaderOr(const Headers& headers, std::string_view name, std::string fallback = {}) {
  auto value = headers.Get(name);
  return value ? *value : std::move(fallback);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

HeadObjectResult ObjectFromHeaders(const Headers& headers) {
  HeadObjectResult object;
  const std::string length = HeaderOr(headers, "Content-Length", "0");
  std::from_chars(length.data(), length.data() + length.size(), object.size);
  object.etag = HeaderOr(headers, "ETag");
  object.checksum_crc32c = HeaderOr(headers, "x-amz-checksum-crc32c");
  object.checksum_sha256 = HeaderOr(headers, "x-amz-checksum-sha256");
  object.checksum_type = HeaderOr(headers, "x-amz-checksum-type");
  object.content_type = HeaderOr(headers, "Content-Type");
  object.storage_class = HeaderOr(headers, "x-amz-storage-class", "STANDARD");
  object.sse = HeaderOr(headers, "x-amz-server-side-encryption");
  object.sse_kms_key_id = HeaderOr(headers, "x-amz-server-side-encryption-aws-kms-key-id");
  object.last_modified = HeaderOr(headers, "Last-Modified");
  object.version_id = HeaderOr(headers, "x-amz-version-id");
  for (const auto& [name, value] : headers) {
    if (name.size() > kMetaPrefix.size() &&
        EqualsIgnoreCase(std::string_view(name).substr(0, kMetaPrefix.size()), kMetaPrefix)) {
      object.metadata[ToLower(std::string_view(name).substr(kMetaPrefix.size()))] = value;
    }
  }
  return object;
}

// The checksum header a request carries for its payload, as (header name, value).
std::pair<std::string, std::string> SentChecksum(const HttpRequest& request) {
  auto algorithm = request.headers.Get("x-amz-sdk-checksum-algorithm");
  if (!algorithm) return {};
  std::string header = "x-amz-checksum-" + ToLower(*algorithm);
  return {header, HeaderOr(request.headers, header)};
}

// S3 stores the checksum it verified and echoes it; a different one means the bytes it
// kept are not the bytes we sent.
Status CheckEchoedChecksum(const std::pair<std::string, std::string>& sent,
                           const HttpResponse& response) {
  if (sent.first.empty()) return Status::Ok();
  auto echoed = response.headers.Get(sent.first);
  if (echoed && *echoed != sent.second) {
    return Status::DataLoss("S3 stored " + sent.first + " " + *echoed + " but " + sent.second +
                            " was sent");
  }
  return Status::Ok();
}

// A whole-object GET can be checked against a full-object checksum; composite checksums
// ("<base64>-<parts>") cover parts, not the body.
Status VerifyBody(const GetObjectResult& result) {
  if (!result.content_range.empty() || result.object.checksum_type == "COMPOSITE") {
    return Status::Ok();
  }
  auto check = [&](const std::string& stored, S3ChecksumAlgorithm algorithm) -> Status {
    if (stored.empty() || stored.find('-') != std::string::npos) return Status::Ok();
    const std::string actual = S3ChecksumOf(algorithm, result.body);
    if (actual != stored) {
      return Status::DataLoss("the body read has " +
                              std::string(S3ChecksumAlgorithmName(algorithm)) + " " + actual +
                              " but the object's stored checksum is " + stored);
    }
    return Status::Ok();
  };
  LIFEBOAT_RETURN_IF_ERROR(check(result.object.checksum_crc32c, S3ChecksumAlgorithm::kCrc32c));
  return check(result.object.checksum_sha256, S3ChecksumAlgorithm::kSha256);
}

}  // namespace

S3Client::S3Client(AwsTransport& transport, S3RequestOptions options)
    : transport_(transport), options_(std::move(options)) {}

Result<HttpResponse> S3Client::Send(HttpRequest request, std::string_view uri,
                                    const AwsSendOptions& send_options) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response,
                            Named(transport_.Send(std::move(request), send_options), uri));
  // The transport hands back redirects; for S3 they mean a wrong region or endpoint.
  if (response.status < 200 || response.status >= 300) {
    return Named(AwsErrorToStatus(response), uri);
  }
  return response;
}

Result<PutObjectResult> S3Client::PutObject(PutObjectRequest request) {
  const std::string uri = S3Uri(request.bucket, request.key);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            Named(BuildPutObject(options_, std::move(request)), uri));
  const auto sent_checksum = SentChecksum(http);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, Send(std::move(http), uri, {.operation = "PutObject"}));
  LIFEBOAT_RETURN_IF_ERROR(Named(CheckEchoedChecksum(sent_checksum, response), uri));
  PutObjectResult result;
  result.etag = HeaderOr(response.headers, "ETag");
  result.checksum_crc32c = HeaderOr(response.headers, "x-amz-checksum-crc32c");
  result.checksum_sha256 = HeaderOr(response.headers, "x-amz-checksum-sha256");
  result.version_id = HeaderOr(response.headers, "x-amz-version-id");
  // Some S3-compatible stores verify but do not echo: report what was sent and accepted.
  if (sent_checksum.first == "x-amz-checksum-crc32c" && result.checksum_crc32c.empty()) {
    result.checksum_crc32c = sent_checksum.second;
  }
  if (sent_checksum.first == "x-amz-checksum-sha256" && result.checksum_sha256.empty()) {
    result.checksum_sha256 = sent_checksum.second;
  }
  return result;
}

Result<HeadObjectResult> S3Client::HeadObject(std::string_view bucket, std::string_view key) {
  const std::string uri = S3Uri(bucket, key);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http, Named(BuildHeadObject(options_, bucket, key), uri));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, Send(http, uri, {.operation = "HeadObject"}));
  return ObjectFromHeaders(response.headers);
}

Result<GetObjectResult> S3Client::GetObject(const GetObjectRequest& request) {
  const std::string uri = S3Uri(request.bucket, request.key);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http, Named(BuildGetObject(options_, request), uri));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, Send(http, uri, {.operation = "GetObject"}));
  GetObjectResult result;
  result.object = ObjectFromHeaders(response.headers);
  result.content_range = HeaderOr(response.headers, "Content-Range");
  result.body = std::move(response.body);
  result.object.size = result.body.size();
  LIFEBOAT_RETURN_IF_ERROR(Named(VerifyBody(result), uri));
  return result;
}

Result<ListObjectsV2Result> S3Client::ListObjectsV2(const ListObjectsV2Request& request) {
  const std::string uri = S3Uri(request.bucket, request.prefix);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http, Named(BuildListObjectsV2(options_, request), uri));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, Send(http, uri, {.operation = "ListObjectsV2"}));
  return Named(ParseListObjectsV2(response.body), uri);
}

Status S3Client::ListEach(std::string_view bucket, std::string_view prefix,
                          std::string_view start_after,
                          const std::function<Status(std::vector<S3ObjectSummary>&)>& fn) {
  ListObjectsV2Request request{.bucket = std::string(bucket),
                               .prefix = std::string(prefix),
                               .start_after = std::string(start_after)};
  std::set<std::string> tokens_seen;
  while (true) {
    LIFEBOAT_ASSIGN_OR_RETURN(ListObjectsV2Result page, ListObjectsV2(request));
    LIFEBOAT_RETURN_IF_ERROR(fn(page.objects));
    if (!page.is_truncated) return Status::Ok();
    // A store that hands out the same token twice would keep us here forever.
    if (!tokens_seen.insert(page.next_continuation_token).second) {
      return Status::Internal(S3Uri(bucket, prefix) +
                              ": S3 repeated a continuation token while listing");
    }
    request.continuation_token = std::move(page.next_continuation_token);
  }
}

Status S3Client::DeleteObject(std::string_view bucket, std::string_view key) {
  const std::string uri = S3Uri(bucket, key);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http, Named(BuildDeleteObject(options_, bucket, key), uri));
  return Send(http, uri, {.operation = "DeleteObject"}).status();
}

Result<std::string> S3Client::CreateMultipartUpload(const CreateMultipartUploadRequest& request) {
  const std::string uri = S3Uri(request.bucket, request.key);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            Named(BuildCreateMultipartUpload(options_, request), uri));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, Send(http, uri, {.operation = "CreateMultipartUpload"}));
  return Named(ParseCreateMultipartUpload(response.body), uri);
}

Result<UploadPartResult> S3Client::UploadPart(UploadPartRequest request) {
  const std::string uri = S3Uri(request.bucket, request.key);
  const std::string part = "part " + std::to_string(request.part_number);
  auto with_part = [&part](const Status& s) {
    return Status(s.code(), s.message() + " (" + part + ")", s.service_code());
  };
  Result<HttpRequest> http = Named(BuildUploadPart(options_, std::move(request)), uri);
  if (!http.ok()) return with_part(http.status());
  const auto sent_checksum = SentChecksum(*http);
  Result<HttpResponse> response = Send(std::move(*http), uri, {.operation = "UploadPart"});
  if (!response.ok()) return with_part(response.status());
  if (Status s = CheckEchoedChecksum(sent_checksum, *response); !s.ok()) {
    return with_part(Named(s, uri));
  }
  UploadPartResult result;
  result.etag = HeaderOr(response->headers, "ETag");
  if (result.etag.empty()) return Status::Internal(uri + ": S3 returned no ETag for " + part);
  result.checksum = sent_checksum.second;
  return result;
}

Result<CompleteMultipartUploadResult> S3Client::CompleteMultipartUpload(
    const CompleteMultipartUploadRequest& request) {
  const std::string uri = S3Uri(request.bucket, request.key);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            Named(BuildCompleteMultipartUpload(options_, request), uri));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response,
                            Send(http, uri, {.operation = "CompleteMultipartUpload", .error_may_be_in_200_body = true}));
  return Named(ParseCompleteMultipartUpload(response.body), uri);
}

Status S3Client::AbortMultipartUpload(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id) {
  const std::string uri = S3Uri(bucket, key);
  LIFEBOAT_ASSIGN_OR_RETURN(
      HttpRequest http, Named(BuildAbortMultipartUpload(options_, bucket, key, upload_id), uri));
  return Send(http, uri, {.operation = "AbortMultipartUpload"}).status();
}

}  // namespace lifeboat
