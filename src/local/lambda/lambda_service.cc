#include "local/lambda/lambda_service.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "http/http_types.h"
#include "http/percent_encoding.h"
#include "local/lambda/lambda_zip.h"
#include "local/lambda/python_runtime_client.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

LocalResponse Json(int status, const json& body) {
  LocalResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.headers.Set("x-amzn-RequestId", NewRequestId());
  r.body = body.dump();
  return r;
}

LocalResponse NoContent() {
  LocalResponse r;
  r.status = 204;
  r.headers.Set("x-amzn-RequestId", NewRequestId());
  return r;
}

// The path's segments, percent-decoded ('+' is itself in a path); empty segments (a
// trailing '/') dropped. kInvalidArgument for a segment that does not decode.
Result<std::vector<std::string>> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) {
      const std::string_view segment = std::string_view(path).substr(start, end - start);
      auto decoded = PercentDecode(segment, PlusIsSpace::kNo);
      if (!decoded.ok()) {
        return decoded.status().WithContext("path segment '" + std::string(segment) + "'");
      }
      out.push_back(std::move(*decoded));
    }
    start = end + 1;
  }
  return out;
}

std::string NotFoundMessage(const std::string& arn) { return "Function not found: " + arn; }

std::string PolicyJson(const std::map<std::string, std::string>& statements) {
  json list = json::array();
  for (const auto& [sid, statement] : statements) list.push_back(json::parse(statement));
  return json{{"Version", "2012-10-17"}, {"Id", "default"}, {"Statement", list}}.dump();
}

}  // namespace

LocalResponse LambdaErrorResponse(int status, std::string_view type, std::string_view message) {
  // Lambda's own casing: "Message" for these two, "message" for the rest.
  bool capital = type == kResourceNotFound || type == "ServiceException";
  LocalResponse r = Json(status, json{{"Type", status >= 500 ? "Service" : "User"},
                                      {capital ? "Message" : "message", std::string(message)}});
  r.headers.Set("x-amzn-ErrorType", std::string(type));
  return r;
}

LocalResponse LambdaErrorResponse(const Status& status) {
  const std::string& code = status.service_code();
  if (code == kInvalidParameterValue) return LambdaErrorResponse(400, code, status.message());
  if (code == kResourceNotFound) return LambdaErrorResponse(404, code, status.message());
  if (code == kResourceConflict) return LambdaErrorResponse(409, code, status.message());
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return LambdaErrorResponse(400, kInvalidParameterValue, status.message());
    case StatusCode::kNotFound:
      return LambdaErrorResponse(404, kResourceNotFound, status.message());
    case StatusCode::kAlreadyExists:
      return LambdaErrorResponse(409, kResourceConflict, status.message());
    case StatusCode::kResourceExhausted: {
      LocalResponse r = LambdaErrorResponse(429, "TooManyRequestsException", status.message());
      r.body = json{{"Type", "User"},
                    {"message", status.message()},
                    {"Reason", "ReservedFunctionConcurrentInvocationLimitExceeded"}}
                   .dump();
      return r;
    }
    default:
      return LambdaErrorResponse(500, "ServiceException", status.message());
  }
}

LocalLambda::LocalLambda(Env* env, LocalLambdaOptions options)
    : env_(env),
      options_(std::move(options)),
      cloud_{options_.region, options_.account_id, options_.cloud_endpoint, options_.access_key,
             options_.secret_key} {
  // Functions are not restored after a restart: what a previous run left is removed.
  std::error_code ec;
  fs::remove_all(JoinPath(options_.dir, "functions"), ec);
  AsyncInvokerOptions async;
  async.workers = options_.async_workers;
  for (auto& delay : async.retry_delays) {
    delay = std::chrono::milliseconds(
        static_cast<long long>(static_cast<double>(delay.count()) / options_.time_scale));
  }
  async_ = std::make_unique<AsyncInvoker>(
      async, [this](const AsyncEvent& event) { return RunAsync(event); });
}

LocalLambda::~LocalLambda() { Stop(); }

void LocalLambda::Stop() {
  std::map<std::string, std::shared_ptr<Function>> functions;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    functions.swap(functions_);
  }
  // Killing the sandboxes ends the invocations in progress, so the workers can be joined.
  for (auto& [name, function] : functions) function->host->Shutdown();
  if (async_) async_->Stop();
}

LocalResponse LocalLambda::Handle(const LocalRequest& request) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return LambdaErrorResponse(503, "ServiceException", "Lambda is stopping");
  }
  auto segments = Segments(request.path);
  if (!segments.ok()) {
    return LambdaErrorResponse(400, "InvalidParameterValueException", segments.status().message());
  }
  const std::vector<std::string>& s = *segments;
  const std::string& m = request.method;
  if (s.size() >= 2 && s[0] == "2015-03-31" && s[1] == "functions") {
    if (s.size() == 2 && m == "POST") return CreateFunction(request);
    if (s.size() == 2 && m == "GET") return ListFunctions();
    if (s.size() == 3 && m == "GET") return GetFunction(s[2], false);
    if (s.size() == 3 && m == "DELETE") return DeleteFunction(s[2]);
    if (s.size() == 4 && s[3] == "configuration" && m == "GET") return GetFunction(s[2], true);
    if (s.size() == 4 && s[3] == "invocations" && m == "POST") return Invoke(request, s[2]);
    if (s.size() == 4 && s[3] == "policy" && m == "POST") return AddPermission(request, s[2]);
    if (s.size() == 4 && s[3] == "policy" && m == "GET") return GetPolicy(s[2]);
    if (s.size() == 5 && s[3] == "policy" && m == "DELETE") return RemovePermission(s[2], s[4]);
  }
  if (s.size() == 4 && s[0] == "2014-11-13" && s[1] == "functions" && s[3] == "invoke-async" &&
      m == "POST") {
    return InvokeAsyncLegacy(request, s[2]);
  }
  return LambdaErrorResponse(404, "UnknownOperationException",
                             "lifeboat local's Lambda does not support " + m + " " + request.path);
}

Result<std::shared_ptr<LocalLambda::Function>> LocalLambda::Find(const std::string& name_or_arn,
                                                                 const std::string& qualifier) {
  LIFEBOAT_ASSIGN_OR_RETURN(FunctionRef ref,
                            ParseFunctionRef(name_or_arn, options_.region, options_.account_id));
  std::string arn = FunctionArn(options_.region, options_.account_id, ref.name);
  if (!qualifier.empty() && !ref.qualifier.empty() && qualifier != ref.qualifier) {
    return Status(StatusCode::kInvalidArgument,
                  "The derived qualifier from the function name does not match the specified "
                  "qualifier.",
                  kInvalidParameterValue);
  }
  std::string q = ref.qualifier.empty() ? qualifier : ref.qualifier;
  if (!q.empty() && q != "$LATEST") {
    return Status(StatusCode::kNotFound, NotFoundMessage(arn + ":" + q), kResourceNotFound);
  }
  std::lock_guard lock(mu_);
  auto it = functions_.find(ref.name);
  if (it == functions_.end()) {
    return Status(StatusCode::kNotFound, NotFoundMessage(arn), kResourceNotFound);
  }
  return it->second;
}

LocalResponse LocalLambda::CreateFunction(const LocalRequest& request) {
  auto input = ParseCreateFunction(request.body, options_.region, options_.account_id, env_->Now());
  if (!input.ok()) return LambdaErrorResponse(input.status());
  const std::string name = input->config.name;
  {
    std::lock_guard lock(mu_);
    if (functions_.count(name) || creating_.count(name)) {
      return LambdaErrorResponse(409, kResourceConflict, "Function already exist: " + name);
    }
    creating_.insert(name);
  }
  auto function = std::make_shared<Function>();
  function->dir = JoinPath(JoinPath(options_.dir, "functions"), name);
  Status built = Build(*input, *function);
  std::lock_guard lock(mu_);
  creating_.erase(name);
  if (!built.ok()) {
    std::error_code ec;
    fs::remove_all(function->dir, ec);
    return LambdaErrorResponse(built);
  }
  if (stopped_) return LambdaErrorResponse(503, "ServiceException", "Lambda is stopping");
  functions_[name] = function;
  return Json(201, FunctionConfigurationJson(function->host->config()));
}

Status LocalLambda::Build(const CreateFunctionInput& input, Function& function) {
  std::error_code ec;
  fs::remove_all(function.dir, ec);
  FunctionPaths paths;
  paths.task_dir = JoinPath(function.dir, "task");
  paths.runtime_dir = JoinPath(function.dir, "runtime");
  paths.log_path = JoinPath(JoinPath(options_.dir, "logs"), input.config.name + ".log");
  Status unzipped = ExtractZip(input.zip, paths.task_dir);
  if (!unzipped.ok()) {
    if (unzipped.code() != StatusCode::kInvalidArgument) return unzipped;
    return Status(StatusCode::kInvalidArgument,
                  "Could not unzip uploaded file. Please check your file, then try to upload "
                  "again. (" +
                      unzipped.message() + ")",
                  kInvalidParameterValue);
  }
  LIFEBOAT_RETURN_IF_ERROR(
      env_->WriteFileAtomically(JoinPath(function.dir, "code.zip"), input.zip));
  LIFEBOAT_RETURN_IF_ERROR(env_->CreateDirs(paths.runtime_dir));
  LIFEBOAT_RETURN_IF_ERROR(env_->CreateDirs(DirName(paths.log_path)));
  if (input.config.kind == RuntimeKind::kPython) {
    LIFEBOAT_RETURN_IF_ERROR(env_->WriteFileAtomically(
        JoinPath(paths.runtime_dir, kPythonRuntimeFile), PythonRuntimeClient()));
  }
  function.host = std::make_shared<FunctionHost>(
      env_, input.config, LaunchSpec(env_, input.config, paths, cloud_), options_.host);
  return Status::Ok();
}

LocalResponse LocalLambda::GetFunction(const std::string& name_or_arn, bool configuration_only) {
  auto function = Find(name_or_arn);
  if (!function.ok()) return LambdaErrorResponse(function.status());
  const LambdaFunctionConfig& config = (*function)->host->config();
  json configuration = FunctionConfigurationJson(config);
  if (configuration_only) return Json(200, configuration);
  json out = {{"Configuration", configuration},
              {"Code",
               {{"RepositoryType", "S3"},
                {"Location", "file://" + JoinPath((*function)->dir, "code.zip")}}}};
  if (!config.tags.empty()) out["Tags"] = config.tags;
  return Json(200, out);
}

LocalResponse LocalLambda::ListFunctions() {
  json list = json::array();
  std::lock_guard lock(mu_);
  for (const auto& [name, function] : functions_) {
    list.push_back(FunctionConfigurationJson(function->host->config()));
  }
  return Json(200, json{{"Functions", list}});
}

LocalResponse LocalLambda::DeleteFunction(const std::string& name_or_arn) {
  auto function = Find(name_or_arn);
  if (!function.ok()) return LambdaErrorResponse(function.status());
  {
    std::lock_guard lock(mu_);
    auto it = functions_.find((*function)->host->config().name);
    if (it == functions_.end() || it->second != *function) {
      return LambdaErrorResponse(404, kResourceNotFound,
                                 NotFoundMessage((*function)->host->config().arn));
    }
    functions_.erase(it);
  }
  (*function)->host->Shutdown();  // its processes end; invocations in them fail
  std::error_code ec;
  fs::remove_all((*function)->dir, ec);
  return NoContent();
}

LocalResponse LocalLambda::AddPermission(const LocalRequest& request,
                                         const std::string& name_or_arn) {
  auto function = Find(name_or_arn, request.Param("Qualifier"));
  if (!function.ok()) return LambdaErrorResponse(function.status());
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return LambdaErrorResponse(400, kInvalidParameterValue, "The request body is not JSON");
  }
  for (const char* field : {"StatementId", "Action", "Principal"}) {
    if (!body.contains(field) || !body[field].is_string() ||
        body[field].get<std::string>().empty()) {
      return LambdaErrorResponse(400, kInvalidParameterValue,
                                 std::string(field) + " is a mandatory parameter");
    }
  }
  const std::string sid = body["StatementId"], principal = body["Principal"];
  json statement = {{"Sid", sid},
                    {"Effect", "Allow"},
                    {"Action", body["Action"]},
                    {"Resource", (*function)->host->config().arn}};
  if (principal == "*") {
    statement["Principal"] = "*";
  } else if (principal.find('.') != std::string::npos) {
    statement["Principal"] = {{"Service", principal}};
  } else {
    std::string account =
        principal.rfind("arn:", 0) == 0 ? principal : "arn:aws:iam::" + principal + ":root";
    statement["Principal"] = {{"AWS", account}};
  }
  json condition = json::object();
  if (body.contains("SourceArn") && body["SourceArn"].is_string()) {
    condition["ArnLike"] = {{"AWS:SourceArn", body["SourceArn"]}};
  }
  if (body.contains("SourceAccount") && body["SourceAccount"].is_string()) {
    condition["StringEquals"] = {{"AWS:SourceAccount", body["SourceAccount"]}};
  }
  if (!condition.empty()) statement["Condition"] = condition;
  std::lock_guard lock(mu_);
  if ((*function)->statements.count(sid)) {
    return LambdaErrorResponse(409, kResourceConflict,
                               "The statement id (" + sid +
                                   ") provided already exists. Please "
                                   "provide a new statement id, or remove the existing statement.");
  }
  (*function)->statements[sid] = statement.dump();
  (*function)->policy_revision = NewRequestId();
  return Json(201, json{{"Statement", statement.dump()}});
}

LocalResponse LocalLambda::GetPolicy(const std::string& name_or_arn) {
  auto function = Find(name_or_arn);
  if (!function.ok()) return LambdaErrorResponse(function.status());
  std::lock_guard lock(mu_);
  if ((*function)->statements.empty()) {
    return LambdaErrorResponse(404, kResourceNotFound,
                               "The resource you requested does not exist.");
  }
  return Json(200, json{{"Policy", PolicyJson((*function)->statements)},
                        {"RevisionId", (*function)->policy_revision}});
}

LocalResponse LocalLambda::RemovePermission(const std::string& name_or_arn,
                                            const std::string& sid) {
  auto function = Find(name_or_arn);
  if (!function.ok()) return LambdaErrorResponse(function.status());
  std::lock_guard lock(mu_);
  if ((*function)->statements.erase(sid) == 0) {
    return LambdaErrorResponse(404, kResourceNotFound,
                               "Statement " + sid + " is not found in resource policy.");
  }
  (*function)->policy_revision = NewRequestId();
  return NoContent();
}

}  // namespace lifeboat
