// Bucket operations and listings.
#include <charconv>
#include <pugixml.hpp>

#include "common/hash.h"
#include "http/percent_encoding.h"
#include "local/s3/s3_checksum.h"
#include "local/s3/s3_errors.h"
#include "local/s3/s3_http.h"
#include "local/s3/s3_listing.h"
#include "local/s3/s3_service_impl.h"

namespace lifeboat {
namespace {

constexpr int kMaxKeys = 1000;

std::string Element(std::string_view name, std::string_view text) {
  return "<" + std::string(name) + ">" + XmlEscape(text) + "</" + std::string(name) + ">";
}

std::string MalformedXmlMessage() {
  return "The XML you provided was not well-formed or did not validate against our published "
         "schema";
}

}  // namespace

LocalResponse S3Service::ListBuckets(const LocalRequest& r) {
  auto buckets = store_.ListBuckets();
  if (!buckets.ok()) return S3ErrorFromStatus(buckets.status(), "/");
  const std::string prefix = r.Param("prefix");
  std::string xml =
      "<ListAllMyBucketsResult xmlns=\"" + std::string(kS3Xmlns) + "\">" + OwnerXml() + "<Buckets>";
  for (const auto& b : *buckets) {
    if (!b.name.starts_with(prefix)) continue;
    xml += "<Bucket>" + Element("Name", b.name) + Element("CreationDate", IsoDate(b.created_ms)) +
           Element("BucketRegion", b.region) + "</Bucket>";
  }
  xml += "</Buckets>";
  if (!prefix.empty()) xml += Element("Prefix", prefix);
  return XmlResponse(xml + "</ListAllMyBucketsResult>");
}

LocalResponse S3Service::CreateBucket(const LocalRequest& r, const S3Target& t) {
  std::string region = r.region.empty() ? "us-east-1" : r.region;
  if (!r.body.empty()) {
    pugi::xml_document doc;
    if (!doc.load_buffer(r.body.data(), r.body.size())) {
      return S3ErrorResponse(400, "MalformedXML", MalformedXmlMessage(), t.resource);
    }
    const std::string location =
        doc.child("CreateBucketConfiguration").child("LocationConstraint").text().as_string();
    if (!location.empty()) region = location;
  }
  Status s = store_.CreateBucket(t.bucket, region);
  if (!s.ok()) return S3ErrorFromStatus(s, t.resource);
  LocalResponse out = EmptyResponse(200);
  out.headers.Set("Location", "/" + t.bucket);
  return out;
}

LocalResponse S3Service::HeadBucket(const S3Target& t) {
  auto info = store_.GetBucket(t.bucket);
  if (!info.ok()) return S3ErrorFromStatus(info.status(), t.resource);
  LocalResponse out = EmptyResponse(200);
  out.headers.Set("x-amz-bucket-region", info->region);
  return out;
}

LocalResponse S3Service::DeleteBucket(const S3Target& t) {
  Status s = store_.DeleteBucket(t.bucket);
  return s.ok() ? EmptyResponse(204) : S3ErrorFromStatus(s, t.resource);
}

LocalResponse S3Service::GetBucketLocation(const S3Target& t) {
  auto info = store_.GetBucket(t.bucket);
  if (!info.ok()) return S3ErrorFromStatus(info.status(), t.resource);
  // us-east-1 is the empty location, as S3 reports it.
  const std::string region = info->region == "us-east-1" ? "" : info->region;
  return XmlResponse("<LocationConstraint xmlns=\"" + std::string(kS3Xmlns) + "\">" +
                     XmlEscape(region) + "</LocationConstraint>");
}

LocalResponse S3Service::GetBucketVersioning(const S3Target& t) {
  Status s = store_.CheckBucket(t.bucket);
  if (!s.ok()) return S3ErrorFromStatus(s, t.resource);
  return XmlResponse("<VersioningConfiguration xmlns=\"" + std::string(kS3Xmlns) + "\"/>");
}

LocalResponse S3Service::ListObjects(const LocalRequest& r, const S3Target& t, bool v2) {
  ListingQuery q;
  q.prefix = r.Param("prefix");
  q.delimiter = r.Param("delimiter");
  q.max_keys = kMaxKeys;
  if (r.HasParam("max-keys")) {
    const std::string v = r.Param("max-keys");
    int n = -1;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n < 0) {
      return S3ErrorResponse(400, "InvalidArgument",
                             "Provided max-keys not an integer or within integer range",
                             t.resource);
    }
    q.max_keys = std::min(n, kMaxKeys);
  }
  const bool url = r.HasParam("encoding-type");
  if (url && r.Param("encoding-type") != "url") {
    return S3ErrorResponse(400, "InvalidArgument", "Invalid Encoding Method specified in Request",
                           t.resource);
  }
  auto enc = [url](std::string_view s) {
    return XmlEscape(url ? UriEncode(s, true) : std::string(s));
  };
  const std::string token = r.Param("continuation-token");
  const std::string start_after = r.Param("start-after");
  if (v2 && r.HasParam("continuation-token")) {
    auto decoded = Base64Decode(token);
    if (token.empty() || !decoded) {
      return S3ErrorResponse(400, "InvalidArgument", "The continuation token provided is incorrect",
                             t.resource);
    }
    q.marker = *decoded;
  } else {
    q.marker = v2 ? start_after : r.Param("marker");
  }
  auto keys = store_.ListKeys(t.bucket, q.prefix);
  if (!keys.ok()) return S3ErrorFromStatus(keys.status(), t.resource);
  const ListingPage page = ListPage(*keys, q);
  const bool owner = !v2 || r.Param("fetch-owner") == "true";
  std::string contents;
  int count = static_cast<int>(page.prefixes.size());
  for (const auto& key : page.keys) {
    auto obj = store_.OpenObject(t.bucket, key);
    if (!obj.ok()) continue;  // deleted since the directory was read
    const ObjectMeta& m = obj->meta;
    ++count;
    contents += "<Contents><Key>" + enc(key) + "</Key>" +
                Element("LastModified", IsoDate(m.last_modified_ms)) +
                Element("ETag", Quoted(m.etag));
    if (!m.checksum_algorithm.empty()) {
      contents += Element("ChecksumAlgorithm", m.checksum_algorithm) +
                  Element("ChecksumType", m.checksum_type);
    }
    contents += Element("Size", std::to_string(m.size)) + (owner ? OwnerXml() : "") +
                "<StorageClass>STANDARD</StorageClass></Contents>";
  }
  std::string xml = "<ListBucketResult xmlns=\"" + std::string(kS3Xmlns) + "\">" +
                    Element("Name", t.bucket) + "<Prefix>" + enc(q.prefix) + "</Prefix>";
  if (v2) {
    if (r.HasParam("continuation-token")) xml += Element("ContinuationToken", token);
    if (page.truncated) xml += Element("NextContinuationToken", Base64Encode(page.last));
    if (!start_after.empty()) xml += "<StartAfter>" + enc(start_after) + "</StartAfter>";
    xml += Element("KeyCount", std::to_string(count));
  } else {
    xml += "<Marker>" + enc(q.marker) + "</Marker>";
    if (page.truncated && !q.delimiter.empty())
      xml += "<NextMarker>" + enc(page.last) + "</NextMarker>";
  }
  xml += Element("MaxKeys", std::to_string(q.max_keys));
  if (!q.delimiter.empty()) xml += "<Delimiter>" + enc(q.delimiter) + "</Delimiter>";
  if (url) xml += "<EncodingType>url</EncodingType>";
  xml += Element("IsTruncated", page.truncated ? "true" : "false") + contents;
  for (const auto& p : page.prefixes) {
    xml += "<CommonPrefixes><Prefix>" + enc(p) + "</Prefix></CommonPrefixes>";
  }
  return XmlResponse(xml + "</ListBucketResult>");
}

LocalResponse S3Service::DeleteObjects(const LocalRequest& r, const S3Target& t) {
  auto checksums = ValidateUploadChecksums(r.headers, r.body, Md5Raw(r.body));
  if (!checksums.ok()) return S3ErrorFromStatus(checksums.status(), t.resource);
  Status bucket = store_.CheckBucket(t.bucket);
  if (!bucket.ok()) return S3ErrorFromStatus(bucket, t.resource);
  pugi::xml_document doc;
  pugi::xml_node root;
  if (doc.load_buffer(r.body.data(), r.body.size())) root = doc.child("Delete");
  size_t objects = 0;
  for (pugi::xml_node o : root.children("Object")) {
    (void)o;
    ++objects;
  }
  if (!root || objects == 0 || objects > 1000) {
    return S3ErrorResponse(400, "MalformedXML", MalformedXmlMessage(), t.resource);
  }
  const bool quiet = std::string_view(root.child("Quiet").text().as_string()) == "true";
  std::string xml = "<DeleteResult xmlns=\"" + std::string(kS3Xmlns) + "\">";
  for (pugi::xml_node o : root.children("Object")) {
    const std::string key = o.child("Key").text().as_string();
    Status s = key.empty() ? S3Error("InvalidArgument", "Key must not be empty")
                           : store_.DeleteObject(t.bucket, key);
    if (s.ok()) {
      if (!quiet) xml += "<Deleted>" + Element("Key", key) + "</Deleted>";
    } else {
      const std::string code = s.service_code().empty() ? "InternalError" : s.service_code();
      xml += "<Error>" + Element("Key", key) + Element("Code", code) +
             Element("Message", s.message()) + "</Error>";
    }
  }
  return XmlResponse(xml + "</DeleteResult>");
}

}  // namespace lifeboat
