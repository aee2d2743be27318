#include "local/s3/s3_object_file.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "http/http_types.h"
#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

constexpr std::string_view kMagic = "LBS3OBJ1";
constexpr size_t kPrefixSize = 12;  // magic + length
constexpr size_t kMaxPlainName = 200;

nlohmann::json PairsToJson(const std::vector<std::pair<std::string, std::string>>& pairs) {
  auto out = nlohmann::json::array();
  for (const auto& [k, v] : pairs) out.push_back({k, v});
  return out;
}

std::vector<std::pair<std::string, std::string>> PairsFromJson(const nlohmann::json& j) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!j.is_array()) return out;
  for (const auto& p : j) {
    if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string()) {
      out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
    }
  }
  return out;
}

template <typename T>
T Field(const nlohmann::json& j, const char* name, T fallback) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return fallback;
  return it->get<T>();
}

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

}  // namespace

std::string EncodeObjectHeader(const ObjectMeta& m) {
  nlohmann::json j = {
      // Percent-encoded, so a key that is not UTF-8 survives JSON byte for byte.
      {"key", UriEncode(m.key)},
      {"size", m.size},
      {"etag", m.etag},
      {"last_modified_ms", m.last_modified_ms},
      {"content_type", m.content_type},
      {"headers", PairsToJson(m.headers)},
      {"metadata", PairsToJson(m.metadata)},
      {"checksum_algorithm", m.checksum_algorithm},
      {"checksum", m.checksum},
      {"checksum_type", m.checksum_type},
      {"part_sizes", m.part_sizes},
      {"part_number", m.part_number},
  };
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out(kMagic);
  const auto n = static_cast<uint32_t>(text.size());
  for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xff);
  out += text;
  return out;
}

Result<std::string> StoredObject::Read(uint64_t offset, uint64_t length) const {
  std::string out(length, '\0');
  for (uint64_t done = 0; done < length;) {
    LIFEBOAT_ASSIGN_OR_RETURN(
        size_t n, file->ReadAt(data_offset + offset + done, out.data() + done, length - done));
    if (n == 0) return Status::DataLoss("object file ends early");
    done += n;
  }
  return out;
}

Result<StoredObject> OpenStoredObject(Env* env, const std::string& path) {
  StoredObject obj;
  LIFEBOAT_ASSIGN_OR_RETURN(obj.file, env->OpenForRead(path));
  // One read fetches the header of any object whose key and metadata fit in 4 KiB.
  std::string head(4096, '\0');
  LIFEBOAT_ASSIGN_OR_RETURN(size_t got, obj.file->ReadAt(0, head.data(), head.size()));
  head.resize(got);
  if (got < kPrefixSize || std::string_view(head).substr(0, kMagic.size()) != kMagic) {
    return Status::DataLoss(path + ": not a lifeboat S3 object file");
  }
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n |= static_cast<uint32_t>(static_cast<unsigned char>(head[8 + i])) << (8 * i);
  std::string text;
  if (kPrefixSize + n <= got) {
    text = head.substr(kPrefixSize, n);
  } else {
    text.assign(n, '\0');
    LIFEBOAT_ASSIGN_OR_RETURN(size_t r, obj.file->ReadAt(kPrefixSize, text.data(), n));
    if (r != n) return Status::DataLoss(path + ": object header is cut short");
  }
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Status::DataLoss(path + ": object header is not JSON");
  ObjectMeta& m = obj.meta;
  try {
    auto key = PercentDecode(Field<std::string>(j, "key", ""), PlusIsSpace::kNo);
    if (!key.ok()) {
      return Status::DataLoss(path + ": object header's key: " + key.status().message());
    }
    m.key = std::move(*key);
    m.size = Field<uint64_t>(j, "size", 0);
    m.etag = Field<std::string>(j, "etag", "");
    m.last_modified_ms = Field<int64_t>(j, "last_modified_ms", 0);
    m.content_type = Field<std::string>(j, "content_type", "");
    m.headers = PairsFromJson(j.value("headers", nlohmann::json()));
    m.metadata = PairsFromJson(j.value("metadata", nlohmann::json()));
    m.checksum_algorithm = Field<std::string>(j, "checksum_algorithm", "");
    m.checksum = Field<std::string>(j, "checksum", "");
    m.checksum_type = Field<std::string>(j, "checksum_type", "");
    m.part_sizes = Field<std::vector<uint64_t>>(j, "part_sizes", {});
    m.part_number = Field<int>(j, "part_number", 0);
  } catch (const nlohmann::json::exception& e) {
    return Status::DataLoss(path + ": bad object header: " + e.what());
  }
  obj.data_offset = kPrefixSize + n;
  LIFEBOAT_ASSIGN_OR_RETURN(FileInfo info, obj.file->Stat());
  if (info.size != obj.data_offset + m.size) {
    return Status::DataLoss(path + ": object file is " + std::to_string(info.size) +
                            " bytes, its header says " + std::to_string(obj.data_offset + m.size));
  }
  return obj;
}

std::string KeyToFileName(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    if (Unreserved(c) && !(i == 0 && c == '.')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (out.size() > kMaxPlainName) return "#" + Sha256Hex(key);
  return out;
}

std::optional<std::string> FileNameToKey(std::string_view name) {
  if (name.empty() || name.front() == '#' || name.front() == '.') return std::nullopt;
  auto key = PercentDecode(name, PlusIsSpace::kNo);
  if (!key.ok()) return std::nullopt;
  return std::move(*key);
}

}  // namespace lifeboat
