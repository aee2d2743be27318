"""evacuate with only the documented instance policy, against a moto that checks SigV4
signatures and evaluates IAM policies (INITIAL_NO_AUTH_ACTION_COUNT): an outside
implementation judges lifeboat's signing and the policy's sufficiency."""
import json
import os
import random
import unittest

from harness import Moto, TempDirTestCase, base_env, lifeboat, read, rebuild_from_download, aws

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


if __name__ == "__main__":
    unittest.main()
