"""`lifeboat grep` and `lifeboat cat --since/--until` on shipped logs, with the real binary:
instances evacuated into a file:// store and into S3 (moto), then searched by pattern,
instance, path and time. A chunk outside the time window is never fetched: the tests
delete those objects and the search still succeeds, while a search without the window
names the missing object and exits 2."""
import os
import time
import unittest

from harness import Moto, TempDirTestCase, base_env, lifeboat


def read(path):
    with open(path) as f:
        return f.read()

HOUR = 3600


def lines(tag, n):
    return "".join(f"{tag} request {i} served in {i % 97} ms\n" for i in range(n))


class GrepTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.store = os.path.join(self.tmp, "store")
        self.now = time.time()
        # i-1: an old access log (written 3 hours ago) and a recent error log; i-2: one log.
        self.files = {
            "i-1": {"/access.log": (lines("GET", 4000) + "GET /admin 403 forbidden\n", self.now - 3 * HOUR),
                    "/error.log": ("PHP Fatal error: out of memory\nPHP Warning: slow\n", self.now - 60)},
            "i-2": {"/access.log": (lines("POST", 10) + "POST /login 500 Upstream Timeout\n", self.now - 60)},
        }
        for instance, files in self.files.items():
            paths = []
            for name, (text, mtime) in files.items():
                path = os.path.join(self.tmp, instance + name.replace("/", "-"))
                with open(path, "w") as f:
                    f.write(text)
                os.utime(path, (mtime, mtime))
                paths.append(path)
            p = lifeboat("evacuate", "--to", "file://" + self.store, "--instance-id", instance,
                         "--chunk-size", "4KiB", *paths)
            self.assertEqual(p.returncode, 0, p.stderr_text)

    def src(self, instance, name):
        return os.path.join(self.tmp, instance + name.replace("/", "-"))

    def grep(self, *args):
        return lifeboat("grep", *args, env=base_env())

    def test_matching_lines_are_prefixed_with_instance_and_path_in_file_order(self):
        p = self.grep("Fatal|Timeout|/admin 403", "file://" + self.store, "--instance", "i-1", "--instance", "i-2")
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(p.stdout_text.splitlines(), [
            f"i-1:{self.src('i-1', '/access.log')}:GET /admin 403 forbidden",
            f"i-1:{self.src('i-1', '/error.log')}:PHP Fatal error: out of memory",
            f"i-2:{self.src('i-2', '/access.log')}:POST /login 500 Upstream Timeout",
        ])
        # Without --instance, the instances come from the index their records are in.
        p = self.grep("Fatal|Timeout|/admin 403", "file://" + self.store, "--since", "1d")
        self.assertEqual(sorted(p.stdout_text.splitlines()), sorted([
            f"i-1:{self.src('i-1', '/access.log')}:GET /admin 403 forbidden",
            f"i-1:{self.src('i-1', '/error.log')}:PHP Fatal error: out of memory",
            f"i-2:{self.src('i-2', '/access.log')}:POST /login 500 Upstream Timeout"]), p.stderr_text)
        p = self.grep("Fatal", "file://" + self.store, "--group", "no-such-group")
        self.assertEqual((p.returncode, p.stdout_text), (1, ""))
        # Every line of a many-chunk file, in order, as grep over the original file gives.
        p = self.grep("^GET request [0-9]*7 ", "file://" + self.store, "--instance", "i-1")
        want = [f"i-1:{self.src('i-1', '/access.log')}:{l}" for l in
                read(self.src("i-1", "/access.log")).splitlines()
                if l.startswith("GET request ") and l.split()[2].endswith("7")]
        self.assertEqual(p.stdout_text.splitlines(), want)
        self.assertGreater(len(want), 300)

    def test_counts_files_case_and_exit_codes(self):
        url = "file://" + self.store
        p = self.grep("-c", "-F", "request 1", url, "--instance", "i-1")
        self.assertEqual(p.returncode, 0)
        access = sum(1 for l in read(self.src("i-1", "/access.log")).splitlines() if "request 1" in l)
        self.assertEqual(p.stdout_text.splitlines(), [f"i-1:{self.src('i-1', '/access.log')}:{access}",
                                                      f"i-1:{self.src('i-1', '/error.log')}:0"])
        p = self.grep("-l", "-i", "upstream timeout", url, "--instance", "i-1", "--instance", "i-2")
        self.assertEqual(p.stdout_text.splitlines(), [f"i-2:{self.src('i-2', '/access.log')}"])
        p = self.grep("no such line anywhere", url, "--instance", "i-1")
        self.assertEqual((p.returncode, p.stdout_text), (1, ""))
        p = self.grep("(unclosed", url, "--instance", "i-1")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr_text.strip().splitlines()), 1, p.stderr_text)
        self.assertIn("(unclosed", p.stderr_text)
        p = self.grep("x", url, "--instance", "i-404")
        self.assertEqual(p.returncode, 2)
        self.assertIn("i-404", p.stderr_text)
        p = self.grep("Fatal", url, "--instance", "i-1", "--path", "*/i-1-error.log", "--json")
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertIn('"line":"PHP Fatal error: out of memory"', p.stdout_text)

    def test_a_window_reads_only_the_chunks_that_can_hold_it(self):
        url = "file://" + self.store
        # The old access log's chunks were all written by three hours ago: delete them.
        chunk_dir = os.path.join(self.store, "i-1") + self.src("i-1", "/access.log")
        old = [os.path.join(chunk_dir, n) for n in os.listdir(chunk_dir)]
        self.assertGreater(len(old), 10)
        for path in old:
            os.remove(path)
        p = self.grep("Fatal", url, "--instance", "i-1", "--since", "2h")
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(p.stdout_text.splitlines(), [f"i-1:{self.src('i-1', '/error.log')}:PHP Fatal error: out of memory"])
        # Without the window the deleted chunks are read: the first missing one is named.
        p = self.grep("Fatal", url, "--instance", "i-1")
        self.assertEqual(p.returncode, 2)
        self.assertIn("access.log", p.stderr_text)
        # cat takes the window too: the recent file whole, the old one not at all.
        p = lifeboat("cat", "--since", "2h", f"{url}/i-1{self.src('i-1', '/error.log')}")
        self.assertEqual((p.returncode, p.stdout_text), (0, read(self.src("i-1", "/error.log"))))
        p = lifeboat("cat", "--since", "2h", f"{url}/i-1{self.src('i-1', '/access.log')}")
        self.assertEqual((p.returncode, p.stdout_text), (0, ""))
        p = lifeboat("grep", "x", url, "--instance", "i-1", "--since", "yesterday")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--since", p.stderr_text)
        self.assertIn("yesterday", p.stderr_text)


class GrepS3Test(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.moto = Moto()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def test_s3_store_and_a_missing_bucket(self):
        env = base_env(AWS_ENDPOINT_URL=self.moto.url)
        self.moto.boto3("s3").create_bucket(Bucket="grep-logs")
        path = os.path.join(self.tmp, "app.log")
        with open(path, "w") as f:
            f.write(lines("GET", 2000) + "ERROR disk full\n")
        p = lifeboat("evacuate", "--to", "s3://grep-logs/fleet", "--instance-id", "i-3",
                     "--chunk-size", "4KiB", path, env=env)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        p = lifeboat("grep", "ERROR", "s3://grep-logs/fleet", "--instance", "i-3", env=env)
        self.assertEqual((p.returncode, p.stdout_text), (0, f"i-3:{path}:ERROR disk full\n"), p.stderr_text)
        p = lifeboat("grep", "ERROR", "s3://no-such-bucket/fleet", "--instance", "i-3", env=env)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr_text.strip().splitlines()), 1, p.stderr_text)
        self.assertIn("no-such-bucket", p.stderr_text)


if __name__ == "__main__":
    unittest.main()
