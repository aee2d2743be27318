// A Lambda function's configuration as the REST API sees it: parsing and validating a
// CreateFunction request, rendering FunctionConfiguration, and naming functions (a name,
// a partial ARN or a full ARN, with an optional qualifier) the way every Lambda call does.
//
// Errors are Statuses whose service_code is the AWS error code the service answers with
// (InvalidParameterValueException, ResourceNotFoundException), the message AWS's text.
#ifndef LIFEBOAT_LOCAL_LAMBDA_LAMBDA_FUNCTION_CONFIG_H_
#define LIFEBOAT_LOCAL_LAMBDA_LAMBDA_FUNCTION_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

inline constexpr char kInvalidParameterValue[] = "InvalidParameterValueException";
inline constexpr char kResourceNotFound[] = "ResourceNotFoundException";
inline constexpr char kResourceConflict[] = "ResourceConflictException";

// How a runtime starts: a `bootstrap` executable from the package (provided.al2023,
// provided.al2), or lifeboat's Python runtime client running a `module.function` handler.
enum class RuntimeKind { kCustom, kPython };
std::optional<RuntimeKind> RuntimeKindOf(std::string_view runtime);

struct LambdaFunctionConfig {
  std::string name;
  std::string arn;  // arn:aws:lambda:<region>:<account>:function:<name>
  std::string runtime;
  RuntimeKind kind = RuntimeKind::kCustom;
  std::string role;
  std::string handler;  // may be empty for custom runtimes
  std::string description;
  int timeout_seconds = 3;
  int memory_mb = 128;
  std::map<std::string, std::string> environment;
  std::map<std::string, std::string> tags;
  std::string architecture = "x86_64";
  uint64_t code_size = 0;
  std::string code_sha256;    // base64 of the zip's SHA-256
  std::string last_modified;  // "2024-05-01T12:34:56.789+0000"
  std::string revision_id;
};

struct CreateFunctionInput {
  LambdaFunctionConfig config;  // code_size, code_sha256 filled from the zip
  std::string zip;              // the decoded Code.ZipFile
};

// Parses a CreateFunction body. Region and account make the ARN; `now` LastModified.
Result<CreateFunctionInput> ParseCreateFunction(std::string_view body, const std::string& region,
                                                const std::string& account_id,
                                                std::chrono::system_clock::time_point now);

// The FunctionConfiguration shape.
nlohmann::json FunctionConfigurationJson(const LambdaFunctionConfig& config);

// Lambda's timestamp form: "2024-05-01T12:34:56.789+0000".
std::string LambdaTimestamp(std::chrono::system_clock::time_point time);

std::string FunctionArn(std::string_view region, std::string_view account_id,
                        std::string_view name);

// A function as a caller names it: "name", "name:qualifier", "<account>:function:name",
// or "arn:aws:lambda:<region>:<account>:function:name[:qualifier]".
struct FunctionRef {
  std::string name;
  std::string qualifier;  // empty, "$LATEST", a version or an alias
};
// kInvalidArgument (InvalidParameterValueException) for what is no function name at all,
// kNotFound (ResourceNotFoundException) for an ARN of another region or account.
Result<FunctionRef> ParseFunctionRef(std::string_view text, const std::string& region,
                                     const std::string& account_id);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_LAMBDA_FUNCTION_CONFIG_H_
