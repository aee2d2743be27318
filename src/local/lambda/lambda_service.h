// LocalLambda: the Lambda of `lifeboat local` (REST-JSON, API version 2015-03-31), running
// functions as real local processes:
//   CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction,
//   Invoke (RequestResponse, Event, DryRun), the old InvokeAsync, AddPermission,
//   GetPolicy, RemovePermission (permissions are recorded, never enforced).
// Runtimes: provided.al2023 / provided.al2 / provided (the package's `bootstrap`) and
// python3.x (lifeboat's runtime client, python_runtime_client.h, run by the image's
// python3 whichever minor version the function names). Functions take the name, a partial
// ARN or the full ARN everywhere; only $LATEST exists. Timeout is enforced (the sandbox's
// process group is killed); MemorySize is reported to the function, not enforced.
//
// On disk, under options.dir (<state>/lambda):
//   functions/<name>/code.zip, task/ (the unzipped package, LAMBDA_TASK_ROOT),
//     runtime/bootstrap.py (LAMBDA_RUNTIME_DIR)
//   logs/<name>.log  what the function's sandboxes print, plus Lambda's START/END/REPORT
//     lines: the stand-in for CloudWatch log group /aws/lambda/<name>; kept after deletion.
// Functions live in memory: they do not survive a restart of `lifeboat local` (functions/
// is cleared when the service starts).
//
// Errors are AWS's: x-amzn-ErrorType plus {"Type": "User", "message": ...} bodies,
// ResourceNotFoundException (404), ResourceConflictException (409),
// InvalidParameterValueException (400), InvalidRequestContentException (400),
// RequestTooLargeException (413), TooManyRequestsException (429).
//
// Thread-safe. A synchronous Invoke blocks its server thread while the function runs.
// Stop() (and the destructor) kills every function process and joins every thread.
#ifndef LIFEBOAT_LOCAL_LAMBDA_LAMBDA_SERVICE_H_
#define LIFEBOAT_LOCAL_LAMBDA_LAMBDA_SERVICE_H_

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/env.h"
#include "common/status.h"
#include "local/lambda/async_invoker.h"
#include "local/lambda/function_host.h"
#include "local/lambda/function_launch.h"
#include "local/local_service.h"

namespace lifeboat {

struct LocalLambdaOptions {
  std::string dir;  // <state>/lambda
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string cloud_endpoint;  // "http://127.0.0.1:<port>", AWS_ENDPOINT_URL of functions
  std::string access_key;      // the local cloud's credentials, given to functions as the
  std::string secret_key;      // function role's would be
  // Lifecycle timers of `lifeboat local` run this many times faster; so do the waits
  // between retries of failed asynchronous invocations (AWS: 1 and 2 minutes).
  double time_scale = 1.0;
  FunctionHostOptions host;
  // Asynchronous invocations run side by side, as on AWS up to the account's concurrency
  // (1,000 by default): with a handful, a scale-in of more instances than workers made the
  // later events wait for an earlier controller to finish, past their hooks' timeouts.
  size_t async_workers = 64;
};

class LocalLambda final : public LocalService {
 public:
  // `env` (clocks, files, the host's PATH and HOME) must outlive the service.
  LocalLambda(Env* env, LocalLambdaOptions options);
  ~LocalLambda() override;
  LocalLambda(const LocalLambda&) = delete;
  LocalLambda& operator=(const LocalLambda&) = delete;

  LocalResponse Handle(const LocalRequest& request) override;

  // Queues an asynchronous (Event) invocation, as EventBridge delivers to a Lambda target.
  // kNotFound for an unknown function.
  Status InvokeAsync(const std::string& function_name_or_arn, std::string payload);

  void Stop();

 private:
  struct Function {
    std::shared_ptr<FunctionHost> host;
    std::string dir;
    std::map<std::string, std::string> statements;  // StatementId -> statement JSON
    std::string policy_revision;
  };
  struct Route;

  LocalResponse CreateFunction(const LocalRequest& request);
  LocalResponse GetFunction(const std::string& name_or_arn, bool configuration_only);
  LocalResponse ListFunctions();
  LocalResponse DeleteFunction(const std::string& name_or_arn);
  LocalResponse Invoke(const LocalRequest& request, const std::string& name_or_arn);
  LocalResponse InvokeAsyncLegacy(const LocalRequest& request, const std::string& name_or_arn);
  LocalResponse AddPermission(const LocalRequest& request, const std::string& name_or_arn);
  LocalResponse GetPolicy(const std::string& name_or_arn);
  LocalResponse RemovePermission(const std::string& name_or_arn, const std::string& sid);

  // The function a caller names (with no qualifier but $LATEST), or the error to answer.
  Result<std::shared_ptr<Function>> Find(const std::string& name_or_arn,
                                         const std::string& qualifier = "");
  Status Build(const CreateFunctionInput& input, Function& function);
  AttemptResult RunAsync(const AsyncEvent& event);

  Env* const env_;
  const LocalLambdaOptions options_;
  const LambdaCloudInfo cloud_;

  std::mutex mu_;  // guards what follows
  std::map<std::string, std::shared_ptr<Function>> functions_;
  std::set<std::string> creating_;  // names being created, reserved
  bool stopped_ = false;

  std::unique_ptr<AsyncInvoker> async_;  // last: its workers use the members above
};

// A REST-JSON error as Lambda sends it.
LocalResponse LambdaErrorResponse(int status, std::string_view type, std::string_view message);
// The error response for a Status: its service_code when set, else by its code.
LocalResponse LambdaErrorResponse(const Status& status);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_LAMBDA_SERVICE_H_
