"""lifeboat agent against moto_server, checked the way an operator without lifeboat would:
`aws s3 cp --recursive` and `zstd -dc` over the chunks in name order rebuild every file byte
for byte, the last partial line included. The metrics endpoint serves every metric the
agent documents, with values that agree with what was shipped."""
import json
import os
import re
import time
import unittest
import urllib.error
import urllib.request

from agent_harness import INSTANCE, AgentTestCase, S3Store, StoreContents, wait_until
from harness import aws, base_env, read, rebuild_from_download, start_moto

METRICS = ["lifeboat_bytes_read_total", "lifeboat_bytes_shipped_total",
           "lifeboat_bytes_stored_total", "lifeboat_chunks_shipped_total",
           "lifeboat_upload_retries_total", "lifeboat_upload_errors_total",
           "lifeboat_bytes_lost_total", "lifeboat_open_files",
           "lifeboat_open_file_limit_hits_total", "lifeboat_streams",
           "lifeboat_oldest_unshipped_seconds"]


class AgentMotoTest(AgentTestCase):
    @classmethod
    def setUpClass(cls):
        start_moto(cls)
        cls.bucket_count = 0

    def setUp(self):
        super().setUp()
        type(self).bucket_count += 1
        self.bucket = f"agent-{self.bucket_count}"
        self.s3.create_bucket(Bucket=self.bucket)
        self.env = base_env(AWS_ENDPOINT_URL=self.moto.url)

    def agent(self, endpoint_from_env=True, **overrides):
        """The endpoint reaches the agent through AWS_ENDPOINT_URL or its config's endpoint_url."""
        if not endpoint_from_env:
            overrides["endpoint_url"] = self.moto.url
        return self.new_agent(f"s3://{self.bucket}/fleet", [os.path.join(self.logs, "*.log")],
                              env=self.env if endpoint_from_env else base_env(), **overrides)

    def download(self):
        out = os.path.join(self.tmp, "download")
        aws("s3", "cp", "--recursive", "--quiet", f"s3://{self.bucket}/fleet/{INSTANCE}/", out,
            env=self.env)
        return out

    def test_aws_cli_and_zstd_rebuild_every_file_byte_for_byte(self):
        files = self.loggen("logs", 3, 3 << 20)  # there before the agent starts
        grown = os.path.join(self.logs, "grown.log")
        agent = self.agent().start()
        with open(grown, "ab") as f:  # appended while the agent runs, in several flushes
            for i in range(5):
                f.write(b"".join(b"grown %d line %d\n" % (i, j) for j in range(3000)))
                f.flush()
                time.sleep(0.3)
            f.write(b"a last line with no newline")
        files.append(grown)
        complete = sum(os.path.getsize(p) for p in files) - len(b"a last line with no newline")
        agent.wait_shipped(complete, 60)
        self.assertStoppedCleanly(agent)
        out = self.download()
        for path in files:
            self.assertEqual(rebuild_from_download(out, path), read(path), path)
        manifest = json.loads(read(os.path.join(out, ".lifeboat", "manifest.json")))
        self.assertTrue(manifest["sealed"])
        self.assertEqual(manifest["instance_id"], INSTANCE)
        self.assertEqual(sorted(s["path"] for s in manifest["streams"]), sorted(files))
        contents = StoreContents(S3Store(self.s3, self.bucket, "fleet"))
        self.assertEqual(contents.problems, [])
        self.assertEqual(contents.manifest_problems(), [])
        self.assertGreater(len(contents.chunks[(grown, 0)]), 1)  # shipped as it grew

    def test_every_object_gets_the_configured_storage_class_and_encryption(self):
        path = os.path.join(self.logs, "app.log")
        with open(path, "wb") as f:
            f.write(b"".join(b"line %d\n" % i for i in range(20000)))
        agent = self.agent(storage_class="STANDARD_IA", sse={"mode": "AES256"}).start()
        agent.wait_shipped(os.path.getsize(path), 60)
        self.assertStoppedCleanly(agent)
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=f"fleet/{INSTANCE}/")
        keys = [o["Key"] for o in listed["Contents"]]
        self.assertTrue(any(k.endswith("/.lifeboat/manifest.json") for k in keys), keys)
        self.assertTrue(any(k.endswith(".zst") for k in keys), keys)
        for key in keys:  # chunks, the manifest and its parts, the instance record
            head = self.s3.head_object(Bucket=self.bucket, Key=key)
            self.assertEqual(head.get("StorageClass"), "STANDARD_IA", key)
            self.assertEqual(head.get("ServerSideEncryption"), "AES256", key)

    def test_metrics_endpoint_serves_the_documented_metrics(self):
        agent = self.agent(endpoint_from_env=False,
                           flush={"max_bytes": "64KiB", "max_age": "30s"}).start()
        with urllib.request.urlopen(f"http://127.0.0.1:{agent.metrics_port}/metrics") as r:
            self.assertEqual(r.status, 200)
            self.assertTrue(r.headers["Content-Type"].startswith("text/plain"),
                            r.headers["Content-Type"])
        with self.assertRaises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{agent.metrics_port}/nope")
        # Lines that are not a whole chunk yet and younger than max_age: pending, with an age.
        pending = os.path.join(self.logs, "pending.log")
        with open(pending, "wb") as f:
            f.write(b"waiting for max_age\n" * 100)
        wait_until(lambda: (agent.metric("lifeboat_oldest_unshipped_seconds") or 0) >= 1, 20,
                   "an oldest unshipped age of 1s")
        text = agent.metrics_text()
        self.assertRegex(text, r'lifeboat_oldest_unshipped_seconds\{[^}]*path="%s"[^}]*\} [0-9.]+'
                         % re.escape(pending))
        # A whole file worth several chunks is shipped at once; the pending lines are not.
        big = os.path.join(self.logs, "big.log")
        with open(big, "wb") as f:
            f.write(b"".join(b"big line %06d padded to some length\n" % i for i in range(20000)))
        size = os.path.getsize(big)
        agent.wait_shipped(size - (64 << 10), 30)
        time.sleep(0.5)
        text = agent.metrics_text()
        for name in METRICS:
            self.assertRegex(text, rf"(?m)^# TYPE {name} (counter|gauge)$", name)
            if name != "lifeboat_oldest_unshipped_seconds":
                self.assertRegex(text, rf"(?m)^{name} [0-9.e+]+$", name)
        m = agent.metrics()
        shipped = m["lifeboat_bytes_shipped_total"]
        self.assertLessEqual(shipped, size)  # the 2000 pending bytes wait for max_age
        self.assertGreaterEqual(m["lifeboat_bytes_read_total"], shipped)
        self.assertGreater(m["lifeboat_bytes_stored_total"], 0)
        self.assertLess(m["lifeboat_bytes_stored_total"], shipped / 4)  # zstd on text
        # A chunk cut for size holds max_bytes to twice that (to a line end).
        self.assertGreaterEqual(m["lifeboat_chunks_shipped_total"], size // (128 << 10))
        self.assertLessEqual(m["lifeboat_chunks_shipped_total"], size // (64 << 10))
        self.assertEqual(m["lifeboat_open_files"], 2)
        self.assertEqual(m["lifeboat_streams"], 2)
        for zero in ("lifeboat_upload_errors_total", "lifeboat_bytes_lost_total",
                     "lifeboat_open_file_limit_hits_total"):
            self.assertEqual(m[zero], 0, zero)
        # SIGTERM ships what max_age was still holding.
        self.assertStoppedCleanly(agent)
        contents = StoreContents(S3Store(self.s3, self.bucket, "fleet"))
        self.assertEqual(contents.path_bytes(pending), read(pending))
        self.assertEqual(contents.path_bytes(big), read(big))


if __name__ == "__main__":
    unittest.main()
