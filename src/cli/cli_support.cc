#include "cli/cli_support.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "http/curl_http_client.h"

namespace lifeboat {

void AwsFlags::AddTo(CLI::App* app) {
  app->add_option("--endpoint-url", endpoint_url,
                  "Send AWS requests here (e.g. http://127.0.0.1:4566); overrides AWS_ENDPOINT_URL*");
  app->add_option("--region", region, "AWS region; default: AWS_REGION, the profile, or IMDS");
  app->add_option("--profile", profile, "Shared-config profile; default: AWS_PROFILE or 'default'");
}

AwsSessionOptions AwsFlags::ToOptions() const {
  AwsSessionOptions o;
  if (!endpoint_url.empty()) o.endpoint_url = endpoint_url;
  if (!region.empty()) o.region = region;
  if (!profile.empty()) o.profile = profile;
  return o;
}

Result<std::unique_ptr<AwsSession>> MakeSession(Env* env, const AwsSessionOptions& options) {
  CurlHttpClientOptions http;
  // AWS_CA_BUNDLE, as the AWS CLI and SDKs read it: for a host whose CAs are not where this
  // build's libcurl looks (Debian's path; the Lambda zip runs on Amazon Linux).
  if (auto bundle = env->GetNonEmptyVar("AWS_CA_BUNDLE")) http.ca_bundle = *bundle;
  return AwsSession::Create(env, std::make_unique<CurlHttpClient>(http), options);
}

Result<std::unique_ptr<AwsSession>> SessionFor(std::string_view location, Env* env,
                                               const AwsFlags& flags) {
  if (!location.starts_with("s3://")) return std::unique_ptr<AwsSession>();
  return MakeSession(env, flags.ToOptions());
}

int Fail(const Status& status, int exit_code) {
  std::fprintf(stderr, "lifeboat: %s\n", status.message().c_str());
  return exit_code;
}

int ExitCodeFor(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace lifeboat
