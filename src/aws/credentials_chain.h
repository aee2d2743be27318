// Decorators over credentials sources, and the standard chain lifeboat uses.
//
// ChainCredentialsProvider asks its sources in order and answers the first one's credentials.
// It moves on only when a source says kNotFound (it is not configured here); any other error
// stops the chain and names the source, so a broken configuration is never papered over by a
// different identity further down. When no source has credentials, the kNotFound message is
// one line listing what was tried and why each had nothing.
//
// CachingCredentialsProvider keeps the last credentials until they are within the refresh
// window (5 minutes) of their expiration, then refreshes. If a refresh fails while the old
// credentials are still valid it logs a warning and keeps using them, retrying the refresh
// at most every `retry_interval`. One refresh runs at a time; callers that find a refresh in
// progress get the still-valid credentials instead of waiting.
//
// Both own their sources and are thread-safe when their sources are.
#ifndef LIFEBOAT_AWS_CREDENTIALS_CHAIN_H_
#define LIFEBOAT_AWS_CREDENTIALS_CHAIN_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "common/env.h"
#include "http/http_client.h"

namespace lifeboat {

class ChainCredentialsProvider final : public CredentialsProvider {
 public:
  struct Link {
    std::string name;  // for messages: "environment", "profile", "container", "IMDS"
    std::unique_ptr<CredentialsProvider> provider;
  };
  explicit ChainCredentialsProvider(std::vector<Link> links) : links_(std::move(links)) {}

  Result<Credentials> GetCredentials() override;

 private:
  std::vector<Link> links_;
};

struct CredentialsCacheOptions {
  std::chrono::seconds refresh_window{300};  // refresh this long before expiration
  std::chrono::seconds retry_interval{10};   // after a failed refresh, wait this long to retry
};

class CachingCredentialsProvider final : public CredentialsProvider {
 public:
  // Borrows `env` for the clock.
  CachingCredentialsProvider(Env& env, std::unique_ptr<CredentialsProvider> inner,
                             CredentialsCacheOptions options = {});

  Result<Credentials> GetCredentials() override;

 private:
  bool Fresh(std::chrono::system_clock::time_point now) const;  // requires mu_
  bool Valid(std::chrono::system_clock::time_point now) const;  // requires mu_

  Env& env_;
  std::unique_ptr<CredentialsProvider> inner_;
  CredentialsCacheOptions options_;
  std::mutex refresh_mu_;  // held while the inner provider is asked; one refresh at a time
  std::mutex mu_;          // guards the fields below
  std::optional<Credentials> cached_;
  std::optional<std::chrono::steady_clock::time_point> retry_after_;
};

// The standard chain (environment, shared profile, container endpoint, instance metadata)
// behind a cache. Borrows `env` and `http`, which must outlive the provider. `profile`
// (--profile) overrides AWS_PROFILE / AWS_DEFAULT_PROFILE for the shared-file source.
std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsProvider(
    Env& env, HttpClient& http, std::optional<std::string> profile = std::nullopt);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_CREDENTIALS_CHAIN_H_
