// ConfigFile: typed, strict access to a YAML configuration file. Every key read is marked
// known; CheckKnown() then reports the first key nobody asked for, with file:line, so a
// typo ("compresion:") is an error instead of a silently ignored setting.
//
// A ConfigNode is a mapping inside the file (the root, or a nested section); nodes share
// the file's bookkeeping and are cheap to copy.
#ifndef LIFEBOAT_COMMON_CONFIG_FILE_H_
#define LIFEBOAT_COMMON_CONFIG_FILE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/env.h"
#include "common/status.h"

namespace YAML {
class Node;
}

namespace lifeboat {

class ConfigNode {
 public:
  ~ConfigNode();
  ConfigNode(const ConfigNode&);
  ConfigNode& operator=(const ConfigNode&);

  // Parses `text` as the contents of `file_name` (used in messages).
  static Result<ConfigNode> Parse(std::string file_name, const std::string& text);
  static Result<ConfigNode> Load(Env& env, const std::string& path);

  // Each getter returns nullopt when the key is absent, and an error naming file:line
  // when it is present with the wrong type or an invalid value.
  Result<std::optional<std::string>> String(const std::string& key) const;
  Result<std::optional<int64_t>> Int(const std::string& key) const;
  Result<std::optional<bool>> Bool(const std::string& key) const;
  Result<std::optional<uint64_t>> ByteSize(const std::string& key) const;  // "8MiB"
  Result<std::optional<std::chrono::milliseconds>> Duration(const std::string& key) const;
  // A list of strings; a single string counts as a list of one.
  Result<std::optional<std::vector<std::string>>> StringList(const std::string& key) const;
  Result<std::optional<ConfigNode>> Section(const std::string& key) const;
  Result<std::optional<std::vector<ConfigNode>>> SectionList(const std::string& key) const;

  // The first key in this file that no getter asked for, as "file:line: unknown key".
  Status CheckKnown() const;
  // "file:line" of this node, or of `key` in it.
  std::string Where(const std::string& key = {}) const;

 private:
  struct Shared;
  ConfigNode(std::shared_ptr<Shared> shared, std::unique_ptr<YAML::Node> node, std::string path);
  Result<std::optional<std::string>> Scalar(const std::string& key, const char* what) const;

  std::shared_ptr<Shared> shared_;
  std::unique_ptr<YAML::Node> node_;
  std::string path_;  // "flush.max_bytes"-style, for messages
};

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_CONFIG_FILE_H_
