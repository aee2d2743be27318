"""lifeboat local's runtime client for python3.x Lambda functions (standard library only).

Speaks the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API as AWS's Python runtime does: imports
the handler named by _HANDLER ("module.function") from LAMBDA_TASK_ROOT, then runs it for each
event and posts its result or an error document.
"""
import decimal
import http.client
import importlib
import json
import os
import sys
import time
import traceback

RUNTIME_PATH = "/2018-06-01/runtime"
THIS_FILE = os.path.abspath(__file__)


class FaultException(Exception):
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MARSHAL_ERROR = "Runtime.MarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace or []

    def document(self, request_id):
        return {"errorMessage": self.msg, "errorType": self.exception_type,
                "requestId": request_id, "stackTrace": self.trace}


class RuntimeApi:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host = host
        self.port = int(port)

    def request(self, method, path, body=None, headers=None):
        # A connection per request: /next may wait for hours, and nothing here is hot.
        conn = http.client.HTTPConnection(self.host, self.port)
        try:
            conn.request(method, RUNTIME_PATH + path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def next(self):
        status, headers, body = self.request("GET", "/invocation/next")
        if status != 200:
            raise SystemExit(f"runtime API /next answered {status}: {body!r}")
        return headers, body

    def post_response(self, request_id, payload):
        self.request("POST", f"/invocation/{request_id}/response", payload,
                     {"Content-Type": "application/json"})

    def post_error(self, request_id, error):
        self.request("POST", f"/invocation/{request_id}/error", json.dumps(error).encode(),
                     {"Content-Type": "application/json",
                      "Lambda-Runtime-Function-Error-Type": error["errorType"]})

    def post_init_error(self, error):
        self.request("POST", "/init/error", json.dumps(error).encode(),
                     {"Content-Type": "application/json",
                      "Lambda-Runtime-Function-Error-Type": error["errorType"]})


class ClientContext:
    def __init__(self, document):
        self.client = document.get("client")
        self.custom = document.get("custom")
        self.env = document.get("env")


class CognitoIdentity:
    def __init__(self, document):
        self.cognito_identity_id = document.get("cognitoIdentityId")
        self.cognito_identity_pool_id = document.get("cognitoIdentityPoolId")


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        self.identity = CognitoIdentity(json.loads(identity)) if identity else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def __repr__(self):
        return (f"LambdaContext([aws_request_id={self.aws_request_id},"
                f"function_name={self.function_name},"
                f"invoked_function_arn={self.invoked_function_arn}])")


def load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME,
                             f"Bad handler '{handler}': {e}")
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT,
                             f"Cannot use built-in module {module_name} as a handler module")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR,
                             f"Unable to import module '{module_name}': {e}")
    except SyntaxError as e:
        trace = [f'  File "{e.filename}" Line {e.lineno}\n    {e.text}']
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR,
                             f"Syntax error in module '{module_name}': {e}", trace)
    function = getattr(module, function_name, None)
    if function is None:
        fault = FaultException(FaultException.HANDLER_NOT_FOUND,
                               f"Handler '{function_name}' missing on module '{module_name}'")

        def missing_handler(event, context):
            raise fault
        return missing_handler
    return function


def exception_document(exc_info, request_id):
    error_type, value, tb = exc_info
    frames = [f for f in traceback.extract_tb(tb) if os.path.abspath(f.filename) != THIS_FILE]
    return {"errorMessage": str(value), "errorType": error_type.__name__,
            "requestId": request_id, "stackTrace": traceback.format_list(frames)}


def log_error(error):
    lines = [f"[ERROR] {error['errorType']}: {error['errorMessage']}"]
    if error["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.append("".join(error["stackTrace"]).rstrip("\n"))
    print("\n".join(lines), flush=True)


def to_json(result):
    def fallback(value):
        if isinstance(value, decimal.Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    try:
        return json.dumps(result, default=fallback).encode()
    except (TypeError, ValueError) as e:
        raise FaultException(FaultException.MARSHAL_ERROR, f"Unable to marshal response: {e}")


def main():
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", os.getcwd()))
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except FaultException as fault:
        error = fault.document("")
    except Exception:
        error = exception_document(sys.exc_info(), "")
    else:
        error = None
    if error is not None:
        log_error(error)
        api.post_init_error(error)
        sys.exit(1)

    while True:
        headers, body = api.next()
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            context = LambdaContext(request_id, int(headers.get("Lambda-Runtime-Deadline-Ms", "0")),
                                    headers.get("Lambda-Runtime-Invoked-Function-Arn"),
                                    headers.get("Lambda-Runtime-Client-Context"),
                                    headers.get("Lambda-Runtime-Cognito-Identity"))
            event = json.loads(body) if body else {}
            payload = to_json(handler(event, context))
        except FaultException as fault:
            error = fault.document(request_id)
        except Exception:
            error = exception_document(sys.exc_info(), request_id)
        else:
            api.post_response(request_id, payload)
            continue
        log_error(error)
        api.post_error(request_id, error)


if __name__ == "__main__":
    main()
