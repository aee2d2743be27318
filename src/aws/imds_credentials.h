// Credentials of the instance's IAM role, from the instance metadata service:
// GET meta-data/iam/security-credentials/ names the role, GET .../<role> answers a JSON
// document (Code "Success", AccessKeyId, SecretAccessKey, Token, Expiration). The role name
// is looked up on every call, since an instance profile can be replaced while running.
//
// Not on EC2 (no answer), IMDS disabled, or no role attached all read as kNotFound, so a
// chain reports "no credentials" rather than a broken source. Thread-safe (ImdsClient is).
#ifndef LIFEBOAT_AWS_IMDS_CREDENTIALS_H_
#define LIFEBOAT_AWS_IMDS_CREDENTIALS_H_

#include <memory>

#include "aws/credentials.h"
#include "aws/imds_client.h"

namespace lifeboat {

class ImdsCredentialsProvider final : public CredentialsProvider {
 public:
  // Borrows `client`, which must outlive the provider.
  explicit ImdsCredentialsProvider(ImdsClient& client) : client_(&client) {}
  // Owns `client`.
  explicit ImdsCredentialsProvider(std::unique_ptr<ImdsClient> client)
      : owned_(std::move(client)), client_(owned_.get()) {}

  Result<Credentials> GetCredentials() override;

 private:
  std::unique_ptr<ImdsClient> owned_;
  ImdsClient* client_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_IMDS_CREDENTIALS_H_
