"""The real binaries under deploy/iam's policies, against a moto_server that checks every
signature and evaluates IAM (iam_harness.py): `lifeboat evacuate --complete-lifecycle` and
`lifeboat agent` (watching IMDS and an SQS queue) as the instance, `lifeboat controller`
as the controller. With the whole policy nothing they call is denied; without any one
action, the call that needs it is denied and the binary says so, naming the call.

moto does not implement CompleteLifecycleAction and RecordLifecycleActionHeartbeat: an
allowed one reaches moto's "not implemented" (moto's log says so), a denied one AccessDenied.
Calls the binaries never make on their own in a short run (AbortMultipartUpload after a
failed multipart upload, the Lambda runtime's CloudWatch Logs) are covered call by call in
test_deploy_policies.py.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import uuid

from harness import LIFEBOAT, REGION, FakeImds, run
from iam_harness import start_with, IamMoto, load_policy, moto_evaluable, without_action

BUCKET, PREFIX, GROUP, HOOK = "logs", "fleet", "web", "lifeboat"
QUEUE, DOCUMENT = "lifeboat-lifecycle", "lifeboat-evacuate"
DOCUMENT_FILE = os.path.join(os.path.dirname(__file__), "../../deploy/ssm/lifeboat-evacuate.json")
TOKEN = "0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28"

moto = None
fx = None


class Fixture:
    def __init__(self, moto):
        self.moto = moto
        moto.client("s3").create_bucket(Bucket=BUCKET)
        moto.client("ec2").create_launch_template(
            LaunchTemplateName="fleet",
            LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
        asg = moto.client("autoscaling")
        asg.create_auto_scaling_group(
            AutoScalingGroupName=GROUP, LaunchTemplate={"LaunchTemplateName": "fleet"},
            MinSize=0, MaxSize=1, DesiredCapacity=1, AvailabilityZones=[f"{REGION}a"])
        asg.put_lifecycle_hook(AutoScalingGroupName=GROUP, LifecycleHookName=HOOK,
                               LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING",
                               HeartbeatTimeout=300, DefaultResult="CONTINUE")
        group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[GROUP])["AutoScalingGroups"][0]
        self.instance = group["Instances"][0]["InstanceId"]
        self.queue = moto.client("sqs").create_queue(QueueName=QUEUE)["QueueUrl"]
        with open(DOCUMENT_FILE) as f:
            moto.client("ssm").create_document(Name=DOCUMENT, Content=f.read(),
                                               DocumentType="Command", DocumentFormat="JSON")

    def notice(self, instance=None, event="action", seconds_ago=0, token=TOKEN):
        t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - seconds_ago))
        if event == "test":
            return {"AccountId": "123456789012", "AutoScalingGroupName": GROUP,
                    "Service": "AWS Auto Scaling", "Event": "autoscaling:TEST_NOTIFICATION",
                    "Time": t}
        return {"Origin": "AutoScalingGroup", "Destination": "EC2", "LifecycleHookName": HOOK,
                "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
                "AutoScalingGroupName": GROUP, "Service": "AWS Auto Scaling", "Time": t,
                "EC2InstanceId": instance or self.instance, "LifecycleActionToken": token}


def setUpModule():
    global moto, fx
    moto, fx = start_with(Fixture)


def tearDownModule():
    moto.stop()


class PolicyRun(unittest.TestCase):
    """Runs a binary as a principal holding a policy (or that policy less one action)."""
    POLICIES = ()  # (file, placeholder values)

    def policy(self, without=None):
        merged = {"Version": "2012-10-17", "Statement": []}
        for name, values in self.POLICIES:
            merged["Statement"] += load_policy(name, **values)["Statement"]
        if without:
            merged = without_action(merged, without)
        return moto_evaluable(merged)[0]

    def principal(self, without=None):
        return moto.principal((without or "whole").replace(":", "-"), self.policy(without))

    def env(self, principal, **extra):
        # One attempt per request: moto answers unimplemented operations with a 500.
        return principal.env(AWS_MAX_ATTEMPTS="1", **extra)

    def assertNotDenied(self, text):
        self.assertNotIn("AccessDenied", text)

    def assertDenied(self, text, call):
        denied = [line for line in text.splitlines() if "AccessDenied" in line]
        self.assertTrue(any(call in line for line in denied),
                        f"no AccessDenied naming {call!r} in:\n{text[-3000:]}")

    def workdir(self):
        d = tempfile.mkdtemp(prefix="policy-")
        self.addCleanup(shutil.rmtree, d, True)
        with open(os.path.join(d, "app.log"), "w") as f:
            f.write("a line\n" * 100)
        return d


class EvacuateUnderTheInstancePolicy(PolicyRun):
    POLICIES = (("instance-policy.json", dict(Bucket=BUCKET, Prefix=PREFIX, Group=GROUP)),)
    # What the binary says when the call is denied.
    CALLS = {"s3:PutObject": "s3://",
             "autoscaling:DescribeAutoScalingInstances": "DescribeAutoScalingInstances",
             "autoscaling:DescribeLifecycleHooks": "DescribeLifecycleHooks",
             "autoscaling:RecordLifecycleActionHeartbeat": "heartbeat",
             "autoscaling:CompleteLifecycleAction": "complete lifecycle action"}

    def evacuate(self, principal, workdir):
        mark = moto.log_size()
        p = run([LIFEBOAT, "evacuate", "--to", f"s3://{BUCKET}/{PREFIX}", "--instance-id",
                 fx.instance, "--complete-lifecycle", os.path.join(workdir, "app.log")],
                env=self.env(principal))
        return p.stdout_text + p.stderr_text, moto.log_text(mark)

    def test_the_whole_policy_denies_nothing(self):
        out, moto_log = self.evacuate(self.principal(), self.workdir())
        self.assertNotDenied(out)
        self.assertIn("evacuated 1 file", out)
        # Allowed, and past IAM to moto's missing implementation.
        self.assertIn("action has not been implemented", moto_log)
        self.assertIn("could not complete lifecycle action", out)

    def test_each_action_is_needed(self):
        for action, call in self.CALLS.items():
            with self.subTest(action):
                out, _ = self.evacuate(self.principal(without=action), self.workdir())
                self.assertDenied(out, call)

    def test_continuing_from_the_manifest_needs_get_object(self):
        # Without ListBucket S3 answers 403 for a missing key as for a denied read; a
        # create-only write of the manifest tells the two apart. GetObject is what makes a
        # second evacuation incremental, and without it a rerun stops, naming the read,
        # instead of shipping everything again.
        log = os.path.join(self.workdir(), "app.log")
        instance = f"i-{uuid.uuid4().hex[:17]}"  # an instance with no manifest yet

        def evacuate(principal):
            with open(log, "a") as f:
                f.write("one more line\n")
            return run([LIFEBOAT, "evacuate", "--json", "--to", f"s3://{BUCKET}/{PREFIX}",
                        "--instance-id", instance, log], env=self.env(principal))

        def shipped(principal):
            p = evacuate(principal)
            self.assertEqual(p.returncode, 0, p.stderr_text)
            return json.loads(p.stdout_text)["raw_bytes"]

        whole = self.principal()
        first = shipped(whole)
        self.assertEqual(first, os.path.getsize(log))
        self.assertEqual(shipped(whole), len("one more line\n"))
        denied = evacuate(self.principal(without="s3:GetObject"))
        self.assertNotEqual(denied.returncode, 0, denied.stdout_text)
        self.assertDenied(denied.stderr_text, "reading it (s3:GetObject) is denied")


class AgentUnderTheInstancePolicies(PolicyRun):
    POLICIES = (("instance-policy.json", dict(Bucket=BUCKET, Prefix=PREFIX, Group=GROUP)),
                ("instance-sqs-watcher-policy.json", dict(Queue=QUEUE)))
    CALLS = {"sqs:ReceiveMessage": "lifecycle queue",
             "sqs:DeleteMessage": "deleting a test notification",
             "sqs:ChangeMessageVisibility": "returning a notice to the queue",
             "autoscaling:DescribeLifecycleHooks": "DescribeLifecycleHooks",
             "autoscaling:CompleteLifecycleAction": "complete lifecycle action",
             "s3:PutObject": "s3://"}

    def setUp(self):
        # The metadata of an instance Auto Scaling is terminating.
        self.imds = FakeImds(self, {"instance-id": fx.instance,
                                    "autoscaling/target-lifecycle-state": "Terminated"})

    def agent(self, principal):
        """Runs the agent until it has answered the termination; returns its log."""
        sqs = moto.client("sqs")
        sqs.purge_queue(QueueUrl=fx.queue)
        for body in (fx.notice(event="test"), fx.notice(instance="i-0fffffffffffffff0")):
            sqs.send_message(QueueUrl=fx.queue, MessageBody=json.dumps(body))
        work = self.workdir()
        config = os.path.join(work, "agent.yaml")
        with open(config, "w") as f:
            f.write(f"""destination: s3://{BUCKET}/{PREFIX}
instance_id: auto
sources: [{{path: {work}/app.log}}]
state_dir: {work}/state
lifecycle:
  watch: {{imds_interval: 200ms, spot: false, rebalance: false, sqs_queue_url: {fx.queue}}}
""")
        log_path = os.path.join(work, "agent.log")
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [LIFEBOAT, "agent", "--config", config, "--log-level", "info"],
                env=self.env(principal, **self.imds.env()),
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        text = ""
        while time.time() < deadline:
            with open(log_path, errors="replace") as f:
                text = f.read()
            if "lifecycle action" in text and ("test notification" in text or "AccessDenied" in text):
                time.sleep(0.5)  # the other instance's notice takes a moment more
                break
            time.sleep(0.1)
        # A drain that cannot store (PutObject denied) never ends: a second SIGTERM abandons.
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with open(log_path, errors="replace") as f:
            return f.read()

    def test_the_whole_policies_deny_nothing(self):
        log = self.agent(self.principal())
        self.assertNotDenied(log)
        self.assertIn("test notification for group web deleted", log)
        self.assertIn("could not complete lifecycle action", log)  # moto: not implemented

    def test_each_action_is_needed(self):
        for action, call in self.CALLS.items():
            with self.subTest(action):
                self.assertDenied(self.agent(self.principal(without=action)), call)


class ControllerUnderTheControllerPolicy(PolicyRun):
    POLICIES = (("controller-policy.json", dict(Group=GROUP, Document=DOCUMENT,
                                                Function="lifeboat-controller")),)
    CALLS = {"ssm:ListCommands": "ListCommands",
             "ssm:SendCommand": "no command could be sent",
             "ssm:GetCommandInvocation": "cannot follow the command",
             "autoscaling:DescribeLifecycleHooks": "DescribeLifecycleHooks",
             "autoscaling:DescribeAutoScalingInstances": "DescribeAutoScalingInstances",
             "autoscaling:RecordLifecycleActionHeartbeat": "heartbeat",
             "autoscaling:CompleteLifecycleAction": "complete lifecycle action"}

    def controller(self, principal):
        work = self.workdir()
        event = os.path.join(work, "event.json")
        with open(event, "w") as f:
            # Sent 150 s ago: a heartbeat is due at once (a third of 300 s has passed).
            json.dump({"version": "0", "detail-type": "EC2 Instance-terminate Lifecycle Action",
                       "source": "aws.autoscaling",
                       # A token of its own: the command an earlier run sent is not this one's.
                       "detail": fx.notice(seconds_ago=150, token=str(uuid.uuid4()))}, f)
        p = run([LIFEBOAT, "controller", "--event", event, "--destination",
                 f"s3://{BUCKET}/{PREFIX}", "--poll-interval", "100ms"],
                env=self.env(principal), timeout=120)
        return p.stdout_text + p.stderr_text

    def test_the_whole_policy_denies_nothing(self):
        out = self.controller(self.principal())
        self.assertNotDenied(out)
        outcome = json.loads(next(l for l in out.splitlines() if l.startswith("{")))
        self.assertTrue(outcome["command_id"])
        # A beat was due at once and was allowed: it reached moto's missing implementation.
        self.assertIn("heartbeat for lifecycle action web/lifeboat", out)
        self.assertIn("could not complete lifecycle action", out)  # moto: not implemented

    def test_each_action_is_needed(self):
        for action, call in self.CALLS.items():
            with self.subTest(action):
                self.assertDenied(self.controller(self.principal(without=action)), call)


if __name__ == "__main__":
    unittest.main()
