// AwsSettings: where lifeboat talks to AWS — the region and each service's endpoint — as the
// AWS SDKs and CLI resolve them from flags, environment variables and the shared files.
//
// Region: explicit override > AWS_REGION > AWS_DEFAULT_REGION > the profile's `region` >
// the instance metadata service's placement/region > an error saying what to set.
//
// Endpoint for a service: explicit override (--endpoint-url) > AWS_ENDPOINT_URL_<SERVICE> >
// AWS_ENDPOINT_URL > the `endpoint_url` of the service's sub-section in the `[services name]`
// section the profile names (`services = name`) > the profile's `endpoint_url` > the AWS
// default (https://<prefix>.<region>.amazonaws.com). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
// (or the profile's ignore_configured_endpoint_urls) skips everything configured except the
// explicit override.
//
// Load() reads the shared files once; environment variables are read on each call through
// the borrowed Env. Const methods are thread-safe when Env is.
#ifndef LIFEBOAT_AWS_AWS_SETTINGS_H_
#define LIFEBOAT_AWS_AWS_SETTINGS_H_

#include <optional>
#include <string>
#include <string_view>

#include "aws/profile_file.h"
#include "common/env.h"
#include "common/status.h"

namespace lifeboat {

class ImdsClient;

enum class AwsService { kS3, kSqs, kSsm, kAutoScaling, kEventBridge, kLambda, kEc2 };

struct ServiceEndpoint {
  std::string url;      // scheme://host[:port][/path], without a trailing '/'
  bool custom = false;  // configured by the user, not the AWS default
  std::string source;   // where it came from: "--endpoint-url", "AWS_ENDPOINT_URL_S3", ...
};

enum class S3AddressingStyle { kAuto, kPath, kVirtual };

class AwsSettings {
 public:
  // Reads the shared files for `profile` (default: AWS_PROFILE, AWS_DEFAULT_PROFILE,
  // "default"). Errors: a malformed file, or an explicitly named profile that does not exist.
  static Result<AwsSettings> Load(Env& env, std::optional<std::string> profile = std::nullopt);

  const std::string& profile_name() const { return config_.profile_name; }
  // The selected profile's merged settings; empty when the default profile does not exist.
  const Profile& profile() const { return profile_; }

  // `imds` may be nullptr to skip asking the metadata service.
  Result<std::string> ResolveRegion(
      const std::optional<std::string>& override_region = std::nullopt,
      ImdsClient* imds = nullptr) const;

  // `region` is needed only for the AWS default endpoint.
  Result<ServiceEndpoint> ResolveEndpoint(
      AwsService service, std::string_view region,
      const std::optional<std::string>& override_url = std::nullopt) const;

  // The profile's `s3 =` sub-section `addressing_style` (auto|path|virtual); kAuto when unset.
  Result<S3AddressingStyle> S3Addressing() const;

 private:
  AwsSettings(Env& env, SharedConfig config, Profile profile)
      : env_(&env), config_(std::move(config)), profile_(std::move(profile)) {}

  bool IgnoreConfiguredEndpoints() const;
  std::string ProfileLabel() const;

  Env* env_;
  SharedConfig config_;
  Profile profile_;
};

// Checks that `url` is http(s) with a host and returns it without a trailing '/'; `what`
// names the setting in the error ("AWS_ENDPOINT_URL_S3").
Result<std::string> ValidateEndpointUrl(std::string_view url, std::string_view what);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_AWS_SETTINGS_H_
