"""Bad input to lifeboat evacuate: one clear line, a non-zero exit, and nothing that was
safe lost. Runs the real binary on real files; the store is a directory (file://)."""
import json
import os
import shutil
import subprocess
import unittest

from harness import FakeImds, TempDirTestCase, base_env, free_port, json_out, lifeboat, read


class EvacuateInputTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.store = os.path.join(self.tmp, "store")

    def evacuate(self, *args, env=None):
        return lifeboat("evacuate", "--to", "file://" + self.store, "--instance-id", "i-1", *args,
                        env=env)

    def manifest(self):
        return json.loads(read(os.path.join(self.store, "i-1", ".lifeboat", "manifest.json")))

    def test_a_missing_file_fails_alone_and_the_others_are_shipped(self):
        good = self.write("good.log", b"fine\n")
        p = self.evacuate(os.path.join(self.tmp, "missing.log"), good)
        self.assertEqual(p.returncode, 1)
        self.assertFailsWithOneLine(p, "missing.log: No such file or directory")
        self.assertIn("1 of 2 files not evacuated", p.stderr_text)
        m = self.manifest()
        self.assertFalse(m["sealed"])
        self.assertEqual([s["path"] for s in m["streams"]], [good])

    def test_an_unreadable_file_fails_alone(self):
        if os.geteuid() == 0:
            self.skipTest("root reads every file")
        path = self.write("secret.log", b"x\n")
        os.chmod(path, 0)
        self.assertFailsWithOneLine(self.evacuate(path), "Permission denied")

    def test_a_directory_is_named(self):
        os.makedirs(os.path.join(self.tmp, "logs"))
        p = self.evacuate(os.path.join(self.tmp, "logs"))
        self.assertFailsWithOneLine(p, "is a directory")

    def test_a_symlink_loop_is_named(self):
        a, b = os.path.join(self.tmp, "a.log"), os.path.join(self.tmp, "b.log")
        os.symlink(b, a)
        os.symlink(a, b)
        self.assertFailsWithOneLine(self.evacuate(a), "a.log", "Too many levels of symbolic links")

    def test_an_empty_file_is_recorded_and_is_not_an_error(self):
        path = self.write("empty.log", b"")
        p = self.evacuate("--json", path)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(json_out(p)["raw_bytes"], 0)
        self.assertEqual(self.manifest()["streams"][0]["chunks"], [])
        self.assertEqual(lifeboat("verify", f"file://{self.store}/i-1").returncode, 0)

    def test_a_glob_that_matches_nothing_is_named(self):
        p = self.evacuate(os.path.join(self.tmp, "*.nothing"))
        self.assertFailsWithOneLine(p, "no file matches")

    def test_a_binary_file_and_a_huge_line_are_shipped_intact(self):
        binary = self.write("core.bin", bytes(range(256)) * 4000)
        huge = self.write("huge.log", b"x" * (3 << 20) + b"\nshort\n")
        p = self.evacuate("--chunk-size", "1MiB", binary, huge)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        for path in (binary, huge):
            out = lifeboat("cat", f"file://{self.store}/i-1{path}")
            self.assertEqual(out.stdout, read(path))

    def test_an_unwritable_target_is_named_and_nothing_is_claimed(self):
        path = self.write("a.log", b"x\n")
        blocker = self.write("not-a-dir", b"")
        p = lifeboat("evacuate", "--to", f"file://{blocker}/store", "--instance-id", "i-1", path)
        self.assertFailsWithOneLine(p, f"file://{blocker}/store")
        self.assertNotIn("lifeboat: evacuated", p.stderr_text)
        self.assertIn("1 of 1 file not evacuated", p.stderr_text)

    def test_a_read_only_filesystem_target_is_named(self):
        if os.geteuid() != 0 or shutil.which("unshare") is None:
            self.skipTest("needs root and unshare for a private read-only mount")
        path = self.write("a.log", b"x\n")
        mnt = os.path.join(self.tmp, "ro")
        os.makedirs(mnt)
        script = (f"mount -t tmpfs -o ro tmpfs {mnt} && "
                  f"exec {os.environ.get('LIFEBOAT_BIN', 'lifeboat')} evacuate --to file://{mnt} "
                  f"--instance-id i-1 {path}")
        p = subprocess.run(["unshare", "-m", "sh", "-c", script], env=base_env(),
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("Read-only file system", p.stderr)

    def test_bad_flags_are_usage_errors(self):
        path = self.write("a.log", b"x\n")
        cases = [
            (["--compression", "lz4", path], "unknown compression 'lz4'"),
            (["--compression", "gzip", "--level", "12", path], "out of range for gzip"),
            (["--chunk-size", "lots", path], "not a byte size"),
            ([], "no file to evacuate"),
        ]
        for args, fragment in cases:
            p = self.evacuate(*args)
            self.assertEqual(p.returncode, 2, (args, p.stderr_text))
            self.assertFailsWithOneLine(p, fragment)
        p = lifeboat("evacuate", "--instance-id", "i-1", path)
        self.assertFailsWithOneLine(p, "no destination")
        p = lifeboat("evacuate", "--to", "gs://bucket", "--instance-id", "i-1", path)
        self.assertFailsWithOneLine(p, "not a store URL")

    def test_a_config_file_supplies_settings_and_typos_are_caught(self):
        path = self.write("logs/app.log", b"hello\n" * 100)
        cfg = self.write("evacuate.yaml", (
            f"destination: file://{self.store}\n"
            f"instance_id: i-1\n"
            f"sources:\n  - path: {self.tmp}/logs/*.log\n"
            f"compression: {{codec: gzip, level: 9}}\n").encode())
        p = lifeboat("evacuate", "--config", cfg)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(self.manifest()["streams"][0]["chunks"][0]["codec"], "gzip")
        bad = self.write("bad.yaml", f"destination: file://{self.store}\ncompresion: {{codec: gzip}}\n".encode())
        p = lifeboat("evacuate", "--config", bad, "--instance-id", "i-1", path)
        self.assertEqual(p.returncode, 2)
        self.assertFailsWithOneLine(p, "bad.yaml:2: unknown key 'compresion'")


class InstanceIdTest(TempDirTestCase):
    def test_the_instance_id_comes_from_imdsv2(self):
        instance_id = "i-0fedcba9876543210"
        imds = FakeImds(self, {"instance-id": instance_id, "placement/region": "eu-west-1"})
        env = base_env(**imds.env())
        path = self.write("a.log", b"x\n")
        store = os.path.join(self.tmp, "store")
        p = lifeboat("evacuate", "--to", "file://" + store, path, env=env)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertTrue(os.path.exists(os.path.join(store, instance_id, ".lifeboat", "manifest.json")))

    def test_outside_ec2_the_instance_id_must_be_given(self):
        env = base_env(AWS_EC2_METADATA_DISABLED="false",
                       AWS_EC2_METADATA_SERVICE_ENDPOINT=f"http://127.0.0.1:{free_port()}")
        path = self.write("a.log", b"x\n")
        p = lifeboat("evacuate", "--to", f"file://{self.tmp}/store", path, env=env)
        self.assertEqual(p.returncode, 2)
        self.assertFailsWithOneLine(p, "no instance id", "--instance-id")


if __name__ == "__main__":
    unittest.main()
