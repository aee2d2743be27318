#include "ship/manifest.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/hash.h"

namespace lifeboat {
namespace {

using json = nlohmann::json;

std::string CrcText(uint32_t crc) { return Crc32cBase64(crc); }

uint32_t CrcFromText(const std::string& text, const std::string& field) {
  auto crc = Crc32cFromBase64(text);
  if (!crc) throw std::invalid_argument(field + " is not a base64 CRC32C");
  return *crc;
}

// Reads a required field with a message that names it.
template <typename T>
T Field(const json& j, const char* name, const std::string& where) {
  auto it = j.find(name);
  if (it == j.end()) throw std::invalid_argument(where + "." + name + " is missing");
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    throw std::invalid_argument(where + "." + name + " has the wrong type");
  }
}

}  // namespace

const StreamRecord* Manifest::LatestStream(std::string_view path) const {
  const StreamRecord* latest = nullptr;
  for (const auto& s : streams) {
    if (s.path == path && (latest == nullptr || s.stream > latest->stream)) latest = &s;
  }
  return latest;
}

StreamRecord* Manifest::LatestStream(std::string_view path) {
  return const_cast<StreamRecord*>(std::as_const(*this).LatestStream(path));
}

uint32_t Manifest::NextStreamId(std::string_view path) const {
  const StreamRecord* latest = LatestStream(path);
  return latest == nullptr ? 0 : latest->stream + 1;
}

uint64_t Manifest::raw_bytes() const {
  uint64_t n = 0;
  for (const auto& s : streams) {
    for (const auto& c : s.chunks) n += c.range.size();
  }
  return n;
}

uint64_t Manifest::stored_bytes() const {
  uint64_t n = 0;
  for (const auto& s : streams) {
    for (const auto& c : s.chunks) n += c.stored_size;
  }
  return n;
}

size_t Manifest::chunk_count() const {
  size_t n = 0;
  for (const auto& s : streams) n += s.chunks.size();
  return n;
}

std::string ManifestToJson(const Manifest& m) {
  json streams = json::array();
  for (const auto& s : m.streams) {
    json chunks = json::array();
    for (const auto& c : s.chunks) {
      chunks.push_back({{"begin", c.range.begin},
                        {"end", c.range.end},
                        {"codec", CodecName(c.codec)},
                        {"stored_size", c.stored_size},
                        {"raw_crc32c", CrcText(c.raw_crc32c)},
                        {"stored_crc32c", CrcText(c.stored_crc32c)}});
    }
    streams.push_back({{"path", s.path},
                       {"stream", s.stream},
                       {"identity",
                        {{"device", s.identity.device},
                         {"inode", s.identity.inode},
                         {"head_size", s.identity.head_size},
                         {"head_crc32c", CrcText(s.identity.head_crc32c)}}},
                       {"chunks", std::move(chunks)}});
  }
  json j = {{"format", kManifestFormat},
            {"instance_id", m.instance_id},
            {"tool", m.tool},
            {"updated_at", m.updated_at},
            {"sealed", m.sealed},
            {"streams", std::move(streams)}};
  return j.dump(1) + "\n";
}

Result<Manifest> ParseManifest(std::string_view text) {
  try {
    const json j = json::parse(text);
    if (!j.is_object()) throw std::invalid_argument("not a JSON object");
    const auto format = Field<std::string>(j, "format", "manifest");
    if (format != kManifestFormat) {
      throw std::invalid_argument("format '" + format + "' is not " + std::string(kManifestFormat));
    }
    Manifest m;
    m.instance_id = Field<std::string>(j, "instance_id", "manifest");
    m.tool = j.value("tool", "");
    m.updated_at = j.value("updated_at", "");
    m.sealed = Field<bool>(j, "sealed", "manifest");
    const auto& streams = j.at("streams");
    for (size_t i = 0; i < streams.size(); ++i) {
      const std::string where = fmt::format("streams[{}]", i);
      const json& js = streams[i];
      StreamRecord s;
      s.path = Field<std::string>(js, "path", where);
      s.stream = Field<uint32_t>(js, "stream", where);
      const json& id = js.at("identity");
      s.identity.device = Field<uint64_t>(id, "device", where + ".identity");
      s.identity.inode = Field<uint64_t>(id, "inode", where + ".identity");
      s.identity.head_size = Field<uint64_t>(id, "head_size", where + ".identity");
      s.identity.head_crc32c = CrcFromText(Field<std::string>(id, "head_crc32c", where + ".identity"),
                                           where + ".identity.head_crc32c");
      const json& chunks = js.at("chunks");
      for (size_t k = 0; k < chunks.size(); ++k) {
        const std::string cw = fmt::format("{}.chunks[{}]", where, k);
        const json& jc = chunks[k];
        ChunkRecord c;
        c.range.begin = Field<uint64_t>(jc, "begin", cw);
        c.range.end = Field<uint64_t>(jc, "end", cw);
        if (c.range.end < c.range.begin) throw std::invalid_argument(cw + " ends before it begins");
        auto codec = ParseCodec(Field<std::string>(jc, "codec", cw));
        if (!codec.ok()) throw std::invalid_argument(cw + ".codec: " + codec.status().message());
        c.codec = *codec;
        c.stored_size = Field<uint64_t>(jc, "stored_size", cw);
        c.raw_crc32c = CrcFromText(Field<std::string>(jc, "raw_crc32c", cw), cw + ".raw_crc32c");
        c.stored_crc32c =
            CrcFromText(Field<std::string>(jc, "stored_crc32c", cw), cw + ".stored_crc32c");
        s.chunks.push_back(c);
      }
      m.streams.push_back(std::move(s));
    }
    return m;
  } catch (const std::exception& e) {
    return Status::DataLoss(std::string("not a valid manifest: ") + e.what());
  }
}

std::string FormatRfc3339(std::chrono::system_clock::time_point time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::time_point_cast<std::chrono::seconds>(time));
}

}  // namespace lifeboat
