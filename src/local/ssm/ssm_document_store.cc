#include "local/ssm/ssm_document_store.h"

#include <algorithm>
#include <regex>
#include <set>

#include "common/hash.h"
#include "local/ssm/ssm_errors.h"
#include "local/ssm/ssm_fields.h"

namespace lifeboat {
namespace {

using nlohmann::json;

constexpr size_t kMaxContentBytes = 64 * 1024;  // a Command document's limit

// As AWS publishes it (DocumentVersion aside).
constexpr std::string_view kRunShellScript = R"DOC({
  "schemaVersion": "1.2",
  "description": "Run a shell script or specify the commands to run.",
  "parameters": {
    "commands": {
      "type": "StringList",
      "description": "(Required) Specify a shell script or a command to run.",
      "minItems": 1,
      "displayType": "textarea"
    },
    "workingDirectory": {
      "type": "String",
      "default": "",
      "description": "(Optional) The path to the working directory on your instance.",
      "maxChars": 4096
    },
    "executionTimeout": {
      "type": "String",
      "default": "3600",
      "description": "(Optional) The time in seconds for a command to complete before it is considered to have failed. Default is 3600 (1 hour). Maximum is 172800 (48 hours).",
      "allowedPattern": "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)"
    }
  },
  "runtimeConfig": {
    "aws:runShellScript": {
      "properties": [
        {
          "id": "0.aws:runShellScript",
          "runCommand": "{{ commands }}",
          "workingDirectory": "{{ workingDirectory }}",
          "timeoutSeconds": "{{ executionTimeout }}"
        }
      ]
    }
  }
}
)DOC";

Status NoSuchDocument(const std::string& name) {
  return SsmError("InvalidDocument", "Document with name " + name + " does not exist.");
}

// "arn:aws:ssm:us-east-1:000000000000:document/name" -> "name".
std::string NameOf(const std::string& name_or_arn) {
  if (!name_or_arn.starts_with("arn:")) return name_or_arn;
  size_t slash = name_or_arn.find(":document/");
  return slash == std::string::npos ? name_or_arn : name_or_arn.substr(slash + 10);
}

Status CheckVersion(const std::optional<std::string>& version) {
  if (!version || *version == "1" || *version == "$LATEST" || *version == "$DEFAULT") {
    return Status::Ok();
  }
  return SsmError("InvalidDocumentVersion", "Document version " + *version +
                                                " does not exist (lifeboat local keeps one "
                                                "version of each document, 1).");
}

json PlatformTypes(const StoredSsmDocument& doc) {
  std::set<std::string> actions;
  if (doc.command) {
    for (const SsmStep& step : doc.command->steps) actions.insert(step.action);
  }
  if (actions.size() == 1 && actions.count("aws:runShellScript")) return {"Linux", "MacOS"};
  if (actions.size() == 1 && actions.count("aws:runPowerShellScript")) return {"Windows"};
  return {"Windows", "Linux", "MacOS"};
}

json ParameterList(const StoredSsmDocument& doc) {
  json out = json::array();
  if (!doc.command) return out;
  for (const SsmParameter& p : doc.command->parameters) {
    json item = {{"Name", p.name}, {"Type", p.type}, {"Description", p.description}};
    if (p.default_value) {
      item["DefaultValue"] = p.default_value->is_string() ? p.default_value->get<std::string>()
                                                          : p.default_value->dump();
    }
    out.push_back(std::move(item));
  }
  return out;
}

bool Matches(const StoredSsmDocument& doc, const std::string& key,
             const std::vector<std::string>& values, const std::string& account_id) {
  auto any = [&](auto&& pred) {
    for (const std::string& v : values) {
      if (pred(v)) return true;
    }
    return values.empty();
  };
  if (key == "Name") return any([&](const std::string& v) { return doc.name.starts_with(v); });
  if (key == "DocumentType")
    return any([&](const std::string& v) { return doc.document_type == v; });
  if (key == "SearchKeyword") {
    return any([&](const std::string& v) { return doc.name.find(v) != std::string::npos; });
  }
  if (key == "PlatformTypes") {
    const json platforms = PlatformTypes(doc);
    return any([&](const std::string& v) {
      return std::find(platforms.begin(), platforms.end(), v) != platforms.end();
    });
  }
  if (key == "Owner") {
    return any([&](const std::string& v) {
      if (v == "Self" || v == "Private") return doc.owner == account_id;
      if (v == "Amazon") return doc.owner == "Amazon";
      return v == "All" || v == "Public" || v == doc.owner;
    });
  }
  if (key.starts_with("tag:")) {
    const std::string tag = key.substr(4);
    for (const json& t : doc.tags) {
      if (t.value("Key", "") == tag &&
          any([&](const std::string& v) { return t.value("Value", "") == v; })) {
        return true;
      }
    }
    return false;
  }
  return true;
}

}  // namespace

SsmDocumentStore::SsmDocumentStore(Env* env, std::string account_id)
    : env_(env), account_id_(std::move(account_id)) {
  auto doc = std::make_shared<StoredSsmDocument>();
  doc->name = "AWS-RunShellScript";
  doc->content = std::string(kRunShellScript);
  doc->format = "JSON";
  doc->owner = "Amazon";
  doc->target_type = "/AWS::EC2::Instance";
  doc->tree = json::parse(doc->content);
  doc->command = std::make_shared<SsmDocument>(CommandDocumentFromTree(doc->tree).value());
  doc->schema_version = doc->command->schema_version;
  doc->description = doc->command->description;
  doc->created = env_->Now();
  doc->hash = Sha256Hex(doc->content);
  documents_[doc->name] = std::move(doc);
}

json SsmDocumentStore::Description(const StoredSsmDocument& doc) const {
  json out = {{"Hash", doc.hash},
              {"HashType", "Sha256"},
              {"Name", doc.name},
              {"Owner", doc.owner},
              {"CreatedDate", SsmTimestamp(doc.created)},
              {"Status", "Active"},
              {"DocumentVersion", "1"},
              {"Description", doc.description},
              {"Parameters", ParameterList(doc)},
              {"PlatformTypes", PlatformTypes(doc)},
              {"DocumentType", doc.document_type},
              {"SchemaVersion", doc.schema_version},
              {"LatestVersion", "1"},
              {"DefaultVersion", "1"},
              {"DocumentFormat", doc.format},
              {"Tags", doc.tags}};
  if (!doc.target_type.empty()) out["TargetType"] = doc.target_type;
  if (!doc.version_name.empty()) out["VersionName"] = doc.version_name;
  if (!doc.display_name.empty()) out["DisplayName"] = doc.display_name;
  return out;
}

Result<json> SsmDocumentStore::Create(const json& input) {
  auto doc = std::make_shared<StoredSsmDocument>();
  LIFEBOAT_ASSIGN_OR_RETURN(doc->content, SsmRequiredString(input, "Content"));
  LIFEBOAT_ASSIGN_OR_RETURN(doc->name, SsmRequiredString(input, "Name"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto format, SsmOptionalString(input, "DocumentFormat"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto type, SsmOptionalString(input, "DocumentType"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto target_type, SsmOptionalString(input, "TargetType"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto version_name, SsmOptionalString(input, "VersionName"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto display_name, SsmOptionalString(input, "DisplayName"));
  static const std::regex kName("[a-zA-Z0-9_.-]{3,128}");
  if (!std::regex_match(doc->name, kName)) {
    return SsmValidationError("1 validation error detected: Value '" + doc->name +
                              "' at 'name' failed to satisfy constraint: Member must satisfy "
                              "regular expression pattern: ^[a-zA-Z0-9_\\-.]{3,128}$");
  }
  std::string lower = doc->name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.starts_with("aws") || lower.starts_with("amazon") || lower.starts_with("amzn")) {
    return SsmValidationError("Document name " + doc->name +
                              " is reserved: names may not begin with aws, amazon or amzn.");
  }
  if (doc->content.size() > kMaxContentBytes) {
    return SsmError("MaxDocumentSizeExceeded", "The content exceeds the maximum size of 64 KB.");
  }
  doc->format = format.value_or("JSON");
  doc->document_type = type.value_or("Command");
  doc->target_type = target_type.value_or("");
  doc->version_name = version_name.value_or("");
  doc->display_name = display_name.value_or("");
  doc->owner = account_id_;
  if (input.contains("Tags") && input["Tags"].is_array()) doc->tags = input["Tags"];
  LIFEBOAT_ASSIGN_OR_RETURN(doc->tree, ParseDocumentContent(doc->content, doc->format));
  if (doc->document_type == "Command") {
    LIFEBOAT_ASSIGN_OR_RETURN(SsmDocument parsed, CommandDocumentFromTree(doc->tree));
    doc->command = std::make_shared<SsmDocument>(std::move(parsed));
    doc->schema_version = doc->command->schema_version;
    doc->description = doc->command->description;
  } else {
    auto text = [&](const char* key) {
      const json& v = doc->tree.contains(key) ? doc->tree[key] : json();
      return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string() : v.dump();
    };
    doc->schema_version = text("schemaVersion");
    doc->description = text("description");
  }
  doc->created = env_->Now();
  doc->hash = Sha256Hex(doc->content);
  std::lock_guard lock(mu_);
  if (documents_.count(doc->name)) {
    return SsmError("DocumentAlreadyExists",
                    "Document with same name " + doc->name + " already exists");
  }
  json description = Description(*doc);
  description["Status"] = "Creating";  // what CreateDocument answers; Active right after
  documents_[doc->name] = std::move(doc);
  return json{{"DocumentDescription", std::move(description)}};
}

Result<std::shared_ptr<const StoredSsmDocument>> SsmDocumentStore::Find(
    const std::string& name_or_arn, const std::string& version) {
  LIFEBOAT_RETURN_IF_ERROR(
      CheckVersion(version.empty() ? std::nullopt : std::optional<std::string>(version)));
  const std::string name = NameOf(name_or_arn);
  std::lock_guard lock(mu_);
  auto it = documents_.find(name);
  if (it == documents_.end()) return NoSuchDocument(name);
  return it->second;
}

Result<json> SsmDocumentStore::Describe(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, SsmRequiredString(input, "Name"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto version, SsmOptionalString(input, "DocumentVersion"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto doc, Find(name, version.value_or("")));
  return json{{"Document", Description(*doc)}};
}

Result<json> SsmDocumentStore::Get(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, SsmRequiredString(input, "Name"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto version, SsmOptionalString(input, "DocumentVersion"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto format, SsmOptionalString(input, "DocumentFormat"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto doc, Find(name, version.value_or("")));
  const std::string wanted = format.value_or(doc->format);
  json out = {
      {"Name", doc->name},
      {"CreatedDate", SsmTimestamp(doc->created)},
      {"DocumentVersion", "1"},
      {"Status", "Active"},
      {"Content", wanted == doc->format ? doc->content : RenderDocumentContent(doc->tree, wanted)},
      {"DocumentType", doc->document_type},
      {"DocumentFormat", wanted}};
  if (!doc->version_name.empty()) out["VersionName"] = doc->version_name;
  if (!doc->display_name.empty()) out["DisplayName"] = doc->display_name;
  return out;
}

Result<json> SsmDocumentStore::Delete(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, SsmRequiredString(input, "Name"));
  LIFEBOAT_ASSIGN_OR_RETURN(auto version, SsmOptionalString(input, "DocumentVersion"));
  LIFEBOAT_RETURN_IF_ERROR(CheckVersion(version));
  std::lock_guard lock(mu_);
  auto it = documents_.find(name);
  if (it == documents_.end()) return NoSuchDocument(name);
  if (it->second->owner != account_id_) {
    return SsmError("InvalidDocumentOperation",
                    "You can't delete a document owned by " + it->second->owner + ".");
  }
  documents_.erase(it);
  return json::object();
}

Result<json> SsmDocumentStore::List(const json& input) {
  LIFEBOAT_ASSIGN_OR_RETURN(size_t page, SsmPageSize(input, 50));
  LIFEBOAT_ASSIGN_OR_RETURN(auto token, SsmOptionalString(input, "NextToken"));
  LIFEBOAT_ASSIGN_OR_RETURN(size_t start, SsmPagePosition(token));
  // Both filter forms: DocumentFilterList [{key, value}] and Filters [{Key, Values}].
  std::vector<std::pair<std::string, std::vector<std::string>>> filters;
  for (const json& f : input.value("DocumentFilterList", json::array())) {
    filters.push_back({f.value("key", ""), {f.value("value", "")}});
  }
  for (const json& f : input.value("Filters", json::array())) {
    std::vector<std::string> values;
    for (const json& v : f.value("Values", json::array())) {
      if (v.is_string()) values.push_back(v.get<std::string>());
    }
    filters.push_back({f.value("Key", ""), std::move(values)});
  }
  std::vector<std::shared_ptr<const StoredSsmDocument>> matching;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, doc] : documents_) {
      bool ok = true;
      for (const auto& [key, values] : filters) ok = ok && Matches(*doc, key, values, account_id_);
      if (ok) matching.push_back(doc);
    }
  }
  json identifiers = json::array();
  for (size_t i = start; i < matching.size() && i < start + page; ++i) {
    const StoredSsmDocument& doc = *matching[i];
    json id = {{"Name", doc.name},
               {"CreatedDate", SsmTimestamp(doc.created)},
               {"Owner", doc.owner},
               {"PlatformTypes", PlatformTypes(doc)},
               {"DocumentVersion", "1"},
               {"DocumentType", doc.document_type},
               {"SchemaVersion", doc.schema_version},
               {"DocumentFormat", doc.format},
               {"Tags", doc.tags}};
    if (!doc.target_type.empty()) id["TargetType"] = doc.target_type;
    if (!doc.version_name.empty()) id["VersionName"] = doc.version_name;
    if (!doc.display_name.empty()) id["DisplayName"] = doc.display_name;
    identifiers.push_back(std::move(id));
  }
  json out = {{"DocumentIdentifiers", std::move(identifiers)}};
  if (start + page < matching.size()) out["NextToken"] = SsmPageToken(start + page);
  return out;
}

}  // namespace lifeboat
