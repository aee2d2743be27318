"""The fault proxy itself, driven by boto3 and raw http.client against moto_server: each
fault does what it claims (stored or not, error or reset or silence), keep-alive and
chunked bodies pass through intact, and the same seed draws the same faults."""
import http.client
import random
import socket
import time
import unittest

import botocore.config
import botocore.exceptions

from fault_proxy import FAULTS, FaultProxy
from harness import Moto


class FaultProxyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.moto = Moto()
        cls.addClassCleanup(cls.moto.stop)  # also when the rest of setUpClass fails
        cls.direct = cls.moto.boto3("s3")
        cls.direct.create_bucket(Bucket="fpx")

    def setUp(self):
        self.proxy = FaultProxy(self.moto.url, seed=1, stall_seconds=2)
        self.addCleanup(self.proxy.stop)
        self.s3 = self.client()

    def client(self, read_timeout=10):
        config = botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                        read_timeout=read_timeout, connect_timeout=5)
        return self.moto.boto3("s3", endpoint_url=self.proxy.url, config=config)

    def stored(self, key):
        try:
            return self.direct.get_object(Bucket="fpx", Key=key)["Body"].read()
        except self.direct.exceptions.NoSuchKey:
            return None

    def test_pass_through_keeps_the_connection_alive(self):
        data = random.Random(3).randbytes(3 << 20)
        for i in range(5):
            self.s3.put_object(Bucket="fpx", Key=f"pass/{i}", Body=data)
        for i in range(5):
            self.assertEqual(self.s3.get_object(Bucket="fpx", Key=f"pass/{i}")["Body"].read(), data)
        self.assertEqual(self.s3.head_object(Bucket="fpx", Key="pass/0")["ContentLength"], len(data))
        self.assertEqual(self.proxy.counts["pass"], 11)
        self.assertEqual(self.proxy.connections, 1)

    def expect_error(self, kind, code):
        self.proxy.force(kind)
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.s3.put_object(Bucket="fpx", Key=kind, Body=b"x" * 1000)
        self.assertEqual(e.exception.response["Error"]["Code"], code)
        self.assertEqual(self.proxy.counts[kind], 1)

    def test_500_and_503_are_answered_without_storing(self):
        self.expect_error("error500", "InternalError")
        self.expect_error("slowdown503", "SlowDown")
        self.assertIsNone(self.stored("error500"))
        self.assertIsNone(self.stored("slowdown503"))
        # The connection survives an error answer.
        self.s3.put_object(Bucket="fpx", Key="after", Body=b"ok")
        self.assertEqual(self.proxy.connections, 1)

    def test_error_after_forwarding_stores_the_object_but_reports_500(self):
        self.expect_error("error_after", "InternalError")
        self.assertEqual(self.stored("error_after"), b"x" * 1000)

    def test_resets_before_and_after_forwarding(self):
        for kind, stored in (("reset_before", None), ("reset_after", b"r" * 500)):
            self.proxy.force(kind)
            with self.assertRaises((botocore.exceptions.HTTPClientError,
                                    botocore.exceptions.ConnectionError)):
                self.s3.put_object(Bucket="fpx", Key=kind, Body=b"r" * 500)
            self.assertEqual(self.stored(kind), stored, kind)
            self.assertEqual(self.proxy.counts[kind], 1)

    def test_a_stall_is_silent_until_the_client_gives_up(self):
        self.proxy.force("stall")
        s3 = self.client(read_timeout=0.5)
        start = time.monotonic()
        with self.assertRaises((botocore.exceptions.HTTPClientError,
                                botocore.exceptions.ConnectionError)):
            s3.put_object(Bucket="fpx", Key="stall", Body=b"s")
        self.assertLess(time.monotonic() - start, 1.9)
        self.assertIsNone(self.stored("stall"))

    def test_a_stall_ends_in_a_reset_after_stall_seconds(self):
        self.proxy.force("stall")
        conn = http.client.HTTPConnection("127.0.0.1", self.proxy.port, timeout=10)
        start = time.monotonic()
        conn.request("GET", "/fpx")
        with self.assertRaises((ConnectionError, http.client.RemoteDisconnected)):
            conn.getresponse()
        self.assertGreaterEqual(time.monotonic() - start, 1.9)

    def test_chunked_request_bodies_arrive_whole(self):
        parts = [b"alpha " * 1000, b"beta " * 7, b"gamma\n" * 3000]
        conn = http.client.HTTPConnection("127.0.0.1", self.proxy.port, timeout=10)
        self.addCleanup(conn.close)
        for key in ("chunked/1", "chunked/2"):  # the second on the same connection
            conn.request("PUT", f"/fpx/{key}", body=iter(parts), encode_chunked=True)
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
            self.assertEqual(self.stored(key), b"".join(parts))
        self.assertEqual(self.proxy.connections, 1)

    def test_raw_reset_is_an_rst_not_a_fin(self):
        self.proxy.force("reset_before")
        s = socket.create_connection(("127.0.0.1", self.proxy.port), timeout=5)
        s.sendall(b"GET /fpx HTTP/1.1\r\nHost: x\r\n\r\n")
        with self.assertRaises(ConnectionResetError):
            data = s.recv(100)
            if data == b"":  # a FIN would read as end of stream
                self.fail("connection closed with FIN, not reset")
            s.recv(100)
        s.close()

    def test_same_seed_draws_the_same_faults_and_counts_them(self):
        faults = {"error500": 0.1, "slowdown503": 0.1, "error_after": 0.1, "reset_before": 0.1,
                  "reset_after": 0.1}
        runs = []
        for _ in range(2):
            proxy = FaultProxy(self.moto.url, seed=42, faults=faults)
            self.addCleanup(proxy.stop)
            config = botocore.config.Config(retries={"total_max_attempts": 1})
            s3 = self.moto.boto3("s3", endpoint_url=proxy.url, config=config)
            for i in range(30):
                for _ in range(20):  # our own retries: botocore's back off for seconds
                    try:
                        s3.put_object(Bucket="fpx", Key=f"seeded/{i}", Body=b"%d" % i)
                        break
                    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                        pass
            runs.append([kind for _, _, kind in proxy.log])
            injected = proxy.injected()
            for kind in faults:
                self.assertGreater(injected[kind], 0, kind)
            self.assertEqual(injected["stall"], 0)
            self.assertEqual(sum(injected.values()) + proxy.counts["pass"], proxy.requests)
        self.assertEqual(runs[0], runs[1])
        for i in range(30):
            self.assertEqual(self.stored(f"seeded/{i}"), b"%d" % i)

    def test_method_filter_spares_reads(self):
        proxy = FaultProxy(self.moto.url, faults={"error500": 1.0}, methods={"PUT"})
        self.addCleanup(proxy.stop)
        s3 = self.moto.boto3("s3", endpoint_url=proxy.url, config=botocore.config.Config(
            retries={"total_max_attempts": 1, "mode": "standard"}))
        self.direct.put_object(Bucket="fpx", Key="read-me", Body=b"r")
        self.assertEqual(s3.get_object(Bucket="fpx", Key="read-me")["Body"].read(), b"r")
        with self.assertRaises(botocore.exceptions.ClientError):
            s3.put_object(Bucket="fpx", Key="nope", Body=b"n")
        self.assertEqual(proxy.counts, {**{k: 0 for k in FAULTS}, "error500": 1, "pass": 1})

    def test_bad_settings_are_refused(self):
        with self.assertRaises(ValueError):
            FaultProxy(self.moto.url, faults={"explode": 0.1})
        with self.assertRaises(ValueError):
            FaultProxy(self.moto.url, faults={"error500": 0.7, "stall": 0.7})


if __name__ == "__main__":
    unittest.main()
