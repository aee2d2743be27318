"""Finding instances by time: the records and day index that the real `lifeboat agent` and
`lifeboat evacuate` write, read back by `lifeboat ls`, on moto (s3://) and on a file://
store; and the instance policy allowing those writes with no new permission.

The instances' times are made known through what the binaries read: the identity
document's pendingTime (launch), the metadata tag naming the group, and the evacuated
files' modification times (their last byte). One older instance's record is written by
the test itself, in the documented format (docs/architecture.md), as a writer long gone
would have left it.
"""
import datetime
import json
import os
import time
import unittest

from agent_harness import AgentTestCase, S3Store
from fault_proxy import FaultProxy
from harness import FakeImds, base_env, lifeboat, read, start_moto
from iam_harness import IamMoto, load_policy, moto_evaluable

UTC = datetime.timezone.utc


def rfc3339(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def imds_for(test, instance, launched, group, az="eu-west-1a", itype="t3.micro"):
    return FakeImds(test, {
        "instance-id": instance, "placement/region": "eu-west-1",
        "tags/instance/aws:autoscaling:groupName": group,
        "dynamic/instance-identity/document": json.dumps({
            "availabilityZone": az, "instanceType": itype, "imageId": "ami-0123456789abcdef0",
            "instanceId": instance, "pendingTime": rfc3339(launched), "region": "eu-west-1"}),
    })


class InstanceRecordsBase:
    """The scenario, against a store the subclass provides (url, env_with, put_object);
    mixed into an AgentTestCase."""
    now = None

    def scenario(self):
        now = datetime.datetime.now(UTC)
        self.now = now
        # An instance of last week, written as a writer long gone left it.
        old = {"format": "lifeboat-instance/1", "instance_id": "i-old", "group": "web",
               "availability_zone": "eu-west-1b", "instance_type": "t3.micro", "image_id": "ami-0",
               "launch_time": rfc3339(now - datetime.timedelta(days=10)),
               "first_byte_time": None, "last_byte_time": None,
               "terminated_at": rfc3339(now - datetime.timedelta(days=9)), "cause": "scale-in",
               "files": [{"path": "/var/log/app.log", "raw_bytes": 10, "stored_bytes": 5}],
               "sealed": True, "updated_at": rfc3339(now - datetime.timedelta(days=9)),
               "writer": "agent"}
        for d in (10, 9):
            day = (now - datetime.timedelta(days=d)).strftime("%Y-%m-%d")
            self.put_object(f".lifeboat/days/{day}/i-old", b"")
        self.put_object("i-old/.lifeboat/instance.json", json.dumps(old).encode())

        # evacuate, group web: launched 3 days ago, its file last written 2 days ago.
        web_log = self.write("web/app.log", b"web line 1\nweb line 2\n")
        two_days = (now - datetime.timedelta(days=2)).timestamp()
        os.utime(web_log, (two_days, two_days))
        imds = imds_for(self, "i-evacweb", now - datetime.timedelta(days=3), "web")
        p = lifeboat("evacuate", "--to", self.url, web_log, env=self.env_with(imds.env()))
        self.assertEqual(p.returncode, 0, p.stderr_text)

        # evacuate, group api: launched 5 hours ago, written now.
        api_log = self.write("api/app.log", b"api line\n" * 100)
        imds = imds_for(self, "i-evacapi", now - datetime.timedelta(hours=5), "api", itype="m5.large")
        p = lifeboat("evacuate", "--to", self.url, api_log, env=self.env_with(imds.env()))
        self.assertEqual(p.returncode, 0, p.stderr_text)

        # The agent, group web: launched an hour ago, stopped by SIGTERM.
        agent_log = os.path.join(self.logs, "agent.log")
        with open(agent_log, "wb") as f:
            f.write(b"agent line\n" * 50)
        imds = imds_for(self, "i-agent", now - datetime.timedelta(hours=1), "web")
        agent = self.new_agent(self.url, [os.path.join(self.logs, "*.log")],
                               env=self.env_with(imds.env()), instance_id=None)  # auto: asked of IMDS
        agent.start()
        self.assertStoppedCleanly(agent)

    def ls(self, *args, env=None):
        return lifeboat("ls", self.url, *args, env=env or self.env_with({}))

    def ids(self, *args):
        p = self.ls("--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        return [json.loads(line)["instance_id"] for line in p.stdout_text.splitlines()]

    def check_listings(self):
        self.scenario()
        self.assertEqual(self.ids(), ["i-agent", "i-evacapi", "i-evacweb"],
                         "the last 7 days, newest first")
        self.assertEqual(self.ids("--since", "36h"), ["i-agent", "i-evacapi"],
                         "i-evacweb's last byte is 2 days old")
        self.assertEqual(self.ids("--since", "4d", "--until", "60h"), ["i-evacweb"])
        self.assertEqual(self.ids("--group", "web", "--since", "30d"),
                         ["i-agent", "i-evacweb", "i-old"])
        self.assertEqual(self.ids("--group", "api"), ["i-evacapi"])
        until = rfc3339(self.now - datetime.timedelta(days=9, hours=12))
        self.assertEqual(self.ids("--since", "11d", "--until", until), ["i-old"])

        records = {json.loads(l)["instance_id"]: json.loads(l)
                   for l in self.ls("--json", "--since", "30d").stdout_text.splitlines()}
        agent = records["i-agent"]
        self.assertEqual(agent["writer"], "agent")
        self.assertEqual(agent["cause"], "shutdown")
        self.assertTrue(agent["sealed"])
        self.assertEqual(agent["group"], "web")
        self.assertEqual(agent["availability_zone"], "eu-west-1a")
        self.assertEqual(agent["launch_time"], rfc3339(self.now - datetime.timedelta(hours=1)))
        self.assertEqual(agent["files"], [{"path": os.path.join(self.logs, "agent.log"),
                                           "raw_bytes": 550, "stored_bytes": agent["files"][0]["stored_bytes"]}])
        self.assertLessEqual(agent["first_byte_time"], agent["last_byte_time"])
        self.assertLessEqual(agent["last_byte_time"], agent["terminated_at"])
        web = records["i-evacweb"]
        self.assertEqual(web["writer"], "evacuate")
        self.assertEqual(web["cause"], "unknown", "evacuate was not told why")
        self.assertIsNone(web["terminated_at"])
        self.assertEqual(web["last_byte_time"], rfc3339(self.now - datetime.timedelta(days=2)))
        self.assertEqual(records["i-evacapi"]["instance_type"], "m5.large")
        self.assertEqual(records["i-evacapi"]["files"][0]["raw_bytes"], 900)

        table = self.ls("--since", "30d").stdout_text.splitlines()
        self.assertEqual(table[0].split(), ["INSTANCE", "GROUP", "LAUNCHED", "TERMINATED", "CAUSE",
                                            "FILES", "RAW", "STORED", "SEALED"])
        self.assertEqual([row.split()[0] for row in table[1:]],
                         ["i-agent", "i-evacapi", "i-evacweb", "i-old"])
        self.assertIn("shutdown", table[1])

        # The rest of the store is not confused by the index: verify passes for each
        # instance, and a plain recursive download of one instance rebuilds its file.
        for instance in ("i-agent", "i-evacapi", "i-evacweb"):
            p = lifeboat("verify", f"{self.url}/{instance}", env=self.env_with({}))
            self.assertEqual(p.returncode, 0, p.stderr_text)
        p = lifeboat("cat", f"{self.url}/i-evacapi{os.path.join(self.tmp, 'api/app.log')}",
                     env=self.env_with({}))
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertEqual(p.stdout, b"api line\n" * 100)

    def test_ls_finds_the_instances_of_a_window_and_a_group(self):
        self.check_listings()

    def test_bad_arguments_are_one_line_and_exit_2(self):
        p = self.ls("--since", "yesterday")
        self.assertEqual(p.returncode, 2)
        self.assertFailsWithOneLine(p, "--since", "yesterday")
        p = self.ls("--since", "1d", "--until", "2d")
        self.assertEqual(p.returncode, 2)
        self.assertFailsWithOneLine(p, "before it begins")


class InstanceRecordsFileTest(InstanceRecordsBase, AgentTestCase):
    def setUp(self):
        super().setUp()
        self.root = os.path.join(self.tmp, "store")
        os.makedirs(self.root)
        self.url = "file://" + self.root

    def env_with(self, extra):
        return base_env(**extra)

    def put_object(self, key, body):
        path = os.path.join(self.root, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(body)

    def test_a_missing_directory_is_one_line_and_exit_2(self):
        p = lifeboat("ls", "file://" + os.path.join(self.tmp, "nowhere"), env=base_env())
        self.assertEqual(p.returncode, 2)
        self.assertFailsWithOneLine(p, "nowhere", "no such directory")

    def test_an_unreadable_record_is_one_line_and_exit_2(self):
        self.check_listings()
        record = os.path.join(self.root, "i-evacapi", ".lifeboat", "instance.json")
        with open(record, "w") as f:
            f.write("{not json")
        p = self.ls()
        self.assertEqual(p.returncode, 2)
        self.assertFailsWithOneLine(p, "i-evacapi/.lifeboat/instance.json")


class InstanceRecordsS3Test(InstanceRecordsBase, AgentTestCase):
    @classmethod
    def setUpClass(cls):
        start_moto(cls)
        cls.buckets = 0

    def setUp(self):
        super().setUp()
        type(self).buckets += 1
        self.bucket = f"records-{self.buckets}"
        self.s3.create_bucket(Bucket=self.bucket)
        self.proxy = FaultProxy(self.moto.url)  # no faults: it counts
        self.addCleanup(self.proxy.stop)
        self.url = f"s3://{self.bucket}/fleet"

    def env_with(self, extra):
        return base_env(AWS_ENDPOINT_URL=self.proxy.url, **extra)

    def put_object(self, key, body):
        self.s3.put_object(Bucket=self.bucket, Key=f"fleet/{key}", Body=body)

    def test_ls_reads_one_listing_a_day_and_only_the_records_found(self):
        self.scenario()
        before = len(self.proxy.log)
        p = self.ls("--since", "36h")
        self.assertEqual(p.returncode, 0, p.stderr_text)
        requests = [(m, path) for m, path, _ in list(self.proxy.log)[before:]]
        # The proxy logs paths without their query: a listing is a GET of the bucket.
        lists = [path for m, path in requests if m == "GET" and path.rstrip("/") == f"/{self.bucket}"]
        gets = [path for m, path in requests if m == "GET" and path.rstrip("/") != f"/{self.bucket}"]
        start = (self.now - datetime.timedelta(hours=36)).date()
        days = (self.now.date() - start).days + 1
        self.assertEqual(len(lists), days, lists)
        self.assertTrue(all("/instance.json" in g for g in gets), gets)
        self.assertFalse([g for g in gets if "i-old" in g], "a record outside the window")
        self.assertLessEqual(len(gets), 3)

    def test_a_missing_bucket_is_one_line_and_exit_2(self):
        p = lifeboat("ls", "s3://no-such-bucket/fleet", env=self.env_with({}))
        self.assertEqual(p.returncode, 2)
        self.assertFailsWithOneLine(p, "no-such-bucket")
        self.assertEqual(len([l for l in p.stderr_text.splitlines() if l.startswith("lifeboat:")]), 1)


class InstanceRecordsPolicyTest(AgentTestCase):
    """deploy/iam/instance-policy.json already allows the record and the day index (they
    are under ${Prefix}/), and nothing more: its LIST-less principal cannot run ls."""

    def test_evacuate_writes_the_index_under_the_instance_policy_and_ls_needs_more(self):
        with IamMoto() as moto:
            moto.client("s3").create_bucket(Bucket="logs")
            policy = load_policy("instance-policy.json", Bucket="logs", Prefix="fleet", Group="web")
            instance = moto.principal("instance", moto_evaluable(policy)[0])
            log = self.write("app.log", b"one line\n")
            p = lifeboat("evacuate", "--to", "s3://logs/fleet", "--instance-id", "i-0123456789abcdef0",
                         log, env=instance.env())
            self.assertEqual(p.returncode, 0, p.stderr_text)
            self.assertNotIn("warning", p.stderr_text)
            s3 = moto.client("s3")
            keys = [o["Key"] for o in s3.list_objects_v2(Bucket="logs")["Contents"]]
            today = datetime.datetime.now(UTC).strftime("%Y-%m-%d")
            self.assertIn(f"fleet/.lifeboat/days/{today}/i-0123456789abcdef0", keys)
            self.assertIn("fleet/i-0123456789abcdef0/.lifeboat/instance.json", keys)

            # Without s3:ListBucket the listing is refused: one line, exit 2. (moto in this
            # mode refuses every signed ListObjectsV2 of lifeboat's, an administrator's
            # too, with SignatureDoesNotMatch; AWS answers AccessDenied.)
            p = lifeboat("ls", "s3://logs/fleet", env=instance.env())
            self.assertEqual(p.returncode, 2)
            self.assertFailsWithOneLine(p, "cannot list s3://logs/fleet/.lifeboat/days/")


if __name__ == "__main__":
    unittest.main()
