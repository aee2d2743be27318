#include "aws/credentials_chain.h"

#include <spdlog/spdlog.h>

#include "aws/container_credentials.h"
#include "aws/environment_credentials.h"
#include "aws/imds_client.h"
#include "aws/imds_credentials.h"
#include "aws/profile_credentials.h"

namespace lifeboat {

Result<Credentials> ChainCredentialsProvider::GetCredentials() {
  std::string tried;
  for (const Link& link : links_) {
    auto creds = link.provider->GetCredentials();
    if (creds.ok()) return creds;
    if (creds.status().code() != StatusCode::kNotFound) {
      return creds.status().WithContext(link.name + " credentials");
    }
    if (!tried.empty()) tried += "; ";
    tried += link.name + " (" + creds.status().message() + ")";
  }
  return Status::NotFound("no AWS credentials found; tried " +
                          (tried.empty() ? std::string("nothing") : tried));
}

CachingCredentialsProvider::CachingCredentialsProvider(Env& env,
                                                       std::unique_ptr<CredentialsProvider> inner,
                                                       CredentialsCacheOptions options)
    : env_(env), inner_(std::move(inner)), options_(options) {}

bool CachingCredentialsProvider::Fresh(std::chrono::system_clock::time_point now) const {
  return cached_ && (!cached_->expiration || now < *cached_->expiration - options_.refresh_window);
}

bool CachingCredentialsProvider::Valid(std::chrono::system_clock::time_point now) const {
  return cached_ && (!cached_->expiration || now < *cached_->expiration);
}

Result<Credentials> CachingCredentialsProvider::GetCredentials() {
  {
    std::lock_guard lock(mu_);
    if (Fresh(env_.Now())) return *cached_;
    // Still valid after a recent failed refresh: do not hammer the source on every call.
    if (Valid(env_.Now()) && retry_after_ && env_.SteadyNow() < *retry_after_) return *cached_;
  }
  std::unique_lock refresh_lock(refresh_mu_, std::try_to_lock);
  if (!refresh_lock.owns_lock()) {
    {
      std::lock_guard lock(mu_);
      if (Valid(env_.Now())) return *cached_;  // someone is refreshing; these still work
    }
    refresh_lock.lock();
  }
  {
    std::lock_guard lock(mu_);
    if (Fresh(env_.Now())) return *cached_;  // refreshed while we waited
  }
  auto fresh = inner_->GetCredentials();
  std::lock_guard lock(mu_);
  if (fresh.ok()) {
    cached_ = *fresh;
    retry_after_.reset();
    return fresh;
  }
  if (Valid(env_.Now())) {
    retry_after_ = env_.SteadyNow() + options_.retry_interval;
    spdlog::warn("refreshing AWS credentials failed; using those from {} until they expire: {}",
                 cached_->source, fresh.status().message());
    return *cached_;
  }
  return fresh.status();
}

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsProvider(
    Env& env, HttpClient& http, std::optional<std::string> profile) {
  std::vector<ChainCredentialsProvider::Link> links;
  links.push_back({"environment", std::make_unique<EnvironmentCredentialsProvider>(env)});
  links.push_back(
      {"profile", std::make_unique<ProfileCredentialsProvider>(env, std::move(profile))});
  links.push_back({"container", std::make_unique<ContainerCredentialsProvider>(env, http)});
  links.push_back(
      {"IMDS", std::make_unique<ImdsCredentialsProvider>(std::make_unique<ImdsClient>(env, http))});
  return std::make_unique<CachingCredentialsProvider>(
      env, std::make_unique<ChainCredentialsProvider>(std::move(links)));
}

}  // namespace lifeboat
