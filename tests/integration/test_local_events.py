"""`lifeboat local`'s EventBridge driven by outside clients, the real aws CLI and boto3: every
operation and its errors, `test-event-pattern` agreeing with the matcher's documented cases,
invalid patterns refused with InvalidEventPatternException, PutEvents delivered to an SQS
target (whole event, Input, InputPath), and Auto Scaling's lifecycle-action event reaching
an SQS target on a scale-in, with AWS's envelope and detail fields.
"""
import json
import time
import unittest

import botocore.exceptions

from harness import REGION
from local_harness import ACCOUNT, LocalCloud
from test_local_autoscaling import TERMINATING, make_group

# An AWS event for TestEventPattern: id, account, source, time, region and detail-type are
# mandatory; resources and detail may be left out, though the API reference lists resources.
EVENT = {
    "version": "0", "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
    "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
    "account": "012345679012", "time": "2017-10-02T16:24:49Z", "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
    "detail": {"c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33",
               "instance-id": "i-000000aaaaaa00000", "state": "running",
               "tags": ["Custom_Alert", "Insider"], "empty": [], "nothing": None, "blank": "",
               "employees": [{"first": "John", "last": "Doe"}, {"first": "Anna", "last": "Smith"}]},
}

# (pattern, expected): the same cases as src/events' unit tests, from the EventBridge user
# guide and the aws/event-ruler README.
CASES = [
    ({"source": ["aws.ec2", "aws.fargate"]}, True),
    ({"source": ["AWS.EC2"]}, False),
    ({"detail": {"state": ["initializing", "running"]}}, True),
    ({"detail": {"tags": ["Insider"]}}, True),
    ({"detail": {"c-count": [5.0]}}, True),
    ({"detail": {"c-count": ["5"]}}, False),
    ({"detail": {"nothing": [None]}}, True),
    ({"detail": {"blank": [""]}}, True),
    ({"detail": {"blank": [None]}}, False),
    ({"time": [{"prefix": "2017-10-02"}]}, True),
    ({"source": [{"suffix": "ec2"}]}, True),
    ({"source": [{"equals-ignore-case": "AWS.EC2"}]}, True),
    ({"detail": {"state": [{"prefix": {"equals-ignore-case": "RUN"}}]}}, True),
    ({"detail": {"instance-id": [{"suffix": {"equals-ignore-case": "AAA00000"}}]}}, True),
    ({"detail-type": [{"wildcard": "EC2 * Notification"}]}, True),
    ({"detail-type": [{"wildcard": "EC2 \\* Notification"}]}, False),
    ({"detail": {"state": [{"anything-but": "initializing"}]}}, True),
    ({"detail": {"state": [{"anything-but": ["stopped", "running"]}]}}, False),
    ({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}, True),
    ({"detail": {"state": [{"anything-but": {"prefix": "run"}}]}}, False),
    ({"detail": {"state": [{"anything-but": {"suffix": "ing"}}]}}, False),
    ({"detail": {"state": [{"anything-but": {"equals-ignore-case": "RUNNING"}}]}}, False),
    ({"detail": {"state": [{"anything-but": {"wildcard": "*x*"}}]}}, True),
    ({"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                 "x-limit": [{"numeric": ["=", 3.018e2]}]}}, True),
    ({"detail": {"c-count": [{"numeric": [">", 5]}]}}, False),
    ({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}, True),
    ({"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}, False),
    ({"detail": {"c-count": [{"exists": True}], "missing": [{"exists": False}]}}, True),
    ({"detail": {"empty": [{"exists": False}]}}, True),
    ({"detail": {"state": {"exists": [True]}}}, False),
    ({"source": ["aws.s3"], "$or": [{"detail": {"state": ["running"]}}, {"region": ["us-east-1"]}]}, False),
    ({"$or": [{"source": ["aws.s3"]}, {"detail": {"c-count": [5]}}]}, True),
    ({"detail.state": ["running"]}, True),
    ({"detail": {"employees": {"first": ["Anna"], "last": ["Smith"]}}}, True),
    ({"detail": {"employees": {"first": ["Anna"], "last": ["Doe"]}}}, False),
]

# (pattern, start of InvalidEventPatternException's message).
INVALID = [
    ('{"source": "aws.ec2"}', 'Event pattern is not valid. Reason: "source" must be an object or an array'),
    ('{"source": []}', "Event pattern is not valid. Reason: Empty arrays are not allowed"),
    ('{"detail": {}}', "Event pattern is not valid. Reason: Empty objects are not allowed"),
    ('{"source": [{"contains": "ec2"}]}', "Event pattern is not valid. Reason: Unrecognized match type contains"),
    ('{"a": [{"numeric": ["<", 6e9]}]}',
     "Event pattern is not valid. Reason: Value must be between -5.0E9 and 5.0E9, inclusive"),
    ('{"a": [{"wildcard": "a**b"}]}', "Event pattern is not valid. Reason: Consecutive wildcard characters at pos 2"),
    ('{"a": [{"cidr": "10.0.0.0/33"}]}', "Event pattern is not valid. Reason: IPv4 mask bits must be < 32"),
    ('["aws.ec2"]', "Event pattern is not valid. Reason: Filter is not an object"),
    ('{"a": [{"wildcard": "*:stack/A/*"}, {"wildcard": "*:stack/B/*"}, {"wildcard": "*:stack/C/*"}, '
     '{"wildcard": "*:stack/D/*"}]}', "Event pattern is not valid. Reason: Rule is too complex"),
    ('{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}',
     "Event pattern is not valid. Reason: Rule is too complex"),
]


def receive(sqs, url, count=1, limit=20):
    """Messages from a queue, polling until `count` arrived or `limit` seconds passed."""
    messages = []
    deadline = time.monotonic() + limit
    while len(messages) < count and time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in got.get("Messages", []):
            messages.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return messages


class LocalEventBridgeTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.cloud = LocalCloud()
        cls.events = cls.cloud.client("events")
        cls.sqs = cls.cloud.client("sqs")

    @classmethod
    def tearDownClass(cls):
        cls.cloud.stop()

    def queue(self, name):
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        return url, f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"

    def test_rules_and_targets_with_the_cli(self):
        pattern = json.dumps({"source": ["aws.autoscaling"]})
        out = self.cloud.aws("events", "put-rule", "--name", "cli-rule", "--event-pattern", pattern,
                             "--description", "from the CLI")
        self.assertEqual(out["RuleArn"], f"arn:aws:events:{REGION}:{ACCOUNT}:rule/cli-rule")
        rule = self.cloud.aws("events", "describe-rule", "--name", "cli-rule")
        self.assertEqual((rule["Name"], rule["State"], rule["EventPattern"], rule["Description"], rule["EventBusName"]),
                         ("cli-rule", "ENABLED", pattern, "from the CLI", "default"))
        _, arn = self.queue("cli-rule-queue")
        out = self.cloud.aws("events", "put-targets", "--rule", "cli-rule", "--targets",
                             json.dumps([{"Id": "q", "Arn": arn, "InputPath": "$.detail"}]))
        self.assertEqual(out["FailedEntryCount"], 0)
        targets = self.cloud.aws("events", "list-targets-by-rule", "--rule", "cli-rule")["Targets"]
        self.assertEqual(targets, [{"Id": "q", "Arn": arn, "InputPath": "$.detail"}])
        names = [r["Name"] for r in self.cloud.aws("events", "list-rules", "--name-prefix", "cli-")["Rules"]]
        self.assertEqual(names, ["cli-rule"])
        failed = self.cloud.aws("events", "delete-rule", "--name", "cli-rule", check=False)
        self.assertNotEqual(failed.returncode, 0)
        self.assertIn("(ValidationException)", failed.stderr_text)
        self.assertIn("Rule can't be deleted since it has targets.", failed.stderr_text)
        self.cloud.aws("events", "remove-targets", "--rule", "cli-rule", "--ids", "q")
        self.cloud.aws("events", "delete-rule", "--name", "cli-rule")
        missing = self.cloud.aws("events", "describe-rule", "--name", "cli-rule", check=False)
        self.assertIn("(ResourceNotFoundException)", missing.stderr_text)

    def test_list_rules_pages_with_boto3(self):
        for i in range(5):
            self.events.put_rule(Name=f"page-{i}", EventPattern='{"source": ["x"]}', State="DISABLED")
        seen, token = [], None
        while True:
            kwargs = {"NamePrefix": "page-", "Limit": 2}
            if token:
                kwargs["NextToken"] = token
            out = self.events.list_rules(**kwargs)
            seen += [r["Name"] for r in out["Rules"]]
            token = out.get("NextToken")
            if not token:
                break
        self.assertEqual(seen, [f"page-{i}" for i in range(5)])
        paginated = [r["Name"] for page in self.events.get_paginator("list_rules").paginate(
            NamePrefix="page-", PaginationConfig={"PageSize": 2}) for r in page["Rules"]]
        self.assertEqual(paginated, seen)

    def test_test_event_pattern_agrees_with_the_matcher(self):
        event = json.dumps(EVENT)
        for pattern, expected in CASES:
            with self.subTest(pattern=pattern):
                out = self.events.test_event_pattern(EventPattern=json.dumps(pattern), Event=event)
                self.assertEqual(out["Result"], expected)
        for pattern, expected in CASES[::7]:  # and a sample through the real CLI
            with self.subTest(cli=pattern):
                out = self.cloud.aws("events", "test-event-pattern", "--event-pattern", json.dumps(pattern),
                                     "--event", event)
                self.assertEqual(out["Result"], expected)

    def test_test_event_pattern_needs_the_envelope_but_not_resources(self):
        minimal = {k: EVENT[k] for k in ("id", "account", "source", "time", "region", "detail-type")}
        pattern = json.dumps({"source": ["aws.ec2"]})
        out = self.events.test_event_pattern(EventPattern=pattern, Event=json.dumps(minimal))
        self.assertTrue(out["Result"])
        for missing in ("time", "id"):
            with self.subTest(missing=missing):
                partial = {k: v for k, v in minimal.items() if k != missing}
                with self.assertRaises(botocore.exceptions.ClientError) as caught:
                    self.events.test_event_pattern(EventPattern=pattern, Event=json.dumps(partial))
                error = caught.exception.response["Error"]
                self.assertEqual((error["Code"], error["Message"]),
                                 ("ValidationException", "Parameter Event is not valid."))

    def test_invalid_patterns_are_refused(self):
        for pattern, message in INVALID:
            with self.subTest(pattern=pattern):
                with self.assertRaises(botocore.exceptions.ClientError) as caught:
                    self.events.put_rule(Name="invalid", EventPattern=pattern)
                error = caught.exception.response["Error"]
                self.assertEqual(error["Code"], "InvalidEventPatternException")
                self.assertTrue(error["Message"].startswith(message), error["Message"])
        p = self.cloud.aws("events", "test-event-pattern", "--event-pattern", '{"source": []}',
                           "--event", json.dumps(EVENT), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("(InvalidEventPatternException)", p.stderr_text)
        self.assertIn("Empty arrays are not allowed", p.stderr_text)

    def test_put_events_reach_an_sqs_target(self):
        url, arn = self.queue("orders")
        self.events.put_rule(Name="big-orders", EventPattern=json.dumps(
            {"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}))
        out = self.events.put_targets(Rule="big-orders", Targets=[
            {"Id": "whole", "Arn": arn},
            {"Id": "detail", "Arn": arn, "InputPath": "$.detail"},
            {"Id": "constant", "Arn": arn, "Input": '{"constant": true}'}])
        self.assertEqual(out["FailedEntryCount"], 0)
        out = self.cloud.aws("events", "put-events", "--entries", json.dumps([
            {"Source": "shop", "DetailType": "Order Placed", "Detail": json.dumps({"total": 50}),
             "Resources": ["arn:aws:shop:order/1"]},
            {"Source": "shop", "DetailType": "Order Placed", "Detail": json.dumps({"total": 250}),
             "Resources": ["arn:aws:shop:order/2"]}]))
        self.assertEqual(out["FailedEntryCount"], 0)
        self.assertEqual(len(out["Entries"]), 2)
        bodies = sorted(m["Body"] for m in receive(self.sqs, url, count=3))
        self.assertEqual(len(bodies), 3, bodies)
        self.assertIn('{"total":250}', bodies)
        self.assertIn('{"constant": true}', bodies)
        whole = json.loads(next(b for b in bodies if b.startswith('{"version"')))
        self.assertEqual(whole["source"], "shop")
        self.assertEqual(whole["detail-type"], "Order Placed")
        self.assertEqual(whole["account"], ACCOUNT)
        self.assertEqual(whole["region"], REGION)
        self.assertEqual(whole["resources"], ["arn:aws:shop:order/2"])
        self.assertEqual(whole["id"], out["Entries"][1]["EventId"])
        self.assertRegex(whole["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(receive(self.sqs, url, count=1, limit=2), [])  # nothing for the small order

    def test_put_events_errors(self):
        out = self.events.put_events(Entries=[
            {"Source": "aws.ec2", "DetailType": "x", "Detail": "{}"},
            {"Source": "app", "DetailType": "x", "Detail": "{not json"}])
        self.assertEqual(out["FailedEntryCount"], 2)
        self.assertEqual(out["Entries"][0]["ErrorCode"], "NotAuthorizedForSourceException")
        self.assertEqual(out["Entries"][1]["ErrorCode"], "MalformedDetail")
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            self.events.put_rule(Name="r", EventPattern='{"a": [1]}', EventBusName="orders")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_scale_in_sends_the_lifecycle_action_event(self):
        url, arn = self.queue("terminations")
        self.cloud.aws("events", "put-rule", "--name", "on-terminate", "--event-pattern", json.dumps(
            {"source": ["aws.autoscaling"], "detail-type": ["EC2 Instance-terminate Lifecycle Action"]}))
        self.cloud.aws("events", "put-targets", "--rule", "on-terminate", "--targets",
                       json.dumps([{"Id": "q", "Arn": arn}]))
        hook = {"LifecycleHookName": "log-upload", "LifecycleTransition": TERMINATING, "HeartbeatTimeout": 60,
                "DefaultResult": "CONTINUE", "NotificationMetadata": "bucket=logs"}
        [instance] = make_group(self.cloud, "events-web", desired=1, hooks=[hook])
        asg = self.cloud.client("autoscaling")
        asg.set_desired_capacity(AutoScalingGroupName="events-web", DesiredCapacity=0)
        messages = receive(self.sqs, url, count=1)
        self.assertEqual(len(messages), 1)
        event = json.loads(messages[0]["Body"])
        self.assertEqual(event["version"], "0")
        self.assertEqual(event["source"], "aws.autoscaling")
        self.assertEqual(event["detail-type"], "EC2 Instance-terminate Lifecycle Action")
        self.assertEqual(event["account"], ACCOUNT)
        self.assertEqual(event["region"], REGION)
        self.assertEqual(len(event["id"]), 36)
        self.assertTrue(event["resources"][0].startswith(f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:"))
        detail = event["detail"]
        self.assertEqual(detail["AutoScalingGroupName"], "events-web")
        self.assertEqual(detail["LifecycleHookName"], "log-upload")
        self.assertEqual(detail["EC2InstanceId"], instance)
        self.assertEqual(detail["LifecycleTransition"], TERMINATING)
        self.assertEqual(detail["NotificationMetadata"], "bucket=logs")
        self.assertEqual(detail["Origin"], "AutoScalingGroup")
        self.assertEqual(detail["Destination"], "EC2")
        # The token in the event completes the action, as the seed's controller would.
        asg.complete_lifecycle_action(AutoScalingGroupName="events-web", LifecycleHookName="log-upload",
                                      LifecycleActionToken=detail["LifecycleActionToken"],
                                      LifecycleActionResult="CONTINUE")


if __name__ == "__main__":
    unittest.main()
