"""`lifeboat evacuate --complete-lifecycle` and the SIGTERM its own success brings: once
Auto Scaling accepted the completion the instance shuts down, and the shutdown's SIGTERM
reaches lifeboat while it still reports. Run Command then records the command as
"Failed (143)" although the logs are stored. Against `lifeboat local`'s S3 and Auto
Scaling, with the real binary: after the completion SIGTERM ends the run with the exit
code of its outcome; before it, SIGTERM still kills the run and the action stays held.
"""
import os
import signal
import subprocess
import unittest

from harness import LIFEBOAT, TempDirTestCase, base_env, wait_until
from local_harness import LocalCloud
from test_local_autoscaling import TERMINATING, make_group, state_of

BUCKET = "logs"


class EvacuateSigtermTest(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = LocalCloud()
        cls.asg = cls.cloud.client("autoscaling")
        cls.cloud.client("s3").create_bucket(Bucket=BUCKET)
        cls.groups = 0

    @classmethod
    def tearDownClass(cls):
        cls.cloud.stop()

    def terminating_instance(self):
        """An instance of a group of its own, held in Terminating:Wait by a terminate hook."""
        EvacuateSigtermTest.groups += 1
        group = f"web-{self.groups}"
        [instance] = make_group(self.cloud, group, hooks=[{
            "LifecycleHookName": "logs", "LifecycleTransition": TERMINATING,
            "HeartbeatTimeout": 600, "DefaultResult": "ABANDON"}])
        self.asg.set_desired_capacity(AutoScalingGroupName=group, DesiredCapacity=0)
        self.assertEqual(state_of(self.asg, instance), "Terminating:Wait")
        return group, instance

    def start_evacuate(self, group, instance, paths, *extra):
        """Starts the run with stdout a pipe the test does not read yet (so a --json report
        larger than the pipe holds the run after the completion) and stderr in a file."""
        err = open(os.path.join(self.tmp, "stderr"), "wb")
        self.addCleanup(err.close)
        proc = subprocess.Popen(
            [LIFEBOAT, "--log-level", "info", "evacuate", "--to", f"s3://{BUCKET}/fleet", "--instance-id", instance,
             "--complete-lifecycle", "--asg", group, "--hook", "logs", *extra, *paths],
            env=base_env(AWS_ENDPOINT_URL=self.cloud.url), stdout=subprocess.PIPE, stderr=err)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
        return proc

    def stderr(self):
        with open(os.path.join(self.tmp, "stderr"), errors="replace") as f:
            return f.read()

    def test_sigterm_after_the_completion_was_accepted_exits_with_the_runs_success(self):
        group, instance = self.terminating_instance()
        # About 300 bytes of JSON per file: the report is far larger than a pipe's 64 KiB.
        paths = [self.write(f"logs/{'service-with-a-long-name-' * 4}{i:04d}.log",
                            b"GET /index.html 200\n" * 3) for i in range(600)]
        proc = self.start_evacuate(group, instance, paths, "--json")
        wait_until(lambda: state_of(self.asg, instance) != "Terminating:Wait", 120,
                   "Auto Scaling to accept the completion")
        self.assertIsNone(proc.poll(), "the run ended before it could be sent SIGTERM:\n" + self.stderr())
        proc.send_signal(signal.SIGTERM)
        proc.stdout.read()
        self.assertEqual(proc.wait(timeout=30), 0, self.stderr())
        self.assertIn("completed lifecycle action", self.stderr())

    def test_sigterm_before_the_completion_still_kills_the_run_and_the_action_stays_held(self):
        group, instance = self.terminating_instance()
        path = self.write("app.log", b"GET /index.html 200\n" * 10)
        pid_file = os.path.join(self.tmp, "pre-stop.pid")
        # The pre-stop command runs after the action is held and before anything ships.
        proc = self.start_evacuate(group, instance, [path],
                                   "--pre-stop", f"echo $$ > {pid_file}; exec sleep 60")
        wait_until(lambda: os.path.exists(pid_file) and os.path.getsize(pid_file), 60,
                   "the pre-stop command to start")
        with open(pid_file) as f:
            pre_stop = int(f.read())
        self.addCleanup(lambda: os.killpg(pre_stop, signal.SIGKILL))
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=30), -signal.SIGTERM, self.stderr())
        self.assertEqual(state_of(self.asg, instance), "Terminating:Wait")
        self.assertIn("holding lifecycle action", self.stderr())
        self.assertNotIn("completed lifecycle action", self.stderr())


if __name__ == "__main__":
    unittest.main()
