"""deploy/iam/*.json against a moto_server that checks signatures and evaluates IAM
(iam_harness.py): every policy is enough for the calls lifeboat makes with it, every action
in it is needed (without it exactly that call is denied), and its scope holds (another
prefix, bucket, queue, group, document or log group is denied).

What moto cannot judge, and how it is covered instead (see iam_harness.py):
- autoscaling, ssm and logs requests are authorized against the resource "*" by moto, so
  their statements are widened to "*" for the server-side checks, and their ARNs are checked
  with moto's evaluator on the ARNs AWS authorizes (the group ARN as moto reports it).
- Conditions are not evaluated (the SendCommand instance-tag condition is checked as text).
- CompleteLifecycleAction and RecordLifecycleActionHeartbeat are not implemented by moto:
  allowed means moto got past IAM to its "not implemented" error, denied means AccessDenied.
- ec2messages, ssmmessages and ssm:UpdateInstanceInformation (the SSM agent's calls) do not
  exist in moto or boto3; the Run Command policy is checked against AWS's
  AmazonSSMManagedInstanceCore (shipped with moto) instead.
"""
import json
import os
import time
import unittest

from iam_harness import (start_with, ACCOUNT, POLICY_DIR, IamMoto, actions, load_policy, moto_evaluable,
                         placeholders, reduced_copies, resource_allowed, statements)
from harness import REGION

BUCKET, PREFIX, GROUP, HOOK = "logs", "fleet", "web", "lifeboat"
QUEUE, DOCUMENT, FUNCTION = "lifeboat-lifecycle", "lifeboat-evacuate", "lifeboat-controller"
LOG_GROUP = f"/aws/lambda/{FUNCTION}"
DOCUMENT_FILE = os.path.join(os.path.dirname(__file__), "../../deploy/ssm/lifeboat-evacuate.json")
KNOWN_PLACEHOLDERS = {"Bucket", "Prefix", "Region", "Account", "Group", "Queue", "Document", "Function"}
POLICY_FILES = ["instance-policy.json", "instance-sqs-watcher-policy.json",
                "instance-run-command-policy.json", "controller-policy.json",
                "controller-sqs-policy.json"]

moto = None
fx = None


class Fixture:
    """What the calls act on, created by the harness administrator."""

    def __init__(self, moto):
        self.moto = moto
        s3, ec2, asg = moto.client("s3"), moto.client("ec2"), moto.client("autoscaling")
        s3.create_bucket(Bucket=BUCKET)
        s3.create_bucket(Bucket="other-bucket")
        self.manifest = f"{PREFIX}/i-0123456789abcdef0/.lifeboat/manifest.json"
        s3.put_object(Bucket=BUCKET, Key=self.manifest, Body=b"{}")
        s3.put_object(Bucket=BUCKET, Key="elsewhere/manifest.json", Body=b"{}")
        s3.put_object(Bucket="other-bucket", Key=self.manifest, Body=b"{}")
        ec2.create_launch_template(LaunchTemplateName="fleet", LaunchTemplateData={
            "ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
        for name in (GROUP, "other", "web-staging"):
            asg.create_auto_scaling_group(
                AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateName": "fleet"},
                MinSize=0, MaxSize=1, DesiredCapacity=1, AvailabilityZones=[f"{REGION}a"])
            asg.put_lifecycle_hook(AutoScalingGroupName=name, LifecycleHookName=HOOK,
                                   LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING",
                                   HeartbeatTimeout=300, DefaultResult="CONTINUE")
        groups = asg.describe_auto_scaling_groups()["AutoScalingGroups"]
        self.group_arn = {g["AutoScalingGroupName"]: g["AutoScalingGroupARN"] for g in groups}
        self.instance = next(g for g in groups if g["AutoScalingGroupName"] == GROUP)["Instances"][0]["InstanceId"]
        sqs = moto.client("sqs")
        self.queue = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
        self.other_queue = sqs.create_queue(QueueName="other-queue")["QueueUrl"]
        ssm = moto.client("ssm")
        with open(DOCUMENT_FILE) as f:
            ssm.create_document(Name=DOCUMENT, Content=f.read(), DocumentType="Command",
                                DocumentFormat="JSON")
        self.command = self.send_command(ssm)
        logs = moto.client("logs")
        logs.create_log_group(logGroupName=LOG_GROUP)
        logs.create_log_group(logGroupName="/aws/lambda/other")
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName="stream")
        self.serial = 0

    def send_command(self, ssm):
        return ssm.send_command(
            DocumentName=DOCUMENT, InstanceIds=[self.instance], TimeoutSeconds=3600,
            Parameters={"destination": [f"s3://{BUCKET}/{PREFIX}"], "groupName": [GROUP],
                        "hookName": [HOOK], "token": ["6a4f1b0e-52b4-4d3a-9f3f-0f1e2d3c4b5a"]},
        )["Command"]["CommandId"]

    def unique(self, stem):
        self.serial += 1
        return f"{stem}-{self.serial}"

    def upload_id(self, key):
        return self.moto.client("s3").create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]

    def receipt(self, queue):
        """A receipt handle of a fresh message, received by the administrator."""
        sqs = self.moto.client("sqs")
        sqs.send_message(QueueUrl=queue, MessageBody='{"LifecycleTransition":"autoscaling:EC2_INSTANCE_TERMINATING"}')
        return sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1)["Messages"][0]["ReceiptHandle"]


def setUpModule():
    global moto, fx
    moto, fx = start_with(Fixture)


def tearDownModule():
    moto.stop()


# One call per action, each as lifeboat makes it; a call sets up what it needs as the
# administrator and then makes exactly one request as the principal.
def s3_calls(key_prefix=PREFIX, bucket=BUCKET):
    chunk = f"{key_prefix}/i-0123456789abcdef0/var/log/app.log/0000000000-0000000006"
    return {
        "s3:PutObject": lambda p: p.client("s3").put_object(Bucket=bucket, Key=chunk, Body=b"line\n"),
        "s3:GetObject": lambda p: p.client("s3").get_object(
            Bucket=bucket, Key=fx.manifest.replace(PREFIX, key_prefix, 1)),
        "s3:AbortMultipartUpload": lambda p: p.client("s3").abort_multipart_upload(
            Bucket=bucket, Key=chunk + ".zst", UploadId=(
                fx.upload_id(chunk + ".zst") if bucket == BUCKET else "no-such-upload")),
    }


def lifecycle_calls(group=GROUP):
    return {
        "autoscaling:DescribeAutoScalingInstances": lambda p: p.client("autoscaling")
            .describe_auto_scaling_instances(InstanceIds=[fx.instance]),
        "autoscaling:DescribeLifecycleHooks": lambda p: p.client("autoscaling")
            .describe_lifecycle_hooks(AutoScalingGroupName=group),
        "autoscaling:RecordLifecycleActionHeartbeat": lambda p: p.client("autoscaling")
            .record_lifecycle_action_heartbeat(LifecycleHookName=HOOK, AutoScalingGroupName=group,
                                               InstanceId=fx.instance),
        "autoscaling:CompleteLifecycleAction": lambda p: p.client("autoscaling")
            .complete_lifecycle_action(LifecycleHookName=HOOK, AutoScalingGroupName=group,
                                       LifecycleActionResult="CONTINUE", InstanceId=fx.instance),
    }


def sqs_calls(queue_attr="queue"):
    q = lambda: getattr(fx, queue_attr)
    return {
        "sqs:ReceiveMessage": lambda p: p.client("sqs").receive_message(
            QueueUrl=q(), MaxNumberOfMessages=1, WaitTimeSeconds=0),
        "sqs:ChangeMessageVisibility": lambda p: p.client("sqs").change_message_visibility(
            QueueUrl=q(), ReceiptHandle=fx.receipt(q()), VisibilityTimeout=60),
        "sqs:DeleteMessage": lambda p: p.client("sqs").delete_message(
            QueueUrl=q(), ReceiptHandle=fx.receipt(q())),
    }


def ssm_calls():
    return {
        "ssm:SendCommand": lambda p: fx.send_command(p.client("ssm")),
        "ssm:GetCommandInvocation": lambda p: p.client("ssm").get_command_invocation(
            CommandId=fx.command, InstanceId=fx.instance),
        "ssm:ListCommands": lambda p: p.client("ssm").list_commands(CommandId=fx.command),
    }


def logs_calls(log_group=LOG_GROUP):
    return {
        "logs:CreateLogStream": lambda p: p.client("logs").create_log_stream(
            logGroupName=log_group, logStreamName=fx.unique("2026/01/01/[$LATEST]")),
        "logs:PutLogEvents": lambda p: p.client("logs").put_log_events(
            logGroupName=log_group, logStreamName="stream",
            logEvents=[{"timestamp": int(time.time() * 1000), "message": "START"}]),
    }


NOT_IMPLEMENTED_BY_MOTO = {"autoscaling:RecordLifecycleActionHeartbeat",
                           "autoscaling:CompleteLifecycleAction"}


def allowed_outcome(action):
    return "not-implemented" if action in NOT_IMPLEMENTED_BY_MOTO else "ok"


class PolicyChecks:
    """Mixed into one TestCase per policy: FILE, VALUES, CALLS, WIDENED."""
    FILE, VALUES, CALLS, WIDENED = None, {}, None, []

    @classmethod
    def setUpClass(cls):
        cls.policy = load_policy(cls.FILE, **cls.VALUES)
        cls.evaluable, cls.widened = moto_evaluable(cls.policy)
        cls.calls = cls.CALLS()

    def test_every_action_has_a_call_and_every_call_an_action(self):
        self.assertEqual(set(actions(self.policy)), set(self.calls))

    def test_only_the_statements_moto_cannot_scope_are_widened(self):
        self.assertEqual(sorted(sid for sid, _ in self.widened), sorted(self.WIDENED))

    def test_the_policy_is_enough_for_every_call(self):
        p = moto.principal(self.FILE.split(".")[0], self.evaluable)
        for action, call in self.calls.items():
            with self.subTest(action):
                self.assertEqual(p.outcome(lambda: call(p)), allowed_outcome(action))

    def test_each_action_is_needed_for_exactly_its_call(self):
        for removed, reduced in reduced_copies(self.evaluable):
            p = moto.principal("without-" + removed.split(":")[1], reduced)
            for action, call in self.calls.items():
                with self.subTest(removed=removed, call=action):
                    expected = "AccessDenied" if action == removed else allowed_outcome(action)
                    self.assertEqual(p.outcome(lambda: call(p)), expected)


class InstancePolicyTest(PolicyChecks, unittest.TestCase):
    FILE = "instance-policy.json"
    VALUES = dict(Bucket=BUCKET, Prefix=PREFIX, Group=GROUP)
    CALLS = staticmethod(lambda: {**s3_calls(), **lifecycle_calls()})
    WIDENED = ["HoldAndReleaseOnlyThisGroupsInstances"]

    def test_another_prefix_or_bucket_is_denied(self):
        p = moto.principal("instance", self.evaluable)
        for where, calls in (("prefix", s3_calls(key_prefix="elsewhere")),
                             ("bucket", s3_calls(bucket="other-bucket"))):
            for action, call in calls.items():
                with self.subTest(where=where, action=action):
                    self.assertEqual(p.outcome(lambda: call(p)), "AccessDenied")

    def test_the_lifecycle_actions_are_scoped_to_the_group(self):
        # moto checks autoscaling against "*"; its evaluator, given the group ARNs it issued:
        for action in ("autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"):
            with self.subTest(action):
                self.assertTrue(resource_allowed(self.policy, action, fx.group_arn[GROUP]))
                self.assertFalse(resource_allowed(self.policy, action, fx.group_arn["other"]))
                self.assertFalse(resource_allowed(self.policy, action, fx.group_arn["web-staging"]))
        self.assertFalse(resource_allowed(self.policy, "autoscaling:CompleteLifecycleAction",
                                          fx.group_arn[GROUP].replace(REGION, "eu-west-1")))


class QueuePolicyChecks(PolicyChecks):
    """A policy for one lifecycle queue: another queue is denied."""
    VALUES = dict(Queue=QUEUE)
    CALLS = staticmethod(sqs_calls)
    WIDENED = []

    def test_another_queue_is_denied(self):
        p = moto.principal(self.FILE.split(".")[0], self.policy)
        for action, call in sqs_calls("other_queue").items():
            with self.subTest(action):
                self.assertEqual(p.outcome(lambda: call(p)), "AccessDenied")


class InstanceSqsWatcherPolicyTest(QueuePolicyChecks, unittest.TestCase):
    FILE = "instance-sqs-watcher-policy.json"


class ControllerPolicyTest(PolicyChecks, unittest.TestCase):
    FILE = "controller-policy.json"
    VALUES = dict(Group=GROUP, Document=DOCUMENT, Function=FUNCTION)
    CALLS = staticmethod(lambda: {
        **ssm_calls(),
        **lifecycle_calls(),
        **logs_calls()})
    WIDENED = ["SendOnlyTheEvacuateDocument", "OnlyToThisGroupsInstances",
               "HoldAndReleaseOnlyThisGroupsInstances", "WriteOwnLogGroup"]

    def test_send_command_needs_the_document_and_an_instance_of_the_group(self):
        doc = f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/{DOCUMENT}"
        instance = f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{fx.instance}"
        self.assertTrue(resource_allowed(self.policy, "ssm:SendCommand", doc))
        self.assertTrue(resource_allowed(self.policy, "ssm:SendCommand", instance))
        for other in (f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/other-document",
                      f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/old-{DOCUMENT}",
                      f"arn:aws:ssm:{REGION}::document/AWS-RunShellScript",
                      f"arn:aws:ssm:eu-west-1:{ACCOUNT}:document/{DOCUMENT}"):
            with self.subTest(other):
                self.assertFalse(resource_allowed(self.policy, "ssm:SendCommand", other))
        # The instance statement is the only one naming instances, and it holds the group
        # condition (moto does not evaluate conditions; AWS evaluates ssm:resourceTag).
        on_instances = [s for s in statements(self.policy)
                        if s["Resource"].startswith(f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/")]
        self.assertEqual(len(on_instances), 1)
        self.assertEqual(on_instances[0]["Action"], ["ssm:SendCommand"])
        self.assertEqual(on_instances[0]["Condition"],
                         {"StringEquals": {"ssm:resourceTag/aws:autoscaling:groupName": GROUP}})

    def test_the_lifecycle_actions_are_scoped_to_the_group(self):
        for action in ("autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"):
            with self.subTest(action):
                self.assertTrue(resource_allowed(self.policy, action, fx.group_arn[GROUP]))
                self.assertFalse(resource_allowed(self.policy, action, fx.group_arn["other"]))
                self.assertFalse(resource_allowed(self.policy, action, fx.group_arn["web-staging"]))

    def test_logs_go_only_to_the_functions_own_log_group(self):
        def stream(group):
            return f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:log-stream:2026/01/01/[$LATEST]0f1e"
        for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
            with self.subTest(action):
                self.assertTrue(resource_allowed(self.policy, action, stream(LOG_GROUP)))
                self.assertFalse(resource_allowed(self.policy, action, stream("/aws/lambda/other")))
                self.assertFalse(resource_allowed(self.policy, action, stream(LOG_GROUP + "-2")))
        self.assertNotIn("logs:CreateLogGroup", actions(self.policy))


class ControllerSqsPolicyTest(QueuePolicyChecks, unittest.TestCase):
    FILE = "controller-sqs-policy.json"


class RunCommandPolicyTest(unittest.TestCase):
    """The SSM agent's calls exist neither in moto nor in boto3: checked against AWS's
    AmazonSSMManagedInstanceCore, of which it must be the Run Command part only."""

    RUN_COMMAND = [
        "ssm:UpdateInstanceInformation",  # registration and ping: without it the instance
                                          # is not "Online" and SendCommand fails
        "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
        "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
        # agents >= 3.3.40.0 receive commands over the Message Gateway control channel
        "ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel",
    ]

    def test_exactly_the_run_command_part_of_the_managed_policy(self):
        from moto.iam.aws_managed_policies import aws_managed_policies_data
        core = json.loads(aws_managed_policies_data)["AmazonSSMManagedInstanceCore"]["Document"]
        core_actions = set(actions(core))
        policy = load_policy("instance-run-command-policy.json")
        self.assertEqual(sorted(actions(policy)), sorted(self.RUN_COMMAND))
        self.assertLessEqual(set(actions(policy)), core_actions)
        for left_out in ("ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations",
                         "ssm:PutInventory", "ssm:GetDocument", "ssmmessages:OpenDataChannel",
                         "ssmmessages:CreateDataChannel"):
            with self.subTest(left_out):
                self.assertNotIn(left_out, actions(policy))


class PolicyFilesTest(unittest.TestCase):
    def test_no_wildcard_actions_and_every_statement_named(self):
        for name in POLICY_FILES:
            with open(os.path.join(POLICY_DIR, name)) as f:
                names = placeholders(f.read()) - {"Region", "Account"}
            policy = load_policy(name, **{k: "x" for k in names})
            for st in statements(policy):
                with self.subTest(policy=name, sid=st.get("Sid")):
                    self.assertTrue(st.get("Sid"))
                    self.assertEqual(st["Effect"], "Allow")
                    for action in st["Action"]:
                        self.assertNotIn("*", action)
                        self.assertRegex(action, r"^[a-z0-9]+:[A-Z][A-Za-z]+$")

    def test_placeholders_are_the_documented_ones(self):
        for name in POLICY_FILES:
            with open(os.path.join(POLICY_DIR, name)) as f:
                text = f.read()
            with self.subTest(name):
                self.assertLessEqual(placeholders(text), KNOWN_PLACEHOLDERS)
        with open(os.path.join(POLICY_DIR, "instance-policy.json")) as f:
            text = f.read()
        self.assertIn("arn:aws:s3:::${Bucket}/${Prefix}/*", text)

    def test_every_policy_file_is_checked_here(self):
        self.assertEqual(sorted(n for n in os.listdir(POLICY_DIR) if n.endswith(".json")),
                         sorted(POLICY_FILES))


if __name__ == "__main__":
    unittest.main()
