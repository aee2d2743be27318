// Credentials from the process environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with
// AWS_SESSION_TOKEN for temporary keys. Variables are read through Env on every call, so the
// provider holds no state; thread-safe.
#ifndef LIFEBOAT_AWS_ENVIRONMENT_CREDENTIALS_H_
#define LIFEBOAT_AWS_ENVIRONMENT_CREDENTIALS_H_

#include "aws/credentials.h"
#include "common/env.h"

namespace lifeboat {

class EnvironmentCredentialsProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(Env& env) : env_(env) {}

  // kNotFound when neither key variable is set; kInvalidArgument when only one of the pair is,
  // since a half-configured environment is a mistake to report, not a reason to look elsewhere.
  Result<Credentials> GetCredentials() override;

 private:
  Env& env_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_ENVIRONMENT_CREDENTIALS_H_
