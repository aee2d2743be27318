"""Lambda in `lifeboat local`, driven by the real aws CLI and boto3: functions run as real
processes (python3.x through lifeboat's runtime client, provided.al2023 through their own
`bootstrap`), and boto3 inside a function reaches the local cloud through AWS_ENDPOINT_URL
with the local cloud's credentials."""
import io
import json
import os
import tempfile
import time
import unittest
import zipfile

from botocore.exceptions import ClientError

from local_harness import ACCOUNT, LocalCloud

ROLE = f"arn:aws:iam::{ACCOUNT}:role/lambda-role"

BOTO3_HANDLER = """\
import json
import os
import time

import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("raise"):
        raise ValueError("asked to raise: " + event["raise"])
    if "bucket" in event:
        try:
            s3.create_bucket(Bucket=event["bucket"])
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        s3.put_object(Bucket=event["bucket"], Key=event["key"], Body=json.dumps(event).encode())
    return {"request_id": context.aws_request_id, "endpoint": os.environ.get("AWS_ENDPOINT_URL"),
            "function": context.function_name, "event": event}
"""

# The seed's handler, as its blog post writes it (Python 3.8, boto3's SSM client).
SEED_HANDLER = """\
import json
import boto3

ssm = boto3.client('ssm')

def lambda_handler(event, context):
    EC2InstanceId = event['detail']['EC2InstanceId']

    response = ssm.send_command(
        InstanceIds = [EC2InstanceId],
        DocumentName = "log-upload"
        )
    return
"""

# A custom runtime as AWS's tutorial writes one: shell and curl on the Runtime API.
CURL_BOOTSTRAP = """\
#!/bin/sh
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
headers="$(mktemp)"
while true; do
  event="$(curl -sS -D "$headers" "$api/invocation/next")"
  id="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | cut -d' ' -f2 | tr -d '\\r\\n')"
  arn="$(grep -i '^Lambda-Runtime-Invoked-Function-Arn:' "$headers" | cut -d' ' -f2 | tr -d '\\r\\n')"
  case "$event" in
    *fail*)
      curl -sS -o /dev/null -H "Lambda-Runtime-Function-Error-Type: Custom.Failure" \\
        -d '{"errorMessage":"the bootstrap failed","errorType":"Custom.Failure"}' \\
        "$api/invocation/$id/error" ;;
    *)
      curl -sS -o /dev/null -d "{\\"echo\\":$event,\\"arn\\":\\"$arn\\",\\"handler\\":\\"$_HANDLER\\"}" \\
        "$api/invocation/$id/response" ;;
  esac
done
"""


def zip_bytes(files):
    """A deployment package; `files` maps names to (text, mode)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (text, mode) in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


class LocalLambdaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Time scale 60: the retries of failed Event invocations come after 1 s and 2 s.
        cls.cloud = LocalCloud(args=["--time-scale", "60"])
        cls.lam = cls.cloud.client("lambda")
        cls.s3 = cls.cloud.client("s3")
        cls.tmp = tempfile.mkdtemp(prefix="lifeboat-lambda-test-")

    @classmethod
    def tearDownClass(cls):
        cls.cloud.stop()

    def zip_file(self, name, files):
        path = os.path.join(self.tmp, name + ".zip")
        with open(path, "wb") as f:
            f.write(zip_bytes(files))
        return path

    def create_python(self, name, code=BOTO3_HANDLER, runtime="python3.12", timeout=None):
        args = ["create-function", "--function-name", name, "--runtime", runtime,
                "--role", ROLE, "--handler", "lambda_function.lambda_handler",
                "--zip-file", "fileb://" + self.zip_file(name, {"lambda_function.py": (code, 0o644)})]
        if timeout:
            args += ["--timeout", str(timeout)]
        return self.cloud.aws("lambda", *args)

    def function_processes(self, name):
        """Live processes running this function's code (its sandboxes)."""
        marker = os.path.join(self.cloud.state_dir, "lambda", "functions", name) + "/"
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
                with open(f"/proc/{pid}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker in cmdline and state != "Z":
                found.append(int(pid))
        return found

    def cli_invoke(self, name, payload):
        out = os.path.join(self.tmp, name + "-out.json")
        result = self.cloud.aws("lambda", "invoke", "--function-name", name,
                                "--payload", json.dumps(payload), out)
        with open(out) as f:
            return result, f.read()

    def test_python_function_uses_boto3_inside_against_the_local_cloud(self):
        created = self.create_python("boto-writer")
        self.assertEqual(created["FunctionArn"],
                         f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:boto-writer")
        self.assertEqual(created["Runtime"], "python3.12")
        self.assertEqual(created["State"], "Active")
        self.assertEqual(created["Timeout"], 3)
        result, body = self.cli_invoke("boto-writer", {"bucket": "from-lambda", "key": "k/1.json"})
        self.assertEqual(result["StatusCode"], 200)
        self.assertEqual(result["ExecutedVersion"], "$LATEST")
        self.assertNotIn("FunctionError", result)
        answer = json.loads(body)
        self.assertEqual(answer["endpoint"], self.cloud.url)
        self.assertEqual(answer["function"], "boto-writer")
        stored = self.s3.get_object(Bucket="from-lambda", Key="k/1.json")["Body"].read()
        self.assertEqual(json.loads(stored)["key"], "k/1.json")

        # The second invocation reuses the warm environment and still works.
        response = self.lam.invoke(FunctionName="boto-writer",
                                   Payload=json.dumps({"bucket": "from-lambda", "key": "k/2.json"}))
        self.assertEqual(response["StatusCode"], 200)
        self.s3.head_object(Bucket="from-lambda", Key="k/2.json")

        log = os.path.join(self.cloud.state_dir, "lambda", "logs", "boto-writer.log")
        with open(log) as f:
            text = f.read()
        self.assertIn("START RequestId: " + answer["request_id"], text)
        self.assertIn("REPORT RequestId: " + answer["request_id"], text)

    def test_an_exception_is_an_unhandled_function_error(self):
        self.create_python("raiser")
        response = self.lam.invoke(FunctionName="raiser", Payload=json.dumps({"raise": "now"}))
        self.assertEqual(response["StatusCode"], 200)
        self.assertEqual(response["FunctionError"], "Unhandled")
        error = json.loads(response["Payload"].read())
        self.assertEqual(error["errorType"], "ValueError")
        self.assertEqual(error["errorMessage"], "asked to raise: now")
        self.assertTrue(any("lambda_function.py" in line for line in error["stackTrace"]))

    def test_a_custom_runtime_bootstrap_speaks_the_runtime_api_with_curl(self):
        path = self.zip_file("curl-fn", {"bootstrap": (CURL_BOOTSTRAP, 0o755)})
        self.cloud.aws("lambda", "create-function", "--function-name", "curl-fn",
                       "--runtime", "provided.al2023", "--role", ROLE, "--handler", "my.handler",
                       "--zip-file", "fileb://" + path)
        result, body = self.cli_invoke("curl-fn", {"hello": "world"})
        self.assertEqual(result["StatusCode"], 200)
        answer = json.loads(body)
        self.assertEqual(answer["echo"], {"hello": "world"})
        self.assertEqual(answer["arn"], f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:curl-fn")
        self.assertEqual(answer["handler"], "my.handler")
        failed = self.lam.invoke(FunctionName="curl-fn", Payload=b'{"please":"fail"}')
        self.assertEqual(failed["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(failed["Payload"].read())["errorType"], "Custom.Failure")

    def test_a_function_past_its_timeout_fails_and_the_next_invocation_works(self):
        self.create_python("sleeper", timeout=1)
        started = time.time()
        response = self.lam.invoke(FunctionName="sleeper", Payload=json.dumps({"sleep": 5}))
        self.assertLess(time.time() - started, 4.5)
        self.assertEqual(response["FunctionError"], "Unhandled")
        error = json.loads(response["Payload"].read())
        self.assertEqual(error["errorType"], "Sandbox.Timedout")
        self.assertIn("Task timed out after 1.00 seconds", error["errorMessage"])
        again = self.lam.invoke(FunctionName="sleeper", Payload=b"{}")
        self.assertNotIn("FunctionError", again)
        self.assertEqual(json.loads(again["Payload"].read())["function"], "sleeper")

    def test_event_invocations_run_asynchronously(self):
        self.create_python("async-writer")
        self.s3.create_bucket(Bucket="async-out")
        response = self.lam.invoke(FunctionName="async-writer", InvocationType="Event",
                                   Payload=json.dumps({"bucket": "async-out", "key": "done"}))
        self.assertEqual(response["StatusCode"], 202)
        self.assertEqual(response["Payload"].read(), b"")
        deadline = time.time() + 30
        while True:
            try:
                self.s3.head_object(Bucket="async-out", Key="done")
                break
            except ClientError:
                self.assertLess(time.time(), deadline, "the Event invocation never ran")
                time.sleep(0.2)
        dry = self.lam.invoke(FunctionName="async-writer", InvocationType="DryRun")
        self.assertEqual(dry["StatusCode"], 204)

    def test_get_and_delete_a_function(self):
        self.create_python("short-lived")
        got = self.cloud.aws("lambda", "get-function", "--function-name",
                             f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:short-lived")
        self.assertEqual(got["Configuration"]["FunctionName"], "short-lived")
        self.assertEqual(got["Configuration"]["Handler"], "lambda_function.lambda_handler")
        self.lam.invoke(FunctionName="short-lived", Payload=b"{}")  # a warm process to end
        self.assertTrue(self.function_processes("short-lived"))
        permission = self.cloud.aws("lambda", "add-permission", "--function-name", "short-lived",
                                    "--statement-id", "events", "--action",
                                    "lambda:InvokeFunction", "--principal",
                                    "events.amazonaws.com")
        self.assertEqual(json.loads(permission["Statement"])["Sid"], "events")
        deleted = self.cloud.aws("lambda", "delete-function", "--function-name", "short-lived")
        # Newer botocore models surface the 204 status; older ones print nothing.
        self.assertIn(deleted, (None, {"StatusCode": 204}))
        self.assertEqual(self.function_processes("short-lived"), [])
        p = self.cloud.aws("lambda", "get-function", "--function-name", "short-lived", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("ResourceNotFoundException", p.stderr_text)

    def test_errors_are_aws_errors(self):
        self.create_python("twice")
        p = self.cloud.aws("lambda", "create-function", "--function-name", "twice",
                           "--runtime", "python3.12", "--role", ROLE,
                           "--handler", "lambda_function.lambda_handler",
                           "--zip-file", "fileb://" + self.zip_file("twice", {"a.py": ("", 0o644)}),
                           check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("ResourceConflictException", p.stderr_text)
        with self.assertRaises(ClientError) as missing:
            self.lam.invoke(FunctionName="no-such-function", Payload=b"{}")
        self.assertEqual(missing.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(missing.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)
        with self.assertRaises(ClientError) as bad_zip:
            self.lam.create_function(FunctionName="bad-zip", Runtime="python3.12", Role=ROLE,
                                     Handler="a.b", Code={"ZipFile": b"not a zip"})
        self.assertEqual(bad_zip.exception.response["Error"]["Code"],
                         "InvalidParameterValueException")
        with self.assertRaises(ClientError) as bad_runtime:
            self.lam.create_function(FunctionName="bad-runtime", Runtime="java21", Role=ROLE,
                                     Handler="a.b", Code={"ZipFile": zip_bytes({"a": ("", 0o644)})})
        self.assertEqual(bad_runtime.exception.response["Error"]["Code"],
                         "InvalidParameterValueException")

    def test_the_seeds_handler_runs_as_written(self):
        self.create_python("seed-log-upload", code=SEED_HANDLER, runtime="python3.8")
        response = self.lam.invoke(
            FunctionName="seed-log-upload",
            Payload=json.dumps({"source": "aws.autoscaling",
                                "detail-type": "EC2 Instance-terminate Lifecycle Action",
                                "detail": {"EC2InstanceId": "i-0123456789abcdef0"}}))
        self.assertEqual(response["StatusCode"], 200)
        # It read the instance id and called SSM in this cloud; there is no such instance
        # here, so SendCommand's error comes back as the function's.
        self.assertEqual(response.get("FunctionError"), "Unhandled")
        error = json.loads(response["Payload"].read())
        self.assertIn("when calling the SendCommand operation", error["errorMessage"])
        missing = self.lam.invoke(FunctionName="seed-log-upload", Payload=b"{}")
        self.assertEqual(json.loads(missing["Payload"].read())["errorType"], "KeyError")


if __name__ == "__main__":
    unittest.main()
