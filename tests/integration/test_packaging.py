"""The packages: `make package` (the .debs) and `make lambda-zip` (the controller's Lambda zip).

The ctest fixture integration.build_packages builds them into the build directory, the one
that holds LIFEBOAT_BIN. The .debs (lifeboat, and lifeboat-local beside it) are inspected
with dpkg-deb and their binaries run from a scratch directory; the zip is unpacked with unzip and its bootstrap answers one invocation
of a fake Lambda Runtime API, also in a mount namespace that hides the host's libraries
(as on Amazon Linux 2023, which has none of them) and in one whose /etc is laid out like
Amazon Linux's (its CA bundle at /etc/pki/tls/certs/ca-bundle.crt).
"""
import http.server
import json
import os
import queue
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import zipfile

from harness import LIFEBOAT, run

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
BUILD = os.path.dirname(os.path.abspath(LIFEBOAT))
LOADER = "ld-linux-x86-64.so.2"
RUNTIME = "/2018-06-01/runtime"
TEST_NOTIFICATION = json.dumps({
    "Event": "autoscaling:TEST_NOTIFICATION", "AutoScalingGroupName": "web",
    "Service": "AWS Auto Scaling", "AccountId": "1", "Time": "2026-12-01T00:00:00Z"})


def version():
    out = run([LIFEBOAT, "--version"], check=True).stdout_text.split()
    return out[-1]


def deb_path(package="lifeboat"):
    arch = run(["dpkg", "--print-architecture"], check=True).stdout_text.strip()
    return os.path.join(BUILD, f"{package}_{version()}_{arch}.deb")


def depends(deb):
    """{package name: its Depends entry} of a .deb."""
    info = run(["dpkg-deb", "-f", deb, "Depends"], check=True).stdout_text.strip()
    return {d.split()[0]: d for d in info.split(", ") if d}


# What only the emulator links: no package of the production binary may depend on them.
EMULATOR_LIBRARY_PACKAGES = ("libzip", "libsimdjson", "libboost")


def section_names(elf):
    return set(re.findall(r"\]\s+(\.\S+)", run(["readelf", "-S", "--wide", elf], check=True).stdout_text))


class DebianPackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.deb = deb_path()
        if not os.path.exists(cls.deb):
            raise AssertionError(f"{cls.deb} is missing: make package (ctest runs "
                                 "integration.build_packages first)")
        cls.tmp = tempfile.mkdtemp(prefix="lifeboat-deb-")
        cls.root = os.path.join(cls.tmp, "root")
        run(["dpkg", "-x", cls.deb, cls.root], check=True)
        cls.control = os.path.join(cls.tmp, "control")
        run(["dpkg-deb", "-e", cls.deb, cls.control], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, True)

    def contents(self):
        """{path: (mode string, owner)} from dpkg-deb -c."""
        entries = {}
        for line in run(["dpkg-deb", "-c", self.deb], check=True).stdout_text.splitlines():
            mode, owner, _size, _date, _time, path = line.split(None, 5)
            entries[path.removeprefix(".")] = (mode, owner)
        return entries

    def test_files_and_modes(self):
        expected = {
            "/usr/bin/lifeboat": "-rwxr-xr-x",
            "/lib/systemd/system/lifeboat-agent.service": "-rw-r--r--",
            "/etc/lifeboat/agent.yaml": "-rw-r--r--",
            "/usr/share/doc/lifeboat/README.md": "-rw-r--r--",
            "/usr/share/doc/lifeboat/deploy.md": "-rw-r--r--",
        }
        for part in ("ssm", "iam", "cloudformation"):
            for name in os.listdir(os.path.join(ROOT, "deploy", part)):
                expected[f"/usr/share/lifeboat/deploy/{part}/{name}"] = "-rw-r--r--"
        entries = self.contents()
        files = {p: mode for p, (mode, _) in entries.items() if not mode.startswith("d")}
        self.assertEqual(files, expected)
        for path, (mode, owner) in entries.items():
            self.assertEqual(owner, "root/root", path)
            if mode.startswith("d"):
                self.assertEqual(mode, "drwxr-xr-x", path)

    def test_installed_files_are_the_sources(self):
        for installed, source in [
                ("etc/lifeboat/agent.yaml", "deploy/config/agent.yaml"),
                ("lib/systemd/system/lifeboat-agent.service", "deploy/systemd/lifeboat-agent.service"),
                ("usr/share/lifeboat/deploy/ssm/lifeboat-evacuate.json", "deploy/ssm/lifeboat-evacuate.json"),
                ("usr/share/doc/lifeboat/deploy.md", "docs/deploy.md")]:
            with open(os.path.join(self.root, installed), "rb") as a, \
                 open(os.path.join(ROOT, source), "rb") as b:
                self.assertEqual(a.read(), b.read(), installed)

    def test_binary_runs_and_is_stripped(self):
        binary = os.path.join(self.root, "usr/bin/lifeboat")
        out = run([binary, "--version"], check=True)
        self.assertEqual(out.stdout_text.strip(), f"lifeboat {version()}")
        sections = section_names(binary)
        self.assertIn(".text", sections)
        self.assertFalse({".symtab", ".debug_info"} & sections, sections)

    def test_control_fields(self):
        fields = run(["dpkg-deb", "-f", self.deb, "Package", "Version", "Maintainer",
                      "Description", "Section"], check=True).stdout_text
        self.assertIn("Package: lifeboat\n", fields)
        self.assertIn(f"Version: {version()}\n", fields)
        self.assertRegex(fields, r"Maintainer: .+ <.+@.+>")
        self.assertIn("Description: gets every log line off an EC2 instance", fields)

    def test_depends_computed_from_the_binary(self):
        """Every library the binary links names its package, with a version (dpkg-shlibdeps)."""
        info = run(["dpkg-deb", "-I", self.deb], check=True).stdout_text
        depends = re.search(r"^ Depends: (.*)$", info, re.M)
        self.assertTrue(depends, info)
        packages = {d.split()[0]: d for d in depends.group(1).split(", ")}
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+)\]",
                            run(["readelf", "-d", LIFEBOAT], check=True).stdout_text)
        self.assertGreater(len(needed), 10, needed)
        for soname in needed:
            owners = run(["dpkg", "-S", f"*/x86_64-linux-gnu/{soname}"], check=True).stdout_text
            owner = owners.splitlines()[0].split(":")[0]
            # The library's package, or a name it provides (libspdlog1.10: libspdlog1.10-fmt9).
            provides = run(["dpkg-query", "-W", "-f=${Provides}", owner], check=True).stdout_text
            names = {owner} | {p.split()[0] for p in provides.split(", ") if p}
            self.assertTrue(names & set(packages),
                            f"{soname} ({owner}) not in Depends: {depends.group(1)}")
        self.assertRegex(packages["libc6"], r"libc6 \(>= 2\.\d+\)")

    def test_depends_on_no_emulator_library(self):
        for package in depends(self.deb):
            self.assertFalse(package.startswith(EMULATOR_LIBRARY_PACKAGES), package)

    def test_agent_config_is_a_conffile(self):
        with open(os.path.join(self.control, "conffiles")) as f:
            self.assertEqual(f.read().split(), ["/etc/lifeboat/agent.yaml"])

    def test_maintainer_scripts(self):
        for name in ("postinst", "prerm", "postrm"):
            path = os.path.join(self.control, name)
            self.assertTrue(os.access(path, os.X_OK), name)
            run(["sh", "-n", path], check=True)


class LocalPackageTest(unittest.TestCase):
    """lifeboat-local's .deb: the emulator alone, beside the lifeboat package it needs."""

    @classmethod
    def setUpClass(cls):
        cls.deb = deb_path("lifeboat-local")
        if not os.path.exists(cls.deb):
            raise AssertionError(f"{cls.deb} is missing: make package")
        cls.tmp = tempfile.mkdtemp(prefix="lifeboat-local-deb-")
        cls.root = os.path.join(cls.tmp, "root")
        for deb in (deb_path(), cls.deb):  # installed together, as apt would
            run(["dpkg", "-x", deb, cls.root], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, True)

    def test_holds_lifeboat_local_only(self):
        files = [line.split(None, 5)[5].removeprefix(".")
                 for line in run(["dpkg-deb", "-c", self.deb], check=True).stdout_text.splitlines()
                 if not line.startswith("d")]
        self.assertEqual(files, ["/usr/bin/lifeboat-local"])

    def test_depends_on_this_version_of_lifeboat(self):
        fields = depends(self.deb)
        self.assertEqual(fields.get("lifeboat"), f"lifeboat (= {version()})")
        self.assertIn("libzip4", fields)

    def test_lifeboat_runs_it_for_local(self):
        out = run([os.path.join(self.root, "usr/bin/lifeboat"), "local", "--help"], check=True)
        self.assertIn("--time-scale", out.stdout_text)
        binary = os.path.join(self.root, "usr/bin/lifeboat-local")
        self.assertEqual(run([binary, "--version"], check=True).stdout_text.strip(),
                         f"lifeboat-local {version()}")
        self.assertFalse({".symtab", ".debug_info"} & section_names(binary))


class CommandLineHelpTest(unittest.TestCase):
    """`lifeboat --help` and `lifeboat COMMAND --help` describe every flag and argument."""

    # Started by lifeboat local only, so not listed by `lifeboat --help`.
    HIDDEN_COMMANDS = ["instance-init", "instance-exec"]

    def undescribed(self, *command):
        """The entries of CLI11's Options: and Positionals: sections that have no text."""
        lines = run([LIFEBOAT, *command, "--help"], check=True).stdout_text.splitlines()
        missing, section = [], None
        for i, line in enumerate(lines):
            if re.match(r"^\S.*:$", line):
                section = line
            elif section in ("Options:", "Positionals:") and re.match(r"^  \S", line):
                # The text starts in column 30, on the next line when the name is longer.
                same_line = line[:30].endswith(" ") and line[30:].strip()
                next_line = i + 1 < len(lines) and re.match(r"^ {30}\S", lines[i + 1])
                if not (same_line or next_line):
                    missing.append(line.strip())
        return missing

    def test_every_flag_has_a_description(self):
        top = run([LIFEBOAT, "--help"], check=True).stdout_text
        commands = re.findall(r"^  ([a-z][a-z-]+)\s{2,}\S", top.split("Subcommands:")[1], re.M)
        self.assertIn("controller", commands)
        for command in [(), *((c,) for c in commands + self.HIDDEN_COMMANDS)]:
            self.assertEqual(self.undescribed(*command), [], command)


class FakeRuntimeApi:
    """The Lambda Runtime API on 127.0.0.1: hands out one invocation, records what the
    runtime posts back, and holds every later /next until it is stopped."""

    def __init__(self, payload):
        self.posts = queue.Queue()
        self.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
        stopping = self.stopping = threading.Event()
        handed_out = threading.Event()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", headers=()):
                try:
                    self.send_response(status)
                    for k, v in headers:
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # a held /next whose runtime was killed

            def do_GET(self):
                if self.path != RUNTIME + "/invocation/next":
                    return self.reply(404)
                if handed_out.is_set():
                    stopping.wait()
                    return self.reply(500)
                handed_out.set()
                deadline = int(time.time() * 1000) + 60_000
                self.reply(200, payload.encode(), [
                    ("Lambda-Runtime-Aws-Request-Id", api.request_id),
                    ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                    ("Lambda-Runtime-Invoked-Function-Arn",
                     "arn:aws:lambda:us-east-1:1:function:lifeboat-controller")])

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                api.posts.put((self.path, body.decode()))
                self.reply(202, b'{"status":"OK"}')

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def next_post(self, timeout):
        return self.posts.get(timeout=timeout)


class LambdaZipTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.zip = os.path.join(BUILD, "lifeboat-controller.zip")
        if not os.path.exists(cls.zip):
            raise AssertionError(f"{cls.zip} is missing: make lambda-zip (ctest runs "
                                 "integration.build_packages first)")
        cls.tmp = os.path.realpath(tempfile.mkdtemp(prefix="lifeboat-zip-"))
        cls.task = os.path.join(cls.tmp, "task")  # what Lambda unpacks to /var/task
        run(["unzip", "-q", cls.zip, "-d", cls.task], check=True)
        cls.lib = os.path.join(cls.task, "lib")
        cls.loader = os.path.join(cls.lib, LOADER)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, True)

    def test_entries_sorted_with_unix_modes(self):
        with zipfile.ZipFile(self.zip) as z:
            infos = z.infolist()
        names = [i.filename for i in infos]
        self.assertEqual(names, sorted(names))
        self.assertEqual(names[0], "bootstrap")
        self.assertIn("lifeboat", names)
        self.assertIn("lib/" + LOADER, names)
        self.assertIn("lib/libc.so.6", names)
        # The controller needs the production binary only: no emulator, nor its libraries.
        self.assertNotIn("lifeboat-local", names)
        for name in names:
            self.assertFalse(name.removeprefix("lib/").startswith(EMULATOR_LIBRARY_PACKAGES), name)
        for info in infos:  # unix modes, as Lambda reads them
            self.assertEqual(info.create_system, 3, info.filename)
            executable = info.filename in ("bootstrap", "lifeboat", "lib/" + LOADER)
            self.assertEqual(info.external_attr >> 16, 0o100755 if executable else 0o100644,
                             info.filename)
        self.assertTrue(os.access(os.path.join(self.task, "bootstrap"), os.X_OK))
        self.assertTrue(os.access(os.path.join(self.task, "lifeboat"), os.X_OK))

    def test_binary_is_stripped(self):
        sections = section_names(os.path.join(self.task, "lifeboat"))
        self.assertIn(".text", sections)
        self.assertFalse({".symtab", ".debug_info"} & sections, sections)

    def test_every_library_resolves_inside_the_zip(self):
        out = run([self.loader, "--library-path", self.lib, "--list",
                   os.path.join(self.task, "lifeboat")], check=True).stdout_text
        resolved = []
        for line in out.splitlines():
            line = line.strip()
            if line.startswith("linux-vdso.so"):
                continue  # the kernel's, no file
            self.assertNotIn("not found", line)
            path = line.split(" => ")[-1].split(" (0x")[0]
            resolved.append(path)
            self.assertTrue(os.path.realpath(path).startswith(self.lib + "/"), line)
        self.assertGreater(len(resolved), 10, out)
        self.assertIn(os.path.join(self.lib, "libc.so.6"), resolved)
        self.assertIn(self.loader, resolved)

    def runtime_env(self, api, **extra):
        env = {"PATH": os.environ["PATH"], "AWS_LAMBDA_RUNTIME_API": api.address,
               "LIFEBOAT_DESTINATION": "s3://b/p", "AWS_REGION": "us-east-1",
               "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
               "AWS_EC2_METADATA_DISABLED": "true"}
        env.update(extra)
        return env

    def invoke(self, command, payload, **env):
        """Runs `command` as the function's runtime for one invocation; returns what it
        posted to the Runtime API (path, body) and its stderr."""
        api = FakeRuntimeApi(payload)
        self.addCleanup(api.stop)
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen(command, env=self.runtime_env(api, **env),
                                stdout=subprocess.DEVNULL, stderr=log)
        try:
            path = body = None
            deadline = time.time() + 60
            while path is None and proc.poll() is None and time.time() < deadline:
                try:
                    path, body = api.next_post(timeout=0.2)
                except queue.Empty:
                    pass
            time.sleep(0.2)
            still_running = proc.poll() is None  # waiting in the next /next
        finally:
            proc.kill()
            proc.wait()
            log.seek(0)
            stderr = log.read().decode(errors="replace")
            log.close()
        self.assertIsNotNone(path, f"nothing posted to the Runtime API; stderr:\n{stderr}")
        self.assertTrue(still_running, f"exited after one invocation; stderr:\n{stderr}")
        self.assertEqual(path, f"{RUNTIME}/invocation/{api.request_id}/response", body)
        return json.loads(body), stderr

    def assertSkippedTestNotification(self, response, stderr):
        outcomes = response.get("outcomes")
        self.assertEqual(len(outcomes or []), 1, (response, stderr))
        self.assertEqual(outcomes[0]["outcome"], "skipped", (response, stderr))

    def test_bootstrap_answers_an_invocation(self):
        payload = json.dumps({"Records": [{"body": TEST_NOTIFICATION}]})
        response, stderr = self.invoke([os.path.join(self.task, "bootstrap")], payload)
        self.assertSkippedTestNotification(response, stderr)

    def without_host_libraries(self, command):
        """A shell script for `unshare -m` that covers the host's library directories with an
        empty one, checks that not even /bin/sh starts any more, then execs `command`."""
        empty = tempfile.mkdtemp(dir=self.tmp)
        covered = []
        for d in ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu"):
            if os.path.isdir(d) and os.path.realpath(d) not in covered:
                covered.append(os.path.realpath(d))
        mounts = "".join(f"mount --bind '{empty}' '{d}'\n" for d in covered)
        return f"""set -e
{mounts}if /bin/sh -c : 2>/dev/null; then echo 'the host libraries are still visible' >&2; exit 97; fi
exec {command}
"""

    def test_needs_no_library_of_the_host(self):
        """The bundled loader runs lifeboat with the host's libraries hidden, as the
        bootstrap's exec does."""
        script = self.without_host_libraries(
            f"'{self.loader}' --library-path '{self.lib}' '{self.task}/lifeboat' "
            "--log-level info controller --lambda")
        payload = json.dumps({"Records": [{"body": TEST_NOTIFICATION}]})
        response, stderr = self.invoke(["unshare", "-m", "sh", "-c", script], payload)
        self.assertSkippedTestNotification(response, stderr)

    def test_bootstrap_needs_no_library_of_the_host(self):
        """The bootstrap script itself with the host's libraries hidden: this host's /bin/sh
        cannot start there (Amazon Linux's can), so it runs on the bundled glibc."""
        script = self.without_host_libraries(
            f"'{self.loader}' --library-path '{self.lib}' /bin/sh '{self.task}/bootstrap'")
        payload = json.dumps({"Records": [{"body": TEST_NOTIFICATION}]})
        response, stderr = self.invoke(["unshare", "-m", "sh", "-c", script], payload)
        self.assertSkippedTestNotification(response, stderr)

    def test_bootstrap_trusts_amazon_linux_ca_bundle(self):
        """On Amazon Linux the CAs are in /etc/pki/tls/certs/ca-bundle.crt, not where
        Debian's libcurl looks: the bootstrap hands that file to lifeboat (AWS_CA_BUNDLE),
        and an HTTPS request to AWS goes through. Here /etc holds nothing else."""
        certs = tempfile.mkdtemp(dir=self.tmp)
        cert, key = os.path.join(certs, "cert.pem"), os.path.join(certs, "key.pem")
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"], check=True)
        aws = FakeHttpsAws(cert, key)
        self.addCleanup(aws.stop)
        event = json.dumps({
            "version": "0", "id": "e1", "detail-type": "EC2 Instance-terminate Lifecycle Action",
            "source": "aws.autoscaling", "account": "1", "time": "2026-12-01T00:00:00Z",
            "region": "us-east-1", "resources": [],
            "detail": {"LifecycleActionToken": "t-1", "AutoScalingGroupName": "web",
                       "LifecycleHookName": "lifeboat", "EC2InstanceId": "i-0123456789abcdef0",
                       "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING"}})
        script = f"""set -e
mount -t tmpfs tmpfs /etc
mkdir -p /etc/pki/tls/certs
cp '{cert}' /etc/pki/tls/certs/ca-bundle.crt
exec '{self.task}/bootstrap'
"""
        response, stderr = self.invoke(
            ["unshare", "-m", "sh", "-c", script], event, LAMBDA_TASK_ROOT=self.task,
            AWS_ENDPOINT_URL=aws.url, AWS_MAX_ATTEMPTS="1")
        self.assertTrue(aws.requests, f"no HTTPS request reached AWS: {response}\n{stderr}")
        self.assertIn("Action=DescribeLifecycleHooks", aws.requests[0])
        self.assertIn(FakeHttpsAws.MESSAGE, json.dumps(response), stderr)


class FakeHttpsAws:
    """An AWS endpoint over TLS on 127.0.0.1 that refuses every request it gets."""

    MESSAGE = "the fake endpoint refuses everything"

    def __init__(self, cert, key):
        self.requests = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                fake.requests.append(body)
                reply = (f"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                         f"<Message>{FakeHttpsAws.MESSAGE}</Message></Error>"
                         f"<RequestId>r-1</RequestId></ErrorResponse>").encode()
                self.send_response(403)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    unittest.main()
