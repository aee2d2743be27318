// AWS credentials and the interface every credentials source implements.
//
// One source per file (environment, profile, container, IMDS), plus decorators: a chain
// that takes the first source that has credentials, and a cache that refreshes before
// expiry. The factory for the standard chain is in credentials_chain.h.
#ifndef LIFEBOAT_AWS_CREDENTIALS_H_
#define LIFEBOAT_AWS_CREDENTIALS_H_

#include <chrono>
#include <optional>
#include <string>

#include "common/status.h"

namespace lifeboat {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  // When temporary credentials stop working; nullopt for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // Where they came from, for logs ("environment", "profile dev", "container", "imds role x").
  std::string source;
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Credentials, or kNotFound when this source has none (so a chain moves on), or another
  // error when the source exists but is broken (a malformed file, an endpoint that fails).
  // Safe to call from several threads at once.
  virtual Result<Credentials> GetCredentials() = 0;
};

// A provider that always answers the same credentials (tests, `lifeboat local`).
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> GetCredentials() override { return credentials_; }

 private:
  Credentials credentials_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_CREDENTIALS_H_
