"""Helpers for the `lifeboat agent` integration tests: write its YAML config, run it as a
subprocess (SIGTERM -> exit status, SIGKILL), read its metrics, and read back what it
stored -- straight from the directory for file:// stores, with boto3 for s3:// -- to rebuild
every stream and check it: chunks contiguous from byte 0 (no gap, no overlap), each chunk
decoding to exactly its range, and every line written appearing exactly once.
"""
import collections
import gzip
import json
import os
import re
import signal
import subprocess
import time
import urllib.request

from harness import LIFEBOAT, TempDirTestCase, base_env, free_port, lifeboat, wait_until, whole_manifest  # noqa: F401 (re-exported)

INSTANCE = "i-0a9e47c0ffee00001"
CHUNK_RE = re.compile(r"^(\d{6})-(\d{16})-(\d{16})(\.zst|\.gz)?$")

DEFAULTS = {
    "compression": {"codec": "zstd", "level": 1},
    "flush": {"max_bytes": "64KiB", "max_age": "200ms"},
    "parallel": 4,
    "rescan_interval": "200ms",
    "manifest_interval": "1s",
    "rotate_wait": "500ms",
    "retry": {"max_backoff": "1s"},
    "log": {"format": "text", "level": "info"},
}


# -- config -----------------------------------------------------------------------------
def _yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(str(v))  # a JSON string is a valid YAML double-quoted scalar


def to_yaml(value, indent=0):
    pad = " " * indent
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{k}:\n{to_yaml(v, indent + 2)}")
            else:
                out.append(f"{pad}{k}: {_yaml_inline(v)}")
        return "\n".join(out)
    if isinstance(value, list):
        out = []
        for item in value:
            body = to_yaml(item, indent + 2) if isinstance(item, (dict, list)) else \
                " " * (indent + 2) + _yaml_scalar(item)
            out.append(f"{pad}- {body.lstrip()}")
        return "\n".join(out)
    return pad + _yaml_scalar(value)


def _yaml_inline(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_yaml_inline(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_yaml_inline(x) for x in v) + "]"
    return _yaml_scalar(v)


def agent_config(destination, sources, state_dir, metrics_port=None, **overrides):
    """The agent's config as a dict. sources: globs, or dicts {path:, exclude: [...]}."""
    config = {"destination": destination, "instance_id": INSTANCE,
              "sources": [s if isinstance(s, dict) else {"path": s} for s in sources],
              "state_dir": state_dir}
    config.update(DEFAULTS)
    if metrics_port is not None:
        config["metrics"] = {"listen": f"127.0.0.1:{metrics_port}"}
    config.update(overrides)
    return {k: v for k, v in config.items() if v is not None}


def write_config(path, config):
    with open(path, "w") as f:
        f.write(to_yaml(config) + "\n")
    return path


# -- the agent process --------------------------------------------------------------------
class Agent:
    """One `lifeboat agent` at a time for a config; start() again after stop() or kill().
    Each start writes the config afresh with a new metrics port (a killed agent's port may
    linger in TIME_WAIT). Its stderr accumulates in `log_path` across restarts."""

    def __init__(self, workdir, destination, sources, env=None, **overrides):
        self.workdir = workdir
        self.destination = destination
        self.sources = sources
        self.env = env or base_env()
        self.overrides = overrides
        self.config_path = os.path.join(workdir, "agent.yaml")
        self.state_dir = os.path.join(workdir, "state")
        self.log_path = os.path.join(workdir, "agent.log")
        self.proc = None
        self.metrics_port = None
        self.starts = 0

    def start(self, wait=True, log_level=None):
        assert self.proc is None or self.proc.poll() is not None, "agent already running"
        self.metrics_port = free_port()
        write_config(self.config_path, agent_config(
            self.destination, self.sources, self.state_dir, self.metrics_port, **self.overrides))
        args = [LIFEBOAT, "agent", "--config", self.config_path]
        if log_level:
            args += ["--log-level", log_level]
        with open(self.log_path, "ab") as log:
            log.write(f"==== start {self.starts}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(args, env=self.env, stdout=log, stderr=log,
                                         stdin=subprocess.DEVNULL)
        self.starts += 1
        if wait:
            wait_until(lambda: self.metrics_text() is not None or self.proc.poll() is not None,
                       30, "the agent's metrics endpoint")
            if self.proc.poll() is not None:
                raise AssertionError(f"agent exited {self.proc.returncode} at start:\n"
                                     + self.log_tail())
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=120):
        """SIGTERM and wait; returns the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"agent did not exit within {timeout}s of SIGTERM:\n"
                                 + self.log_tail())

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def cleanup(self):
        if self.running():
            self.kill()

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines=40):
        return "\n".join(self.log_text().splitlines()[-lines:])

    # -- metrics ----------------------------------------------------------------------------
    def metrics_text(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics",
                                        timeout=2) as r:
                return r.read().decode()
        except OSError:
            return None

    def metrics(self):
        """{name: value} with labelled series summed per name; None if not answering."""
        text = self.metrics_text()
        return None if text is None else parse_metrics(text)

    def metric(self, name):
        m = self.metrics()
        return None if m is None else m.get(name)

    def wait_shipped(self, raw_bytes, timeout=60):
        """Waits until lifeboat_bytes_shipped_total reaches raw_bytes (since this start)."""
        def done():
            if not self.running():
                raise AssertionError("agent exited:\n" + self.log_tail())
            shipped = self.metric("lifeboat_bytes_shipped_total")
            return shipped is not None and shipped >= raw_bytes
        wait_until(done, timeout, f"{raw_bytes} bytes shipped (shipped: "
                   f"{self.metric('lifeboat_bytes_shipped_total')})")


def parse_metrics(text):
    values = collections.defaultdict(float)
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)", line)
        if m:
            values[m.group(1)] += float(m.group(3))
    return dict(values)


# -- the store ----------------------------------------------------------------------------
class FileStore:
    def __init__(self, root):
        self.root = root
        self.url = "file://" + root

    def keys(self, prefix):
        base = os.path.join(self.root, prefix)
        out = []
        for dirpath, _, files in os.walk(base):
            for f in files:
                out.append(os.path.relpath(os.path.join(dirpath, f), self.root))
        return sorted(out)

    def get(self, key):
        with open(os.path.join(self.root, key), "rb") as f:
            return f.read()


class S3Store:
    def __init__(self, client, bucket, prefix=""):
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")
        self.url = f"s3://{bucket}" + (f"/{self.prefix}" if self.prefix else "")

    def _full(self, key):
        return f"{self.prefix}/{key}" if self.prefix else key

    def keys(self, prefix):
        out = []
        for page in self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self._full(prefix)):
            for o in page.get("Contents", []):
                out.append(o["Key"][len(self.prefix) + 1:] if self.prefix else o["Key"])
        return sorted(out)

    def get(self, key):
        return self.client.get_object(Bucket=self.bucket, Key=self._full(key))["Body"].read()


def decode_chunk(name, data):
    if name.endswith(".zst"):
        p = subprocess.run(["zstd", "-dcq"], input=data, capture_output=True)
        if p.returncode != 0:
            raise ValueError(f"zstd -dc failed on {name}: {p.stderr.decode(errors='replace')}")
        return p.stdout
    if name.endswith(".gz"):
        return gzip.decompress(data)
    return data


class StoreContents:
    """Everything an instance has in a store, read back and checked.

    streams: {(source path, stream id): raw bytes, chunks concatenated in key order}
    chunks:  {(source path, stream id): [(begin, end, key)]}
    problems: one line per gap, overlap, bad chunk name or chunk of the wrong size
    manifest: the whole manifest (head and parts merged), or None
    """

    def __init__(self, store, instance=INSTANCE):
        self.problems = []
        self.streams = {}
        self.chunks = collections.defaultdict(list)
        self.manifest = None
        keys = store.keys(instance + "/")
        present = set(keys)
        self.manifest = whole_manifest(lambda k: store.get(k) if k in present else None, instance)
        for key in keys:
            rel = key[len(instance) + 1:]
            if rel.startswith(".lifeboat/"):
                continue
            directory, _, name = rel.rpartition("/")
            m = CHUNK_RE.match(name)
            if not m:
                self.problems.append(f"not a chunk name: {key}")
                continue
            path = "/" + directory
            self.chunks[(path, int(m.group(1)))].append((int(m.group(2)), int(m.group(3)), key))
        for sid, chunks in sorted(self.chunks.items()):
            chunks.sort()
            expected_begin, parts = 0, []
            for begin, end, key in chunks:
                if begin != expected_begin:
                    kind = "gap" if begin > expected_begin else "overlap"
                    self.problems.append(f"{kind} in {sid[0]} stream {sid[1]}: {key} begins at "
                                         f"{begin}, previous chunk ended at {expected_begin}")
                raw = decode_chunk(key, store.get(key))
                if len(raw) != end - begin:
                    self.problems.append(f"{key} holds {len(raw)} bytes, not {end - begin}")
                parts.append(raw)
                expected_begin = max(expected_begin, end)
            self.streams[sid] = b"".join(parts)

    def paths(self):
        return sorted({p for p, _ in self.streams})

    def path_bytes(self, path):
        """Every stream of `path` concatenated in stream order (what `aws s3 cp` + zstd give)."""
        return b"".join(self.streams[s] for s in sorted(s for s in self.streams if s[0] == path))

    def manifest_problems(self):
        """Differences between the manifest and the chunks actually stored."""
        if self.manifest is None:
            return ["no manifest"]
        problems = []
        listed = set()
        for s in self.manifest["streams"]:
            for c in s["chunks"]:
                listed.add((s["path"], s["stream"], c["begin"], c["end"]))
        stored = {(p, sid, b, e) for (p, sid), cs in self.chunks.items() for b, e, _ in cs}
        for extra in sorted(stored - listed):
            problems.append(f"stored but not in the manifest: {extra}")
        for missing in sorted(listed - stored):
            problems.append(f"in the manifest but not stored: {missing}")
        return problems


def line_report(contents, expected_lines):
    """Compares every line stored (all streams) with the lines written.
    Returns {"missing": [...], "duplicated": [...], "unexpected": [...]} (bytes lines)."""
    stored = collections.Counter()
    for data in contents.streams.values():
        for line in data.splitlines(keepends=True):
            stored[line] += 1
    expected = collections.Counter(expected_lines)
    return {
        "missing": [l for l in expected if stored[l] < expected[l]],
        "duplicated": [l for l in stored if l in expected and stored[l] > expected[l]],
        "unexpected": [l for l in stored if l not in expected],
    }


def verify(store_url, env=None, instance=INSTANCE):
    return lifeboat("verify", f"{store_url}/{instance}", env=env)


class AgentTestCase(TempDirTestCase):
    """A temp dir, a `logs/` directory under it, and helpers to check a store."""

    def setUp(self):
        super().setUp()
        self.logs = os.path.join(self.tmp, "logs")
        os.makedirs(self.logs)

    def new_agent(self, destination, sources, env=None, workdir=None, **overrides):
        agent = Agent(workdir or self.tmp, destination, sources, env=env, **overrides)
        self.addCleanup(agent.cleanup)
        return agent

    def assertStoppedCleanly(self, agent, timeout=120):
        rc = agent.stop(timeout)
        self.assertEqual(rc, 0, f"agent exited {rc} after SIGTERM:\n{agent.log_tail()}")

    def assertStoreExact(self, store, expected_lines, agent=None, env=None, sealed=True):
        """No gap/overlap, manifest == stored chunks, verify passes, every line once."""
        contents = StoreContents(store)
        log = f"\nagent log:\n{agent.log_tail()}" if agent else ""
        self.assertEqual(contents.problems, [], "store layout" + log)
        if sealed:
            self.assertIsNotNone(contents.manifest, "no manifest" + log)
            self.assertTrue(contents.manifest["sealed"], "manifest not sealed" + log)
            self.assertEqual(contents.manifest_problems(), [], log)
        report = line_report(contents, expected_lines)
        summary = {k: len(v) for k, v in report.items()}
        detail = {k: [l[:60] for l in v[:3]] for k, v in report.items()}
        self.assertEqual(summary, {"missing": 0, "duplicated": 0, "unexpected": 0},
                         f"lines: {detail}{log}")
        p = verify(store.url, env=env)
        self.assertEqual(p.returncode, 0, f"verify: {p.stderr_text}{log}")
        return contents
