"""The seed's architecture, unmodified, on `lifeboat local`, driven only by `aws` CLI calls
(examples/seed/deploy.sh): scale-in by one, and the design behaves as it does on AWS. The
instance's error.log reaches s3://BUCKET/<instance-id>/error.log through EventBridge, the
Python Lambda (boto3 inside it) and Run Command; the instance stays in Terminating:Wait for
the whole heartbeat timeout because nothing completes the lifecycle action; and the lines
the application wrote after the copy are lost.
"""
import json
import os
import time
import unittest
import urllib.request

from harness import base_env, run, wait_until
from local_harness import LocalCloud

SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../examples/seed")
TIME_SCALE = 60
HEARTBEAT_TIMEOUT = 600  # seconds as AWS counts them: 10 s here at 60x
BUCKET = "seed-logs"
GROUP = "seed-web"


class SeedScenarioTest(unittest.TestCase):
    def setUp(self):
        self.cloud = LocalCloud(args=["--time-scale", str(TIME_SCALE)])
        self.addCleanup(self.cloud.stop)
        self.env = base_env(AWS_ENDPOINT_URL=self.cloud.url, BUCKET=BUCKET, GROUP=GROUP,
                            INSTANCES=2, HEARTBEAT_TIMEOUT=HEARTBEAT_TIMEOUT)

    def aws(self, *args):
        p = run(["aws", "--output", "json", *args], env=self.env)
        self.assertEqual(p.returncode, 0, f"aws {' '.join(args)}: {p.stderr_text}")
        return json.loads(p.stdout_text) if p.stdout_text.strip() else None

    def states(self):
        group = self.aws("autoscaling", "describe-auto-scaling-groups",
                         "--auto-scaling-group-names", GROUP)["AutoScalingGroups"][0]
        return {i["InstanceId"]: i["LifecycleState"] for i in group["Instances"]}

    def wait_for(self, what, predicate, limit):
        return wait_until(predicate, limit, f"{what} (lifeboat local log: {self.cloud.log_path})")

    def instance_log(self, instance_id):
        with urllib.request.urlopen(f"{self.cloud.url}/_lifeboat/instances/{instance_id}") as r:
            root = json.loads(r.read())["root"]
        path = os.path.join(root, "var/log/php-fpm/error.log")
        with open(path, "rb") as f:
            return f.read()

    def test_seed_saves_a_prefix_of_the_log_and_holds_the_instance_for_the_whole_timeout(self):
        deploy = run([os.path.join(SEED, "deploy.sh")], env=self.env)
        self.assertEqual(deploy.returncode, 0, deploy.stderr_text)
        self.wait_for("two instances InService",
                      lambda: list(self.states().values()) == ["InService", "InService"], 30)
        time.sleep(1)  # the stand-in php-fpm has logged for a while

        # The group decides during this call; every time below counts from before it, so
        # the (slow) CLI polls can only make the measured hold longer, never shorter.
        waiting_since = time.monotonic()
        self.aws("autoscaling", "set-desired-capacity", "--auto-scaling-group-name", GROUP,
                 "--desired-capacity", "1")
        victim = self.wait_for(
            "an instance in Terminating:Wait",
            lambda: next((i for i, s in self.states().items() if s == "Terminating:Wait"), None), 10)

        key = f"{victim}/error.log"
        self.wait_for(f"s3://{BUCKET}/{key}", lambda: any(
            o["Key"] == key for o in (self.aws("s3api", "list-objects-v2", "--bucket", BUCKET)
                                      or {}).get("Contents", [])), 30)
        copied_at = time.monotonic() - waiting_since
        self.assertIn(self.states().get(victim), ("Terminating:Wait", None))

        self.wait_for(f"{victim} to leave the group", lambda: victim not in self.states(), 30)
        held = time.monotonic() - waiting_since
        timeout = HEARTBEAT_TIMEOUT / TIME_SCALE
        # Nothing completes the action: it waits out the heartbeat timeout, though the copy
        # was done long before.
        self.assertGreater(held, timeout * 0.95, f"held {held:.2f} s, copy after {copied_at:.2f} s")
        self.assertLess(held, timeout + 5, "held well past the heartbeat timeout")
        self.assertLess(copied_at, timeout * 0.8)

        commands = self.aws("ssm", "list-commands", "--instance-id", victim)["Commands"]
        self.assertEqual([c["DocumentName"] for c in commands], ["log-upload"])
        self.assertEqual(commands[0]["Status"], "Success")

        stored = run(["aws", "s3", "cp", f"s3://{BUCKET}/{key}", "-"], env=self.env)
        self.assertEqual(stored.returncode, 0, stored.stderr_text)
        final = self.instance_log(victim)
        self.assertTrue(stored.stdout, "the copy is empty")
        self.assertTrue(final.startswith(stored.stdout), "the stored log is not the file's prefix")
        lost = final[len(stored.stdout):].count(b"\n")
        self.assertGreater(lost, 0, "the seed lost nothing: the application must log after the copy")


if __name__ == "__main__":
    unittest.main()
