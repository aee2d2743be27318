// Credentials from a container credentials endpoint: ECS task roles
// (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, fetched from http://169.254.170.2) and EKS Pod
// Identity or a custom local server (AWS_CONTAINER_CREDENTIALS_FULL_URI). The full URI must be
// https, or http to a loopback address or one of the ECS/EKS link-local hosts (169.254.170.2,
// 169.254.170.23, fd00:ec2::23), so credentials are never sent in clear text across a network.
// The Authorization header comes from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on
// every fetch, since the agent rotates it) or AWS_CONTAINER_AUTHORIZATION_TOKEN.
//
// Also here: the JSON credentials document that both this endpoint and the instance metadata
// service answer, and the ISO 8601 timestamps it carries.
//
// The provider borrows Env and HttpClient, keeps no state between calls, and is thread-safe.
#ifndef LIFEBOAT_AWS_CONTAINER_CREDENTIALS_H_
#define LIFEBOAT_AWS_CONTAINER_CREDENTIALS_H_

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "common/env.h"
#include "http/http_client.h"

namespace lifeboat {

// "2016-02-25T06:03:31Z", with optional fractional seconds and a "Z" or "+hh:mm" offset.
Result<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text);

// {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"[, "Code"]}: a "Code" other than
// "Success" or a missing key is an error; `origin` (a URL) and `source` label the result.
Result<Credentials> ParseCredentialsDocument(std::string_view json, const std::string& origin,
                                             std::string source);

struct ContainerCredentialsOptions {
  std::chrono::milliseconds timeout{2000};
  int attempts = 3;  // for connection failures and 5xx answers
  std::chrono::milliseconds retry_delay{1000};
};

class ContainerCredentialsProvider final : public CredentialsProvider {
 public:
  ContainerCredentialsProvider(Env& env, HttpClient& http,
                               ContainerCredentialsOptions options = {});

  // kNotFound when neither URI variable is set; kInvalidArgument for a URI that is not allowed.
  Result<Credentials> GetCredentials() override;

 private:
  Result<std::string> EndpointUrl();
  Result<std::string> AuthorizationToken();

  Env& env_;
  HttpClient& http_;
  ContainerCredentialsOptions options_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_CONTAINER_CREDENTIALS_H_
