"""evacuate with only the documented instance policy, against a moto that checks SigV4
signatures and evaluates IAM policies (INITIAL_NO_AUTH_ACTION_COUNT): an outside
implementation judges lifeboat's signing and the policy's sufficiency."""
import copy
import json
import os
import random
import unittest

from harness import Moto, TempDirTestCase, base_env, lifeboat, read, rebuild_from_download, aws
from iam_harness import IamMoto, load_policy, moto_evaluable

POLICY = os.path.join(os.path.dirname(__file__), "../../deploy/iam/instance-policy.json")
INSTANCE = "i-0123456789abcdef0"
SETUP_CALLS = 4  # create_bucket, create_user, put_user_policy, create_access_key


class LeastPrivilegeTest(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.moto = Moto(INITIAL_NO_AUTH_ACTION_COUNT=SETUP_CALLS)
        s3, iam = cls.moto.boto3("s3"), cls.moto.boto3("iam")
        s3.create_bucket(Bucket="logs")
        iam.create_user(UserName="instance-role")
        with open(POLICY) as f:
            text = f.read()
        assert "${Bucket}" in text and "${Prefix}" in text, "the policy's placeholders changed"
        policy = text.replace("${Bucket}", "logs").replace("${Prefix}", "fleet")
        iam.put_user_policy(UserName="instance-role", PolicyName="lifeboat-instance",
                            PolicyDocument=policy)
        key = iam.create_access_key(UserName="instance-role")["AccessKey"]
        cls.key_id, cls.secret = key["AccessKeyId"], key["SecretAccessKey"]

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def env(self, key_id=None, secret=None):
        return base_env(AWS_ENDPOINT_URL=self.moto.url, AWS_ACCESS_KEY_ID=key_id or self.key_id,
                        AWS_SECRET_ACCESS_KEY=secret or self.secret)

    def evacuate(self, to, *paths, env=None):
        return lifeboat("evacuate", "--to", to, "--instance-id", INSTANCE, *paths, env=env or self.env())

    def test_the_instance_policy_is_enough_for_single_and_multipart_uploads_and_reruns(self):
        small = self.write("app.log", b"".join(b"request %d ok\n" % i for i in range(50000)))
        big = self.write("big.bin", random.Random(7).randbytes(20 << 20))
        p = self.evacuate("s3://logs/fleet", "--chunk-size", "16MiB", small, big)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        again = self.evacuate("s3://logs/fleet", "--chunk-size", "16MiB", small, big)
        self.assertEqual(again.returncode, 0, again.stderr_text)
        self.assertIn("nothing new to ship", again.stderr_text)

    def test_anything_outside_the_prefix_is_denied_with_one_line(self):
        path = self.write("a.log", b"x\n")
        p = self.evacuate("s3://logs/elsewhere", path)
        self.assertFailsWithOneLine(p, "AccessDenied")

    def test_a_wrong_secret_is_named(self):
        path = self.write("a.log", b"x\n")
        p = self.evacuate("s3://logs/fleet", path, env=self.env(secret="not-the-secret"))
        self.assertFailsWithOneLine(p, "SignatureDoesNotMatch")

    def test_an_unknown_access_key_is_named(self):
        path = self.write("a.log", b"x\n")
        p = self.evacuate("s3://logs/fleet", path, env=self.env(key_id="AKIAUNKNOWNUNKNOWN00"))
        self.assertFailsWithOneLine(p, "InvalidAccessKeyId")


class DeniedManifestReadTest(TempDirTestCase):
    """S3 answers a GET of a missing key 403 AccessDenied, not 404, when the caller may not
    s3:ListBucket, and the instance policy grants none: a first run and a really denied
    read of the manifest look alike. moto answers 404 for a missing key that GetObject
    allows, so a Deny on the manifest stands in for S3's 403 of both cases."""

    @classmethod
    def setUpClass(cls):
        cls.moto = IamMoto()
        cls.moto.client("s3").create_bucket(Bucket="logs")
        policy = load_policy("instance-policy.json", Bucket="logs", Prefix="fleet", Group="web")
        cls.documented = cls.moto.principal("instance", moto_evaluable(policy)[0])
        no_read = copy.deepcopy(policy)
        no_read["Statement"].append({
            "Sid": "NoManifestRead", "Effect": "Deny", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::logs/fleet/{INSTANCE}/.lifeboat/manifest.json"})
        cls.no_read = cls.moto.principal("no-manifest-read", moto_evaluable(no_read)[0])

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def evacuate(self, principal, path):
        return lifeboat("evacuate", "--json", "--to", "s3://logs/fleet", "--instance-id", INSTANCE,
                        path, env=principal.env())

    def stored(self):
        """Every object under the instance's prefix: key -> ETag, read as the administrator."""
        # No Prefix: moto's signature check mis-encodes a '/' in the query string.
        listing = self.moto.client("s3").list_objects_v2(Bucket="logs")
        return {o["Key"]: o["ETag"] for o in listing.get("Contents", [])
                if o["Key"].startswith(f"fleet/{INSTANCE}/")}

    def test_a_denied_read_of_an_existing_manifest_stops_the_run_before_shipping_again(self):
        first_lines = b"".join(b"request %d ok\n" % i for i in range(20000))
        log = self.write("app.log", first_lines)
        # No manifest yet, read denied: S3's answer to a first run under the policy.
        first = self.evacuate(self.no_read, log)
        self.assertEqual(first.returncode, 0, first.stderr_text)
        self.assertEqual(json.loads(first.stdout_text)["raw_bytes"], len(first_lines))
        # The documented policy reads the manifest that run wrote: nothing new to ship.
        again = self.evacuate(self.documented, log)
        self.assertEqual(again.returncode, 0, again.stderr_text)
        summary = json.loads(again.stdout_text)
        self.assertEqual((summary["raw_bytes"], summary["chunks_uploaded"]), (0, 0))
        before = self.stored()

        with open(log, "ab") as f:
            f.write(b"one more line\n")
        denied = self.evacuate(self.no_read, log)
        self.assertFailsWithOneLine(denied, f"fleet/{INSTANCE}/.lifeboat/manifest.json exists",
                                    "reading it (s3:GetObject) is denied", "AccessDenied")
        self.assertEqual([l for l in denied.stderr_text.splitlines() if l.startswith("lifeboat:")],
                         [denied.stderr_text.strip().splitlines()[-1]])
        self.assertEqual(self.stored(), before)  # nothing shipped, the manifest untouched

        resumed = self.evacuate(self.documented, log)
        self.assertEqual(resumed.returncode, 0, resumed.stderr_text)
        self.assertEqual(json.loads(resumed.stdout_text)["raw_bytes"], len(b"one more line\n"))


if __name__ == "__main__":
    unittest.main()
