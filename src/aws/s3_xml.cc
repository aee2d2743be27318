#include "aws/s3_xml.h"

#include <charconv>
#include <optional>
#include <pugixml.hpp>

#include "aws/aws_error.h"
#include "http/http_types.h"
#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

// Loads `xml` and checks that its root is `root` (or `alias`); an <Error> root becomes that
// error.
Status LoadDocument(std::string_view xml, const char* root, pugi::xml_document& doc,
                    std::string_view alias = {}) {
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return Status::Internal(std::string("S3 answered with malformed XML where ") + root +
                            " was expected (" + parsed.description() + ")");
  }
  std::string_view name = doc.document_element().name();
  if (name == "Error") {
    if (auto error = ErrorInSuccessfulResponse(HttpResponse{200, {}, std::string(xml)})) {
      return *error;
    }
  }
  if (name != root && (alias.empty() || name != alias)) {
    return Status::Internal(std::string("S3 answered <") + std::string(name) + "> where <" + root +
                            "> was expected");
  }
  return Status::Ok();
}

// A listed name as S3 sent it: with EncodingType=url it is form-encoded ('+' for a space,
// as botocore reads it with unquote_plus); a malformed escape is S3's fault, not the caller's.
Result<std::string> ListedName(std::string_view text, bool encoded) {
  if (!encoded) return std::string(text);
  auto decoded = PercentDecode(text, PlusIsSpace::kYes);
  if (!decoded.ok()) {
    return Status::Internal("S3 listed a malformed URL-encoded name '" + std::string(text) +
                            "': " + decoded.status().message());
  }
  return decoded;
}

std::optional<uint64_t> ParseUint(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

Result<ListObjectsV2Result> ParseListObjectsV2(std::string_view xml) {
  pugi::xml_document doc;
  LIFEBOAT_RETURN_IF_ERROR(LoadDocument(xml, "ListBucketResult", doc));
  pugi::xml_node root = doc.document_element();
  const bool encoded = std::string_view(root.child_value("EncodingType")) == "url";

  ListObjectsV2Result result;
  result.is_truncated = std::string_view(root.child_value("IsTruncated")) == "true";
  result.next_continuation_token = root.child_value("NextContinuationToken");
  if (auto count = ParseUint(root.child_value("KeyCount"))) {
    result.key_count = static_cast<int>(*count);
  }
  for (pugi::xml_node contents : root.children("Contents")) {
    S3ObjectSummary object;
    LIFEBOAT_ASSIGN_OR_RETURN(object.key, ListedName(contents.child_value("Key"), encoded));
    auto size = ParseUint(contents.child_value("Size"));
    if (!size) {
      return Status::Internal("S3 listed '" + object.key + "' with a malformed size '" +
                              contents.child_value("Size") + "'");
    }
    object.size = *size;
    object.etag = contents.child_value("ETag");
    object.last_modified = contents.child_value("LastModified");
    object.checksum_algorithm = contents.child_value("ChecksumAlgorithm");
    object.storage_class = contents.child_value("StorageClass");
    result.objects.push_back(std::move(object));
  }
  for (pugi::xml_node prefix : root.children("CommonPrefixes")) {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string decoded,
                              ListedName(prefix.child_value("Prefix"), encoded));
    result.common_prefixes.push_back(std::move(decoded));
  }
  if (result.is_truncated && result.next_continuation_token.empty()) {
    return Status::Internal("S3 said the listing is truncated but gave no continuation token");
  }
  return result;
}

Result<std::string> ParseCreateMultipartUpload(std::string_view xml) {
  pugi::xml_document doc;
  LIFEBOAT_RETURN_IF_ERROR(LoadDocument(xml, "InitiateMultipartUploadResult", doc));
  std::string upload_id = doc.document_element().child_value("UploadId");
  if (upload_id.empty()) return Status::Internal("S3 started a multipart upload without an id");
  return upload_id;
}

Result<CompleteMultipartUploadResult> ParseCompleteMultipartUpload(std::string_view xml) {
  pugi::xml_document doc;
  // S3 documents <CompleteMultipartUploadResult>; moto 5 answers
  // <CompleteMultipartUploadResponse> with the same children.
  LIFEBOAT_RETURN_IF_ERROR(
      LoadDocument(xml, "CompleteMultipartUploadResult", doc, "CompleteMultipartUploadResponse"));
  pugi::xml_node root = doc.document_element();
  CompleteMultipartUploadResult result;
  result.etag = root.child_value("ETag");
  result.checksum_crc32c = root.child_value("ChecksumCRC32C");
  result.checksum_sha256 = root.child_value("ChecksumSHA256");
  result.location = root.child_value("Location");
  return result;
}

}  // namespace lifeboat
