#include "local/ssm/ssm_document.h"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include "local/ssm/ssm_errors.h"

namespace lifeboat {
namespace {

using nlohmann::json;

Status InvalidContent(std::string message) {
  return SsmError("InvalidDocumentContent", std::move(message));
}

// YAML scalars stay strings: a document's meaning does not depend on YAML's type guesses.
json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node) out[entry.first.as<std::string>()] = YamlToJson(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(YamlToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return node.Scalar();
    default:
      return nullptr;
  }
}

void EmitYaml(YAML::Emitter& out, const json& value) {
  if (value.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.items()) {
      out << YAML::Key << key << YAML::Value;
      EmitYaml(out, item);
    }
    out << YAML::EndMap;
  } else if (value.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& item : value) EmitYaml(out, item);
    out << YAML::EndSeq;
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.find('\n') != std::string::npos) out << YAML::Literal;
    out << text;
  } else if (value.is_null()) {
    out << YAML::Null;
  } else {
    out << value.dump();
  }
}

// A JSON number or string as a string ("2.2" either way).
std::optional<std::string> ScalarText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return std::nullopt;
}

std::optional<size_t> SizeMember(const json& spec, const char* name) {
  if (!spec.contains(name)) return std::nullopt;
  const json& v = spec[name];
  if (v.is_number_unsigned()) return v.get<size_t>();
  if (v.is_string()) {
    try {
      return static_cast<size_t>(std::stoul(v.get<std::string>()));
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

bool ValidName(const std::string& name, bool allow_punctuation) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || (allow_punctuation && (c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<SsmParameter>> ParseParameters(const json& tree) {
  std::vector<SsmParameter> out;
  if (!tree.contains("parameters") || tree["parameters"].is_null()) return out;
  const json& params = tree["parameters"];
  if (!params.is_object()) return InvalidContent("parameters must be an object of parameters.");
  static const std::set<std::string> kTypes = {"String",  "StringList", "Integer",
                                               "Boolean", "StringMap",  "MapList"};
  for (const auto& [name, spec] : params.items()) {
    if (!ValidName(name, false)) {
      return InvalidContent("Parameter name " + name +
                            " is invalid: use letters, digits and underscores.");
    }
    if (!spec.is_object()) return InvalidContent("Parameter " + name + " must be an object.");
    SsmParameter p;
    p.name = name;
    if (!spec.contains("type") || !spec["type"].is_string() ||
        kTypes.count(spec["type"].get<std::string>()) == 0) {
      return InvalidContent("Parameter " + name +
                            " has no valid type (String, StringList, Integer, Boolean, "
                            "StringMap or MapList).");
    }
    p.type = spec["type"].get<std::string>();
    if (spec.contains("description")) p.description = ScalarText(spec["description"]).value_or("");
    if (spec.contains("default")) p.default_value = spec["default"];
    if (spec.contains("allowedValues")) {
      if (!spec["allowedValues"].is_array()) {
        return InvalidContent("allowedValues of parameter " + name + " must be a list.");
      }
      for (const json& v : spec["allowedValues"]) {
        p.allowed_values.push_back(ScalarText(v).value_or(v.dump()));
      }
    }
    if (spec.contains("allowedPattern")) {
      p.allowed_pattern = ScalarText(spec["allowedPattern"]).value_or("");
      try {
        std::regex check(p.allowed_pattern);
      } catch (const std::regex_error&) {
        return InvalidContent("allowedPattern of parameter " + name +
                              " is not a valid regular expression.");
      }
    }
    p.min_items = SizeMember(spec, "minItems");
    p.max_items = SizeMember(spec, "maxItems");
    p.min_chars = SizeMember(spec, "minChars");
    p.max_chars = SizeMember(spec, "maxChars");
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<SsmStep>> ParseMainSteps(const json& tree) {
  if (!tree.contains("mainSteps") || !tree["mainSteps"].is_array() || tree["mainSteps"].empty()) {
    return InvalidContent("mainSteps must be a non-empty list of steps.");
  }
  std::vector<SsmStep> steps;
  std::set<std::string> names;
  for (const json& step : tree["mainSteps"]) {
    if (!step.is_object()) return InvalidContent("Each of mainSteps must be an object.");
    if (!step.contains("action") || !step["action"].is_string()) {
      return InvalidContent("A step has no action.");
    }
    if (!step.contains("name") || !step["name"].is_string() ||
        !ValidName(step["name"].get<std::string>(), true)) {
      return InvalidContent("Step with action " + step["action"].get<std::string>() +
                            " has no valid name (letters, digits, '.', '-', '_').");
    }
    SsmStep s;
    s.name = step["name"].get<std::string>();
    s.action = step["action"].get<std::string>();
    if (!names.insert(s.name).second) return InvalidContent("Duplicate step name " + s.name + ".");
    if (!step.contains("inputs") || !step["inputs"].is_object()) {
      return InvalidContent("Step " + s.name + " has no inputs.");
    }
    s.inputs.push_back(step["inputs"]);
    steps.push_back(std::move(s));
  }
  return steps;
}

Result<std::vector<SsmStep>> ParseRuntimeConfig(const json& tree) {
  if (!tree.contains("runtimeConfig") || !tree["runtimeConfig"].is_object() ||
      tree["runtimeConfig"].empty()) {
    return InvalidContent("runtimeConfig must be an object of plugins.");
  }
  std::vector<SsmStep> steps;
  for (const auto& [plugin, config] : tree["runtimeConfig"].items()) {
    if (!config.is_object() || !config.contains("properties")) {
      return InvalidContent("Plugin " + plugin + " has no properties.");
    }
    SsmStep s;
    s.name = plugin;
    s.action = plugin;
    const json& properties = config["properties"];
    if (properties.is_array()) {
      for (const json& p : properties) s.inputs.push_back(p);
    } else {
      s.inputs.push_back(properties);
    }
    if (s.inputs.empty()) return InvalidContent("Plugin " + plugin + " has no properties.");
    steps.push_back(std::move(s));
  }
  return steps;
}

// Every {{ name }} used in strings of the tree.
void CollectReferences(const json& value, std::set<std::string>& names) {
  static const std::regex kReference(R"(\{\{\s*([A-Za-z0-9_]+)\s*\}\})");
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kReference);
         it != std::sregex_iterator(); ++it) {
      names.insert((*it)[1].str());
    }
  } else if (value.is_structured()) {
    for (const json& item : value) CollectReferences(item, names);
  }
}

}  // namespace

const SsmParameter* SsmDocument::FindParameter(std::string_view name) const {
  for (const SsmParameter& p : parameters) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Result<json> ParseDocumentContent(std::string_view content, std::string_view format) {
  if (format == "JSON") {
    json tree = json::parse(content, nullptr, /*allow_exceptions=*/false);
    if (tree.is_discarded()) return InvalidContent("JSON not well-formed.");
    if (!tree.is_object()) return InvalidContent("The document must be a JSON object.");
    return tree;
  }
  if (format == "YAML") {
    try {
      json tree = YamlToJson(YAML::Load(std::string(content)));
      if (!tree.is_object()) return InvalidContent("The document must be a YAML mapping.");
      return tree;
    } catch (const YAML::Exception& e) {
      return InvalidContent(std::string("YAML not well-formed: ") + e.what());
    }
  }
  return InvalidContent("DocumentFormat " + std::string(format) +
                        " is not supported for Command documents: use JSON or YAML.");
}

Result<SsmDocument> CommandDocumentFromTree(json tree) {
  SsmDocument doc;
  std::optional<std::string> version =
      tree.contains("schemaVersion") ? ScalarText(tree["schemaVersion"]) : std::nullopt;
  if (!version) return InvalidContent("schemaVersion is required.");
  doc.schema_version = *version;
  if (doc.schema_version != "1.2" && doc.schema_version != "2.0" && doc.schema_version != "2.2") {
    return SsmError("InvalidDocumentSchemaVersion",
                    "Document schema version " + doc.schema_version +
                        " is not supported for Command documents (1.2, 2.0 or 2.2).");
  }
  if (tree.contains("description")) doc.description = ScalarText(tree["description"]).value_or("");
  LIFEBOAT_ASSIGN_OR_RETURN(doc.parameters, ParseParameters(tree));
  if (doc.schema_version == "1.2") {
    LIFEBOAT_ASSIGN_OR_RETURN(doc.steps, ParseRuntimeConfig(tree));
  } else {
    LIFEBOAT_ASSIGN_OR_RETURN(doc.steps, ParseMainSteps(tree));
  }
  std::set<std::string> used;
  for (const SsmStep& step : doc.steps) {
    for (const json& input : step.inputs) CollectReferences(input, used);
  }
  for (const std::string& name : used) {
    if (doc.FindParameter(name) == nullptr) {
      return InvalidContent("Parameter {{ " + name + " }} is used but not defined in parameters.");
    }
  }
  doc.tree = std::move(tree);
  return doc;
}

Result<SsmDocument> ParseCommandDocument(std::string_view content, std::string_view format) {
  LIFEBOAT_ASSIGN_OR_RETURN(json tree, ParseDocumentContent(content, format));
  return CommandDocumentFromTree(std::move(tree));
}

std::string RenderDocumentContent(const json& tree, std::string_view format) {
  if (format == "YAML") {
    YAML::Emitter out;
    EmitYaml(out, tree);
    return std::string(out.c_str()) + "\n";
  }
  return tree.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace lifeboat
