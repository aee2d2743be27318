// The shared AWS config and credentials files (~/.aws/config, ~/.aws/credentials): an INI
// parser that follows the AWS SDKs' shared file format, and the loader that finds both
// files and picks the profile this process uses.
//
// Format, as the SDKs define it: `[name]` sections (`[profile name]` and `[default]` in the
// config file, `[name]` in the credentials file, `[services name]` for service endpoint
// sections); `key = value` with whitespace around '=' ignored and keys lowercased; full-line
// comments starting with '#' or ';' and inline comments that follow whitespace; indented lines
// continue the previous value, or, after `key =` with an empty value, form a sub-section of
// `k = v` lines (`s3 =\n  addressing_style = path`). A section that appears twice is merged,
// the later value winning.
//
// Everything here is a plain value; loading reads files through Env and is thread-compatible.
#ifndef LIFEBOAT_AWS_PROFILE_FILE_H_
#define LIFEBOAT_AWS_PROFILE_FILE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/env.h"
#include "common/status.h"

namespace lifeboat {

// One section's settings.
struct Profile {
  std::string name;
  std::map<std::string, std::string> values;                               // key -> value
  std::map<std::string, std::map<std::string, std::string>> sub_sections;  // "s3" -> {k: v}

  // A value, or nullopt when the key is absent or only names a sub-section.
  std::optional<std::string> Get(std::string_view key) const;
  // A value inside a sub-section ("s3", "addressing_style"), or nullopt.
  std::optional<std::string> GetSub(std::string_view section, std::string_view key) const;
};

enum class ProfileFileKind { kConfig, kCredentials };

// One parsed file.
struct ProfileFile {
  std::map<std::string, Profile> profiles;  // by profile name
  std::map<std::string, Profile> services;  // `[services name]` sections (config file only)
};

// Parses the text of one file; `path` only labels errors ("path:line: what is wrong").
Result<ProfileFile> ParseProfileFile(std::string_view text, ProfileFileKind kind,
                                     std::string_view path);

// Both shared files and the profile this process selected.
struct SharedConfig {
  std::string profile_name;    // from the override, AWS_PROFILE, AWS_DEFAULT_PROFILE or "default"
  bool profile_named = false;  // chosen explicitly (not the implicit "default")
  std::string credentials_path;
  std::string config_path;
  ProfileFile credentials;  // empty when the file does not exist
  ProfileFile config;

  // The selected profile, credentials-file values winning over config-file values.
  // kNotFound when the implicit "default" profile exists in neither file; kInvalidArgument,
  // naming the profile and both files, when an explicitly named one does not.
  Result<Profile> SelectedProfile() const;
  // A `[services name]` section of the config file, or nullptr.
  const Profile* ServicesSection(const std::string& name) const;
};

// AWS_PROFILE, then AWS_DEFAULT_PROFILE, then "default".
std::string SelectedProfileName(Env& env);

// Reads AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) and AWS_CONFIG_FILE (default
// ~/.aws/config; HOME from the environment). A missing file reads as empty; an unreadable or
// malformed one is an error naming it. `profile` overrides the environment's choice.
Result<SharedConfig> LoadSharedConfig(Env& env, std::optional<std::string> profile = std::nullopt);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_PROFILE_FILE_H_
