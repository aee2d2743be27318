"""`lifeboat local`'s SSM Run Command driven by the real aws CLI and boto3: documents (JSON,
YAML, AWS-RunShellScript), SendCommand to Auto Scaling instances by id and by group tag,
statuses, exit codes, execution timeouts, output truncation, listing and cancelling, AWS's
errors; and the seed's own document, which copies an instance's /var/log/php-fpm/error.log
to the local S3 with `aws s3 cp` run inside the instance.
"""
import base64
import json
import os
import tempfile
import time
import unittest

import botocore.exceptions

from local_harness import LocalCloud

# The seed's document as its blog post prints it, comment lines included; BUCKET stands
# for the bucket name the post tells the reader to fill in.
SEED_DOCUMENT = """{
  "schemaVersion": "2.2",
  "description": "log upload",
  "parameters": {},
  "mainSteps": [
    {
      "action": "aws:runShellScript",
      "name": "configureServer",
      "inputs": {
        "runCommand": [
          "instanceid=(`ec2-metadata -i | cut -d ' ' -f 2`)",
          "aws s3 cp /var/log/php-fpm/error.log s3://BUCKET/$instanceid/"
          # 複数ログを対象とする場合は、下記のようにカンマ(,)で繋げでください。最終行のみカンマ(,)は不要です。
          # "aws s3 cp /var/log/php-fpm/error.log s3://BUCKET/$instanceid/",
          # "aws s3 cp /var/log/php-fpm/xxxxx.log s3://BUCKET/$instanceid/",
          # "aws s3 cp /var/log/php-fpm/yyyyy.log s3://BUCKET/$instanceid/"
        ]
      }
    }
  ]
}
"""

# php-fpm's log, where Amazon Linux keeps it. An unisolated instance (not root) has the
# host's /var/log, so it writes under its root instead (instance_init.h).
USER_DATA = """#!/bin/bash
log=/var/log/php-fpm
[ "$LIFEBOAT_INSTANCE_ISOLATION" = none ] && log="$LIFEBOAT_INSTANCE_ROOT/var/log/php-fpm"
mkdir -p "$log"
echo "[$(date -u +%d-%b-%Y\\ %H:%M:%S)] WARNING: [pool www] child 4242 exited on signal 9 on $(ec2-metadata -i | cut -d ' ' -f 2)" > "$log/error.log.tmp"
mv "$log/error.log.tmp" "$log/error.log"
"""

BUCKET = "seed-logs"
RUNNING = ("Pending", "InProgress", "Delayed")


def seed_document(bucket):
    """The seed's JSON without its '#' lines (JSON has no comments), the bucket filled in."""
    lines = [l for l in SEED_DOCUMENT.splitlines() if not l.lstrip().startswith("#")]
    return "\n".join(lines).replace("BUCKET", bucket)


class LocalSsmTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = LocalCloud()
        cls.ssm = cls.cloud.client("ssm")
        cls.asg = cls.cloud.client("autoscaling")
        cls.s3 = cls.cloud.client("s3")
        cls.s3.create_bucket(Bucket=BUCKET)
        cls.cloud.client("ec2").create_launch_template(
            LaunchTemplateName="php", LaunchTemplateData={
                "ImageId": "ami-0123456789abcdef0", "InstanceType": "t3.micro",
                "UserData": base64.b64encode(USER_DATA.encode()).decode()})
        cls.web = cls.make_group("web", 2)
        cls.batch = cls.make_group("batch", 1)

    @classmethod
    def tearDownClass(cls):
        cls.cloud.stop()

    @classmethod
    def make_group(cls, name, size):
        cls.asg.create_auto_scaling_group(AutoScalingGroupName=name, MinSize=0, MaxSize=5,
                                          DesiredCapacity=size,
                                          LaunchTemplate={"LaunchTemplateName": "php"})
        ids = sorted(i["InstanceId"] for i in cls.asg.describe_auto_scaling_groups(
            AutoScalingGroupNames=[name])["AutoScalingGroups"][0]["Instances"])
        for instance_id in ids:
            cls.wait_for_file(os.path.join(cls.root(instance_id), "var/log/php-fpm/error.log"))
        return ids

    @classmethod
    def root(cls, instance_id):
        return os.path.join(cls.cloud.state_dir, "instances", instance_id)

    @classmethod
    def isolated(cls, instance_id):
        with open(os.path.join(cls.root(instance_id), "var/log/cloud-init-output.log")) as f:
            return "instance isolated" in f.read()

    @staticmethod
    def wait_for_file(path, limit=30):
        deadline = time.monotonic() + limit
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} did not appear")
            time.sleep(0.05)

    def send(self, instance_ids, commands, **params):
        parameters = {"commands": commands}
        parameters.update({k: [v] for k, v in params.items()})
        return self.ssm.send_command(InstanceIds=instance_ids, DocumentName="AWS-RunShellScript",
                                     Parameters=parameters)["Command"]["CommandId"]

    def finished(self, command_id, instance_id, limit=60, **extra):
        """GetCommandInvocation polled to a final status, as clients poll it."""
        deadline = time.monotonic() + limit
        while True:
            try:
                result = self.ssm.get_command_invocation(CommandId=command_id,
                                                         InstanceId=instance_id, **extra)
                if result["Status"] not in RUNNING:
                    return result
            except botocore.exceptions.ClientError as e:
                if e.response["Error"]["Code"] != "InvocationDoesNotExist":
                    raise
            if time.monotonic() > deadline:
                raise AssertionError(f"{command_id} on {instance_id} did not finish")
            time.sleep(0.1)

    def assertCliFails(self, proc, code, text=""):
        self.assertNotEqual(proc.returncode, 0, proc.stdout_text)
        self.assertIn(f"({code})", proc.stderr_text)
        self.assertIn(text, proc.stderr_text)

    def test_seed_document_copies_the_instances_log_to_s3(self):
        """The seed's steps through the aws CLI alone: its document, send-command, poll."""
        instance = self.web[0]
        if not self.isolated(instance):
            self.skipTest("the seed's document reads /var/log/php-fpm: needs an isolated "
                          "instance (root, mount namespaces)")
        with tempfile.NamedTemporaryFile("w", suffix=".json") as doc:
            doc.write(seed_document(BUCKET))
            doc.flush()
            created = self.cloud.aws("ssm", "create-document", "--name", "log-upload",
                                     "--content", f"file://{doc.name}",
                                     "--document-type", "Command")["DocumentDescription"]
        self.assertEqual(created["Name"], "log-upload")
        self.assertEqual(created["SchemaVersion"], "2.2")
        self.assertEqual(self.cloud.aws("ssm", "describe-document", "--name",
                                        "log-upload")["Document"]["Status"], "Active")

        command = self.cloud.aws("ssm", "send-command", "--instance-ids", instance,
                                 "--document-name", "log-upload")["Command"]
        self.assertEqual(command["DocumentName"], "log-upload")
        self.assertEqual(command["InstanceIds"], [instance])
        self.assertEqual(command["TargetCount"], 1)
        deadline = time.monotonic() + 60
        while True:
            result = self.cloud.aws("ssm", "get-command-invocation", "--command-id",
                                    command["CommandId"], "--instance-id", instance)
            if result["Status"] not in RUNNING:
                break
            self.assertLess(time.monotonic(), deadline, result)
            time.sleep(0.2)
        self.assertEqual(result["Status"], "Success", result)
        self.assertEqual(result["ResponseCode"], 0)
        self.assertEqual(result["PluginName"], "configureServer")
        self.assertIn(f"s3://{BUCKET}/{instance}/error.log", result["StandardOutputContent"])

        with open(os.path.join(self.root(instance), "var/log/php-fpm/error.log"), "rb") as f:
            original = f.read()
        self.assertIn(instance.encode(), original)
        stored = self.s3.get_object(Bucket=BUCKET, Key=f"{instance}/error.log")["Body"].read()
        self.assertEqual(stored, original)

    def test_run_shell_script_runs_inside_the_instance_with_its_environment(self):
        instance = self.web[1]
        command_id = self.send([instance], [
            "x=(one two three)",
            "echo \"items=${#x[@]}\"",
            "echo \"id=$LIFEBOAT_INSTANCE_ID\"",
            "ec2-metadata -i",
            "echo \"cwd=$(pwd)\"",
            "aws s3api head-bucket --bucket " + BUCKET + " > /dev/null && echo bucket-ok",
        ], workingDirectory="/tmp", executionTimeout="120")
        # boto3's own waiter polls GetCommandInvocation as it would against AWS.
        self.ssm.get_waiter("command_executed").wait(
            CommandId=command_id, InstanceId=instance,
            WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        result = self.finished(command_id, instance)
        self.assertEqual(result["Status"], "Success")
        self.assertEqual(result["StatusDetails"], "Success")
        self.assertEqual(result["PluginName"], "aws:runShellScript")
        self.assertEqual(result["StandardOutputContent"],
                         f"items=3\nid={instance}\ninstance-id: {instance}\ncwd=/tmp\nbucket-ok\n")
        self.assertRegex(result["ExecutionStartDateTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertRegex(result["ExecutionElapsedTime"], r"^PT\d+\.\d{3}S$")
        self.assertNotEqual(result["ExecutionEndDateTime"], "")

    def test_failing_command_reports_its_exit_code(self):
        instance = self.batch[0]
        command_id = self.send([instance], ["echo before", "echo broken >&2", "exit 7"])
        result = self.finished(command_id, instance)
        self.assertEqual(result["Status"], "Failed")
        self.assertEqual(result["StatusDetails"], "Failed")
        self.assertEqual(result["ResponseCode"], 7)
        self.assertEqual(result["StandardOutputContent"], "before\n")
        self.assertEqual(result["StandardErrorContent"],
                         "broken\n\nfailed to run commands: exit status 7")
        cli = self.cloud.aws("ssm", "list-commands", "--command-id", command_id)["Commands"][0]
        self.assertEqual(cli["Status"], "Failed")
        self.assertEqual(cli["ErrorCount"], 1)
        self.assertEqual(cli["CompletedCount"], 1)

    def test_execution_timeout_kills_the_script(self):
        instance = self.batch[0]
        start = time.monotonic()
        command_id = self.send([instance], ["echo started", "sleep 600"], executionTimeout="5")
        result = self.finished(command_id, instance)
        self.assertLess(time.monotonic() - start, 30)
        self.assertEqual(result["Status"], "TimedOut")
        self.assertEqual(result["StatusDetails"], "ExecutionTimedOut")
        self.assertEqual(result["ResponseCode"], 137)
        self.assertEqual(result["StandardOutputContent"], "started\n")
        command = self.ssm.list_commands(CommandId=command_id)["Commands"][0]
        self.assertEqual((command["Status"], command["StatusDetails"]),
                         ("TimedOut", "ExecutionTimedOut"))

    def test_output_is_truncated_as_aws_truncates_it(self):
        instance = self.batch[0]
        command_id = self.send([instance], ["head -c 30000 /dev/zero | tr '\\0' o",
                                            "head -c 9000 /dev/zero | tr '\\0' e >&2"])
        result = self.finished(command_id, instance)
        self.assertEqual(result["Status"], "Success")
        out = result["StandardOutputContent"]
        self.assertEqual(len(out), 24000)
        self.assertEqual(out, "o" * 23980 + "--output truncated--")
        self.assertEqual(len(result["StandardErrorContent"]), 8000)
        listed = self.cloud.aws("ssm", "list-command-invocations", "--command-id", command_id,
                                "--details")["CommandInvocations"]
        plugin = listed[0]["CommandPlugins"][0]
        self.assertEqual(plugin["Name"], "aws:runShellScript")
        self.assertEqual(plugin["ResponseCode"], 0)
        self.assertLessEqual(len(plugin["Output"]), 2500)
        self.assertIn("---Output truncated---\n----------ERROR-------\neee", plugin["Output"])
        self.assertTrue(plugin["Output"].endswith("---Error truncated----"))

    def test_yaml_document_with_parameters(self):
        content = "\n".join([
            "schemaVersion: '2.2'",
            "description: Greets",
            "parameters:",
            "  who:",
            "    type: String",
            "    default: world",
            "  lines:",
            "    type: StringList",
            "    default: [a, b]",
            "mainSteps:",
            "  - action: aws:runShellScript",
            "    name: greet",
            "    inputs:",
            "      runCommand:",
            "        - echo hello {{who}}",
            "        - echo 'lines={{ lines }}'",
            "",
        ])
        self.cloud.aws("ssm", "create-document", "--name", "greet", "--content", content,
                       "--document-format", "YAML", "--document-type", "Command")
        as_json = self.cloud.aws("ssm", "get-document", "--name", "greet",
                                 "--document-format", "JSON")
        self.assertEqual(json.loads(as_json["Content"])["mainSteps"][0]["name"], "greet")
        self.assertEqual(self.cloud.aws("ssm", "get-document", "--name", "greet")["Content"],
                         content)
        params = {p["Name"]: p for p in self.ssm.describe_document(Name="greet")["Document"]["Parameters"]}
        self.assertEqual(params["who"]["DefaultValue"], "world")

        instance = self.web[0]
        command = self.cloud.aws("ssm", "send-command", "--document-name", "greet",
                                 "--instance-ids", instance, "--parameters", "who=lifeboat")
        result = self.finished(command["Command"]["CommandId"], instance)
        self.assertEqual(result["StandardOutputContent"], "hello lifeboat\nlines=[\"a\",\"b\"]\n")
        command = self.cloud.aws("ssm", "send-command", "--document-name", "greet",
                                 "--instance-ids", instance)
        result = self.finished(command["Command"]["CommandId"], instance)
        self.assertTrue(result["StandardOutputContent"].startswith("hello world\n"))
        self.ssm.delete_document(Name="greet")
        with self.assertRaises(self.ssm.exceptions.InvalidDocument):
            self.ssm.describe_document(Name="greet")

    def test_targets_by_auto_scaling_group_tag(self):
        command = self.cloud.aws("ssm", "send-command", "--document-name", "AWS-RunShellScript",
                                 "--targets", "Key=tag:aws:autoscaling:groupName,Values=web",
                                 "--parameters", "commands=echo $LIFEBOAT_INSTANCE_ID",
                                 "--comment", "by group")["Command"]
        self.assertEqual(command["TargetCount"], 2)
        self.assertEqual(command["Targets"],
                         [{"Key": "tag:aws:autoscaling:groupName", "Values": ["web"]}])
        for instance in self.web:
            result = self.finished(command["CommandId"], instance)
            self.assertEqual(result["StandardOutputContent"], instance + "\n")
            self.assertEqual(result["Comment"], "by group")
        invocations = self.ssm.list_command_invocations(CommandId=command["CommandId"])
        self.assertEqual(sorted(i["InstanceId"] for i in invocations["CommandInvocations"]),
                         self.web)
        final = self.ssm.list_commands(CommandId=command["CommandId"])["Commands"][0]
        self.assertEqual((final["Status"], final["CompletedCount"]), ("Success", 2))

    def test_unknown_and_terminated_instances_are_invalid(self):
        unknown = self.cloud.aws("ssm", "send-command", "--document-name", "AWS-RunShellScript",
                                 "--instance-ids", "i-0123456789abcdef0",
                                 "--parameters", "commands=true", check=False)
        self.assertCliFails(unknown, "InvalidInstanceId",
                            "Instances [[i-0123456789abcdef0]] not in a valid state")
        doomed = self.make_group("doomed", 1)[0]
        self.asg.terminate_instance_in_auto_scaling_group(InstanceId=doomed,
                                                          ShouldDecrementDesiredCapacity=True)
        deadline = time.monotonic() + 30
        while self.asg.describe_auto_scaling_instances(InstanceIds=[doomed])["AutoScalingInstances"]:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        with self.assertRaises(self.ssm.exceptions.InvalidInstanceId):
            self.send([doomed], ["true"])

    def test_lists_and_cancel(self):
        instance = self.batch[0]
        slow = self.send([instance], ["sleep 300"])
        deadline = time.monotonic() + 30
        while self.ssm.get_command_invocation(CommandId=slow,
                                              InstanceId=instance)["Status"] != "InProgress":
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        running = self.ssm.get_command_invocation(CommandId=slow, InstanceId=instance)
        self.assertEqual(running["ResponseCode"], -1)
        self.assertEqual(running["StandardOutputContent"], "")
        in_progress = self.ssm.list_commands(
            Filters=[{"key": "Status", "value": "InProgress"}])["Commands"]
        self.assertIn(slow, [c["CommandId"] for c in in_progress])
        self.cloud.aws("ssm", "cancel-command", "--command-id", slow)
        result = self.finished(slow, instance)
        self.assertEqual(result["Status"], "Cancelled")

        mine = self.ssm.list_command_invocations(InstanceId=instance)["CommandInvocations"]
        self.assertEqual(mine[0]["CommandId"], slow)  # newest first
        self.assertEqual({i["InstanceId"] for i in mine}, {instance})
        paginator = self.ssm.get_paginator("list_commands")
        every = [c["CommandId"] for page in paginator.paginate(PaginationConfig={"PageSize": 1})
                 for c in page["Commands"]]
        self.assertIn(slow, every)
        self.assertEqual(len(every), len(set(every)))

    def test_document_errors(self):
        good = seed_document("x-bucket")
        self.ssm.create_document(Name="dup-doc", Content=good, DocumentType="Command")
        with self.assertRaises(self.ssm.exceptions.DocumentAlreadyExists):
            self.ssm.create_document(Name="dup-doc", Content=good, DocumentType="Command")
        with self.assertRaises(self.ssm.exceptions.InvalidDocumentContent):
            self.ssm.create_document(Name="broken", Content="{\"schemaVersion\": ", DocumentType="Command")
        with self.assertRaises(self.ssm.exceptions.InvalidDocumentSchemaVersion):
            self.ssm.create_document(Name="future", Content=good.replace("2.2", "9.9"),
                                     DocumentType="Command")
        with self.assertRaises(self.ssm.exceptions.InvalidDocument):
            self.ssm.describe_document(Name="never-created")
        missing = self.cloud.aws("ssm", "send-command", "--document-name", "AWS-RunShellScript",
                                 "--instance-ids", self.batch[0], check=False)
        self.assertCliFails(missing, "InvalidParameters")
        with self.assertRaises(self.ssm.exceptions.InvalidParameters):
            self.send([self.batch[0]], ["true"], executionTimeout="forever")
        names = [d["Name"] for d in self.ssm.list_documents(
            Filters=[{"Key": "Owner", "Values": ["Self"]}])["DocumentIdentifiers"]]
        self.assertIn("dup-doc", names)
        self.assertNotIn("AWS-RunShellScript", names)


if __name__ == "__main__":
    unittest.main()
