// AwsSession: everything a command needs to talk to AWS, resolved once from flags, the
// environment and the shared files: the HTTP client, the settings (region, endpoints),
// the metadata service, the credentials chain, and one signing transport per service.
//
// Owns all of it; hands out references that live as long as the session. Region and
// credentials are resolved lazily, so a command that never calls AWS never asks IMDS.
// Thread-safe after creation.
#ifndef LIFEBOAT_AWS_AWS_SESSION_H_
#define LIFEBOAT_AWS_AWS_SESSION_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/aws_settings.h"
#include "aws/aws_transport.h"
#include "aws/credentials.h"
#include "aws/imds_client.h"
#include "common/env.h"
#include "http/http_client.h"

namespace lifeboat {

struct AwsSessionOptions {
  std::optional<std::string> endpoint_url;  // --endpoint-url: every service
  std::optional<std::string> region;        // --region
  std::optional<std::string> profile;       // --profile
  // Attempts per request; nullopt: AWS_MAX_ATTEMPTS, else the transport's default.
  std::optional<int> max_attempts;
  // The longest wait between attempts; nullopt: the transport's default (20 s). The agent
  // sets its retry.max_backoff, so that no wait inside a request outlasts the ones between.
  std::optional<std::chrono::milliseconds> max_backoff;
};

class AwsSession {
 public:
  // `env` must outlive the session; `credentials`, when given, replaces the standard chain.
  static Result<std::unique_ptr<AwsSession>> Create(
      Env* env, std::unique_ptr<HttpClient> http, AwsSessionOptions options,
      std::unique_ptr<CredentialsProvider> credentials = nullptr);

  Env& env() { return *env_; }
  HttpClient& http() { return *http_; }
  ImdsClient& imds() { return *imds_; }
  const AwsSettings& settings() const { return settings_; }
  CredentialsProvider& credentials() { return *credentials_; }

  // The region for `service`: resolved as the SDKs do; for a custom endpoint with no
  // region configured, us-east-1 (what local emulators and MinIO accept).
  Result<std::string> Region(AwsService service);
  Result<ServiceEndpoint> Endpoint(AwsService service);
  // The signing transport for `service`, created on first use.
  Result<AwsTransport*> Transport(AwsService service);

 private:
  AwsSession(Env* env, std::unique_ptr<HttpClient> http, AwsSessionOptions options,
             AwsSettings settings);

  Env* env_;
  std::unique_ptr<HttpClient> http_;
  AwsSessionOptions options_;
  AwsSettings settings_;
  std::unique_ptr<ImdsClient> imds_;
  std::unique_ptr<CredentialsProvider> credentials_;
  std::mutex mu_;
  std::optional<Result<std::string>> region_;  // resolved once
  std::map<AwsService, std::unique_ptr<AwsTransport>> transports_;
};

// The signing name of a service's credential scope ("s3", "autoscaling", "events", ...).
std::string_view SigningName(AwsService service);

// How requests to `service` in `region` are signed: its signing name, and S3's own signing
// rules for S3. Retries are AwsTransportOptions' defaults.
AwsTransportOptions TransportOptionsFor(AwsService service, std::string region);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_AWS_SESSION_H_
