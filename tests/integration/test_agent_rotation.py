"""lifeboat agent while logs rotate under it, into a file:// store.

For each rotation style (rename, create, copytruncate, delete, truncate) a writer appends
unique numbered lines to two files for a few seconds and rotates each about every 0.6 s.
The agent must ship continuously (everything written is acknowledged before SIGTERM), exit
0 on SIGTERM, leave a sealed manifest that `lifeboat verify` accepts and that lists exactly
the chunks stored, with every stream's chunks contiguous from byte 0, and every line
written exactly once in the store. Also: binary data and one huge line arrive intact, a
source that cannot be read is named and does not stop the others, a bad config is one line
naming file:line and exit 2.
"""
import hashlib
import os
import random
import time
import unittest

from agent_harness import AgentTestCase, FileStore, StoreContents, wait_until
from harness import lifeboat
from rotating_writer import RotatingWriter


class AgentRotationTest(AgentTestCase):
    def setUp(self):
        super().setUp()
        self.store = FileStore(os.path.join(self.tmp, "store"))

    def rotate_while_shipping(self, mode, seed, rotated_in_glob=True):
        in_place = mode in ("copytruncate", "truncate")
        # In-place styles: the copy (app.log.1) is a different file with the same lines, so
        # only *.log is shipped. Renaming styles: *.log.* too, and the agent must recognise a
        # renamed file it already ships instead of shipping it again under the new name.
        sources = [os.path.join(self.logs, "*.log")]
        if not in_place and rotated_in_glob:
            sources.append(os.path.join(self.logs, "*.log.*"))
        agent = self.new_agent(self.store.url, sources).start()

        def barrier(writer):  # bytes never read before an in-place truncate are gone for anyone
            agent.wait_shipped(writer.bytes_written, 30)

        writer = RotatingWriter(self.logs, mode=mode, names=("app", "web"), seed=seed,
                                lines_per_second=1500, rotate_every=(0.4, 0.8), barrier=barrier)
        writer.start()
        try:
            wait_until(lambda: min(writer.rotations_of.values()) >= 4 or writer.error, 20,
                       "four rotations of each file")
        finally:
            writer.stop()
        agent.wait_shipped(writer.bytes_written, 60)  # shipped while running, not at exit
        metrics = agent.metrics()
        self.assertEqual(metrics["lifeboat_bytes_lost_total"], 0)
        self.assertEqual(metrics["lifeboat_bytes_shipped_total"], writer.bytes_written)
        self.assertStoppedCleanly(agent)
        contents = self.assertStoreExact(self.store, writer.lines, agent)
        # Rotated files are shipped under the path they had when first seen.
        self.assertEqual(contents.paths(), [writer.path("app"), writer.path("web")])
        for name in ("app", "web"):
            streams = [s for p, s in contents.streams if p == writer.path(name)]
            self.assertGreaterEqual(len(streams), writer.rotations_of[name], name)
        return writer, contents

    def test_rename(self):
        self.rotate_while_shipping("rename", seed=11)

    def test_rename_out_of_the_glob(self):
        # Only *.log is watched: a file renamed to app.log.1 leaves the glob, and the lines
        # the application still writes to it before reopening must be shipped all the same.
        self.rotate_while_shipping("rename", seed=16, rotated_in_glob=False)

    def test_create(self):
        self.rotate_while_shipping("create", seed=12)

    def test_copytruncate(self):
        writer, _ = self.rotate_while_shipping("copytruncate", seed=13)
        self.assertTrue(os.path.exists(writer.path("app") + ".1"))  # the copies, not shipped

    def test_delete(self):
        writer, _ = self.rotate_while_shipping("delete", seed=14)
        # Every rotated file was deleted: the agent read them through its descriptors.
        self.assertEqual(sorted(os.listdir(self.logs)), ["app.log", "web.log"])

    def test_truncate(self):
        self.rotate_while_shipping("truncate", seed=15)

    def test_binary_data_and_a_huge_line_arrive_intact(self):
        # 100 MiB in one line, written in 10 MiB pieces while the agent runs (so it sees a
        # line far longer than a chunk grow), then a newline and a short line.
        huge_size = 100 << 20
        rng = random.Random(5)
        binary = os.path.join(self.logs, "core.log")
        with open(binary, "wb") as f:
            f.write(bytes(range(256)) * 64 + rng.randbytes(3 << 20) + b"\0\0no newline at end")
        huge = os.path.join(self.logs, "huge.log")
        agent = self.new_agent(self.store.url, [os.path.join(self.logs, "*.log")],
                               flush={"max_bytes": "8MiB", "max_age": "200ms"}).start()
        digest = hashlib.sha256()
        with open(huge, "ab") as f:
            alphabet = bytes(range(ord("!"), ord("~") + 1))
            piece = bytes(alphabet[b % len(alphabet)] for b in rng.randbytes(1 << 20))
            for i in range(huge_size >> 20):
                data = piece[i:] + piece[:i]
                f.write(data)
                f.flush()
                digest.update(data)
                if i % 10 == 9:
                    time.sleep(0.1)
            f.write(b"\nshort line after it\n")
            digest.update(b"\nshort line after it\n")
        # A last line without its newline may wait for more bytes until SIGTERM: not counted.
        with open(binary, "rb") as f:
            complete_lines = f.read().rfind(b"\n") + 1
        agent.wait_shipped(complete_lines + os.path.getsize(huge), 60)
        self.assertStoppedCleanly(agent)
        contents = StoreContents(self.store)
        self.assertEqual(contents.problems, [])
        with open(binary, "rb") as f:
            self.assertEqual(contents.path_bytes(binary), f.read())
        self.assertEqual(hashlib.sha256(contents.path_bytes(huge)).hexdigest(), digest.hexdigest())
        self.assertEqual(lifeboat("verify", f"{self.store.url}/{contents.manifest['instance_id']}")
                         .returncode, 0)

    def test_an_unreadable_source_is_named_and_the_others_still_ship(self):
        # chmod 000 stops nobody when the tests run as root: use things a glob can match that
        # cannot be read as a log: a directory, a FIFO (a blocking open would hang forever),
        # a dangling symlink and a symlink loop.
        os.mkdir(os.path.join(self.logs, "dir.log"))
        os.mkfifo(os.path.join(self.logs, "fifo.log"))
        os.symlink(os.path.join(self.logs, "nowhere"), os.path.join(self.logs, "dangling.log"))
        os.symlink(os.path.join(self.logs, "loop2.log"), os.path.join(self.logs, "loop1.log"))
        os.symlink(os.path.join(self.logs, "loop1.log"), os.path.join(self.logs, "loop2.log"))
        agent = self.new_agent(self.store.url, [os.path.join(self.logs, "*.log")]).start()
        writer = RotatingWriter(self.logs, names=("good",), rotate_every=None, seed=3)
        writer.write_lines(2000)
        agent.wait_shipped(writer.bytes_written, 30)
        writer.write_lines(500)  # still shipping after it met the bad sources
        agent.wait_shipped(writer.bytes_written, 30)
        writer.stop()
        for bad in ("fifo.log", "dangling.log", "loop1.log", "dir.log"):
            self.assertIn(bad, agent.log_text(), f"{bad} not named in the agent's log")
        self.assertStoppedCleanly(agent)
        contents = self.assertStoreExact(self.store, writer.lines, agent)
        self.assertEqual(contents.paths(), [writer.path("good")])

    def bad_config(self, text, *fragments):
        path = os.path.join(self.tmp, "bad.yaml")
        with open(path, "w") as f:
            f.write(text.format(logs=self.logs, store=self.store.url,
                                state=os.path.join(self.tmp, "state")))
        p = lifeboat("agent", "--config", path, timeout=30)
        self.assertEqual(p.returncode, 2, p.stderr_text)
        lines = [l for l in p.stderr_text.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, p.stderr_text)
        for fragment in fragments:
            self.assertIn(fragment.format(path=path), lines[0])
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "state", "checkpoint.db")))

    GOOD = ("destination: {store}\ninstance_id: i-1\nstate_dir: {state}\n"
            "sources:\n  - path: {logs}/*.log\n")

    def test_an_unknown_key_is_named_with_file_and_line(self):
        self.bad_config(self.GOOD + "flush: {{max_bytes: 1MiB}}\nrotate_wiat: 5s\n",
                        "{path}:7", "rotate_wiat")

    def test_a_bad_duration_is_named_with_file_and_line(self):
        self.bad_config(self.GOOD + "rescan_interval: 5 parsecs\n", "{path}:6", "rescan_interval")

    def test_a_relative_source_path_is_named_with_file_and_line(self):
        self.bad_config(self.GOOD + "  - path: logs/*.log\n", "{path}:6", "logs/*.log")

    def test_a_missing_config_file_is_named(self):
        path = os.path.join(self.tmp, "nope.yaml")
        p = lifeboat("agent", "--config", path, timeout=30)
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertIn(path, p.stderr_text)
        self.assertEqual(len(p.stderr_text.strip().splitlines()), 1, p.stderr_text)


if __name__ == "__main__":
    unittest.main()
