"""What the agent costs at the shipped configuration (deploy/config/agent.yaml), counted at
the store: a quiet instance (three logs of 100 bytes a second) makes no write request while
its lines are younger than flush.max_age, so a day costs a few dozen PUTs, not the tens of
thousands of a 5 s cut (the instance record and the day's marker add two); SIGTERM still ships every byte, in one chunk per stream and one
manifest update. The agent's own lifeboat_s3_requests_total agrees with what the store saw.

The day itself is simulated in virtual time by ShipperTest.AQuietDay... and bench/longhaul;
here the real binary runs against moto behind a counting proxy."""
import os
import re
import time
import unittest

import yaml

from agent_harness import DEFAULTS, INSTANCE, AgentTestCase, S3Store, StoreContents
from fault_proxy import FaultProxy
from harness import base_env, start_moto

SHIPPED = os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "config", "agent.yaml")
# Where this machine's agent runs, not what it costs: these keys come from the test.
LOCAL_KEYS = ("destination", "instance_id", "sources", "state_dir", "metrics", "lifecycle")


def shipped_settings():
    with open(SHIPPED) as f:
        shipped = yaml.safe_load(f)
    settings = {k: None for k in DEFAULTS}  # the test harness's fast settings, all removed
    settings.update({k: v for k, v in shipped.items() if k not in LOCAL_KEYS})
    return settings


class AgentCostTest(AgentTestCase):
    @classmethod
    def setUpClass(cls):
        start_moto(cls, "cost")

    def setUp(self):
        super().setUp()
        self.proxy = FaultProxy(self.moto.url)  # no faults: it counts
        self.addCleanup(self.proxy.stop)

    def writes(self):
        return [(m, p) for m, p, _ in list(self.proxy.log) if m in ("PUT", "POST")]

    def test_a_quiet_instance_at_the_shipped_settings(self):
        settings = shipped_settings()
        self.assertEqual(settings["flush"]["max_age"], "1h", "the README prices this default")
        files = [os.path.join(self.logs, f"app{i}.log") for i in range(3)]
        agent = self.new_agent("s3://cost/fleet", [os.path.join(self.logs, "*.log")],
                               env=base_env(AWS_ENDPOINT_URL=self.proxy.url), **settings)
        agent.start()
        written = {f: b"" for f in files}
        for second in range(20):  # one 100-byte line a second in each log
            for i, f in enumerate(files):  # each log its own text: not mistaken for copies
                line = (b"app%d %08d quiet line " % (i, second)).ljust(99, b"x") + b"\n"
                with open(f, "ab") as out:
                    out.write(line)
                written[f] += line
            time.sleep(1)
        before_stop = self.writes()
        index = [p for _, p in before_stop
                 if p.endswith("/.lifeboat/instance.json") or "/.lifeboat/days/" in p]
        self.assertLessEqual(len(before_stop) - len(index), 1,
                             f"only the first manifest is written in 20 s: {before_stop}")
        self.assertLessEqual(len(index), 2, f"the instance record and today's marker: {index}")

        # What the agent says it sent, by operation, is what the store saw.
        text = agent.metrics_text()
        self.assertIsNotNone(text, agent.log_tail())
        sent = re.search(r'^lifeboat_s3_requests_total\{op="PutObject"\} (\S+)$',
                         text, re.M)
        self.assertEqual(float(sent.group(1)) if sent else 0.0, len(before_stop))

        self.assertStoppedCleanly(agent)
        drained = self.writes()[len(before_stop):]
        chunks = [p for _, p in drained if "/.lifeboat/" not in p]
        heads = [p for _, p in drained if p.endswith("/.lifeboat/manifest.json")]
        self.assertEqual(len(chunks), 3, f"one chunk per stream at the drain: {drained}")
        self.assertEqual(len(heads), 1, f"one manifest update for the drain: {drained}")
        contents = StoreContents(S3Store(self.s3, "cost", "fleet"), INSTANCE)
        self.assertEqual(contents.problems, [])
        self.assertEqual(contents.manifest_problems(), [])
        for f in files:
            self.assertEqual(contents.path_bytes(f), written[f], f)


if __name__ == "__main__":
    unittest.main()
