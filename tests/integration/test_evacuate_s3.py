"""lifeboat evacuate against a real S3 implementation (moto_server), checked with the aws CLI."""
import json
import os
import random
import unittest

from harness import (Moto, TempDirTestCase, aws, base_env, json_out, lifeboat, read,
                     rebuild_from_download, free_port)

INSTANCE = "i-0123456789abcdef0"


class EvacuateS3Test(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.moto = Moto()
        cls.s3 = cls.moto.boto3("s3")
        cls.bucket_count = 0

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def setUp(self):
        super().setUp()
        type(self).bucket_count += 1
        self.bucket = f"logs-{self.bucket_count}"
        self.s3.create_bucket(Bucket=self.bucket)
        self.env = base_env(AWS_ENDPOINT_URL=self.moto.url)

    def evacuate(self, *args, check=True, env=None):
        return lifeboat("evacuate", "--to", f"s3://{self.bucket}/fleet", "--instance-id", INSTANCE,
                        *args, env=env or self.env, check=check)

    def download(self):
        out = os.path.join(self.tmp, "download")
        aws("s3", "cp", "--recursive", "--quiet", f"s3://{self.bucket}/fleet/{INSTANCE}/", out,
            env=self.env)
        return out

    def test_aws_cli_download_and_zstd_rebuild_every_file(self):
        files = self.loggen("logs", 4, 12 << 20)
        p = self.evacuate("--chunk-size", "1MiB", "--json", os.path.join(self.tmp, "logs", "*.log"))
        summary = json_out(p)
        self.assertTrue(summary["ok"])
        self.assertEqual(summary["files"], 4)
        self.assertEqual(summary["raw_bytes"], sum(os.path.getsize(f) for f in files))
        self.assertLess(summary["stored_bytes"], summary["raw_bytes"] * 0.2)
        self.assertGreater(summary["chunks_uploaded"], 8)
        out = self.download()
        for f in files:
            self.assertEqual(rebuild_from_download(out, f), read(f), f)
        manifest = json.loads(read(os.path.join(out, ".lifeboat", "manifest.json")))
        self.assertTrue(manifest["sealed"])
        self.assertEqual(sorted(s["path"] for s in manifest["streams"]), files)

    def test_gzip_and_uncompressed_chunks_rebuild_too(self):
        for codec in ("gzip", "none"):
            data = b"".join(b"%s line %d\n" % (codec.encode(), i) for i in range(20000))
            path = self.write(f"{codec}.log", data)
            self.evacuate("--compression", codec, "--chunk-size", "64KiB", path)
            self.assertEqual(rebuild_from_download(self.download(), path), data)

    def test_a_file_over_64_mib_goes_up_in_parallel_multipart_parts(self):
        # Incompressible, so the first 64 MiB chunk stays far over the 8 MiB part size.
        data = random.Random(42).randbytes(70 << 20)
        path = self.write("big.bin", data)
        self.evacuate(path)
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=f"fleet/{INSTANCE}/")
        chunks = sorted(o["Key"] for o in listed["Contents"] if "/.lifeboat/" not in o["Key"])
        self.assertEqual(len(chunks), 2)
        first = self.s3.head_object(Bucket=self.bucket, Key=chunks[0])
        self.assertRegex(first["ETag"], r'-[0-9]+"$')  # a multipart object's ETag
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", []), [])
        self.assertEqual(rebuild_from_download(self.download(), path), data)

    def test_running_twice_uploads_nothing(self):
        self.loggen("logs", 2, 2 << 20)
        glob = os.path.join(self.tmp, "logs", "*.log")
        self.evacuate("--chunk-size", "256KiB", glob)
        self.moto.api("recorder/reset-recording", method="POST")
        self.moto.api("recorder/start-recording", method="POST")
        second = json_out(self.evacuate("--chunk-size", "256KiB", "--json", glob))
        self.moto.api("recorder/stop-recording", method="POST")
        recording = [json.loads(l) for l in self.moto.api("recorder/download-recording").splitlines() if l]
        s3_calls = [r for r in recording if "/moto-api/" not in r["url"]]
        self.assertEqual(second["chunks_uploaded"], 0)
        self.assertEqual([r["method"] for r in s3_calls], ["GET"])  # the manifest, nothing else
        self.assertTrue(s3_calls[0]["url"].endswith("/.lifeboat/manifest.json"))

    def test_verify_names_a_deleted_and_a_corrupted_chunk(self):
        self.loggen("logs", 1, 3 << 20)
        self.evacuate("--chunk-size", "256KiB", os.path.join(self.tmp, "logs", "*.log"))
        location = f"s3://{self.bucket}/fleet/{INSTANCE}"
        ok = lifeboat("verify", location, env=self.env)
        self.assertEqual(ok.returncode, 0, ok.stderr_text)
        self.assertIn("verified " + INSTANCE, ok.stderr_text)

        keys = sorted(o["Key"] for o in self.s3.list_objects_v2(
            Bucket=self.bucket, Prefix=f"fleet/{INSTANCE}/tmp")["Contents"])
        keys = [k for k in keys if k.endswith(".zst")]
        aws("s3", "rm", "--quiet", f"s3://{self.bucket}/{keys[3]}", env=self.env)
        missing = lifeboat("verify", location, env=self.env)
        self.assertFailsWithOneLine(missing, "missing chunk", keys[3])
        self.assertEqual(lifeboat("verify", "--quick", location, env=self.env).returncode, 1)

        corrupt = os.path.join(self.tmp, "corrupt.zst")
        aws("s3", "cp", "--quiet", f"s3://{self.bucket}/{keys[1]}", corrupt, env=self.env)
        data = bytearray(read(corrupt))
        data[len(data) // 2] ^= 0x20
        self.write("corrupt.zst", bytes(data))
        aws("s3", "cp", "--quiet", corrupt, f"s3://{self.bucket}/{keys[1]}", env=self.env)
        p = lifeboat("verify", location, env=self.env)
        self.assertFailsWithOneLine(p, "corrupted chunk", keys[1])
        # Problems are reported in byte order: the corrupted chunk 1 before the missing chunk 3.
        first = [l for l in p.stderr_text.splitlines() if l.startswith("lifeboat:")][0]
        self.assertIn(keys[1], first)

    def test_cat_prints_the_original_bytes(self):
        files = self.loggen("logs", 2, 1 << 20)
        self.evacuate("--chunk-size", "100KiB", *files)
        p = lifeboat("cat", f"s3://{self.bucket}/fleet/{INSTANCE}{files[1]}", env=self.env)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(p.stdout, read(files[1]))
        missing = lifeboat("cat", f"s3://{self.bucket}/fleet/{INSTANCE}/var/log/none.log", env=self.env)
        self.assertFailsWithOneLine(missing, "/var/log/none.log was not shipped")

    def test_a_missing_bucket_is_one_clear_line(self):
        path = self.write("a.log", b"x\n")
        p = lifeboat("evacuate", "--to", "s3://no-such-bucket/fleet", "--instance-id", INSTANCE,
                     path, env=self.env)
        self.assertFailsWithOneLine(p, "NoSuchBucket", "s3://no-such-bucket/")

    def test_no_credentials_stop_the_run_with_one_line(self):
        path = self.write("a.log", b"x\n")
        env = base_env(AWS_ENDPOINT_URL=self.moto.url)
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        p = lifeboat("evacuate", "--to", f"s3://{self.bucket}/fleet", "--instance-id", INSTANCE,
                     path, env=env)
        self.assertFailsWithOneLine(p, "cannot read the manifest", "no AWS credentials found")
        self.assertEqual(len(p.stderr_text.strip().splitlines()), 1, p.stderr_text)
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=self.bucket))

    def test_an_unreachable_endpoint_is_one_clear_line(self):
        path = self.write("a.log", b"x\n")
        env = base_env(AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}", AWS_MAX_ATTEMPTS="2")
        p = lifeboat("evacuate", "--to", "s3://logs/fleet", "--instance-id", INSTANCE, path, env=env)
        self.assertFailsWithOneLine(p, "127.0.0.1", "after 2 attempts")


if __name__ == "__main__":
    unittest.main()
