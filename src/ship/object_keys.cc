#include "ship/object_keys.h"

#include <fmt/format.h>

#include <charconv>

namespace lifeboat {
namespace {

constexpr size_t kStreamDigits = 6;
constexpr size_t kOffsetDigits = 16;

template <typename T>
bool ParseDigits(std::string_view text, size_t digits, T* value) {
  if (text.size() != digits) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

Status ValidateInstanceId(std::string_view id) {
  if (id.empty()) return Status::InvalidArgument("instance id is empty");
  // ".lifeboat" at the store's root holds the day index (instance_index.h).
  if (id == "." || id == ".." || id == kMetadataDir || id.find('/') != std::string_view::npos ||
      id.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("instance id '" + std::string(id) +
                                   "' cannot be used as a key prefix (no '/', '.', '..' or '.lifeboat')");
  }
  return Status::Ok();
}

std::string FormatChunkName(const ChunkName& c) {
  return fmt::format("{:0{}}-{:0{}}-{:0{}}{}", c.stream, kStreamDigits, c.begin, kOffsetDigits,
                     c.end, kOffsetDigits, CodecExtension(c.codec));
}

std::optional<ChunkName> ParseChunkName(std::string_view name) {
  ChunkName c;
  c.codec = CodecFromObjectName(name);
  name.remove_suffix(CodecExtension(c.codec).size());
  const size_t expected = kStreamDigits + 1 + kOffsetDigits + 1 + kOffsetDigits;
  if (name.size() != expected || name[kStreamDigits] != '-' ||
      name[kStreamDigits + 1 + kOffsetDigits] != '-') {
    return std::nullopt;
  }
  if (!ParseDigits(name.substr(0, kStreamDigits), kStreamDigits, &c.stream) ||
      !ParseDigits(name.substr(kStreamDigits + 1, kOffsetDigits), kOffsetDigits, &c.begin) ||
      !ParseDigits(name.substr(kStreamDigits + 2 + kOffsetDigits), kOffsetDigits, &c.end) ||
      c.end < c.begin) {
    return std::nullopt;
  }
  return c;
}

std::string SourceKeyPath(std::string_view absolute_path) {
  while (!absolute_path.empty() && absolute_path.front() == '/') absolute_path.remove_prefix(1);
  return std::string(absolute_path);
}

std::string ChunkKey(std::string_view instance_id, std::string_view absolute_path,
                     const ChunkName& chunk) {
  return fmt::format("{}/{}/{}", instance_id, SourceKeyPath(absolute_path), FormatChunkName(chunk));
}

std::string ManifestKey(std::string_view instance_id) {
  return fmt::format("{}/{}/{}", instance_id, kMetadataDir, kManifestName);
}

std::string ManifestPartKey(std::string_view instance_id, uint64_t number) {
  return fmt::format("{}/{}/manifest/part-{:08d}.json", instance_id, kMetadataDir, number);
}

}  // namespace lifeboat
