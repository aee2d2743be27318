// The runtime client lifeboat ships for python3.x functions: a Python script (standard
// library only) that does what AWS's Python runtime does. It imports the `module.function`
// named by _HANDLER from LAMBDA_TASK_ROOT, then loops on the Runtime API: next event ->
// handler(event, context) -> response, or an error document shaped like AWS's
// {"errorMessage", "errorType", "requestId", "stackTrace"}. Import failures are reported on
// /runtime/init/error (Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
// Runtime.MalformedHandlerName) before exiting; a missing function is
// Runtime.HandlerNotFound on each invocation; a result that is not JSON-serialisable is
// Runtime.MarshalError. The context object has AWS's attributes (aws_request_id,
// function_name, invoked_function_arn, memory_limit_in_mb, log_group_name,
// log_stream_name, get_remaining_time_in_millis(), ...).
//
// The script is src/local/lambda/python_runtime_client.py, embedded at build time
// (src/CMakeLists.txt) and tested as Python by tests/integration/test_python_runtime_client.py.
// The Lambda service writes it to <function>/runtime/bootstrap.py (LAMBDA_RUNTIME_DIR) and
// runs it with the image's python3 from PATH.
#ifndef LIFEBOAT_LOCAL_LAMBDA_PYTHON_RUNTIME_CLIENT_H_
#define LIFEBOAT_LOCAL_LAMBDA_PYTHON_RUNTIME_CLIENT_H_

#include <string_view>

namespace lifeboat {

// The script's text (python_runtime_client.py, byte for byte).
std::string_view PythonRuntimeClient();

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_PYTHON_RUNTIME_CLIENT_H_
