"""A `lifeboat local` process for integration tests, with the outside clients that talk to it
(boto3 and the real aws CLI), all on 127.0.0.1."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import boto3
from botocore.config import Config

from harness import LIFEBOAT, REGION, base_env, free_port, run

ACCOUNT = "000000000000"


class LocalCloud:
    """`lifeboat local` on a free loopback port (or `port`, to restart on the same one).

    State lives in `state_dir`, or in a temporary directory removed by stop(). `args` are
    extra command-line flags (for example ["--time-scale", "60"]).
    """

    def __init__(self, state_dir=None, port=None, args=(), read_timeout=60):
        self.owned_dir = None
        if state_dir is None:
            self.owned_dir = tempfile.mkdtemp(prefix="lifeboat-local-")
            state_dir = os.path.join(self.owned_dir, "state")
        self.state_dir = state_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.read_timeout = read_timeout
        self.log_path = os.path.join(os.path.dirname(state_dir), f"local-{self.port}.log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [LIFEBOAT, "local", "--dir", state_dir, "--port", str(self.port), *args],
            env=base_env(), stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    self.log.close()
                    raise RuntimeError(f"lifeboat local did not start; see {self.log_path}")
                time.sleep(0.05)

    def client(self, service, secret="test", **config):
        """A boto3 client that never retries, so every error reaches the test."""
        config.setdefault("read_timeout", self.read_timeout)
        return boto3.client(service, endpoint_url=self.url, region_name=REGION,
                            aws_access_key_id="test", aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}, **config))

    def cli(self, service, *args, env=None):
        """Runs `aws --endpoint-url URL --output json SERVICE ARGS...`; returns the process."""
        return run(["aws", "--endpoint-url", self.url, "--output", "json", service, *args],
                   env=env or base_env())

    def aws(self, service, *args, check=True):
        """Runs the aws CLI; returns parsed JSON (None for no output), or the process when
        check is False."""
        p = self.cli(service, *args)
        if not check:
            return p
        if p.returncode != 0:
            raise AssertionError(f"aws {service} {' '.join(args)} failed: {p.stderr_text}")
        return json.loads(p.stdout_text) if p.stdout_text.strip() else None

    def queue_url(self, name):
        return f"{self.url}/{ACCOUNT}/{name}"

    def kill(self):
        """SIGKILL, as a crash: the state directory stays for a restart."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        if self.owned_dir:
            shutil.rmtree(self.owned_dir, ignore_errors=True)
