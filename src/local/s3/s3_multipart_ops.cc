// Multipart upload operations.
#include <charconv>
#include <pugixml.hpp>

#include "http/percent_encoding.h"
#include "local/s3/s3_checksum.h"
#include "local/s3/s3_errors.h"
#include "local/s3/s3_http.h"
#include "local/s3/s3_service_impl.h"

namespace lifeboat {
namespace {

std::string Element(std::string_view name, std::string_view text) {
  return "<" + std::string(name) + ">" + XmlEscape(text) + "</" + std::string(name) + ">";
}

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string ChecksumElement(const std::string& algorithm, const std::string& value) {
  const ChecksumSpec* spec = FindChecksum(algorithm);
  if (spec == nullptr || value.empty()) return "";
  return Element(spec->member, value);
}

// The checksum algorithm and type a CreateMultipartUpload asks for, with AWS's rules.
Status ChecksumOfUpload(const LocalRequest& r, ObjectMeta* m) {
  const std::string algorithm = r.Header("x-amz-checksum-algorithm");
  std::string type = r.Header("x-amz-checksum-type");
  if (algorithm.empty()) return Status::Ok();
  const ChecksumSpec* spec = FindChecksum(algorithm);
  if (spec == nullptr) {
    return S3Error("InvalidRequest",
                   "Checksum algorithm provided is unsupported. Please try again with any of the "
                   "valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  const bool crc = spec->algorithm == ChecksumAlgorithm::kCrc32 ||
                   spec->algorithm == ChecksumAlgorithm::kCrc32c ||
                   spec->algorithm == ChecksumAlgorithm::kCrc64Nvme;
  if (type.empty())
    type = spec->algorithm == ChecksumAlgorithm::kCrc64Nvme ? "FULL_OBJECT" : "COMPOSITE";
  if ((type == "FULL_OBJECT" && !crc) ||
      (type == "COMPOSITE" && spec->algorithm == ChecksumAlgorithm::kCrc64Nvme) ||
      (type != "FULL_OBJECT" && type != "COMPOSITE")) {
    return S3Error("InvalidRequest", "The " + type + " checksum type cannot be used with the " +
                                         std::string(spec->name) + " checksum algorithm.");
  }
  m->checksum_algorithm = spec->name;
  m->checksum_type = type;
  return Status::Ok();
}

}  // namespace

LocalResponse S3Service::CreateMultipartUpload(const LocalRequest& r, const S3Target& t) {
  ObjectMeta m;
  m.key = t.key;
  MetaFromRequest(r, &m);
  Status s = ChecksumOfUpload(r, &m);
  if (!s.ok()) return S3ErrorFromStatus(s, t.resource);
  auto id = multipart_.Create(t.bucket, m);
  if (!id.ok()) return S3ErrorFromStatus(id.status(), t.resource);
  LocalResponse out =
      XmlResponse("<InitiateMultipartUploadResult xmlns=\"" + std::string(kS3Xmlns) + "\">" +
                  Element("Bucket", t.bucket) + Element("Key", t.key) + Element("UploadId", *id) +
                  "</InitiateMultipartUploadResult>");
  if (!m.checksum_algorithm.empty()) {
    out.headers.Set("x-amz-checksum-algorithm", m.checksum_algorithm);
    out.headers.Set("x-amz-checksum-type", m.checksum_type);
  }
  return out;
}

LocalResponse S3Service::UploadPart(const LocalRequest& r, const S3Target& t) {
  auto part_number = ParseInt(r.Param("partNumber"));
  if (!part_number) {
    return S3ErrorResponse(400, "InvalidArgument",
                           "Part number must be an integer between 1 and 10000, inclusive",
                           t.resource);
  }
  const std::string md5 = Md5Raw(r.body);
  auto checksum = ValidateUploadChecksums(r.headers, r.body, md5);
  if (!checksum.ok()) return S3ErrorFromStatus(checksum.status(), t.resource);
  auto part = multipart_.UploadPart(t.bucket, t.key, r.Param("uploadId"), *part_number, r.body, md5,
                                    *checksum);
  if (!part.ok()) return S3ErrorFromStatus(part.status(), t.resource);
  LocalResponse out = EmptyResponse(200);
  out.headers.Set("ETag", Quoted(part->etag));
  if (const ChecksumSpec* spec = FindChecksum(part->checksum_algorithm)) {
    out.headers.Set(std::string(spec->header), part->checksum);
  }
  return out;
}

LocalResponse S3Service::CompleteMultipartUpload(const LocalRequest& r, const S3Target& t) {
  auto conditions = WriteConditionsOf(r);
  if (!conditions.ok()) return S3ErrorFromStatus(conditions.status(), t.resource);
  pugi::xml_document doc;
  std::vector<CompletedPartSpec> parts;
  bool well_formed = doc.load_buffer(r.body.data(), r.body.size());
  pugi::xml_node root = doc.child("CompleteMultipartUpload");
  well_formed = well_formed && root;
  for (pugi::xml_node p : root.children("Part")) {
    CompletedPartSpec spec;
    auto n = ParseInt(p.child("PartNumber").text().as_string());
    if (!n) well_formed = false;
    spec.part_number = n.value_or(0);
    spec.etag = p.child("ETag").text().as_string();
    size_t count = 0;
    const ChecksumSpec* all = AllChecksums(&count);
    for (size_t i = 0; i < count; ++i) {
      pugi::xml_node c = p.child(std::string(all[i].member).c_str());
      if (c) spec.checksums[std::string(all[i].name)] = c.text().as_string();
    }
    parts.push_back(std::move(spec));
  }
  if (!well_formed) {
    return S3ErrorResponse(400, "MalformedXML",
                           "The XML you provided was not well-formed or did not validate against "
                           "our published schema",
                           t.resource);
  }
  if (conditions->if_none_match && store_.OpenObject(t.bucket, t.key).ok()) {
    return S3ErrorResponse(412, "PreconditionFailed",
                           "At least one of the pre-conditions you specified did not hold",
                           t.resource);
  }
  auto m = multipart_.Complete(t.bucket, t.key, r.Param("uploadId"), parts,
                               ChecksumHeader(r.headers), *conditions);
  if (!m.ok()) return S3ErrorFromStatus(m.status(), t.resource);
  const std::string host = r.host.empty() ? "localhost" : r.host;
  std::string xml =
      "<CompleteMultipartUploadResult xmlns=\"" + std::string(kS3Xmlns) + "\">" +
      Element("Location", "http://" + host + "/" + t.bucket + "/" + UriEncode(t.key, true)) +
      Element("Bucket", t.bucket) + Element("Key", t.key) + Element("ETag", Quoted(m->etag)) +
      ChecksumElement(m->checksum_algorithm, m->checksum);
  if (!m->checksum.empty()) xml += Element("ChecksumType", m->checksum_type);
  return XmlResponse(xml + "</CompleteMultipartUploadResult>");
}

LocalResponse S3Service::AbortMultipartUpload(const LocalRequest& r, const S3Target& t) {
  Status s = multipart_.Abort(t.bucket, t.key, r.Param("uploadId"));
  return s.ok() ? EmptyResponse(204) : S3ErrorFromStatus(s, t.resource);
}

LocalResponse S3Service::ListParts(const LocalRequest& r, const S3Target& t) {
  const std::string id = r.Param("uploadId");
  auto record = multipart_.GetUpload(t.bucket, t.key, id);
  if (!record.ok()) return S3ErrorFromStatus(record.status(), t.resource);
  auto parts = multipart_.ListParts(t.bucket, t.key, id);
  if (!parts.ok()) return S3ErrorFromStatus(parts.status(), t.resource);
  const int marker = ParseInt(r.Param("part-number-marker")).value_or(0);
  const int max_parts = std::clamp(ParseInt(r.Param("max-parts")).value_or(1000), 0, 1000);
  std::string body;
  int count = 0, last = 0;
  bool truncated = false;
  for (const auto& p : *parts) {
    if (p.part_number <= marker) continue;
    if (count == max_parts) {
      truncated = true;
      break;
    }
    body += "<Part>" + Element("PartNumber", std::to_string(p.part_number)) +
            Element("LastModified", IsoDate(p.last_modified_ms)) + Element("ETag", Quoted(p.etag)) +
            Element("Size", std::to_string(p.size)) +
            ChecksumElement(p.checksum_algorithm, p.checksum) + "</Part>";
    last = p.part_number;
    ++count;
  }
  std::string xml = "<ListPartsResult xmlns=\"" + std::string(kS3Xmlns) + "\">" +
                    Element("Bucket", t.bucket) + Element("Key", t.key) + Element("UploadId", id) +
                    Element("PartNumberMarker", std::to_string(marker)) +
                    Element("NextPartNumberMarker", std::to_string(last)) +
                    Element("MaxParts", std::to_string(max_parts)) +
                    Element("IsTruncated", truncated ? "true" : "false") + body +
                    OwnerXml("Initiator") + OwnerXml() + "<StorageClass>STANDARD</StorageClass>";
  if (!record->meta.checksum_algorithm.empty()) {
    xml += Element("ChecksumAlgorithm", record->meta.checksum_algorithm) +
           Element("ChecksumType", record->meta.checksum_type);
  }
  return XmlResponse(xml + "</ListPartsResult>");
}

LocalResponse S3Service::ListMultipartUploads(const LocalRequest& r, const S3Target& t) {
  auto uploads = multipart_.ListUploads(t.bucket, r.Param("prefix"));
  if (!uploads.ok()) return S3ErrorFromStatus(uploads.status(), t.resource);
  const int max_uploads = std::clamp(ParseInt(r.Param("max-uploads")).value_or(1000), 0, 1000);
  std::string body;
  int count = 0;
  for (const auto& u : *uploads) {
    if (count == max_uploads) break;
    body += "<Upload>" + Element("Key", u.meta.key) + Element("UploadId", u.upload_id) +
            OwnerXml("Initiator") + OwnerXml() + "<StorageClass>STANDARD</StorageClass>" +
            Element("Initiated", IsoDate(u.meta.last_modified_ms));
    if (!u.meta.checksum_algorithm.empty()) {
      body += Element("ChecksumAlgorithm", u.meta.checksum_algorithm) +
              Element("ChecksumType", u.meta.checksum_type);
    }
    body += "</Upload>";
    ++count;
  }
  const bool truncated = static_cast<size_t>(count) < uploads->size();
  std::string xml = "<ListMultipartUploadsResult xmlns=\"" + std::string(kS3Xmlns) + "\">" +
                    Element("Bucket", t.bucket) +
                    "<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>";
  if (truncated) {
    xml += Element("NextKeyMarker", (*uploads)[count - 1].meta.key) +
           Element("NextUploadIdMarker", (*uploads)[count - 1].upload_id);
  }
  xml += Element("Prefix", r.Param("prefix")) + Element("MaxUploads", std::to_string(max_uploads)) +
         Element("IsTruncated", truncated ? "true" : "false") + body;
  return XmlResponse(xml + "</ListMultipartUploadsResult>");
}

}  // namespace lifeboat
