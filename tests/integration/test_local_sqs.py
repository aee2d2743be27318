"""`lifeboat local`'s SQS driven by outside clients: the real aws CLI and boto3 (both speak
SQS's JSON protocol) and hand-signed Query protocol requests (form in, XML out), every
operation and the errors clients must be able to tell apart.
"""
import hashlib
import json
import threading
import time
import unittest
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

from harness import REGION, base_env, run
from local_harness import ACCOUNT, LocalCloud

NS = {"sqs": "http://queue.amazonaws.com/doc/2012-11-05/"}


class LocalSqsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = LocalCloud()
        cls.sqs = cls.cloud.client("sqs")

    @classmethod
    def tearDownClass(cls):
        cls.cloud.stop()

    def aws(self, *args, check=True):
        p = run(["aws", "--endpoint-url", self.cloud.url, "--output", "json", "sqs", *args],
                env=base_env())
        if check and p.returncode != 0:
            self.fail(f"aws sqs {args} exited {p.returncode}: {p.stderr_text}")
        return json.loads(p.stdout_text) if check and p.stdout_text.strip() else p

    def assertCliFails(self, args, code):
        p = self.aws(*args, check=False)
        self.assertNotEqual(p.returncode, 0, p.stdout_text)
        self.assertIn(f"({code})", p.stderr_text)

    def assertClientError(self, code, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        self.assertEqual(cm.exception.response["Error"]["Code"], code)
        return cm.exception

    # -- the aws CLI -------------------------------------------------------------------------

    def test_cli_every_operation(self):
        url = self.aws("create-queue", "--queue-name", "cliops-jobs",
                       "--attributes", "VisibilityTimeout=40,DelaySeconds=0")["QueueUrl"]
        self.assertEqual(url, self.cloud.queue_url("cliops-jobs"))
        self.assertEqual(self.aws("create-queue", "--queue-name", "cliops-jobs",
                                  "--attributes", "VisibilityTimeout=40")["QueueUrl"], url)
        self.assertEqual(self.aws("get-queue-url", "--queue-name", "cliops-jobs")["QueueUrl"], url)

        sent = self.aws("send-message", "--queue-url", url, "--message-body", "hello cli",
                        "--message-attributes",
                        '{"kind":{"DataType":"String","StringValue":"test"}}')
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5(b"hello cli").hexdigest())
        self.assertIn("MD5OfMessageAttributes", sent)

        got = self.aws("receive-message", "--queue-url", url, "--attribute-names", "All",
                       "--message-attribute-names", "All", "--max-number-of-messages", "10",
                       "--wait-time-seconds", "1")["Messages"]
        self.assertEqual(len(got), 1)
        m = got[0]
        self.assertEqual(m["Body"], "hello cli")
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertIn("SentTimestamp", m["Attributes"])
        self.assertEqual(m["MessageAttributes"]["kind"]["StringValue"], "test")

        attrs = self.aws("get-queue-attributes", "--queue-url", url,
                         "--attribute-names", "All")["Attributes"]
        self.assertEqual(attrs["QueueArn"], f"arn:aws:sqs:{REGION}:{ACCOUNT}:cliops-jobs")
        self.assertEqual(attrs["VisibilityTimeout"], "40")
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "1")
        named = self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                         "ApproximateNumberOfMessages", "CreatedTimestamp")["Attributes"]
        self.assertEqual(set(named), {"ApproximateNumberOfMessages", "CreatedTimestamp"})

        # Visibility back to 0: the message is receivable again at once, with a new handle.
        self.aws("change-message-visibility", "--queue-url", url, "--receipt-handle",
                 m["ReceiptHandle"], "--visibility-timeout", "0")
        again = self.aws("receive-message", "--queue-url", url, "--attribute-names",
                         "ApproximateReceiveCount")["Messages"][0]
        self.assertEqual(again["Attributes"]["ApproximateReceiveCount"], "2")
        self.aws("delete-message", "--queue-url", url, "--receipt-handle", again["ReceiptHandle"])
        self.assertEqual(self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                                  "ApproximateNumberOfMessagesNotVisible")["Attributes"],
                         {"ApproximateNumberOfMessagesNotVisible": "0"})

        self.aws("set-queue-attributes", "--queue-url", url, "--attributes",
                 "ReceiveMessageWaitTimeSeconds=2")
        self.aws("send-message", "--queue-url", url, "--message-body", "to purge")
        self.aws("purge-queue", "--queue-url", url)
        self.assertEqual(self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                                  "ApproximateNumberOfMessages",
                                  "ReceiveMessageWaitTimeSeconds")["Attributes"],
                         {"ApproximateNumberOfMessages": "0", "ReceiveMessageWaitTimeSeconds": "2"})

        self.aws("create-queue", "--queue-name", "cliops-other")
        listed = self.aws("list-queues", "--queue-name-prefix", "cliops-")["QueueUrls"]
        self.assertEqual(sorted(listed), [url, self.cloud.queue_url("cliops-other")])
        self.aws("delete-queue", "--queue-url", url)
        self.assertEqual(self.aws("list-queues", "--queue-name-prefix", "cliops-")["QueueUrls"],
                         [self.cloud.queue_url("cliops-other")])

    def test_cli_errors(self):
        url = self.aws("create-queue", "--queue-name", "cli-errors")["QueueUrl"]
        self.assertCliFails(["get-queue-url", "--queue-name", "cli-missing"],
                            "AWS.SimpleQueueService.NonExistentQueue")
        self.assertCliFails(["send-message", "--queue-url", self.cloud.queue_url("cli-missing"),
                             "--message-body", "x"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assertCliFails(["create-queue", "--queue-name", "cli-errors",
                             "--attributes", "VisibilityTimeout=5"], "QueueAlreadyExists")
        self.assertCliFails(["delete-message", "--queue-url", url, "--receipt-handle", "junk"],
                            "ReceiptHandleIsInvalid")
        self.assertCliFails(["change-message-visibility", "--queue-url", url,
                             "--receipt-handle", "junk", "--visibility-timeout", "5"],
                            "ReceiptHandleIsInvalid")
        self.assertCliFails(["receive-message", "--queue-url", url,
                             "--max-number-of-messages", "11"], "InvalidParameterValue")
        self.assertCliFails(["get-queue-attributes", "--queue-url", url,
                             "--attribute-names", "Colour"], "InvalidAttributeName")
        # The server checks every signature.
        p = run(["aws", "--endpoint-url", self.cloud.url, "sqs", "list-queues"],
                env=base_env(AWS_SECRET_ACCESS_KEY="wrong"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", p.stderr_text)

    # -- boto3 -------------------------------------------------------------------------------

    def test_boto3_every_operation(self):
        sqs = self.sqs
        url = sqs.create_queue(QueueName="b3-jobs",
                               Attributes={"VisibilityTimeout": "30",
                                           "MessageRetentionPeriod": "600"})["QueueUrl"]
        self.assertEqual(sqs.get_queue_url(QueueName="b3-jobs")["QueueUrl"], url)
        sent = sqs.send_message(QueueUrl=url, MessageBody="héllo\r\n<xml/>",
                                MessageAttributes={
                                    "n": {"DataType": "Number", "StringValue": "42"},
                                    "b": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}})
        self.assertEqual(sent["MD5OfMessageBody"],
                         hashlib.md5("héllo\r\n<xml/>".encode()).hexdigest())
        got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"],
                                  MessageSystemAttributeNames=["All"])["Messages"]
        self.assertEqual(got[0]["Body"], "héllo\r\n<xml/>")
        self.assertEqual(got[0]["MessageAttributes"]["b"]["BinaryValue"], b"\x00\xff")
        self.assertEqual(got[0]["MD5OfMessageAttributes"], sent["MD5OfMessageAttributes"])
        self.assertEqual(got[0]["Attributes"]["SenderId"], "test")

        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"],
                                      VisibilityTimeout=100)
        self.assertNotIn("Messages", sqs.receive_message(QueueUrl=url))
        sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "0")
        self.assertEqual(attrs["MessageRetentionPeriod"], "600")

        batch = sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "MessageBody": "1"}, {"Id": "b", "MessageBody": "2"}])
        self.assertEqual(sorted(e["Id"] for e in batch["Successful"]), ["a", "b"])
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in msgs], ["1", "2"])
        deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        self.assertEqual(len(deleted["Successful"]), 2)

        sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "1"})
        sqs.purge_queue(QueueUrl=url)
        for i in range(3):
            sqs.create_queue(QueueName=f"b3-page-{i}")
        pages = sqs.get_paginator("list_queues").paginate(QueueNamePrefix="b3-page-",
                                                          PaginationConfig={"PageSize": 2})
        urls = [u for page in pages for u in page.get("QueueUrls", [])]
        self.assertEqual(urls, [self.cloud.queue_url(f"b3-page-{i}") for i in range(3)])
        sqs.delete_queue(QueueUrl=url)
        self.assertRaises(sqs.exceptions.QueueDoesNotExist, sqs.get_queue_url, QueueName="b3-jobs")

    def test_boto3_errors_are_the_modeled_exceptions(self):
        sqs = self.sqs
        url = sqs.create_queue(QueueName="b3-errors")["QueueUrl"]
        e = self.assertClientError("AWS.SimpleQueueService.NonExistentQueue",
                                   sqs.get_queue_url, QueueName="b3-missing")
        self.assertIsInstance(e, sqs.exceptions.QueueDoesNotExist)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertRaises(sqs.exceptions.QueueDoesNotExist, sqs.receive_message,
                          QueueUrl=self.cloud.queue_url("b3-missing"))
        self.assertRaises(sqs.exceptions.QueueNameExists, sqs.create_queue, QueueName="b3-errors",
                          Attributes={"DelaySeconds": "7"})
        self.assertRaises(sqs.exceptions.ReceiptHandleIsInvalid, sqs.delete_message,
                          QueueUrl=url, ReceiptHandle="junk")
        self.assertClientError("InvalidParameterValue", sqs.receive_message, QueueUrl=url,
                               MaxNumberOfMessages=0)
        self.assertClientError("InvalidParameterValue", sqs.receive_message, QueueUrl=url,
                               WaitTimeSeconds=21)
        self.assertRaises(sqs.exceptions.InvalidAttributeName, sqs.get_queue_attributes,
                          QueueUrl=url, AttributeNames=["Colour"])
        self.assertRaises(sqs.exceptions.InvalidMessageContents, sqs.send_message,
                          QueueUrl=url, MessageBody="bell\x07")
        sqs.send_message(QueueUrl=url, MessageBody="m")
        handle = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"][0]["ReceiptHandle"]
        self.assertRaises(sqs.exceptions.MessageNotInflight, sqs.change_message_visibility,
                          QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=5)
        sqs.purge_queue(QueueUrl=url)
        self.assertRaises(sqs.exceptions.PurgeQueueInProgress, sqs.purge_queue, QueueUrl=url)

    def test_visibility_timeout_expiry(self):
        url = self.sqs.create_queue(QueueName="b3-visibility")["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="retry me")
        first = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=1)["Messages"][0]
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        time.sleep(1.2)
        again = self.sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(again["Messages"][0]["Body"], "retry me")
        self.assertEqual(again["Messages"][0]["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(again["Messages"][0]["ReceiptHandle"], first["ReceiptHandle"])

    def test_long_poll_returns_when_a_message_arrives(self):
        url = self.sqs.create_queue(QueueName="b3-longpoll")["QueueUrl"]
        result = {}

        def poll():
            start = time.monotonic()
            result["reply"] = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
            result["took"] = time.monotonic() - start

        t = threading.Thread(target=poll)
        t.start()
        time.sleep(0.5)
        self.assertTrue(t.is_alive(), "the receive returned before any message was sent")
        self.sqs.send_message(QueueUrl=url, MessageBody="wake up")
        t.join(timeout=10)
        self.assertFalse(t.is_alive())
        self.assertEqual(result["reply"]["Messages"][0]["Body"], "wake up")
        self.assertLess(result["took"], 5)

        start = time.monotonic()
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1))
        self.assertGreaterEqual(time.monotonic() - start, 0.95)

    # -- the Query protocol -------------------------------------------------------------------

    def query(self, params, path="/", secret="test"):
        """A SigV4-signed Query protocol POST; returns (status, parsed XML)."""
        body = {"Version": "2012-11-05", **params}
        request = botocore.awsrequest.AWSRequest(
            method="POST", url=self.cloud.url + path, data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials("test", secret),
                                "sqs", REGION).add_auth(request)
        prepared = request.prepare()
        req = urllib.request.Request(prepared.url, data=prepared.body.encode()
                                     if isinstance(prepared.body, str) else prepared.body,
                                     headers=dict(prepared.headers), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, ET.fromstring(r.read())
        except urllib.error.HTTPError as e:
            return e.code, ET.fromstring(e.read())

    def test_query_protocol(self):
        status, xml = self.query({"Action": "CreateQueue", "QueueName": "q-jobs",
                                  "Attribute.1.Name": "VisibilityTimeout",
                                  "Attribute.1.Value": "50"})
        self.assertEqual(status, 200)
        url = xml.find("sqs:CreateQueueResult/sqs:QueueUrl", NS).text
        self.assertEqual(url, self.cloud.queue_url("q-jobs"))
        status, xml = self.query({"Action": "SendMessage", "QueueUrl": url,
                                  "MessageBody": "query + body & more",
                                  "MessageAttribute.1.Name": "k",
                                  "MessageAttribute.1.Value.DataType": "String",
                                  "MessageAttribute.1.Value.StringValue": "v"})
        self.assertEqual(status, 200)
        self.assertEqual(xml.find("sqs:SendMessageResult/sqs:MD5OfMessageBody", NS).text,
                         hashlib.md5(b"query + body & more").hexdigest())
        status, xml = self.query({"Action": "ReceiveMessage", "QueueUrl": url,
                                  "AttributeName.1": "All", "MessageAttributeName.1": "All"})
        m = xml.find("sqs:ReceiveMessageResult/sqs:Message", NS)
        self.assertEqual(m.find("sqs:Body", NS).text, "query + body & more")
        attrs = {a.find("sqs:Name", NS).text: a.find("sqs:Value", NS).text
                 for a in m.findall("sqs:Attribute", NS)}
        self.assertEqual(attrs["ApproximateReceiveCount"], "1")
        self.assertEqual(m.find("sqs:MessageAttribute/sqs:Value/sqs:StringValue", NS).text, "v")
        handle = m.find("sqs:ReceiptHandle", NS).text
        # Sent to the queue's URL, the request names its queue by the path.
        status, _ = self.query({"Action": "DeleteMessage", "ReceiptHandle": handle},
                               path=f"/{ACCOUNT}/q-jobs")
        self.assertEqual(status, 200)
        status, xml = self.query({"Action": "GetQueueAttributes", "QueueUrl": url,
                                  "AttributeName.1": "All"})
        attrs = {a.find("sqs:Name", NS).text: a.find("sqs:Value", NS).text
                 for a in xml.findall("sqs:GetQueueAttributesResult/sqs:Attribute", NS)}
        self.assertEqual(attrs["VisibilityTimeout"], "50")
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "0")
        status, xml = self.query({"Action": "ListQueues", "QueueNamePrefix": "q-"})
        self.assertEqual([u.text for u in xml.findall("sqs:ListQueuesResult/sqs:QueueUrl", NS)],
                         [url])
        status, _ = self.query({"Action": "DeleteQueue", "QueueUrl": url})
        self.assertEqual(status, 200)

    def test_query_protocol_errors(self):
        status, xml = self.query({"Action": "GetQueueUrl", "QueueName": "q-missing"})
        self.assertEqual(status, 400)
        self.assertEqual(xml.find("Error/Code").text, "AWS.SimpleQueueService.NonExistentQueue")
        self.assertEqual(xml.find("Error/Type").text, "Sender")
        status, xml = self.query({"Action": "CreateQueue", "QueueName": "q-errors"})
        url = xml.find("sqs:CreateQueueResult/sqs:QueueUrl", NS).text
        status, xml = self.query({"Action": "DeleteMessage", "QueueUrl": url,
                                  "ReceiptHandle": "junk"})
        self.assertEqual((status, xml.find("Error/Code").text), (400, "ReceiptHandleIsInvalid"))
        status, xml = self.query({"Action": "ReceiveMessage", "QueueUrl": url,
                                  "MaxNumberOfMessages": "11"})
        self.assertEqual((status, xml.find("Error/Code").text), (400, "InvalidParameterValue"))
        status, xml = self.query({"Action": "ListQueues"}, secret="wrong")
        self.assertEqual(status, 403)
        self.assertEqual(xml.find(".//Code").text, "SignatureDoesNotMatch")


if __name__ == "__main__":
    unittest.main()
