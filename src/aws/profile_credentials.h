// Static keys from the selected profile of the shared files (aws_access_key_id,
// aws_secret_access_key, aws_session_token; credentials-file values winning over config-file
// values). The files are read on every call, so an edited file takes effect at the next
// refresh; the provider holds no state and is thread-safe.
//
// Profiles that get credentials some other way (role_arn, credential_process, sso_*,
// web_identity_token_file) are not supported; such a profile is reported as an error rather
// than skipped, so lifeboat never silently runs with a different identity than configured.
#ifndef LIFEBOAT_AWS_PROFILE_CREDENTIALS_H_
#define LIFEBOAT_AWS_PROFILE_CREDENTIALS_H_

#include <optional>
#include <string>

#include "aws/credentials.h"
#include "common/env.h"

namespace lifeboat {

class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  // `profile` overrides AWS_PROFILE / AWS_DEFAULT_PROFILE.
  explicit ProfileCredentialsProvider(Env& env, std::optional<std::string> profile = std::nullopt)
      : env_(env), profile_(std::move(profile)) {}

  // kNotFound when the implicit default profile is absent or has no keys; an error for a
  // malformed file, a named profile that does not exist, half a key pair, or an unsupported
  // credential source.
  Result<Credentials> GetCredentials() override;

 private:
  Env& env_;
  std::optional<std::string> profile_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_PROFILE_CREDENTIALS_H_
