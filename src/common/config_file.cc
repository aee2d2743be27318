#include "common/config_file.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <set>

#include "common/units.h"

namespace lifeboat {

struct ConfigNode::Shared {
  std::string file_name;
  YAML::Node root;
  std::set<std::string> known;  // dotted key paths that a getter asked for
};

namespace {

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

}  // namespace

ConfigNode::ConfigNode(std::shared_ptr<Shared> shared, std::unique_ptr<YAML::Node> node,
                       std::string path)
    : shared_(std::move(shared)), node_(std::move(node)), path_(std::move(path)) {}
ConfigNode::~ConfigNode() = default;
ConfigNode::ConfigNode(const ConfigNode& o)
    : shared_(o.shared_), node_(std::make_unique<YAML::Node>(*o.node_)), path_(o.path_) {}
ConfigNode& ConfigNode::operator=(const ConfigNode& o) {
  shared_ = o.shared_;
  node_ = std::make_unique<YAML::Node>(*o.node_);
  path_ = o.path_;
  return *this;
}

Result<ConfigNode> ConfigNode::Parse(std::string file_name, const std::string& text) {
  auto shared = std::make_shared<Shared>();
  shared->file_name = std::move(file_name);
  try {
    shared->root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(shared->file_name + ":" + std::to_string(e.mark.line + 1) +
                                   ": " + e.msg);
  }
  if (shared->root.IsNull()) shared->root = YAML::Node(YAML::NodeType::Map);
  if (!shared->root.IsMap()) {
    return Status::InvalidArgument(shared->file_name + ": the configuration must be a mapping of keys");
  }
  auto node = std::make_unique<YAML::Node>(shared->root);
  return ConfigNode(shared, std::move(node), "");
}

Result<ConfigNode> ConfigNode::Load(Env& env, const std::string& path) {
  auto text = env.ReadFileToString(path);
  if (!text.ok()) return text.status().WithContext("cannot read the configuration");
  return Parse(path, *text);
}

std::string ConfigNode::Where(const std::string& key) const {
  YAML::Mark mark = node_->Mark();
  if (!key.empty()) {
    for (auto it = node_->begin(); it != node_->end(); ++it) {
      if (it->first.Scalar() == key) mark = it->first.Mark();
    }
  }
  return shared_->file_name + ":" + std::to_string(mark.line + 1);
}

Result<std::optional<std::string>> ConfigNode::Scalar(const std::string& key, const char* what) const {
  shared_->known.insert(Join(path_, key));
  const YAML::Node value = (*node_)[key];
  if (!value.IsDefined() || value.IsNull()) return std::optional<std::string>();
  if (!value.IsScalar()) {
    return Status::InvalidArgument(Where(key) + ": '" + Join(path_, key) + "' must be " + what);
  }
  return std::optional<std::string>(value.Scalar());
}

Result<std::optional<std::string>> ConfigNode::String(const std::string& key) const {
  return Scalar(key, "a string");
}

Result<std::optional<int64_t>> ConfigNode::Int(const std::string& key) const {
  LIFEBOAT_ASSIGN_OR_RETURN(auto text, Scalar(key, "a whole number"));
  if (!text) return std::optional<int64_t>();
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size()) {
    return Status::InvalidArgument(Where(key) + ": '" + Join(path_, key) +
                                   "' must be a whole number, not '" + *text + "'");
  }
  return std::optional<int64_t>(v);
}

Result<std::optional<bool>> ConfigNode::Bool(const std::string& key) const {
  LIFEBOAT_ASSIGN_OR_RETURN(auto text, Scalar(key, "true or false"));
  if (!text) return std::optional<bool>();
  if (*text == "true") return std::optional<bool>(true);
  if (*text == "false") return std::optional<bool>(false);
  return Status::InvalidArgument(Where(key) + ": '" + Join(path_, key) +
                                 "' must be true or false, not '" + *text + "'");
}

Result<std::optional<uint64_t>> ConfigNode::ByteSize(const std::string& key) const {
  LIFEBOAT_ASSIGN_OR_RETURN(auto text, Scalar(key, "a byte size such as 8MiB"));
  if (!text) return std::optional<uint64_t>();
  auto v = ParseByteSize(*text);
  if (!v.ok()) return v.status().WithContext(Where(key) + ": '" + Join(path_, key) + "'");
  return std::optional<uint64_t>(*v);
}

Result<std::optional<std::chrono::milliseconds>> ConfigNode::Duration(const std::string& key) const {
  LIFEBOAT_ASSIGN_OR_RETURN(auto text, Scalar(key, "a duration such as 5s"));
  if (!text) return std::optional<std::chrono::milliseconds>();
  auto v = ParseDuration(*text);
  if (!v.ok()) return v.status().WithContext(Where(key) + ": '" + Join(path_, key) + "'");
  return std::optional<std::chrono::milliseconds>(*v);
}

Result<std::optional<std::vector<std::string>>> ConfigNode::StringList(const std::string& key) const {
  shared_->known.insert(Join(path_, key));
  const YAML::Node value = (*node_)[key];
  if (!value.IsDefined() || value.IsNull()) return std::optional<std::vector<std::string>>();
  std::vector<std::string> out;
  if (value.IsScalar()) {
    out.push_back(value.Scalar());
  } else if (value.IsSequence()) {
    for (const auto& item : value) {
      if (!item.IsScalar()) {
        return Status::InvalidArgument(shared_->file_name + ":" + std::to_string(item.Mark().line + 1) +
                                       ": '" + Join(path_, key) + "' must be a list of strings");
      }
      out.push_back(item.Scalar());
    }
  } else {
    return Status::InvalidArgument(Where(key) + ": '" + Join(path_, key) + "' must be a list of strings");
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<ConfigNode>> ConfigNode::Section(const std::string& key) const {
  shared_->known.insert(Join(path_, key));
  const YAML::Node value = (*node_)[key];
  if (!value.IsDefined() || value.IsNull()) return std::optional<ConfigNode>();
  if (!value.IsMap()) {
    return Status::InvalidArgument(Where(key) + ": '" + Join(path_, key) + "' must be a mapping of keys");
  }
  return std::optional<ConfigNode>(
      ConfigNode(shared_, std::make_unique<YAML::Node>(value), Join(path_, key)));
}

Result<std::optional<std::vector<ConfigNode>>> ConfigNode::SectionList(const std::string& key) const {
  shared_->known.insert(Join(path_, key));
  const YAML::Node value = (*node_)[key];
  if (!value.IsDefined() || value.IsNull()) return std::optional<std::vector<ConfigNode>>();
  if (!value.IsSequence()) {
    return Status::InvalidArgument(Where(key) + ": '" + Join(path_, key) + "' must be a list");
  }
  std::vector<ConfigNode> out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].IsMap()) {
      return Status::InvalidArgument(shared_->file_name + ":" + std::to_string(value[i].Mark().line + 1) +
                                     ": each entry of '" + Join(path_, key) + "' must be a mapping");
    }
    // Entries of a list share one key path ("sources"), so a key known in one is known in all.
    out.push_back(ConfigNode(shared_, std::make_unique<YAML::Node>(value[i]), Join(path_, key)));
  }
  return std::optional<std::vector<ConfigNode>>(std::move(out));
}

Status ConfigNode::CheckKnown() const {
  // Walk the whole tree from this node; report the first key in file order nobody read.
  struct Walker {
    const Shared& shared;
    Status Walk(const YAML::Node& node, const std::string& path) const {
      if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
          const std::string key = Join(path, it->first.Scalar());
          if (!shared.known.count(key)) {
            return Status::InvalidArgument(shared.file_name + ":" +
                                           std::to_string(it->first.Mark().line + 1) +
                                           ": unknown key '" + key + "'");
          }
          LIFEBOAT_RETURN_IF_ERROR(Walk(it->second, key));
        }
      } else if (node.IsSequence()) {
        for (const auto& item : node) LIFEBOAT_RETURN_IF_ERROR(Walk(item, path));
      }
      return Status::Ok();
    }
  };
  return Walker{*shared_}.Walk(*node_, path_);
}

}  // namespace lifeboat
