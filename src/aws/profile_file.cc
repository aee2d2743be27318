#include "aws/profile_file.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace lifeboat {
namespace {

constexpr std::string_view kWhitespace = " \t";

std::string_view Trim(std::string_view s) {
  auto begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(kWhitespace);
  return s.substr(begin, end - begin + 1);
}

bool IsCommentChar(char c) { return c == '#' || c == ';'; }

// Trims the line and cuts a trailing comment. In a property a comment character starts a
// comment only after whitespace ("key = a#b" keeps "a#b"); in a section header it always does.
std::string_view StripComment(std::string_view line, bool needs_whitespace) {
  line = Trim(line);
  bool prev_space = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (IsCommentChar(line[i]) && (prev_space || !needs_whitespace)) {
      return Trim(line.substr(0, i));
    }
    prev_space = line[i] == ' ' || line[i] == '\t';
  }
  return line;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct KeyValue {
  std::string key;
  std::string value;
};

// Splits "key = value" (a comment may follow after whitespace); the key is lowercased.
Result<KeyValue> SplitProperty(std::string_view line, std::string_view what) {
  line = StripComment(line, /*needs_whitespace=*/true);
  auto eq = line.find('=');
  if (eq == std::string_view::npos) {
    return Status::InvalidArgument("expected 'key = value' in a " + std::string(what) +
                                   ", found '" + std::string(line) + "'");
  }
  std::string_view key = Trim(line.substr(0, eq));
  if (key.empty()) return Status::InvalidArgument(std::string(what) + " has no name before '='");
  return KeyValue{Lower(key), std::string(Trim(line.substr(eq + 1)))};
}

// Copies `from`'s settings over `into`'s; a key is either a value or a sub-section.
void MergeInto(const Profile& from, Profile& into) {
  for (const auto& [k, v] : from.values) {
    into.values[k] = v;
    into.sub_sections.erase(k);
  }
  for (const auto& [k, sub] : from.sub_sections) {
    into.values.erase(k);
    auto& target = into.sub_sections[k];
    for (const auto& [sk, sv] : sub) target[sk] = sv;
  }
}

class Parser {
 public:
  Parser(ProfileFileKind kind, std::string_view path) : kind_(kind), path_(path) {}

  Result<ProfileFile> Parse(std::string_view text) {
    size_t line_number = 0;
    while (!text.empty() || line_number == 0) {
      auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      Status s = ParseLine(line);
      if (!s.ok()) {
        return Status::InvalidArgument(std::string(path_) + ":" + std::to_string(line_number) +
                                       ": " + s.message());
      }
      if (nl == std::string_view::npos) break;
    }
    // `[profile default]` wins over `[default]` in the config file, whatever their order.
    if (saw_plain_default_) {
      Profile merged = std::move(plain_default_);
      merged.name = "default";
      auto it = out_.profiles.find("default");
      if (it != out_.profiles.end()) MergeInto(it->second, merged);
      out_.profiles["default"] = std::move(merged);
    }
    return std::move(out_);
  }

 private:
  Status ParseLine(std::string_view line) {
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || IsCommentChar(trimmed.front())) return Status::Ok();
    if (line.front() == '[') return ParseSectionHeader(line);
    if (line.front() == ' ' || line.front() == '\t') return ParseContinuation(trimmed);
    return ParseProperty(line);
  }

  Status ParseSectionHeader(std::string_view line) {
    std::string_view header = StripComment(line, /*needs_whitespace=*/false);
    if (header.size() < 2 || header.back() != ']') {
      return Status::InvalidArgument("section header '" + std::string(Trim(line)) +
                                     "' does not end with ']'");
    }
    std::string_view name = Trim(header.substr(1, header.size() - 2));
    if (name.empty()) return Status::InvalidArgument("empty section name '[]'");
    in_section_ = true;
    key_.clear();
    current_ = nullptr;
    if (kind_ == ProfileFileKind::kCredentials) {
      current_ = &ProfileNamed(out_.profiles, name);
      return Status::Ok();
    }
    if (name == "default") {
      saw_plain_default_ = true;
      current_ = &plain_default_;
      return Status::Ok();
    }
    auto space = name.find_first_of(kWhitespace);
    if (space == std::string_view::npos) return Status::Ok();  // e.g. [preview]: not a profile
    std::string_view type = name.substr(0, space);
    std::string_view rest = Trim(name.substr(space));
    if (type == "profile") {
      current_ = &ProfileNamed(out_.profiles, rest);
    } else if (type == "services") {
      current_ = &ProfileNamed(out_.services, rest);
    }
    return Status::Ok();  // other kinds ([sso-session x]) are kept out of the way
  }

  static Profile& ProfileNamed(std::map<std::string, Profile>& map, std::string_view name) {
    Profile& p = map[std::string(name)];
    p.name = std::string(name);
    return p;
  }

  Status ParseProperty(std::string_view line) {
    if (!in_section_) {
      return Status::InvalidArgument("setting '" + std::string(Trim(line)) +
                                     "' appears before any [section]");
    }
    LIFEBOAT_ASSIGN_OR_RETURN(KeyValue kv, SplitProperty(line, "setting"));
    key_ = kv.key;
    key_is_sub_section_ = kv.value.empty();
    if (current_ == nullptr) return Status::Ok();
    if (key_is_sub_section_) {
      current_->values.erase(key_);
      current_->sub_sections[key_];  // an empty sub-section until indented lines arrive
    } else {
      current_->sub_sections.erase(key_);
      current_->values[key_] = kv.value;
    }
    return Status::Ok();
  }

  Status ParseContinuation(std::string_view trimmed) {
    if (!in_section_) {
      return Status::InvalidArgument("indented line '" + std::string(trimmed) +
                                     "' appears before any [section]");
    }
    if (key_.empty()) {
      return Status::InvalidArgument("indented line '" + std::string(trimmed) +
                                     "' does not follow a setting");
    }
    if (key_is_sub_section_) {
      LIFEBOAT_ASSIGN_OR_RETURN(KeyValue kv, SplitProperty(trimmed, "sub-section line"));
      if (current_ != nullptr) current_->sub_sections[key_][kv.key] = kv.value;
      return Status::Ok();
    }
    if (current_ != nullptr) {
      std::string& value = current_->values[key_];
      value += '\n';
      value += trimmed;
    }
    return Status::Ok();
  }

  ProfileFileKind kind_;
  std::string_view path_;
  ProfileFile out_;
  Profile plain_default_;
  bool saw_plain_default_ = false;
  bool in_section_ = false;
  Profile* current_ = nullptr;  // nullptr inside a section that is not kept
  std::string key_;             // the last setting's key, for indented lines
  bool key_is_sub_section_ = false;
};

// The file's contents, or an empty string when it does not exist.
Result<std::string> ReadOptionalFile(Env& env, const std::string& path) {
  auto text = env.ReadFileToString(path);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) return std::string();
  if (!text.ok()) return text.status().WithContext("reading AWS shared file");
  return text;
}

}  // namespace

std::optional<std::string> Profile::Get(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Profile::GetSub(std::string_view section, std::string_view key) const {
  auto it = sub_sections.find(std::string(section));
  if (it == sub_sections.end()) return std::nullopt;
  auto kv = it->second.find(std::string(key));
  if (kv == it->second.end()) return std::nullopt;
  return kv->second;
}

Result<ProfileFile> ParseProfileFile(std::string_view text, ProfileFileKind kind,
                                     std::string_view path) {
  return Parser(kind, path).Parse(text);
}

Result<Profile> SharedConfig::SelectedProfile() const {
  auto from_config = config.profiles.find(profile_name);
  auto from_credentials = credentials.profiles.find(profile_name);
  bool in_config = from_config != config.profiles.end();
  bool in_credentials = from_credentials != credentials.profiles.end();
  if (!in_config && !in_credentials) {
    std::string message = "AWS profile '" + profile_name + "' is not defined in " +
                          credentials_path + " or " + config_path;
    if (profile_named) return Status::InvalidArgument(std::move(message));
    return Status::NotFound(std::move(message));
  }
  Profile merged;
  merged.name = profile_name;
  if (in_config) MergeInto(from_config->second, merged);
  if (in_credentials) MergeInto(from_credentials->second, merged);
  return merged;
}

const Profile* SharedConfig::ServicesSection(const std::string& name) const {
  auto it = config.services.find(name);
  return it == config.services.end() ? nullptr : &it->second;
}

std::string SelectedProfileName(Env& env) {
  if (auto p = env.GetNonEmptyVar("AWS_PROFILE")) return *p;
  if (auto p = env.GetNonEmptyVar("AWS_DEFAULT_PROFILE")) return *p;
  return "default";
}

Result<SharedConfig> LoadSharedConfig(Env& env, std::optional<std::string> profile) {
  SharedConfig out;
  if (profile && !profile->empty()) {
    out.profile_name = *profile;
    out.profile_named = true;
  } else {
    out.profile_name = SelectedProfileName(env);
    out.profile_named = env.GetNonEmptyVar("AWS_PROFILE").has_value() ||
                        env.GetNonEmptyVar("AWS_DEFAULT_PROFILE").has_value();
  }
  const std::string home = env.GetNonEmptyVar("HOME").value_or("");
  auto locate = [&](const char* var, const char* file) {
    if (auto p = env.GetNonEmptyVar(var)) {
      // "~/" is expanded as the SDKs do, so a value copied from their docs works.
      if (p->rfind("~/", 0) == 0 && !home.empty()) return JoinPath(home, p->substr(2));
      return *p;
    }
    return JoinPath(home.empty() ? "~" : home, std::string(".aws/") + file);
  };
  out.credentials_path = locate("AWS_SHARED_CREDENTIALS_FILE", "credentials");
  out.config_path = locate("AWS_CONFIG_FILE", "config");

  LIFEBOAT_ASSIGN_OR_RETURN(std::string credentials_text,
                            ReadOptionalFile(env, out.credentials_path));
  LIFEBOAT_ASSIGN_OR_RETURN(
      out.credentials,
      ParseProfileFile(credentials_text, ProfileFileKind::kCredentials, out.credentials_path));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string config_text, ReadOptionalFile(env, out.config_path));
  LIFEBOAT_ASSIGN_OR_RETURN(
      out.config, ParseProfileFile(config_text, ProfileFileKind::kConfig, out.config_path));
  return out;
}

}  // namespace lifeboat
