// An SSM document (Systems Manager's "Command" documents, what Run Command runs), parsed
// from the content CreateDocument receives, in JSON or YAML, and checked as AWS checks it:
//   - schemaVersion 1.2 (plugins under runtimeConfig, as AWS-RunShellScript is written) or
//     2.0 / 2.2 (named steps under mainSteps); anything else is
//     InvalidDocumentSchemaVersion;
//   - parameters: {name: {type, default, description, allowedValues, allowedPattern,
//     minItems, maxItems, minChars, maxChars}} with type String, StringList, Integer,
//     Boolean, StringMap or MapList;
//   - every {{ name }} in the document names a declared parameter ({{ssm:...}} references
//     to Parameter Store are left alone);
//   - content that is not a JSON/YAML object, or steps without action, name or inputs,
//     is InvalidDocumentContent.
// YAML scalars are kept as strings (`schemaVersion: 2.2` is "2.2"); what a value means is
// decided where it is used, as the agent does.
#ifndef LIFEBOAT_LOCAL_SSM_SSM_DOCUMENT_H_
#define LIFEBOAT_LOCAL_SSM_SSM_DOCUMENT_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct SsmParameter {
  std::string name;
  std::string type;  // String, StringList, Integer, Boolean, StringMap, MapList
  std::string description;
  std::optional<nlohmann::json> default_value;  // as written in the document
  std::vector<std::string> allowed_values;
  std::string allowed_pattern;  // an ECMAScript regular expression the whole value matches
  std::optional<size_t> min_items, max_items, min_chars, max_chars;
};

// One plugin run: a 2.x step, or a 1.2 plugin with its list of properties.
struct SsmStep {
  std::string name;    // the step's name; for 1.2 the plugin's ("aws:runShellScript")
  std::string action;  // "aws:runShellScript"
  // What the plugin runs, in order: a 2.x step has one (its "inputs"), a 1.2 plugin one per
  // entry of "properties". Parameters are not yet interpolated.
  std::vector<nlohmann::json> inputs;
};

struct SsmDocument {
  std::string schema_version;  // "1.2", "2.0", "2.2"
  std::string description;
  std::vector<SsmParameter> parameters;  // sorted by name
  std::vector<SsmStep> steps;
  nlohmann::json tree;  // the whole content, as parsed

  const SsmParameter* FindParameter(std::string_view name) const;
};

// "JSON" or "YAML" (DocumentFormat; TEXT is not a Command document's format).
// InvalidDocumentContent for content that does not parse in that format.
Result<nlohmann::json> ParseDocumentContent(std::string_view content, std::string_view format);

// Parses and checks a Command document (see the header comment).
Result<SsmDocument> ParseCommandDocument(std::string_view content, std::string_view format);
// The same checks on an already parsed tree.
Result<SsmDocument> CommandDocumentFromTree(nlohmann::json tree);

// The tree written out again in `format` ("JSON": indented; "YAML": block style), for
// GetDocument asked for the other format.
std::string RenderDocumentContent(const nlohmann::json& tree, std::string_view format);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_DOCUMENT_H_
