#include "aws/s3_requests.h"

#include <algorithm>
#include <cctype>

#include "common/hash.h"
#include "common/strings.h"
#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

constexpr size_t kMaxKeyBytes = 1024;
constexpr int kMaxPartNumber = 10000;

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsIpv4Address(std::string_view s) {
  int dots = 0;
  int digits = 0;
  for (char c : s) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (std::isdigit(static_cast<unsigned char>(c)) && digits < 3) {
      ++digits;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

bool IsAwsHost(std::string_view host) {
  const std::string lower = ToLower(host);
  return lower.ends_with(".amazonaws.com") || lower.ends_with(".amazonaws.com.cn");
}

Result<Url> EndpointUrl(const S3RequestOptions& options) {
  std::string text = options.endpoint;
  if (text.empty()) {
    if (options.region.empty()) {
      return Status::InvalidArgument("S3: neither an endpoint nor a region is set");
    }
    text = "https://s3." + options.region + ".amazonaws.com";
    if (options.region.starts_with("cn-")) text += ".cn";
  }
  auto url = ParseUrl(text);
  if (!url || (url->scheme != "http" && url->scheme != "https") || !url->query.empty()) {
    return Status::InvalidArgument("S3 endpoint '" + text +
                                   "' is not a URL like https://host[:port]");
  }
  return *url;
}

Status CheckBucket(std::string_view bucket) {
  if (bucket.empty()) return Status::InvalidArgument("S3: empty bucket name");
  if (bucket.find('/') != std::string_view::npos) {
    return Status::InvalidArgument("S3: bucket name '" + std::string(bucket) + "' contains '/'");
  }
  return Status::Ok();
}

Status CheckObject(std::string_view bucket, std::string_view key) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  if (key.empty()) return Status::InvalidArgument(S3Uri(bucket, key) + ": empty object key");
  if (key.size() > kMaxKeyBytes) {
    return Status::InvalidArgument(S3Uri(bucket, key.substr(0, 64)) +
                                   "...: object key longer than 1024 bytes");
  }
  return Status::Ok();
}

bool IsMetadataNameChar(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.';
}

// Content-Type, metadata, storage class and encryption headers shared by PutObject and
// CreateMultipartUpload.
Status AddAttributeHeaders(const S3ObjectAttributes& attributes, std::string_view uri,
                           Headers& headers) {
  if (!attributes.content_type.empty()) headers.Set("Content-Type", attributes.content_type);
  for (const auto& [name, value] : attributes.metadata) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsMetadataNameChar)) {
      return Status::InvalidArgument(std::string(uri) + ": metadata name '" + name +
                                     "' must be letters, digits, '-', '_' or '.'");
    }
    if (!std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return c >= 0x20 && c < 0x7f; })) {
      return Status::InvalidArgument(std::string(uri) + ": metadata '" + name +
                                     "' must be printable ASCII");
    }
    headers.Add("x-amz-meta-" + ToLower(name), value);
  }
  if (!attributes.storage_class.empty()) {
    headers.Set("x-amz-storage-class", attributes.storage_class);
  }
  switch (attributes.encryption) {
    case S3Encryption::kBucketDefault:
      break;
    case S3Encryption::kS3:
      headers.Set("x-amz-server-side-encryption", "AES256");
      break;
    case S3Encryption::kKms:
      headers.Set("x-amz-server-side-encryption", "aws:kms");
      if (!attributes.kms_key_id.empty()) {
        headers.Set("x-amz-server-side-encryption-aws-kms-key-id", attributes.kms_key_id);
      }
      break;
  }
  return Status::Ok();
}

// The headers with which the SDKs send a payload checksum (moto records it only when
// x-amz-sdk-checksum-algorithm is present).
void AddPayloadChecksum(S3ChecksumAlgorithm algorithm, std::string checksum, std::string_view body,
                        Headers& headers) {
  if (algorithm == S3ChecksumAlgorithm::kNone) return;
  if (checksum.empty()) checksum = S3ChecksumOf(algorithm, body);
  const std::string name(S3ChecksumAlgorithmName(algorithm));
  headers.Set("x-amz-sdk-checksum-algorithm", name);
  headers.Set("x-amz-checksum-" + ToLower(name), std::move(checksum));
}

Result<HttpRequest> ObjectRequest(const S3RequestOptions& options, std::string method,
                                  std::string_view bucket, std::string_view key,
                                  std::string_view query = {}) {
  LIFEBOAT_RETURN_IF_ERROR(CheckObject(bucket, key));
  HttpRequest request;
  request.method = std::move(method);
  LIFEBOAT_ASSIGN_OR_RETURN(request.url, S3ObjectUrl(options, bucket, key, query));
  return request;
}

}  // namespace

std::string_view S3ChecksumAlgorithmName(S3ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case S3ChecksumAlgorithm::kNone:
      return "";
    case S3ChecksumAlgorithm::kCrc32c:
      return "CRC32C";
    case S3ChecksumAlgorithm::kSha256:
      return "SHA256";
  }
  return "";
}

std::string S3ChecksumOf(S3ChecksumAlgorithm algorithm, std::string_view data) {
  switch (algorithm) {
    case S3ChecksumAlgorithm::kNone:
      return "";
    case S3ChecksumAlgorithm::kCrc32c:
      return Crc32cBase64(Crc32c(data));
    case S3ChecksumAlgorithm::kSha256:
      return Sha256Base64(Sha256(data));
  }
  return "";
}

bool IsDnsCompatibleBucketName(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  auto alnum = [](unsigned char c) { return std::islower(c) || std::isdigit(c); };
  if (!alnum(bucket.front()) || !alnum(bucket.back())) return false;
  for (unsigned char c : bucket) {
    if (!alnum(c) && c != '.' && c != '-') return false;
  }
  if (bucket.find("..") != std::string_view::npos || bucket.find(".-") != std::string_view::npos ||
      bucket.find("-.") != std::string_view::npos) {
    return false;
  }
  return !IsIpv4Address(bucket);
}

Result<bool> UseVirtualHostedStyle(const S3RequestOptions& options, std::string_view bucket) {
  LIFEBOAT_ASSIGN_OR_RETURN(Url endpoint, EndpointUrl(options));
  switch (options.addressing) {
    case S3Addressing::kPath:
      return false;
    case S3Addressing::kVirtual:
      if (!IsDnsCompatibleBucketName(bucket)) {
        return Status::InvalidArgument("S3: bucket '" + std::string(bucket) +
                                       "' cannot be a host name; use path-style addressing");
      }
      return true;
    case S3Addressing::kAuto:
      // Dots in a virtual host name break the wildcard certificate over TLS.
      return IsAwsHost(endpoint.host) && IsDnsCompatibleBucketName(bucket) &&
             !(endpoint.scheme == "https" && bucket.find('.') != std::string_view::npos);
  }
  return false;
}

Result<std::string> S3ObjectUrl(const S3RequestOptions& options, std::string_view bucket,
                                std::string_view key, std::string_view query) {
  LIFEBOAT_RETURN_IF_ERROR(CheckBucket(bucket));
  LIFEBOAT_ASSIGN_OR_RETURN(Url url, EndpointUrl(options));
  LIFEBOAT_ASSIGN_OR_RETURN(bool virtual_hosted, UseVirtualHostedStyle(options, bucket));
  std::string base = url.path;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (virtual_hosted) {
    url.host = std::string(bucket) + "." + url.host;
    url.path = base + "/" + UriEncode(key, /*keep_slash=*/true);
  } else {
    url.path = base + "/" + UriEncode(bucket);
    if (!key.empty()) url.path += "/" + UriEncode(key, /*keep_slash=*/true);
  }
  url.query = std::string(query);
  return url.ToString();
}

std::string S3Uri(std::string_view bucket, std::string_view key) {
  return "s3://" + std::string(bucket) + "/" + std::string(key);
}

Result<HttpRequest> BuildPutObject(const S3RequestOptions& options, PutObjectRequest request) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            ObjectRequest(options, "PUT", request.bucket, request.key));
  LIFEBOAT_RETURN_IF_ERROR(
      AddAttributeHeaders(request.attributes, S3Uri(request.bucket, request.key), http.headers));
  if (request.if_none_match) http.headers.Set("If-None-Match", "*");
  AddPayloadChecksum(request.checksum_algorithm, std::move(request.checksum), request.body,
                     http.headers);
  http.body = std::move(request.body);
  return http;
}

Result<HttpRequest> BuildHeadObject(const S3RequestOptions& options, std::string_view bucket,
                                    std::string_view key) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http, ObjectRequest(options, "HEAD", bucket, key));
  http.headers.Set("x-amz-checksum-mode", "ENABLED");
  return http;
}

Result<HttpRequest> BuildGetObject(const S3RequestOptions& options,
                                   const GetObjectRequest& request) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            ObjectRequest(options, "GET", request.bucket, request.key));
  http.headers.Set("x-amz-checksum-mode", "ENABLED");
  if (request.range) {
    if (request.range->last && *request.range->last < request.range->first) {
      return Status::InvalidArgument(S3Uri(request.bucket, request.key) +
                                     ": byte range ends before it starts");
    }
    std::string range = "bytes=" + std::to_string(request.range->first) + "-";
    if (request.range->last) range += std::to_string(*request.range->last);
    http.headers.Set("Range", std::move(range));
  }
  return http;
}

Result<HttpRequest> BuildListObjectsV2(const S3RequestOptions& options,
                                       const ListObjectsV2Request& request) {
  // Parameters in the order the signer sorts them, so the URL is its canonical form.
  std::vector<std::pair<std::string, std::string>> params;
  if (!request.continuation_token.empty()) {
    params.emplace_back("continuation-token", request.continuation_token);
  }
  if (!request.delimiter.empty()) params.emplace_back("delimiter", request.delimiter);
  params.emplace_back("encoding-type", "url");
  params.emplace_back("list-type", "2");
  if (request.max_keys > 0) params.emplace_back("max-keys", std::to_string(request.max_keys));
  if (!request.prefix.empty()) params.emplace_back("prefix", request.prefix);
  if (!request.start_after.empty()) params.emplace_back("start-after", request.start_after);
  std::string query;
  for (const auto& [name, value] : params) {
    if (!query.empty()) query += '&';
    query += name + "=" + UriEncode(value);
  }
  HttpRequest http;
  http.method = "GET";
  LIFEBOAT_ASSIGN_OR_RETURN(http.url, S3ObjectUrl(options, request.bucket, "", query));
  return http;
}

Result<HttpRequest> BuildDeleteObject(const S3RequestOptions& options, std::string_view bucket,
                                      std::string_view key) {
  return ObjectRequest(options, "DELETE", bucket, key);
}

Result<HttpRequest> BuildCreateMultipartUpload(const S3RequestOptions& options,
                                               const CreateMultipartUploadRequest& request) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            ObjectRequest(options, "POST", request.bucket, request.key, "uploads"));
  LIFEBOAT_RETURN_IF_ERROR(
      AddAttributeHeaders(request.attributes, S3Uri(request.bucket, request.key), http.headers));
  if (request.checksum_algorithm != S3ChecksumAlgorithm::kNone) {
    http.headers.Set("x-amz-checksum-algorithm",
                     std::string(S3ChecksumAlgorithmName(request.checksum_algorithm)));
  }
  return http;
}

Result<HttpRequest> BuildUploadPart(const S3RequestOptions& options, UploadPartRequest request) {
  if (request.part_number < 1 || request.part_number > kMaxPartNumber) {
    return Status::InvalidArgument(S3Uri(request.bucket, request.key) + ": part number " +
                                   std::to_string(request.part_number) + " is outside 1 to 10000");
  }
  if (request.upload_id.empty()) {
    return Status::InvalidArgument(S3Uri(request.bucket, request.key) + ": empty upload id");
  }
  const std::string query = "partNumber=" + std::to_string(request.part_number) +
                            "&uploadId=" + UriEncode(request.upload_id);
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            ObjectRequest(options, "PUT", request.bucket, request.key, query));
  AddPayloadChecksum(request.checksum_algorithm, std::move(request.checksum), request.body,
                     http.headers);
  http.body = std::move(request.body);
  return http;
}

Result<HttpRequest> BuildCompleteMultipartUpload(const S3RequestOptions& options,
                                                 const CompleteMultipartUploadRequest& request) {
  const std::string uri = S3Uri(request.bucket, request.key);
  if (request.upload_id.empty()) return Status::InvalidArgument(uri + ": empty upload id");
  if (request.parts.empty()) return Status::InvalidArgument(uri + ": no parts to complete");
  std::vector<CompletedPart> parts = request.parts;
  std::sort(parts.begin(), parts.end(), [](const CompletedPart& a, const CompletedPart& b) {
    return a.part_number < b.part_number;
  });
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].part_number < 1 || parts[i].part_number > kMaxPartNumber ||
        (i > 0 && parts[i].part_number == parts[i - 1].part_number)) {
      return Status::InvalidArgument(uri + ": part numbers must be distinct, 1 to 10000");
    }
  }
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest http,
                            ObjectRequest(options, "POST", request.bucket, request.key,
                                          "uploadId=" + UriEncode(request.upload_id)));
  const std::string checksum_element =
      "Checksum" + std::string(S3ChecksumAlgorithmName(request.checksum_algorithm));
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const CompletedPart& part : parts) {
    body += "<Part><ETag>" + XmlEscapeText(part.etag) + "</ETag>";
    if (request.checksum_algorithm != S3ChecksumAlgorithm::kNone && !part.checksum.empty()) {
      body +=
          "<" + checksum_element + ">" + XmlEscapeText(part.checksum) + "</" + checksum_element + ">";
    }
    body += "<PartNumber>" + std::to_string(part.part_number) + "</PartNumber></Part>";
  }
  body += "</CompleteMultipartUpload>";
  http.headers.Set("Content-Type", "application/xml");
  if (request.if_none_match) http.headers.Set("If-None-Match", "*");
  http.body = std::move(body);
  return http;
}

Result<HttpRequest> BuildAbortMultipartUpload(const S3RequestOptions& options,
                                              std::string_view bucket, std::string_view key,
                                              std::string_view upload_id) {
  if (upload_id.empty()) return Status::InvalidArgument(S3Uri(bucket, key) + ": empty upload id");
  return ObjectRequest(options, "DELETE", bucket, key, "uploadId=" + UriEncode(upload_id));
}

}  // namespace lifeboat
