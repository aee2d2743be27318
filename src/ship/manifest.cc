#include "ship/manifest.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

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

namespace {

json StreamsToJson(const std::vector<StreamRecord>& streams) {
  json out = json::array();
  for (const auto& s : streams) {
    json chunks = json::array();
    for (const auto& c : s.chunks) {
      json chunk = {{"begin", c.range.begin},
                    {"end", c.range.end},
                    {"codec", CodecName(c.codec)},
                    {"stored_size", c.stored_size},
                    {"raw_crc32c", CrcText(c.raw_crc32c)},
                    {"stored_crc32c", CrcText(c.stored_crc32c)}};
      // Optional (older manifests lack it): [after, by] in Unix milliseconds, 0 unknown.
      if (c.written != WrittenBounds{}) chunk["written_ms"] = {c.written.after_ms, c.written.by_ms};
      chunks.push_back(std::move(chunk));
    }
    out.push_back({{"path", s.path},
                   {"stream", s.stream},
                   {"identity",
                    {{"device", s.identity.device},
                     {"inode", s.identity.inode},
                     {"head_size", s.identity.head_size},
                     {"head_crc32c", CrcText(s.identity.head_crc32c)}}},
                   {"base_end", s.base_end},
                   {"finished", s.finished},
                   {"chunks", std::move(chunks)}});
  }
  return out;
}

std::vector<StreamRecord> StreamsFromJson(const json& streams) {
  if (!streams.is_array()) throw std::invalid_argument("streams is not an array");
  std::vector<StreamRecord> out;
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
    s.base_end = Field<uint64_t>(js, "base_end", where);
    s.finished = Field<bool>(js, "finished", where);
    const json& chunks = js.at("chunks");
    uint64_t expected = s.base_end;
    for (size_t k = 0; k < chunks.size(); ++k) {
      const std::string cw = fmt::format("{}.chunks[{}]", where, k);
      const json& jc = chunks[k];
      ChunkRecord c;
      c.range.begin = Field<uint64_t>(jc, "begin", cw);
      c.range.end = Field<uint64_t>(jc, "end", cw);
      if (c.range.end < c.range.begin) throw std::invalid_argument(cw + " ends before it begins");
      if (c.range.begin < expected) throw std::invalid_argument(cw + " is out of byte order");
      expected = c.range.end;
      auto codec = ParseCodec(Field<std::string>(jc, "codec", cw));
      if (!codec.ok()) throw std::invalid_argument(cw + ".codec: " + codec.status().message());
      c.codec = *codec;
      c.stored_size = Field<uint64_t>(jc, "stored_size", cw);
      c.raw_crc32c = CrcFromText(Field<std::string>(jc, "raw_crc32c", cw), cw + ".raw_crc32c");
      c.stored_crc32c =
          CrcFromText(Field<std::string>(jc, "stored_crc32c", cw), cw + ".stored_crc32c");
      if (auto w = jc.find("written_ms"); w != jc.end()) {
        if (!w->is_array() || w->size() != 2 || !(*w)[0].is_number_integer() ||
            !(*w)[1].is_number_integer()) {
          throw std::invalid_argument(cw + ".written_ms is not [after, by] in milliseconds");
        }
        c.written = {(*w)[0].get<int64_t>(), (*w)[1].get<int64_t>()};
      }
      s.chunks.push_back(c);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void CheckFormat(const json& j, std::string_view want) {
  if (!j.is_object()) throw std::invalid_argument("not a JSON object");
  const auto format = Field<std::string>(j, "format", "manifest");
  if (format != want) {
    throw std::invalid_argument("format '" + format + "' is not " + std::string(want));
  }
}

}  // namespace

std::string ManifestToJson(const Manifest& m) {
  json j = {{"format", kManifestFormat},
            {"instance_id", m.instance_id},
            {"tool", m.tool},
            {"updated_at", m.updated_at},
            {"sealed", m.sealed},
            {"parts", m.parts},
            {"streams", StreamsToJson(m.streams)}};
  return j.dump(1) + "\n";
}

Result<Manifest> ParseManifest(std::string_view text) {
  try {
    const json j = json::parse(text);
    CheckFormat(j, kManifestFormat);
    Manifest m;
    m.instance_id = Field<std::string>(j, "instance_id", "manifest");
    m.tool = j.value("tool", "");
    m.updated_at = j.value("updated_at", "");
    m.sealed = Field<bool>(j, "sealed", "manifest");
    m.parts = Field<uint64_t>(j, "parts", "manifest");
    m.streams = StreamsFromJson(j.at("streams"));
    return m;
  } catch (const std::exception& e) {
    return Status::DataLoss(std::string("not a valid manifest: ") + e.what());
  }
}

std::string ManifestPartToJson(const ManifestPart& part) {
  json j = {{"format", kManifestPartFormat},
            {"instance_id", part.instance_id},
            {"part", part.number},
            {"streams", StreamsToJson(part.streams)}};
  return j.dump() + "\n";
}

Result<ManifestPart> ParseManifestPart(std::string_view text) {
  try {
    const json j = json::parse(text);
    CheckFormat(j, kManifestPartFormat);
    ManifestPart part;
    part.instance_id = Field<std::string>(j, "instance_id", "part");
    part.number = Field<uint64_t>(j, "part", "part");
    part.streams = StreamsFromJson(j.at("streams"));
    return part;
  } catch (const std::exception& e) {
    return Status::DataLoss(std::string("not a valid manifest part: ") + e.what());
  }
}

namespace {

// Splits one roll's streams into parts of at most `max_chunks` chunks; a stream whose
// chunks straddle a boundary continues in the next part from where the first one ends.
std::vector<ManifestPart> SplitIntoParts(const std::string& instance_id, uint64_t first_number,
                                         std::vector<StreamRecord> streams, size_t max_chunks) {
  std::vector<ManifestPart> parts;
  auto start_part = [&] {
    ManifestPart& p = parts.emplace_back();
    p.instance_id = instance_id;
    p.number = first_number + parts.size() - 1;
  };
  start_part();
  size_t in_part = 0;
  for (StreamRecord& s : streams) {
    size_t taken = 0;
    do {
      if (in_part == max_chunks) {
        start_part();
        in_part = 0;
      }
      const size_t n = std::min(s.chunks.size() - taken, max_chunks - in_part);
      StreamRecord piece = s;
      piece.chunks.assign(s.chunks.begin() + taken, s.chunks.begin() + taken + n);
      if (taken > 0) piece.base_end = s.chunks[taken].range.begin;
      // Only the piece that lists the stream's last chunk may say it is finished.
      piece.finished = s.finished && taken + n == s.chunks.size();
      parts.back().streams.push_back(std::move(piece));
      taken += n;
      in_part += n;
    } while (taken < s.chunks.size());
  }
  return parts;
}

}  // namespace

std::vector<ManifestPart> RollManifest(Manifest& head, size_t max_tail_chunks, bool force,
                                       size_t max_part_chunks) {
  if (!force && head.chunk_count() <= max_tail_chunks) return {};
  std::vector<bool> leaving;
  for (const auto& s : head.streams) {
    leaving.push_back(s.finished && head.LatestStream(s.path) != &s);
  }
  std::vector<StreamRecord> moving;
  std::vector<StreamRecord> kept;
  for (size_t i = 0; i < head.streams.size(); ++i) {
    StreamRecord& s = head.streams[i];
    const bool leaves = leaving[i];
    if (!s.chunks.empty() || leaves) {
      StreamRecord moved = s;
      moved.base_end = s.chunks.empty() ? s.base_end : s.chunks.front().range.begin;
      moving.push_back(std::move(moved));
    }
    s.base_end = s.end();
    s.chunks.clear();
    if (!leaves) kept.push_back(std::move(s));
  }
  head.streams = std::move(kept);
  auto parts = SplitIntoParts(head.instance_id, head.parts + 1, std::move(moving),
                              std::max<size_t>(max_part_chunks, 1));
  head.parts = parts.back().number;
  return parts;
}

void MergeIntoManifest(Manifest& whole, const std::vector<StreamRecord>& streams) {
  for (const auto& in : streams) {
    StreamRecord* s = nullptr;
    for (auto& existing : whole.streams) {
      if (existing.path == in.path && existing.stream == in.stream) s = &existing;
    }
    if (s == nullptr) {
      s = &whole.streams.emplace_back();
      s->path = in.path;
      s->stream = in.stream;
    }
    s->identity = in.identity;
    s->finished = s->finished || in.finished;
    for (const auto& c : in.chunks) {
      if (!s->chunks.empty() && c.range.end <= s->chunks.back().range.end) continue;
      s->chunks.push_back(c);
    }
  }
}

std::string FormatRfc3339(std::chrono::system_clock::time_point time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::time_point_cast<std::chrono::seconds>(time));
}

}  // namespace lifeboat
