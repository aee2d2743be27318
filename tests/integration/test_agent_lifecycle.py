"""`lifeboat agent` answering the other ways termination is announced, on `lifeboat local`:

  - the hook's own SQS notifications instead of IMDS: the agents share one queue, delete
    the test notification, hand other instances' notices back, and the terminating
    instance's agent completes its action by token and deletes its notice;
  - a rebalance recommendation and a spot stop notice (ship everything now, keep running),
    then a spot terminate notice (stop the application, ship to the last byte).
"""
import json
import os
import time
import unittest
import urllib.request

from harness import base_env
from local_harness import ACCOUNT, LocalCloud
from scalein_harness import (APP_LOG, SHUTDOWN_LINES, ScaleIn, agent_user_data, lifeboat,
                             shutdown_lines)

TIME_SCALE = 60
BUCKET = "agent-logs"


class AgentLifecycleTest(unittest.TestCase):
    def setUp(self):
        self.cloud = LocalCloud(args=["--time-scale", str(TIME_SCALE)])
        self.addCleanup(self.cloud.stop)
        self.env = base_env(AWS_ENDPOINT_URL=self.cloud.url)
        self.cloud.client("s3").create_bucket(Bucket=BUCKET)

    def stored(self, prefix, iid):
        p = lifeboat("cat", f"s3://{BUCKET}/{prefix}/{iid}{APP_LOG}", env=self.env)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        return p.stdout

    def test_the_hooks_sqs_notifications_are_enough(self):
        sqs = self.cloud.client("sqs")
        queue = sqs.create_queue(QueueName="lifecycle")["QueueUrl"]
        arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:lifecycle"
        prefix = "sqs"
        user_data = agent_user_data(
            f"s3://{BUCKET}/{prefix}", TIME_SCALE,
            extra=f"  watch: {{imds: false, spot: false, rebalance: false, sqs_queue_url: '{queue}'}}")
        # The agent.yaml's own `watch:` line names only the IMDS interval; this one wins.
        user_data = user_data.replace("  watch: {imds_interval: 100ms}\n", "")
        fleet = ScaleIn(self, self.cloud, "web", user_data, 2, heartbeat_timeout=300)
        fleet.asg.put_lifecycle_hook(
            LifecycleHookName="lifeboat", AutoScalingGroupName="web",
            LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout=300,
            DefaultResult="CONTINUE", NotificationTargetARN=arn,
            RoleARN=f"arn:aws:iam::{ACCOUNT}:role/lifecycle-notifications")

        def queue_empty():
            a = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
            return a["ApproximateNumberOfMessages"] == "0" and \
                a["ApproximateNumberOfMessagesNotVisible"] == "0"

        fleet.wait("the test notification deleted", queue_empty, 15)
        time.sleep(1)
        decided, [victim] = fleet.scale_in(1)
        terminated = fleet.wait_terminated([victim], 10)[victim]
        self.assertLess(terminated - decided, 2.5)
        log = fleet.instance_file(victim, "/var/log/lifeboat-agent.log")
        self.assertIn("termination signal from sqs", log)
        self.assertIn("completed lifecycle action web/lifeboat", log)
        fleet.wait("the victim's notice deleted", queue_empty, 10)
        logs = "".join(fleet.instance_file(i, "/var/log/lifeboat-agent.log") for i in fleet.instances)
        self.assertEqual(logs.count("test notification for group web deleted"), 1, logs[-3000:])
        final = fleet.final_log(victim)
        self.assertEqual(shutdown_lines(final), SHUTDOWN_LINES)
        self.assertEqual(self.stored(prefix, victim), final)

    def control(self, iid, action):
        req = urllib.request.Request(f"{self.cloud.url}/_lifeboat/instances/{iid}/{action}",
                                     method="POST", data=b"")
        urllib.request.urlopen(req).read()

    def test_rebalance_and_spot_notices(self):
        prefix = "spot"
        fleet = ScaleIn(self, self.cloud, "web", agent_user_data(f"s3://{BUCKET}/{prefix}", TIME_SCALE),
                        1, heartbeat_timeout=300)
        [iid] = fleet.instances
        agent_log = lambda: fleet.instance_file(iid, "/var/log/lifeboat-agent.log")
        time.sleep(0.5)

        for action, cause in (("rebalance-recommendation", "rebalance recommendation ("),
                              ("spot-interruption?action=stop", "spot stop (")):
            written = len(fleet.final_log(iid))
            self.control(iid, action)
            fleet.wait(f"the agent to ship on {action}", lambda: any(
                cause in line and "stored and sealed" in line for line in agent_log().splitlines()), 10)
            stored = self.stored(prefix, iid)
            self.assertGreaterEqual(len(stored), written, "what was written before is not all stored")
            self.assertTrue(fleet.final_log(iid).startswith(stored))
            self.assertEqual(shutdown_lines(fleet.final_log(iid)), 0, "the application was stopped")
            time.sleep(0.3)
        self.assertGreater(len(fleet.final_log(iid)), len(self.stored(prefix, iid)),
                           "the application stopped logging")

        self.control(iid, "spot-interruption?action=terminate")
        fleet.wait("the agent to evacuate", lambda: "spot terminate (" in agent_log(), 10)
        fleet.wait("the application to stop", lambda: shutdown_lines(fleet.final_log(iid)), 10)
        fleet.wait("the last line stored",
                   lambda: self.stored(prefix, iid) == fleet.final_log(iid), 10)
        self.assertEqual(shutdown_lines(self.stored(prefix, iid)), SHUTDOWN_LINES)
        self.assertNotIn("completed lifecycle action", agent_log(), "no action was waiting")


if __name__ == "__main__":
    unittest.main()
