#include "demo/demo_designs.h"

#include <fmt/format.h>
#include <zip.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "demo/demo_assets.h"
#include "demo/demo_workload.h"

namespace lifeboat {
namespace {

using json = nlohmann::json;

constexpr char kHook[] = "lifeboat";
constexpr char kBucket[] = "lifeboat-demo";
constexpr char kSeedBucket[] = "lifeboat-demo-seed";
constexpr char kRole[] = "arn:aws:iam::000000000000:role/";

std::string TerminatePattern(const std::string& group) {
  return json{{"source", {"aws.autoscaling"}},
              {"detail-type", {"EC2 Instance-terminate Lifecycle Action"}},
              {"detail", {{"AutoScalingGroupName", {group}}}}}
      .dump();
}

// Launch template, group and hook: the part every design shares.
Status DeployGroup(CloudDeployer& cloud, const DesignOptions& options, const std::string& group,
                   const std::string& user_data) {
  LIFEBOAT_RETURN_IF_ERROR(cloud.CreateLaunchTemplate(group, user_data));
  LIFEBOAT_RETURN_IF_ERROR(
      cloud.CreateAutoScalingGroup({group, group, 0, options.instances, options.instances}));
  return cloud.PutLifecycleHook(group, kHook, options.heartbeat_timeout, "CONTINUE");
}

// The rule that sends this group's terminate actions to `function_arn`.
Status Route(CloudDeployer& cloud, const std::string& group, const std::string& function,
             const std::string& function_arn) {
  LIFEBOAT_ASSIGN_OR_RETURN(std::string rule_arn, cloud.PutRule(function, TerminatePattern(group)));
  LIFEBOAT_RETURN_IF_ERROR(
      cloud.AddPermission(function, "eventbridge", "events.amazonaws.com", rule_arn));
  return cloud.PutTarget(function, function, function_arn);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<std::string> ZipArchive(const std::vector<std::pair<std::string, std::string>>& files,
                               const std::string& scratch_path) {
  int error = 0;
  zip_t* archive = zip_open(scratch_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) return Status::IoError("cannot create " + scratch_path);
  for (const auto& [name, bytes] : files) {
    zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    const zip_int64_t index =
        source == nullptr ? -1 : zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE);
    if (index < 0) {
      if (source != nullptr) zip_source_free(source);
      zip_discard(archive);
      return Status::IoError("cannot add " + name + " to " + scratch_path);
    }
    const bool executable = bytes.rfind("#!", 0) == 0;
    zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX,
                                     (executable ? 0100755u : 0100644u) << 16);
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    return Status::IoError("cannot write " + scratch_path);
  }
  return ReadAll(scratch_path);
}

Status DeployLogBucket(CloudDeployer& cloud) { return cloud.CreateBucket(kBucket); }

Result<DemoDesign> DeployAgentDesign(CloudDeployer& cloud, const DesignOptions& options) {
  DemoDesign design{"lifeboat-agent", "web-agent", kBucket, "agent"};
  LIFEBOAT_RETURN_IF_ERROR(DeployGroup(
      cloud, options, design.group,
      AgentUserData(options.lines_per_second, design.destination(), options.time_scale)));
  return design;
}

Result<DemoDesign> DeployControllerDesign(CloudDeployer& cloud, const DesignOptions& options) {
  DemoDesign design{"lifeboat-controller", "web-controller", kBucket, "controller"};
  LIFEBOAT_RETURN_IF_ERROR(
      cloud.CreateDocument("lifeboat-evacuate", std::string(LifeboatEvacuateDocument())));
  // The function's bootstrap starts this very binary as the controller (on AWS, `make
  // lambda-zip` packs the binary with its libraries instead).
  const std::string bootstrap =
      fmt::format("#!/bin/sh\nexec '{}' controller --lambda\n", options.lifeboat_binary);
  LIFEBOAT_ASSIGN_OR_RETURN(
      std::string zip,
      ZipArchive({{"bootstrap", bootstrap}}, options.work_dir + "/lifeboat-controller.zip"));
  const json parameters = {{"destination", design.destination()},
                           {"paths", std::string(kAccessLog) + " " + kErrorLog},
                           {"preStop", "systemctl stop php-fpm nginx"},
                           {"hookName", "{hook}"},
                           {"groupName", "{group}"},
                           {"token", "{token}"},
                           {"timeScale", fmt::format("{:g}", options.time_scale)}};
  FunctionSpec function{"lifeboat-controller",
                        "provided.al2023",
                        "bootstrap",
                        std::string(kRole) + "lifeboat-controller",
                        zip,
                        {{"LIFEBOAT_PARAMETERS", parameters.dump()},
                         {"LIFEBOAT_TIME_SCALE", fmt::format("{:g}", options.time_scale)}}};
  LIFEBOAT_ASSIGN_OR_RETURN(std::string arn, cloud.CreateFunction(function));
  LIFEBOAT_RETURN_IF_ERROR(Route(cloud, design.group, function.name, arn));
  LIFEBOAT_RETURN_IF_ERROR(
      DeployGroup(cloud, options, design.group, ApplicationUserData(options.lines_per_second)));
  return design;
}

Result<DemoDesign> DeploySeedDesign(CloudDeployer& cloud, const DesignOptions& options) {
  DemoDesign design{"seed", "web-seed", kSeedBucket, ""};
  LIFEBOAT_RETURN_IF_ERROR(cloud.CreateBucket(design.bucket));
  std::string document(SeedDocument());
  for (size_t at = document.find("BUCKET_NAME"); at != std::string::npos;
       at = document.find("BUCKET_NAME", at)) {
    document.replace(at, 11, design.bucket);
  }
  LIFEBOAT_RETURN_IF_ERROR(cloud.CreateDocument("log-upload", document));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string zip,
                            ZipArchive({{"lambda_function.py", std::string(SeedLambdaFunction())}},
                                       options.work_dir + "/log-upload.zip"));
  FunctionSpec function{"log-upload",
                        "python3.8",
                        "lambda_function.lambda_handler",
                        std::string(kRole) + "seed-log-upload",
                        zip,
                        {},
                        60};
  LIFEBOAT_ASSIGN_OR_RETURN(std::string arn, cloud.CreateFunction(function));
  LIFEBOAT_RETURN_IF_ERROR(Route(cloud, design.group, function.name, arn));
  LIFEBOAT_RETURN_IF_ERROR(
      DeployGroup(cloud, options, design.group, ApplicationUserData(options.lines_per_second)));
  return design;
}

}  // namespace lifeboat
