#include "local/ssm/ssm_parameters.h"

#include <algorithm>
#include <regex>

#include "local/ssm/ssm_errors.h"

namespace lifeboat {
namespace {

using nlohmann::json;

Status Invalid(std::string message) { return SsmError("InvalidParameters", std::move(message)); }

std::string TextOf(const json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A default as the document wrote it, in the parameter's type.
Result<json> DefaultValue(const SsmParameter& p) {
  const json& d = *p.default_value;
  if (p.type == "StringList") {
    if (d.is_array()) return d;
    if (d.is_string() && d.get<std::string>().empty()) return json::array();
    return json::array({TextOf(d)});
  }
  if (p.type == "String") return json(TextOf(d));
  return d;
}

Result<json> Typed(const SsmParameter& p, const std::vector<std::string>& values) {
  if (p.type == "StringList") return json(values);
  if (values.size() != 1) {
    return Invalid("Parameter \"" + p.name + "\" is of type " + p.type +
                   " and takes exactly one value, not " + std::to_string(values.size()) + ".");
  }
  const std::string& v = values[0];
  if (p.type == "String") return json(v);
  if (p.type == "Integer") {
    static const std::regex kInteger("-?[0-9]+");
    if (!std::regex_match(v, kInteger)) {
      return Invalid("Parameter \"" + p.name + "\" must be an Integer, not \"" + v + "\".");
    }
    return json(std::stoll(v));
  }
  if (p.type == "Boolean") {
    if (v != "true" && v != "false") {
      return Invalid("Parameter \"" + p.name + "\" must be true or false, not \"" + v + "\".");
    }
    return json(v == "true");
  }
  json parsed = json::parse(v, nullptr, false);  // StringMap, MapList: JSON text
  if (parsed.is_discarded()) {
    return Invalid("Parameter \"" + p.name + "\" of type " + p.type + " must be JSON.");
  }
  return parsed;
}

Status CheckConstraints(const SsmParameter& p, const json& value) {
  std::vector<std::string> items;
  if (value.is_array()) {
    if (p.min_items && value.size() < *p.min_items) {
      return Invalid("Parameter \"" + p.name + "\" needs at least " + std::to_string(*p.min_items) +
                     " item(s).");
    }
    if (p.max_items && value.size() > *p.max_items) {
      return Invalid("Parameter \"" + p.name + "\" takes at most " + std::to_string(*p.max_items) +
                     " item(s).");
    }
    for (const json& item : value) items.push_back(TextOf(item));
  } else {
    items.push_back(TextOf(value));
  }
  for (const std::string& item : items) {
    if (p.min_chars && item.size() < *p.min_chars) {
      return Invalid("Parameter \"" + p.name + "\" is shorter than " +
                     std::to_string(*p.min_chars) + " characters.");
    }
    if (p.max_chars && item.size() > *p.max_chars) {
      return Invalid("Parameter \"" + p.name + "\" is longer than " + std::to_string(*p.max_chars) +
                     " characters.");
    }
    if (!p.allowed_values.empty() && std::find(p.allowed_values.begin(), p.allowed_values.end(),
                                               item) == p.allowed_values.end()) {
      return Invalid("Parameter \"" + p.name + "\" value \"" + item +
                     "\" is not one of its allowed values.");
    }
    if (!p.allowed_pattern.empty() && !std::regex_match(item, std::regex(p.allowed_pattern))) {
      return Invalid("Parameter \"" + p.name + "\" value \"" + item +
                     "\" does not match the allowed pattern " + p.allowed_pattern + ".");
    }
  }
  return Status::Ok();
}

// "{{ name }}" with any spaces, for one name.
std::regex ReferenceTo(const std::string& name, bool whole) {
  const std::string core = R"(\{\{\s*)" + name + R"(\s*\}\})";
  return std::regex(whole ? "^" + core + "$" : core);
}

// Every "{{ name }}" in `text` replaced by `value`, taken literally ("$&" stays "$&").
std::string ReplaceAll(const std::string& text, const std::string& name, const std::string& value) {
  const std::regex reference = ReferenceTo(name, false);
  std::string out;
  auto last = text.cbegin();
  for (auto it = std::sregex_iterator(text.begin(), text.end(), reference);
       it != std::sregex_iterator(); ++it) {
    out.append(last, text.cbegin() + it->position());
    out += value;
    last = text.cbegin() + it->position() + it->length();
  }
  out.append(last, text.cend());
  return out;
}

}  // namespace

Result<json> ResolveSsmParameters(const SsmDocument& document, const SsmParameterValues& given) {
  for (const auto& [name, values] : given) {
    if (document.FindParameter(name) == nullptr) {
      return Invalid("Parameter \"" + name + "\" is not defined in the document.");
    }
  }
  json resolved = json::object();
  for (const SsmParameter& p : document.parameters) {
    json value;
    auto it = given.find(p.name);
    if (it != given.end()) {
      LIFEBOAT_ASSIGN_OR_RETURN(value, Typed(p, it->second));
    } else if (p.default_value) {
      LIFEBOAT_ASSIGN_OR_RETURN(value, DefaultValue(p));
    } else {
      return Invalid("Parameter \"" + p.name + "\" is required and has no default value.");
    }
    // Defaults are checked too: AWS applies the same rules to what finally runs.
    LIFEBOAT_RETURN_IF_ERROR(CheckConstraints(p, value));
    resolved[p.name] = std::move(value);
  }
  return resolved;
}

json InterpolateSsmParameters(const json& input, const json& values) {
  if (input.is_string()) {
    const std::string& text = input.get_ref<const std::string&>();
    if (text.find("{{") == std::string::npos) return input;
    for (const auto& [name, value] : values.items()) {
      if (std::regex_match(text, ReferenceTo(name, true))) return value;
    }
    std::string out = text;
    for (const auto& [name, value] : values.items()) out = ReplaceAll(out, name, TextOf(value));
    return out;
  }
  if (input.is_array()) {
    json out = json::array();
    for (const json& item : input) out.push_back(InterpolateSsmParameters(item, values));
    return out;
  }
  if (input.is_object()) {
    json out = json::object();
    for (const auto& [key, item] : input.items()) out[key] = InterpolateSsmParameters(item, values);
    return out;
  }
  return input;
}

}  // namespace lifeboat
