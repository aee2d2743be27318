"""Scale-in under faults, on `lifeboat local`:

  - the agent killed (SIGKILL) in the middle of its evacuation and restarted by its
    supervisor still stores every line and completes the lifecycle action;
  - an S3 outage longer than the hook's heartbeat timeout is bridged by heartbeats: the
    instance waits, then goes once its logs are stored;
  - an outage past the hook's global timeout: the agent gives up just before it, completing
    with its failure result (ABANDON), instead of heartbeating on;
  - the controller (SQS daemon) killed while it waits for its command, and the notice
    redelivered: the next controller finds the command already sent and completes the
    action once.
"""
import json
import os
import signal
import subprocess
import time
import unittest

from fault_proxy import FaultProxy
from harness import LIFEBOAT, base_env
from local_harness import LocalCloud
from scalein_harness import (APP_LOG, SHUTDOWN_LINES, ScaleIn, agent_user_data,
                             app_user_data, find_instance_processes, lifeboat, shutdown_lines)

BUCKET = "fault-logs"


class ScaleInFaultTest(unittest.TestCase):
    def start_cloud(self, time_scale):
        self.time_scale = time_scale
        self.cloud = LocalCloud(args=["--time-scale", str(time_scale)])
        self.addCleanup(self.cloud.stop)
        self.env = base_env(AWS_ENDPOINT_URL=self.cloud.url)
        self.cloud.client("s3").create_bucket(Bucket=BUCKET)

    def check_stored(self, fleet, iid, prefix):
        final = fleet.final_log(iid)
        self.assertEqual(shutdown_lines(final), SHUTDOWN_LINES, iid)
        where = f"s3://{BUCKET}/{prefix}/{iid}"
        verify = lifeboat("verify", where, env=self.env)
        self.assertEqual(verify.returncode, 0, verify.stderr_text)
        cat = lifeboat("cat", where + APP_LOG, env=self.env)
        self.assertEqual(cat.returncode, 0, cat.stderr_text)
        self.assertEqual(cat.stdout, final, f"{iid}: stored bytes differ from the log")

    def test_agent_killed_mid_evacuation_restarts_and_completes(self):
        self.start_cloud(60)
        prefix = "killed"
        # The pre-stop marks that the evacuation began, then takes a second.
        user_data = agent_user_data(
            f"s3://{BUCKET}/{prefix}", self.time_scale,
            pre_stop="touch /var/log/evacuating; sleep 1; systemctl stop php-fpm")
        fleet = ScaleIn(self, self.cloud, "web", user_data, 2, heartbeat_timeout=300)
        time.sleep(1)
        _, [victim] = fleet.scale_in(1)
        marker = os.path.join(fleet.root(victim), "var/log/evacuating")
        fleet.wait("the evacuation to begin", lambda: os.path.exists(marker), 10)
        pids = find_instance_processes(victim, "lifeboat", "agent")
        self.assertEqual(len(pids), 1, pids)
        os.kill(pids[0], signal.SIGKILL)
        fleet.wait_terminated([victim], 30)
        log = fleet.instance_file(victim, "/var/log/lifeboat-agent.log")
        self.assertIn("agent exited 137, restarting", log)
        self.assertEqual(log.count("completed lifecycle action"), 1, log[-3000:])
        self.check_stored(fleet, victim, prefix)

    def outage_fleet(self, prefix, heartbeat_timeout, time_scale):
        self.start_cloud(time_scale)
        self.proxy = FaultProxy(self.cloud.url)
        self.addCleanup(self.proxy.stop)
        user_data = agent_user_data(
            f"s3://{BUCKET}/{prefix}", time_scale, env={"AWS_ENDPOINT_URL_S3": self.proxy.url},
            extra="retry: {max_backoff: 300ms}")
        return ScaleIn(self, self.cloud, "web", user_data, 2, heartbeat_timeout)

    def test_s3_outage_longer_than_the_heartbeat_timeout_is_bridged(self):
        fleet = self.outage_fleet("outage", heartbeat_timeout=300, time_scale=120)  # 2.5 s
        time.sleep(1)
        self.proxy.set_faults({"slowdown503": 1.0})
        decided, [victim] = fleet.scale_in(1)
        time.sleep(7.5)  # three heartbeat timeouts
        self.assertEqual(fleet.clock.states().get(victim), "Terminating:Wait",
                         "the instance did not wait out the outage")
        self.assertGreater(self.proxy.injected()["slowdown503"], 0)
        self.proxy.set_faults({})
        ended = time.monotonic()
        terminated = fleet.wait_terminated([victim], 20)[victim]
        self.assertLess(terminated - ended, 5, "not released soon after the outage")
        log = fleet.instance_file(victim, "/var/log/lifeboat-agent.log")
        self.assertIn("completed lifecycle action", log)
        self.assertIn("with CONTINUE", log)
        self.check_stored(fleet, victim, "outage")

    def test_outage_past_the_global_timeout_releases_with_abandon_before_it(self):
        # 30 s hooks at 100x: heartbeat timeout 0.3 s, global timeout 3000 s = 30 s.
        fleet = self.outage_fleet("global", heartbeat_timeout=30, time_scale=100)
        time.sleep(1)
        self.proxy.set_faults({"slowdown503": 1.0})
        decided, [victim] = fleet.scale_in(1)
        terminated = fleet.wait_terminated([victim], 45)[victim]
        # Held until it left Terminating:Wait; ending its processes comes after (the agent's
        # final drain cannot finish while S3 is down, so that takes the whole grace period).
        released = fleet.clock.first_seen(victim, "Terminating:Proceed") or terminated
        held = released - decided
        self.assertGreater(held, 25, "released long before the global timeout")
        self.assertLess(held, 30.5, "held until the global timeout")
        log = fleet.instance_file(victim, "/var/log/lifeboat-agent.log")
        self.assertIn("global timeout", log)
        self.assertIn("with ABANDON", log)

    def test_controller_killed_while_waiting_completes_once_after_redelivery(self):
        self.start_cloud(60)
        prefix = "redelivered"
        sqs = self.cloud.client("sqs")
        queue_url = sqs.create_queue(QueueName="lifecycle")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        events = self.cloud.client("events")
        events.put_rule(Name="terminate", EventPattern=json.dumps({
            "source": ["aws.autoscaling"],
            "detail-type": ["EC2 Instance-terminate Lifecycle Action"]}))
        events.put_targets(Rule="terminate", Targets=[{"Id": "queue", "Arn": queue_arn}])
        # A command that does not complete the action itself: the controller must.
        script = ("touch /var/log/command-began; sleep 2; "
                  f"lifeboat evacuate --to s3://{BUCKET}/{prefix} --pre-stop 'systemctl stop php-fpm' "
                  f"{APP_LOG}")
        controller_args = [LIFEBOAT, "--log-level", "info", "controller", "--sqs", queue_url,
                           "--visibility-timeout", "2", "--document", "AWS-RunShellScript",
                           "--parameters", json.dumps({"commands": [script]}),
                           "--poll-interval", "100ms", "--time-scale", str(self.time_scale)]
        out_path = os.path.join(os.path.dirname(self.cloud.state_dir), "controller.out")

        def start_controller():
            out = open(out_path, "ab")
            p = subprocess.Popen(controller_args, env=self.env, stdout=out,
                                 stderr=subprocess.STDOUT)
            out.close()
            self.addCleanup(lambda: p.poll() is None and (p.kill(), p.wait()))
            return p

        first = start_controller()
        fleet = ScaleIn(self, self.cloud, "web", app_user_data(), 2, heartbeat_timeout=300)
        _, [victim] = fleet.scale_in(1)
        marker = os.path.join(fleet.root(victim), "var/log/command-began")
        fleet.wait("the command to start", lambda: os.path.exists(marker), 15)
        first.send_signal(signal.SIGKILL)
        first.wait()
        second = start_controller()
        fleet.wait_terminated([victim], 30)
        second.send_signal(signal.SIGTERM)
        self.assertEqual(second.wait(timeout=30), 0)

        commands = self.cloud.client("ssm").list_commands(InstanceId=victim)["Commands"]
        self.assertEqual(len(commands), 1, "the redelivery sent a second command")
        with open(out_path) as f:
            outcomes = [json.loads(line) for line in f if line.startswith("{")]
        mine = [o for o in outcomes if o.get("instance_id") == victim]
        self.assertEqual([(o["outcome"], o.get("result")) for o in mine],
                         [("completed", "CONTINUE")], outcomes)
        self.assertEqual(mine[0]["command_id"], commands[0]["CommandId"])
        self.check_stored(fleet, victim, prefix)


if __name__ == "__main__":
    unittest.main()
