"""lifeboat evacuate --config reads the agent's own agent.yaml, the one deploy/config ships,
with the agent's parser: the keys that mean something for one run are used (flags win over
them), the agent's other keys are checked and ignored, and a typo is one line naming
file:line. Runs the real binary against a directory (file://) and moto_server (s3://)."""
import os
import unittest

import yaml

from harness import TempDirTestCase, base_env, json_out, lifeboat, read, start_moto, whole_manifest
from local_harness import LocalCloud
from test_local_autoscaling import TERMINATING, make_group, state_of

SHIPPED = os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "config", "agent.yaml")
INSTANCE = "i-0c0ffee0c0ffee001"


def shipped():
    with open(SHIPPED) as f:
        return yaml.safe_load(f)


class EvacuateShippedConfigTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.store = os.path.join(self.tmp, "store")

    def manifest(self, store=None, instance=INSTANCE):
        def get(key):
            path = os.path.join(store or self.store, key)
            return read(path) if os.path.exists(path) else None
        return whole_manifest(get, instance)

    def test_the_shipped_agent_yaml_is_read_as_it_is(self):
        # The file names the agent's bucket and /var/log globs: the flags name this run's.
        path = self.write("app.log", b"a line\n" * 1000)
        p = lifeboat("evacuate", "--config", SHIPPED, "--to", "file://" + self.store,
                     "--instance-id", INSTANCE, "--json", path)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertTrue(json_out(p)["ok"])
        streams = self.manifest()["streams"]
        self.assertEqual([s["path"] for s in streams], [path])
        self.assertEqual(streams[0]["chunks"][0]["codec"], "zstd")
        self.assertEqual(lifeboat("verify", f"file://{self.store}/{INSTANCE}").returncode, 0)

    def test_a_file_with_every_key_ships_its_sources_as_the_agent_would_find_them(self):
        logs = os.path.join(self.tmp, "nginx")
        access = self.write("nginx/access.log", b"GET / 200\n" * 500)
        rotated = self.write("nginx/access.log.1", b"GET /old 200\n" * 500)
        self.write("nginx/access.log.2.gz", b"\x1f\x8b not a log")
        config = shipped()
        state_dir = os.path.join(self.tmp, "state")
        config.update(destination="file://" + self.store, instance_id=INSTANCE,
                      state_dir=state_dir,
                      sources=[{"path": os.path.join(logs, "*.log")},
                               {"path": os.path.join(logs, "*.log.*"), "exclude": ["*.gz"]},
                               # Nothing there on this instance: not an error, as for the agent.
                               {"path": os.path.join(self.tmp, "php-fpm", "*.log")}])
        self.assertIn("lifecycle", config)  # the agent's keys stay in the file
        self.assertIn("flush", config)
        cfg = self.write("agent.yaml", yaml.safe_dump(config).encode())
        p = lifeboat("evacuate", "--config", cfg)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(sorted(s["path"] for s in self.manifest()["streams"]), [access, rotated])
        self.assertFalse(os.path.exists(state_dir), "state_dir is the agent's")

    def test_flags_win_over_the_file(self):
        from_file = self.write("file/app.log", b"from the file\n")
        named = self.write("named/app.log", b"named on the command line\n" * 100)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        cfg = self.write("agent.yaml", (
            f"destination: file://{elsewhere}\n"
            f"instance_id: i-0000000000000000f\n"
            f"sources:\n  - path: {from_file}\n"
            f"compression: {{codec: gzip, level: 9}}\n"
            f"flush: {{max_bytes: 8MiB, max_age: 1h}}\n").encode())
        p = lifeboat("evacuate", "--config", cfg, "--to", "file://" + self.store,
                     "--instance-id", INSTANCE, "--compression", "none", named)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertFalse(os.path.exists(elsewhere))
        streams = self.manifest()["streams"]
        self.assertEqual([s["path"] for s in streams], [named])
        self.assertEqual(streams[0]["chunks"][0]["codec"], "none")
        # Without the flags, the file decides.
        p = lifeboat("evacuate", "--config", cfg)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        streams = self.manifest(elsewhere, "i-0000000000000000f")["streams"]
        self.assertEqual([s["path"] for s in streams], [from_file])
        self.assertEqual(streams[0]["chunks"][0]["codec"], "gzip")

    def test_a_typo_or_a_bad_value_is_one_line_naming_file_and_line(self):
        path = self.write("app.log", b"x\n")
        cases = [
            ("flush: {max_bytes: 8MiB, max_agee: 1h}\n", "agent.yaml:2: unknown key 'flush.max_agee'"),
            ("rotate_wait: 0s\n", "agent.yaml:2: rotate_wait must be longer than 0"),
            ("lifecycle: {on_failure: MAYBE}\n", "agent.yaml:2"),
            ("sse: {mode: aes256}\n", "expected AES256 or aws:kms"),
            ("chunk_size: 1MiB\n", "agent.yaml:2: unknown key 'chunk_size'"),
        ]
        for line, fragment in cases:
            cfg = self.write("agent.yaml", f"destination: file://{self.store}\n{line}".encode())
            p = lifeboat("evacuate", "--config", cfg, "--instance-id", INSTANCE, path)
            self.assertEqual(p.returncode, 2, (line, p.stderr_text))
            self.assertFailsWithOneLine(p, fragment)
            self.assertFalse(os.path.exists(self.store), line)
        cfg = self.write("agent.yaml", f"destination: file://{self.store}\nsse: {{mode: AES256}}\n".encode())
        p = lifeboat("evacuate", "--config", cfg, "--instance-id", INSTANCE,
                     "--sse-kms-key-id", "alias/logs", path)
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "--sse-kms-key-id needs --sse aws:kms")

    def test_sources_that_match_no_file_are_named(self):
        cfg = self.write("agent.yaml", (
            f"destination: file://{self.store}\n"
            f"instance_id: {INSTANCE}\n"
            f"sources:\n  - path: {self.tmp}/none/*.log\n").encode())
        p = lifeboat("evacuate", "--config", cfg)
        self.assertEqual(p.returncode, 1, p.stderr_text)
        self.assertFailsWithOneLine(p, "no file matches the sources in " + cfg)

    def test_sources_are_matched_after_the_pre_stop_commands(self):
        logs = os.path.join(self.tmp, "app")
        cfg = self.write("agent.yaml", (
            f"destination: file://{self.store}\n"
            f"instance_id: {INSTANCE}\n"
            f"sources:\n  - path: {logs}/*.log\n").encode())
        # The service's shutdown writes its last lines to a file that did not exist before.
        p = lifeboat("evacuate", "--config", cfg,
                     "--pre-stop", f"mkdir -p {logs} && echo 'stopped cleanly' > {logs}/shutdown.log")
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual([s["path"] for s in self.manifest()["streams"]],
                         [os.path.join(logs, "shutdown.log")])


class EvacuateConfigLifecycleTest(TempDirTestCase):
    """Against lifeboat local's Auto Scaling and S3: sources that match nothing fail the run,
    but the held action is completed at once instead of waiting out the hook's timeout."""
    @classmethod
    def setUpClass(cls):
        cls.cloud = LocalCloud()
        cls.addClassCleanup(cls.cloud.stop)
        cls.asg = cls.cloud.client("autoscaling")
        cls.cloud.client("s3").create_bucket(Bucket="logs")

    def test_sources_that_match_nothing_still_complete_the_lifecycle_action(self):
        [instance] = make_group(self.cloud, "web-none", hooks=[{
            "LifecycleHookName": "logs", "LifecycleTransition": TERMINATING,
            "HeartbeatTimeout": 3600, "DefaultResult": "ABANDON"}])
        self.asg.set_desired_capacity(AutoScalingGroupName="web-none", DesiredCapacity=0)
        self.assertEqual(state_of(self.asg, instance), "Terminating:Wait")
        cfg = self.write("agent.yaml", (
            f"destination: s3://logs/fleet\n"
            f"instance_id: {instance}\n"
            f"sources:\n  - path: {self.tmp}/none/*.log\n").encode())
        p = lifeboat("evacuate", "--config", cfg, "--complete-lifecycle", "--asg", "web-none",
                     "--hook", "logs", env=base_env(AWS_ENDPOINT_URL=self.cloud.url))
        self.assertEqual(p.returncode, 1, p.stderr_text)
        self.assertIn("lifeboat: no file matches the sources in " + cfg, p.stderr_text)
        self.assertIn("completed lifecycle action", p.stderr_text)
        self.assertIn("ABANDON", p.stderr_text)
        # Released now, not after the hook's hour.
        self.assertNotEqual(state_of(self.asg, instance), "Terminating:Wait")


class EvacuateConfigS3Test(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        start_moto(cls, "logs")

    def objects(self):
        listed = self.s3.list_objects_v2(Bucket="logs", Prefix=f"fleet/{INSTANCE}/")
        return [o["Key"] for o in listed.get("Contents", [])]

    def test_storage_class_and_sse_from_the_file_and_from_flags(self):
        path = self.write("app.log", b"a line\n" * 1000)
        config = shipped()
        config.update(destination="s3://logs/fleet", instance_id=INSTANCE,
                      endpoint_url=self.moto.url, storage_class="STANDARD_IA",
                      sse={"mode": "AES256"})
        cfg = self.write("agent.yaml", yaml.safe_dump(config).encode())
        p = lifeboat("evacuate", "--config", cfg, path)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        keys = self.objects()
        self.assertGreaterEqual(len(keys), 2, keys)  # a chunk and the manifest at least
        for key in keys:
            head = self.s3.head_object(Bucket="logs", Key=key)
            self.assertEqual(head.get("StorageClass"), "STANDARD_IA", key)
            self.assertEqual(head.get("ServerSideEncryption"), "AES256", key)
        # The flag's class wins for what this run writes.
        with open(path, "ab") as f:
            f.write(b"one more line\n")
        p = lifeboat("evacuate", "--config", cfg, "--storage-class", "ONEZONE_IA", path)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        new = [k for k in self.objects() if k not in keys]
        self.assertTrue(new, self.objects())
        for key in new:
            self.assertEqual(self.s3.head_object(Bucket="logs", Key=key).get("StorageClass"),
                             "ONEZONE_IA", key)


if __name__ == "__main__":
    unittest.main()
