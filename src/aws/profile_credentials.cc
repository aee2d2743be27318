#include "aws/profile_credentials.h"

#include "aws/profile_file.h"

namespace lifeboat {

Result<Credentials> ProfileCredentialsProvider::GetCredentials() {
  LIFEBOAT_ASSIGN_OR_RETURN(SharedConfig config, LoadSharedConfig(env_, profile_));
  LIFEBOAT_ASSIGN_OR_RETURN(Profile profile, config.SelectedProfile());
  const std::string where = "AWS profile '" + profile.name + "' (" + config.credentials_path +
                            ", " + config.config_path + ")";
  auto key_id = profile.Get("aws_access_key_id");
  auto secret = profile.Get("aws_secret_access_key");
  if (key_id && key_id->empty()) key_id.reset();
  if (secret && secret->empty()) secret.reset();
  if (!key_id && !secret) {
    for (const char* key : {"role_arn", "credential_process", "sso_session", "sso_start_url",
                            "web_identity_token_file"}) {
      if (profile.Get(key)) {
        return Status::InvalidArgument(where + " uses " + key +
                                       ", which lifeboat does not support; give it "
                                       "aws_access_key_id/aws_secret_access_key or use the "
                                       "environment or an instance role");
      }
    }
    return Status::NotFound(where + " has no aws_access_key_id");
  }
  if (!key_id || !secret) {
    return Status::InvalidArgument(where + " sets " +
                                   (key_id ? "aws_access_key_id but not aws_secret_access_key"
                                           : "aws_secret_access_key but not aws_access_key_id"));
  }
  Credentials creds;
  creds.access_key_id = *key_id;
  creds.secret_access_key = *secret;
  creds.session_token = profile.Get("aws_session_token").value_or("");
  creds.source = "profile " + profile.name;
  return creds;
}

}  // namespace lifeboat
