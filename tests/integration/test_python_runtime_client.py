"""The runtime client lifeboat local runs python3.x functions with
(src/local/lambda/python_runtime_client.py, embedded in lifeboat-local), run as the real
script in a subprocess against a small fake Lambda Runtime API on 127.0.0.1: what it posts
for a handler's value, for a handler's exception, and for a handler it cannot load."""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.normpath(os.path.join(HERE, "../../src/local/lambda/python_runtime_client.py"))
RUNTIME = "/2018-06-01/runtime"

HANDLER = """\
def handler(event, context):
    if event.get("raise"):
        raise ValueError("asked to raise: " + event["raise"])
    return {"echo": event, "request_id": context.aws_request_id,
            "function": context.function_name,
            "arn": context.invoked_function_arn,
            "time_left": context.get_remaining_time_in_millis() > 0}
"""


class FakeRuntimeApi:
    """Hands out `events` on /invocation/next, one per call, then answers 410 (the client
    exits on any answer but 200); records every POST."""

    def __init__(self, events):
        self.events = list(events)
        self.nexts = 0
        self.posts = []  # (path, headers, parsed JSON body)
        self.lock = threading.Lock()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != RUNTIME + "/invocation/next":
                    self.send_error(404)
                    return
                with api.lock:
                    api.nexts += 1
                    event = api.events.pop(0) if api.events else None
                if event is None:
                    self.send_response(410)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                request_id, payload = event
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", request_id)
                self.send_header("Lambda-Runtime-Deadline-Ms", "99999999999999")
                self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                                 "arn:aws:lambda:us-east-1:000000000000:function:fn")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with api.lock:
                    api.posts.append((self.path, dict(self.headers), json.loads(body)))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self):
        return f"127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class PythonRuntimeClientTest(unittest.TestCase):
    def setUp(self):
        self.task_root = tempfile.TemporaryDirectory()
        self.addCleanup(self.task_root.cleanup)
        with open(os.path.join(self.task_root.name, "app.py"), "w") as f:
            f.write(HANDLER)

    def run_client(self, handler, events):
        """Runs the script until the fake API runs out of events; returns the API and the
        finished process."""
        api = FakeRuntimeApi(events)
        self.addCleanup(api.stop)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "PYTHONDONTWRITEBYTECODE": "1",
               "AWS_LAMBDA_RUNTIME_API": api.address,
               "LAMBDA_TASK_ROOT": self.task_root.name,
               "AWS_LAMBDA_FUNCTION_NAME": "fn",
               "_HANDLER": handler}
        process = subprocess.run([sys.executable, SCRIPT], env=env, cwd=self.task_root.name,
                                 capture_output=True, text=True, timeout=60)
        return api, process

    def test_a_returned_value_is_posted_as_the_response(self):
        api, process = self.run_client("app.handler", [("req-1", {"n": 1, "s": "caf\u00e9"}),
                                                       ("req-2", {"n": 2})])
        self.assertEqual([path for path, _, _ in api.posts],
                         [RUNTIME + "/invocation/req-1/response",
                          RUNTIME + "/invocation/req-2/response"], process.stdout)
        path, headers, body = api.posts[0]
        self.assertEqual(headers.get("Content-Type"), "application/json")
        self.assertEqual(body, {"echo": {"n": 1, "s": "caf\u00e9"}, "request_id": "req-1",
                                "function": "fn",
                                "arn": "arn:aws:lambda:us-east-1:000000000000:function:fn",
                                "time_left": True})
        self.assertEqual(api.posts[1][2]["echo"], {"n": 2})
        # It asked for a third event, got 410, and stopped.
        self.assertEqual(api.nexts, 3)
        self.assertNotEqual(process.returncode, 0)
        self.assertIn("410", process.stderr)

    def test_an_exception_is_posted_as_an_error_and_the_loop_goes_on(self):
        api, process = self.run_client("app.handler", [("req-err", {"raise": "seven"}),
                                                       ("req-ok", {"n": 1})])
        self.assertEqual(len(api.posts), 2, process.stdout)
        path, headers, error = api.posts[0]
        self.assertEqual(path, RUNTIME + "/invocation/req-err/error")
        self.assertEqual(headers.get("Lambda-Runtime-Function-Error-Type"), "ValueError")
        self.assertEqual(error["errorMessage"], "asked to raise: seven")
        self.assertEqual(error["errorType"], "ValueError")
        self.assertEqual(error["requestId"], "req-err")
        # The trace is the handler's own frames, not the runtime client's.
        trace = "".join(error["stackTrace"])
        self.assertIn("app.py", trace)
        self.assertIn("raise ValueError", trace)
        self.assertNotIn("python_runtime_client.py", trace)
        # The error is logged as AWS's runtime logs it, on stdout.
        self.assertIn("[ERROR] ValueError: asked to raise: seven", process.stdout)
        self.assertEqual(api.posts[1][0], RUNTIME + "/invocation/req-ok/response")

    def test_a_handler_that_cannot_load_is_an_init_error(self):
        cases = [("nodot", "Runtime.MalformedHandlerName", "Bad handler 'nodot'"),
                 ("missing_module.handler", "Runtime.ImportModuleError",
                  "Unable to import module 'missing_module'")]
        for handler, error_type, message in cases:
            with self.subTest(handler=handler):
                api, process = self.run_client(handler, [("never", {})])
                self.assertEqual(process.returncode, 1, process.stderr)
                self.assertEqual(len(api.posts), 1, api.posts)
                path, headers, error = api.posts[0]
                self.assertEqual(path, RUNTIME + "/init/error")
                self.assertEqual(headers.get("Lambda-Runtime-Function-Error-Type"), error_type)
                self.assertEqual(error["errorType"], error_type)
                self.assertIn(message, error["errorMessage"])
                # No invocation was asked for: the event is still waiting.
                self.assertEqual(api.nexts, 0)


if __name__ == "__main__":
    unittest.main()
