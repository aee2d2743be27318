#include "local/lambda/lambda_function_config.h"

#include <cstdio>
#include <ctime>
#include <set>
#include <vector>

#include "common/hash.h"
#include "common/strings.h"
#include "local/local_service.h"

namespace lifeboat {
namespace {

using nlohmann::json;

Status Invalid(std::string message) {
  return {StatusCode::kInvalidArgument, std::move(message), kInvalidParameterValue};
}

bool IsNameChar(char c, bool allow_dot) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || (allow_dot && c == '.');
}

bool ValidName(std::string_view name, bool allow_dot) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!IsNameChar(c, allow_dot)) return false;
  }
  return true;
}

// The keys Lambda sets itself; a function may not define them (AWS's list).
const std::set<std::string>& ReservedVariables() {
  static const std::set<std::string> kReserved = {"_HANDLER",
                                                  "_X_AMZN_TRACE_ID",
                                                  "AWS_DEFAULT_REGION",
                                                  "AWS_REGION",
                                                  "AWS_EXECUTION_ENV",
                                                  "AWS_LAMBDA_FUNCTION_NAME",
                                                  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                                  "AWS_LAMBDA_FUNCTION_VERSION",
                                                  "AWS_LAMBDA_INITIALIZATION_TYPE",
                                                  "AWS_LAMBDA_LOG_GROUP_NAME",
                                                  "AWS_LAMBDA_LOG_STREAM_NAME",
                                                  "AWS_ACCESS_KEY",
                                                  "AWS_ACCESS_KEY_ID",
                                                  "AWS_SECRET_ACCESS_KEY",
                                                  "AWS_SESSION_TOKEN",
                                                  "AWS_LAMBDA_RUNTIME_API",
                                                  "LAMBDA_TASK_ROOT",
                                                  "LAMBDA_RUNTIME_DIR"};
  return kReserved;
}

bool ValidVariableName(const std::string& key) {
  if (key.size() < 2 || !std::isalpha(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

Result<std::map<std::string, std::string>> StringMap(const json& value, const char* what) {
  if (!value.is_object()) return Invalid(std::string(what) + " must be a map of strings");
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : value.items()) {
    if (!v.is_string())
      return Invalid(std::string(what) + " value for '" + k + "' must be a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

Status CheckEnvironment(const std::map<std::string, std::string>& variables) {
  std::string reserved;
  for (const auto& [key, value] : variables) {
    if (ReservedVariables().count(key)) reserved += (reserved.empty() ? "" : ", ") + key;
  }
  if (!reserved.empty()) {
    return Invalid(
        "Lambda was unable to configure your environment variables because the environment "
        "variables you have provided contains reserved keys that are currently not supported "
        "for modification. Reserved keys used in this request: " +
        reserved);
  }
  for (const auto& [key, value] : variables) {
    if (!ValidVariableName(key)) {
      return Invalid(
          "Lambda was unable to configure your environment variables because the "
          "environment variables you have provided contains an invalid key: " +
          key);
    }
  }
  std::string measured = json(variables).dump();
  if (measured.size() > 4096) {
    return Invalid(
        "Lambda was unable to configure your environment variables because the "
        "environment variables you have provided exceeded the 4KB limit. String "
        "measured: " +
        measured);
  }
  return Status::Ok();
}

Result<int> BoundedInt(const json& body, const char* field, const char* shape, int fallback,
                       int low, int high) {
  if (!body.contains(field) || body[field].is_null()) return fallback;
  if (!body[field].is_number_integer()) return Invalid(std::string(field) + " must be an integer");
  long long v = body[field].get<long long>();
  if (v < low) {
    return Invalid("1 validation error detected: Value '" + std::to_string(v) + "' at '" + shape +
                   "' failed to satisfy constraint: Member must have value greater than or "
                   "equal to " +
                   std::to_string(low));
  }
  if (v > high) {
    return Invalid("1 validation error detected: Value '" + std::to_string(v) + "' at '" + shape +
                   "' failed to satisfy constraint: Member must have value less than or equal "
                   "to " +
                   std::to_string(high));
  }
  return static_cast<int>(v);
}

Result<std::string> OptionalString(const json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return std::string();
  if (!body[field].is_string()) return Invalid(std::string(field) + " must be a string");
  return body[field].get<std::string>();
}

Status ParseRuntimeAndHandler(const json& body, LambdaFunctionConfig& config) {
  LIFEBOAT_ASSIGN_OR_RETURN(config.runtime, OptionalString(body, "Runtime"));
  LIFEBOAT_ASSIGN_OR_RETURN(config.handler, OptionalString(body, "Handler"));
  if (config.runtime.empty()) {
    return Invalid(
        "Runtime and Handler are mandatory parameters for functions created with "
        "deployment packages.");
  }
  auto kind = RuntimeKindOf(config.runtime);
  if (!kind) {
    return Invalid("The runtime parameter of " + config.runtime +
                   " is not supported by lifeboat local: use provided.al2023, provided.al2 or "
                   "python3.x");
  }
  config.kind = *kind;
  for (char c : config.handler) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      return Invalid("1 validation error detected: Value '" + config.handler +
                     "' at 'handler' failed to satisfy constraint: Member must satisfy regular "
                     "expression pattern: [^\\s]+");
    }
  }
  if (config.handler.size() > 128) return Invalid("Handler must be at most 128 characters");
  if (config.kind == RuntimeKind::kPython) {
    if (config.handler.empty()) {
      return Invalid(
          "Runtime and Handler are mandatory parameters for functions created with "
          "deployment packages.");
    }
    size_t dot = config.handler.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == config.handler.size()) {
      return Invalid("Handler '" + config.handler + "' for runtime " + config.runtime +
                     " must be <module>.<function>, such as lambda_function.lambda_handler");
    }
  }
  return Status::Ok();
}

Result<std::string> ParseZip(const json& body) {
  if (!body.contains("Code") || !body["Code"].is_object()) {
    return Invalid("Code is a mandatory parameter: give Code.ZipFile");
  }
  const json& code = body["Code"];
  if (!code.contains("ZipFile") || !code["ZipFile"].is_string()) {
    return Invalid(
        "lifeboat local takes function code as Code.ZipFile (S3 and image code are "
        "not supported)");
  }
  auto zip = Base64Decode(code["ZipFile"].get<std::string>());
  if (!zip || zip->empty()) {
    return Invalid(
        "Could not unzip uploaded file. Please check your file, then try to upload "
        "again.");
  }
  return *zip;
}

}  // namespace

std::optional<RuntimeKind> RuntimeKindOf(std::string_view runtime) {
  if (runtime == "provided" || runtime == "provided.al2" || runtime == "provided.al2023") {
    return RuntimeKind::kCustom;
  }
  constexpr std::string_view kPython = "python3.";
  if (runtime.size() > kPython.size() && runtime.substr(0, kPython.size()) == kPython) {
    for (char c : runtime.substr(kPython.size())) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    return RuntimeKind::kPython;
  }
  return std::nullopt;
}

std::string FunctionArn(std::string_view region, std::string_view account_id,
                        std::string_view name) {
  return "arn:aws:lambda:" + std::string(region) + ":" + std::string(account_id) +
         ":function:" + std::string(name);
}

std::string LambdaTimestamp(std::chrono::system_clock::time_point time) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

Result<FunctionRef> ParseFunctionRef(std::string_view text, const std::string& region,
                                     const std::string& account_id) {
  std::vector<std::string> parts = SplitString(text, ':');
  FunctionRef ref;
  bool qualified = false;  // a qualifier field is present, so it must not be empty
  std::string their_region = region, their_account = account_id;
  if (parts[0] == "arn") {
    if (parts.size() < 7 || parts.size() > 8 || parts[1].rfind("aws", 0) != 0 ||
        parts[2] != "lambda" || parts[5] != "function") {
      return Invalid("Invalid function ARN: " + std::string(text));
    }
    their_region = parts[3];
    their_account = parts[4];
    ref.name = parts[6];
    qualified = parts.size() == 8;
    if (qualified) ref.qualifier = parts[7];
  } else if (parts.size() >= 3 && parts[1] == "function") {
    if (parts.size() > 4) return Invalid("Invalid function name: " + std::string(text));
    their_account = parts[0];
    ref.name = parts[2];
    qualified = parts.size() == 4;
    if (qualified) ref.qualifier = parts[3];
  } else {
    if (parts.size() > 2) return Invalid("Invalid function name: " + std::string(text));
    ref.name = parts[0];
    qualified = parts.size() == 2;
    if (qualified) ref.qualifier = parts[1];
  }
  if (!ValidName(ref.name, /*allow_dot=*/true) || (qualified && ref.qualifier.empty())) {
    return Invalid("1 validation error detected: Value '" + std::string(text) +
                   "' at 'functionName' failed to satisfy constraint: Member must satisfy "
                   "regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|"
                   "(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)"
                   "(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  }
  if (their_region != region || their_account != account_id) {
    return Status(StatusCode::kNotFound,
                  "Function not found: " + FunctionArn(their_region, their_account, ref.name),
                  kResourceNotFound);
  }
  return ref;
}

Result<CreateFunctionInput> ParseCreateFunction(std::string_view body_text,
                                                const std::string& region,
                                                const std::string& account_id,
                                                std::chrono::system_clock::time_point now) {
  json body = json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return Invalid("The request body is not JSON");
  CreateFunctionInput input;
  LambdaFunctionConfig& config = input.config;

  LIFEBOAT_ASSIGN_OR_RETURN(std::string name, OptionalString(body, "FunctionName"));
  if (name.empty()) return Invalid("FunctionName is a mandatory parameter");
  LIFEBOAT_ASSIGN_OR_RETURN(FunctionRef ref, ParseFunctionRef(name, region, account_id));
  if (!ref.qualifier.empty() || !ValidName(ref.name, /*allow_dot=*/false)) {
    return Invalid("1 validation error detected: Value '" + name +
                   "' at 'functionName' failed to satisfy constraint: Member must satisfy "
                   "regular expression pattern: [a-zA-Z0-9-_]+ (at most 64 characters)");
  }
  config.name = ref.name;
  config.arn = FunctionArn(region, account_id, config.name);

  LIFEBOAT_ASSIGN_OR_RETURN(std::string package_type, OptionalString(body, "PackageType"));
  if (!package_type.empty() && package_type != "Zip") {
    return Invalid("lifeboat local runs Zip functions only, not PackageType " + package_type);
  }
  LIFEBOAT_RETURN_IF_ERROR(ParseRuntimeAndHandler(body, config));
  LIFEBOAT_ASSIGN_OR_RETURN(config.role, OptionalString(body, "Role"));
  if (config.role.empty()) return Invalid("Role is a mandatory parameter");
  LIFEBOAT_ASSIGN_OR_RETURN(config.description, OptionalString(body, "Description"));
  if (config.description.size() > 256) return Invalid("Description must be at most 256 characters");
  LIFEBOAT_ASSIGN_OR_RETURN(config.timeout_seconds,
                            BoundedInt(body, "Timeout", "timeout", 3, 1, 900));
  LIFEBOAT_ASSIGN_OR_RETURN(config.memory_mb,
                            BoundedInt(body, "MemorySize", "memorySize", 128, 128, 10240));
  if (body.contains("Environment") && !body["Environment"].is_null()) {
    const json& environment = body["Environment"];
    if (!environment.is_object()) return Invalid("Environment must be an object");
    if (environment.contains("Variables") && !environment["Variables"].is_null()) {
      LIFEBOAT_ASSIGN_OR_RETURN(config.environment,
                                StringMap(environment["Variables"], "Environment.Variables"));
    }
    LIFEBOAT_RETURN_IF_ERROR(CheckEnvironment(config.environment));
  }
  if (body.contains("Tags") && !body["Tags"].is_null()) {
    LIFEBOAT_ASSIGN_OR_RETURN(config.tags, StringMap(body["Tags"], "Tags"));
  }
  if (body.contains("Architectures") && !body["Architectures"].is_null()) {
    const json& list = body["Architectures"];
    if (!list.is_array() || list.size() != 1 || !list[0].is_string() ||
        (list[0] != "x86_64" && list[0] != "arm64")) {
      return Invalid("Architectures must name one of x86_64, arm64");
    }
    config.architecture = list[0].get<std::string>();
  }
  LIFEBOAT_ASSIGN_OR_RETURN(input.zip, ParseZip(body));
  config.code_size = input.zip.size();
  config.code_sha256 = Sha256Base64(Sha256(input.zip));
  config.last_modified = LambdaTimestamp(now);
  config.revision_id = NewRequestId();
  return input;
}

json FunctionConfigurationJson(const LambdaFunctionConfig& config) {
  json out = {
      {"FunctionName", config.name},
      {"FunctionArn", config.arn},
      {"Runtime", config.runtime},
      {"Role", config.role},
      {"CodeSize", config.code_size},
      {"Description", config.description},
      {"Timeout", config.timeout_seconds},
      {"MemorySize", config.memory_mb},
      {"LastModified", config.last_modified},
      {"CodeSha256", config.code_sha256},
      {"Version", "$LATEST"},
      {"TracingConfig", {{"Mode", "PassThrough"}}},
      {"RevisionId", config.revision_id},
      {"State", "Active"},
      {"LastUpdateStatus", "Successful"},
      {"PackageType", "Zip"},
      {"Architectures", json::array({config.architecture})},
      {"EphemeralStorage", {{"Size", 512}}},
      {"SnapStart", {{"ApplyOn", "None"}, {"OptimizationStatus", "Off"}}},
      {"LoggingConfig", {{"LogFormat", "Text"}, {"LogGroup", "/aws/lambda/" + config.name}}},
  };
  if (!config.handler.empty()) out["Handler"] = config.handler;
  if (!config.environment.empty()) out["Environment"] = {{"Variables", config.environment}};
  return out;
}

}  // namespace lifeboat
