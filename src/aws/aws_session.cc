#include "aws/aws_session.h"

#include <charconv>

#include "aws/credentials_chain.h"

namespace lifeboat {

std::string_view SigningName(AwsService service) {
  switch (service) {
    case AwsService::kS3:
      return "s3";
    case AwsService::kSqs:
      return "sqs";
    case AwsService::kSsm:
      return "ssm";
    case AwsService::kAutoScaling:
      return "autoscaling";
    case AwsService::kEventBridge:
      return "events";
    case AwsService::kLambda:
      return "lambda";
    case AwsService::kEc2:
      return "ec2";
  }
  return "";
}

Result<std::unique_ptr<AwsSession>> AwsSession::Create(
    Env* env, std::unique_ptr<HttpClient> http, AwsSessionOptions options,
    std::unique_ptr<CredentialsProvider> credentials) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsSettings settings, AwsSettings::Load(*env, options.profile));
  if (!options.max_attempts) {
    if (auto text = env->GetNonEmptyVar("AWS_MAX_ATTEMPTS")) {
      int n = 0;
      auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
      if (ec != std::errc() || p != text->data() + text->size() || n < 1) {
        return Status::InvalidArgument("AWS_MAX_ATTEMPTS='" + *text + "' is not a positive number");
      }
      options.max_attempts = n;
    }
  }
  if (options.endpoint_url) {
    LIFEBOAT_ASSIGN_OR_RETURN(options.endpoint_url,
                              ValidateEndpointUrl(*options.endpoint_url, "--endpoint-url"));
  }
  auto session = std::unique_ptr<AwsSession>(
      new AwsSession(env, std::move(http), std::move(options), std::move(settings)));
  session->credentials_ = credentials ? std::move(credentials)
                                      : MakeDefaultCredentialsProvider(*env, *session->http_,
                                                                       session->options_.profile);
  return session;
}

AwsSession::AwsSession(Env* env, std::unique_ptr<HttpClient> http, AwsSessionOptions options,
                       AwsSettings settings)
    : env_(env),
      http_(std::move(http)),
      options_(std::move(options)),
      settings_(std::move(settings)),
      imds_(std::make_unique<ImdsClient>(*env_, *http_)) {}

Result<std::string> AwsSession::Region(AwsService service) {
  {
    std::lock_guard lock(mu_);
    if (!region_) region_ = settings_.ResolveRegion(options_.region, imds_.get());
    if (region_->ok()) return **region_;
  }
  // No region anywhere: a custom endpoint (a local emulator, MinIO) does not care which.
  auto endpoint = settings_.ResolveEndpoint(service, "us-east-1", options_.endpoint_url);
  if (endpoint.ok() && endpoint->custom) return std::string("us-east-1");
  std::lock_guard lock(mu_);
  return region_->status();
}

Result<ServiceEndpoint> AwsSession::Endpoint(AwsService service) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string region, Region(service));
  return settings_.ResolveEndpoint(service, region, options_.endpoint_url);
}

AwsTransportOptions TransportOptionsFor(AwsService service, std::string region) {
  AwsTransportOptions o;
  o.service = std::string(SigningName(service));
  o.region = std::move(region);
  o.s3_signing = service == AwsService::kS3;
  return o;
}

Result<AwsTransport*> AwsSession::Transport(AwsService service) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string region, Region(service));
  std::lock_guard lock(mu_);
  auto& slot = transports_[service];
  if (!slot) {
    AwsTransportOptions o = TransportOptionsFor(service, region);
    if (options_.max_attempts) o.max_attempts = *options_.max_attempts;
    if (options_.max_backoff) o.backoff.cap = *options_.max_backoff;
    slot = std::make_unique<AwsTransport>(*http_, *credentials_, *env_, std::move(o));
  }
  return slot.get();
}

}  // namespace lifeboat
