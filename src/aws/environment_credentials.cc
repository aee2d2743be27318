#include "aws/environment_credentials.h"

namespace lifeboat {

Result<Credentials> EnvironmentCredentialsProvider::GetCredentials() {
  auto key_id = env_.GetNonEmptyVar("AWS_ACCESS_KEY_ID");
  auto secret = env_.GetNonEmptyVar("AWS_SECRET_ACCESS_KEY");
  if (!key_id && !secret) {
    return Status::NotFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!secret) {
    return Status::InvalidArgument("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }
  if (!key_id) {
    return Status::InvalidArgument("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  }
  Credentials creds;
  creds.access_key_id = *key_id;
  creds.secret_access_key = *secret;
  creds.session_token = env_.GetNonEmptyVar("AWS_SESSION_TOKEN").value_or("");
  creds.source = "environment";
  return creds;
}

}  // namespace lifeboat
