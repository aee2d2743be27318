"""Shared pieces of lifeboat's integration tests: real peers on 127.0.0.1.

Starts moto_server (the image's Python has it), runs the real lifeboat binary and the real
aws CLI, and never lets anything reach a non-loopback address: the instance metadata
service is disabled unless a test points it at its own server.
"""
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

LIFEBOAT = os.environ.get("LIFEBOAT_BIN", os.path.join(os.path.dirname(__file__), "../../build/lifeboat"))
LOGGEN = os.environ.get("LOGGEN_BIN", os.path.join(os.path.dirname(__file__), "../../build/bench/loggen"))
REGION = "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(**extra):
    """An environment with no AWS identity of the caller's and no route to real AWS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_EC2_METADATA_DISABLED="true",
        AWS_DEFAULT_REGION=REGION,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Moto:
    """A moto_server process on a free loopback port."""

    def __init__(self, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="moto-", suffix=".log", delete=False)
        # The request recorder writes to the working directory unless told otherwise.
        self.recording = self.log.name[:-len(".log")] + ".recording"
        moto_env = base_env(MOTO_RECORDER_FILEPATH=self.recording, **env)
        self.proc = subprocess.Popen(
            ["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
            env=moto_env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1).read()
                return
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"moto_server did not start; see {self.log.name}")
                time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.unlink(self.log.name)
        if os.path.exists(self.recording):
            os.unlink(self.recording)

    def api(self, path, method="GET", data=None):
        req = urllib.request.Request(self.url + "/moto-api/" + path, method=method, data=data)
        return urllib.request.urlopen(req, timeout=10).read().decode()

    def boto3(self, service, **kw):
        import boto3
        args = dict(endpoint_url=self.url, region_name=REGION,
                    aws_access_key_id="test", aws_secret_access_key="test")
        args.update(kw)
        return boto3.client(service, **args)


def start_moto(test_class, *buckets):
    """moto_server for a TestCase class, from setUpClass: sets test_class.moto and
    test_class.s3 (a boto3 client), creates `buckets`, and stops the server after the class,
    also when the rest of setUpClass fails."""
    test_class.moto = Moto()
    test_class.addClassCleanup(test_class.moto.stop)
    test_class.s3 = test_class.moto.boto3("s3")
    for bucket in buckets:
        test_class.s3.create_bucket(Bucket=bucket)
    return test_class.moto


def run(args, env=None, check=False, timeout=300, stdin=None):
    """Runs a command; returns CompletedProcess with text stdout/stderr."""
    p = subprocess.run(args, env=env if env is not None else base_env(), capture_output=True,
                       timeout=timeout, stdin=stdin)
    p.stdout_text = p.stdout.decode(errors="replace")
    p.stderr_text = p.stderr.decode(errors="replace")
    if check and p.returncode != 0:
        raise AssertionError(f"{args} exited {p.returncode}\nstdout: {p.stdout_text}\nstderr: {p.stderr_text}")
    return p


def lifeboat(*args, env=None, check=False, timeout=300):
    return run([LIFEBOAT, *args], env=env, check=check, timeout=timeout)


def aws(*args, env=None, check=True):
    return run(["aws", *args], env=env, check=check)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def whole_manifest(get, instance):
    """The instance's whole manifest: the head (.lifeboat/manifest.json) with the chunks of
    its numbered parts merged in, as `lifeboat verify` reads it. `get(key)` returns an
    object's bytes, or None when it does not exist. Returns None without a head."""
    text = get(f"{instance}/.lifeboat/manifest.json")
    if text is None:
        return None
    head = json.loads(text)
    streams = {}
    pieces = []
    for n in range(1, head["parts"] + 1):
        part = json.loads(get(f"{instance}/.lifeboat/manifest/part-{n:08d}.json"))
        assert part["part"] == n, part["part"]
        pieces.append(part["streams"])
    pieces.append(head["streams"])
    for piece in pieces:
        for s in piece:
            merged = streams.setdefault((s["path"], s["stream"]), {**s, "chunks": []})
            merged["identity"] = s["identity"]
            merged["finished"] = merged["finished"] or s["finished"]
            for c in s["chunks"]:
                if merged["chunks"] and c["end"] <= merged["chunks"][-1]["end"]:
                    continue  # a part written again after an interrupted update
                merged["chunks"].append(c)
    whole = dict(head)
    whole["parts"] = 0
    whole["streams"] = [dict(v, base_end=0) for _, v in sorted(streams.items())]
    return whole


def whole_manifest_in_dir(store_dir, instance):
    """whole_manifest() of a file:// store's directory."""
    def get(key):
        path = os.path.join(store_dir, key)
        return read(path) if os.path.exists(path) else None
    return whole_manifest(get, instance)


def rebuild_from_download(download_dir, source_path):
    """Rebuilds a file as an operator without lifeboat would: `zstd -dc` (or gunzip, or cat)
    over the downloaded chunk files in name order."""
    chunk_dir = os.path.join(download_dir, source_path.lstrip("/"))
    names = sorted(os.listdir(chunk_dir))
    out = b""
    for name in names:
        path = os.path.join(chunk_dir, name)
        if name.endswith(".zst"):
            out += run(["zstd", "-dc", path], check=True).stdout
        elif name.endswith(".gz"):
            out += run(["gzip", "-dc", path], check=True).stdout
        else:
            out += read(path)
    return out


class TempDirTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lifeboat-it-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def write(self, rel, data):
        path = os.path.join(self.tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def loggen(self, rel_dir, files, total, seed=1):
        out = os.path.join(self.tmp, rel_dir)
        run([LOGGEN, "--out", out, "--files", str(files), "--total-bytes", str(total),
             "--seed", str(seed)], check=True)
        return sorted(os.path.join(out, n) for n in os.listdir(out))

    def assertFailsWithOneLine(self, proc, *fragments):
        self.assertNotEqual(proc.returncode, 0, proc.stderr_text)
        lines = [l for l in proc.stderr_text.splitlines() if l.startswith("lifeboat:")]
        self.assertTrue(lines, f"no 'lifeboat:' line in stderr: {proc.stderr_text!r}")
        text = "\n".join(lines)
        for fragment in fragments:
            self.assertIn(fragment, text)


def json_out(proc):
    return json.loads(proc.stdout_text)


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls until predicate() is truthy; returns its value or raises naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class FakeImds:
    """IMDSv2 as EC2 serves it on 127.0.0.1: a PUT for a token, then GETs that must carry it,
    answering `metadata` (paths under /latest/meta-data/, and "dynamic/..." under /latest/)
    and 404 for the rest.

        imds = FakeImds(self, {"instance-id": "i-0...", "placement/region": "eu-west-1"})
        env = base_env(**imds.env())
    """
    TOKEN = "tok-123"

    def __init__(self, test, metadata):
        token = self.TOKEN

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                if self.path != "/latest/api/token" or \
                        "X-aws-ec2-metadata-token-ttl-seconds" not in self.headers:
                    self.send_response(400)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("X-aws-ec2-metadata-token-ttl-seconds", "21600")
                self.end_headers()
                self.wfile.write(token.encode())

            def do_GET(self):
                if self.headers.get("X-aws-ec2-metadata-token") != token:
                    self.send_response(401)
                    self.end_headers()
                    return
                prefix = "/latest/meta-data/"
                body = metadata.get(self.path[len(prefix):]) if self.path.startswith(prefix) else None
                if self.path.startswith("/latest/dynamic/"):  # the identity document
                    body = metadata.get(self.path[len("/latest/"):])
                self.send_response(200 if body else 404)
                self.end_headers()
                if body:
                    self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        test.addCleanup(self.server.server_close)
        test.addCleanup(self.server.shutdown)

    def env(self):
        """What points lifeboat's metadata client here."""
        return {"AWS_EC2_METADATA_DISABLED": "false",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": f"http://127.0.0.1:{self.server.server_port}"}
