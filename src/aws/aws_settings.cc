#include "aws/aws_settings.h"

#include <algorithm>
#include <cctype>

#include "aws/imds_client.h"
#include "http/http_types.h"

namespace lifeboat {
namespace {

struct ServiceInfo {
  AwsService service;
  std::string_view env_name;
  std::string_view config_key;
  std::string_view endpoint_prefix;
};

// Identifiers from the SDKs' "Identifiers for service-specific endpoints" table.
constexpr ServiceInfo kServices[] = {
    {AwsService::kS3, "S3", "s3", "s3"},
    {AwsService::kSqs, "SQS", "sqs", "sqs"},
    {AwsService::kSsm, "SSM", "ssm", "ssm"},
    {AwsService::kAutoScaling, "AUTO_SCALING", "auto_scaling", "autoscaling"},
    {AwsService::kEventBridge, "EVENTBRIDGE", "eventbridge", "events"},
    {AwsService::kLambda, "LAMBDA", "lambda", "lambda"},
    {AwsService::kEc2, "EC2", "ec2", "ec2"},
};

const ServiceInfo& Info(AwsService service) {
  for (const ServiceInfo& info : kServices) {
    if (info.service == service) return info;
  }
  return kServices[0];  // unreachable: every enumerator is in the table
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<bool> ParseBool(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  std::string s = Lower(*v);
  if (s == "true") return true;
  if (s == "false") return false;
  return std::nullopt;
}

// Region names as botocore accepts them: letters, digits and inner hyphens, at most 63.
bool ValidRegion(std::string_view r) {
  if (r.empty() || r.size() > 63 || r.front() == '-' || r.back() == '-') return false;
  return std::all_of(r.begin(), r.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

}  // namespace

Result<std::string> ValidateEndpointUrl(std::string_view url, std::string_view what) {
  auto parsed = ParseUrl(url);
  if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https")) {
    return Status::InvalidArgument(std::string(what) + " '" + std::string(url) +
                                   "' is not a valid endpoint URL: it needs http:// or https:// "
                                   "and a host");
  }
  std::string out(url);
  while (out.size() > parsed->scheme.size() + 3 && out.back() == '/') out.pop_back();
  return out;
}

Result<AwsSettings> AwsSettings::Load(Env& env, std::optional<std::string> profile) {
  LIFEBOAT_ASSIGN_OR_RETURN(SharedConfig config, LoadSharedConfig(env, std::move(profile)));
  auto selected = config.SelectedProfile();
  Profile p;
  if (selected.ok()) {
    p = std::move(*selected);
  } else if (selected.status().code() == StatusCode::kNotFound) {
    p.name = config.profile_name;  // the implicit default profile may simply not exist
  } else {
    return selected.status();
  }
  return AwsSettings(env, std::move(config), std::move(p));
}

std::string AwsSettings::ProfileLabel() const {
  return "profile '" + config_.profile_name + "' (" + config_.config_path + ")";
}

Result<std::string> AwsSettings::ResolveRegion(const std::optional<std::string>& override_region,
                                               ImdsClient* imds) const {
  std::string region;
  std::string source;
  if (override_region && !override_region->empty()) {
    region = *override_region;
    source = "--region";
  } else if (auto r = env_->GetNonEmptyVar("AWS_REGION")) {
    region = *r;
    source = "AWS_REGION";
  } else if (auto r = env_->GetNonEmptyVar("AWS_DEFAULT_REGION")) {
    region = *r;
    source = "AWS_DEFAULT_REGION";
  } else if (auto r = profile_.Get("region"); r && !r->empty()) {
    region = *r;
    source = "region in " + ProfileLabel();
  } else {
    std::string why;
    if (imds != nullptr) {
      auto r = imds->Region();
      if (r.ok() && !r->empty()) {
        region = *r;
        source = "instance metadata placement/region";
      } else {
        why = r.ok() ? "the instance metadata service answered an empty region"
                     : "instance metadata: " + r.status().message();
      }
    }
    if (region.empty()) {
      return Status::InvalidArgument(
          "no AWS region configured: set AWS_REGION, AWS_DEFAULT_REGION or region in " +
          ProfileLabel() + (why.empty() ? std::string() : "; " + why));
    }
  }
  if (!ValidRegion(region)) {
    return Status::InvalidArgument("AWS region '" + region + "' from " + source +
                                   " is not a valid region name");
  }
  return region;
}

bool AwsSettings::IgnoreConfiguredEndpoints() const {
  if (auto env = ParseBool(env_->GetNonEmptyVar("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    return *env;
  }
  return ParseBool(profile_.Get("ignore_configured_endpoint_urls")).value_or(false);
}

Result<ServiceEndpoint> AwsSettings::ResolveEndpoint(
    AwsService service, std::string_view region,
    const std::optional<std::string>& override_url) const {
  const ServiceInfo& info = Info(service);
  auto custom = [](std::string_view url, std::string source) -> Result<ServiceEndpoint> {
    LIFEBOAT_ASSIGN_OR_RETURN(std::string valid, ValidateEndpointUrl(url, source));
    return ServiceEndpoint{std::move(valid), true, std::move(source)};
  };
  if (override_url && !override_url->empty()) return custom(*override_url, "--endpoint-url");

  if (!IgnoreConfiguredEndpoints()) {
    const std::string service_var = "AWS_ENDPOINT_URL_" + std::string(info.env_name);
    if (auto url = env_->GetNonEmptyVar(service_var)) return custom(*url, service_var);
    if (auto url = env_->GetNonEmptyVar("AWS_ENDPOINT_URL"))
      return custom(*url, "AWS_ENDPOINT_URL");
    if (auto services = profile_.Get("services"); services && !services->empty()) {
      const Profile* section = config_.ServicesSection(*services);
      if (section == nullptr) {
        return Status::InvalidArgument(ProfileLabel() + " names services section '" + *services +
                                       "', which " + config_.config_path + " does not define");
      }
      if (auto url = section->GetSub(info.config_key, "endpoint_url"); url && !url->empty()) {
        return custom(*url, "endpoint_url for " + std::string(info.config_key) + " in [services " +
                                *services + "] of " + config_.config_path);
      }
    }
    if (auto url = profile_.Get("endpoint_url"); url && !url->empty()) {
      return custom(*url, "endpoint_url in " + ProfileLabel());
    }
  }

  if (region.empty()) {
    return Status::InvalidArgument("no region to build the default " +
                                   std::string(info.endpoint_prefix) + " endpoint from");
  }
  if (!ValidRegion(region)) {
    return Status::InvalidArgument("AWS region '" + std::string(region) +
                                   "' is not a valid region name");
  }
  // China regions live in their own partition with its own domain.
  const std::string domain = region.rfind("cn-", 0) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
  return ServiceEndpoint{
      "https://" + std::string(info.endpoint_prefix) + "." + std::string(region) + "." + domain,
      false, "default"};
}

Result<S3AddressingStyle> AwsSettings::S3Addressing() const {
  auto style = profile_.GetSub("s3", "addressing_style");
  if (!style || style->empty()) return S3AddressingStyle::kAuto;
  std::string s = Lower(*style);
  if (s == "auto") return S3AddressingStyle::kAuto;
  if (s == "path") return S3AddressingStyle::kPath;
  if (s == "virtual") return S3AddressingStyle::kVirtual;
  return Status::InvalidArgument("s3 addressing_style '" + *style + "' in " + ProfileLabel() +
                                 " is not one of auto, path, virtual");
}

}  // namespace lifeboat
