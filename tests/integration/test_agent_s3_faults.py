"""lifeboat agent shipping rotating logs to moto_server through a fault-injecting proxy.

The proxy answers 500 InternalError and 503 SlowDown without storing, stores and then
answers 500 (the client must not store the range twice or under another key), resets the
connection before and after forwarding, and stalls silently. With all of that going on the
agent must still ship every line exactly once, exit 0 on SIGTERM, and leave a store that
`lifeboat verify` accepts -- checked straight against moto, not through the proxy.
"""
import os
import time
import unittest

from agent_harness import AgentTestCase, S3Store, wait_until
from fault_proxy import FAULTS, FaultProxy
from harness import base_env, start_moto
from rotating_writer import RotatingWriter

FAULT_RATES = {"error500": 0.05, "slowdown503": 0.05, "error_after": 0.05,
               "reset_before": 0.04, "reset_after": 0.04, "stall": 0.015}


class AgentS3FaultsTest(AgentTestCase):
    @classmethod
    def setUpClass(cls):
        start_moto(cls)

    def test_every_line_once_through_errors_resets_and_stalls(self):
        self.s3.create_bucket(Bucket="faults")
        proxy = FaultProxy(self.moto.url, seed=20261126, faults=FAULT_RATES, stall_seconds=2)
        self.addCleanup(proxy.stop)
        sources = [os.path.join(self.logs, "*.log"), os.path.join(self.logs, "*.log.*")]
        agent = self.new_agent("s3://faults/fleet", sources,
                               env=base_env(), endpoint_url=proxy.url,
                               retry={"max_backoff": "500ms"})
        agent.start()
        writer = RotatingWriter(self.logs, mode="rename", names=("app", "web"), seed=8,
                                lines_per_second=1500, rotate_every=(0.5, 1.0))
        writer.start()
        try:
            wait_until(lambda: proxy.requests > 40 or writer.error, 20, "40 requests")
            proxy.force(*FAULTS)  # each kind at least once, whatever the RNG drew
            wait_until(lambda: min(writer.rotations_of.values()) >= 4 or writer.error, 30,
                       "four rotations of each file")
        finally:
            writer.stop()
        agent.wait_shipped(writer.bytes_written, 120)
        metrics = agent.metrics()
        self.assertStoppedCleanly(agent, timeout=120)  # the final flush meets faults too
        injected = proxy.injected()
        for kind in FAULTS:
            self.assertGreater(injected[kind], 0, f"{kind} never injected: {injected}")
        # Failed attempts retried inside the S3 client count too: an operator must see them.
        self.assertGreater(metrics["lifeboat_upload_retries_total"], 0,
                           f"{sum(injected.values())} faults injected; metrics {metrics}")
        self.assertEqual(metrics["lifeboat_bytes_lost_total"], 0)
        stored_then_500 = [p for m, p, k in proxy.log
                           if k == "error_after" and m == "PUT" and "/.lifeboat/" not in p]
        if stored_then_500:  # the retry found the chunk already there, with the same bytes
            self.assertGreater(metrics["lifeboat_chunks_already_stored_total"], 0)
        # Against moto directly: the proxy is out of the picture.
        store = S3Store(self.s3, "faults", "fleet")
        contents = self.assertStoreExact(store, writer.lines, agent,
                                         env=base_env(AWS_ENDPOINT_URL=self.moto.url))
        self.assertEqual(contents.paths(), [writer.path("app"), writer.path("web")])
        self.assertEqual(self.s3.list_multipart_uploads(Bucket="faults").get("Uploads", []), [])

    def test_an_outage_longer_than_the_s3_clients_retries_loses_nothing(self):
        # One attempt per request, and 3 s of nothing but resets and 503s: every upload fails
        # up to the agent, which must keep retrying (the data is still readable) and finish.
        self.s3.create_bucket(Bucket="outage")
        proxy = FaultProxy(self.moto.url, seed=3)
        self.addCleanup(proxy.stop)
        agent = self.new_agent("s3://outage/fleet", [os.path.join(self.logs, "*.log")],
                               env=base_env(AWS_MAX_ATTEMPTS=1), endpoint_url=proxy.url,
                               retry={"max_backoff": "300ms"})
        agent.start()
        writer = RotatingWriter(self.logs, names=("app",), seed=9, rotate_every=None)
        writer.write_lines(1000)
        agent.wait_shipped(writer.bytes_written, 30)
        proxy.set_faults({"reset_before": 0.5, "slowdown503": 0.5})
        outage_end = time.monotonic() + 3
        while time.monotonic() < outage_end:
            writer.write_lines(100)
            time.sleep(0.05)
        self.assertEqual(agent.metric("lifeboat_bytes_lost_total"), 0)
        failed = agent.metric("lifeboat_upload_retries_total")
        proxy.set_faults({})
        writer.write_lines(500)
        writer.stop()
        agent.wait_shipped(writer.bytes_written, 60)
        self.assertStoppedCleanly(agent)
        self.assertGreater(failed, 0, "no upload retried during the outage")
        self.assertGreater(sum(proxy.injected().values()), 10)
        self.assertStoreExact(S3Store(self.s3, "outage", "fleet"), writer.lines, agent,
                              env=base_env(AWS_ENDPOINT_URL=self.moto.url))


if __name__ == "__main__":
    unittest.main()
