"""lifeboat agent killed with SIGKILL at random moments while logs grow and rotate.

Each scenario runs a writer (two files, rotated by rename or create every 0.3-1 s) and kills
the agent several times: right after exec, mid-startup, mid-upload, or a moment after a
SIGTERM (mid final flush, possibly after the sealed manifest was stored); the writer keeps
going while the agent is down. After the last restart a SIGTERM must exit 0, and the store
must hold every line written exactly once: no gap and no overlap in any stream, the
manifest listing exactly the chunks stored, `lifeboat verify` passing.

Kill moments come from a seeded RNG (LIFEBOAT_CRASH_SEED; a failure names its seed).
CI runs 32 kills: 8 scenarios of 4, codecs zstd/gzip/none in turn, every 4th scenario
against moto_server (the endpoint from AWS_ENDPOINT_URL and from the config in turns).
LIFEBOAT_SOAK_TRIALS=N runs N kills. Rotation styles that destroy data the agent cannot
have seen while it was down (delete, in-place truncation) are left to test_agent_rotation.
"""
import os
import random
import signal
import time
import unittest

from agent_harness import AgentTestCase, FileStore, S3Store
from harness import base_env, start_moto
from rotating_writer import RotatingWriter

TRIALS = int(os.environ.get("LIFEBOAT_SOAK_TRIALS", "32"))
KILLS_PER_SCENARIO = 4
S3_EVERY = 4  # every 4th scenario stores into moto_server


class AgentCrashTest(AgentTestCase):
    @classmethod
    def setUpClass(cls):
        start_moto(cls)

    def scenario(self, index, seed):
        rng = random.Random(seed)
        work = os.path.join(self.tmp, f"scenario-{index}")
        logs = os.path.join(work, "logs")
        os.makedirs(logs)
        sources = [os.path.join(logs, "*.log"), os.path.join(logs, "*.log.*")]
        if index % S3_EVERY == S3_EVERY - 1:
            bucket = f"crash-{index}-{seed}"
            self.s3.create_bucket(Bucket=bucket)
            store = S3Store(self.s3, bucket, "fleet")
            env = base_env(AWS_ENDPOINT_URL=self.moto.url)  # for verify
            # The agent is told the endpoint by the environment or by its config, in turns.
            agent_env = env if index % (2 * S3_EVERY) == S3_EVERY - 1 else base_env()
            overrides = {} if agent_env is env else {"endpoint_url": self.moto.url}
        else:
            store, env = FileStore(os.path.join(work, "store")), None
            agent_env, overrides = None, {}
        codec = ("zstd", "gzip", "none")[index % 3]
        agent = self.new_agent(store.url, sources, env=agent_env, workdir=work,
                               compression={"codec": codec}, **overrides)
        writer = RotatingWriter(logs, modes=("rename", "create"), names=("app", "web"),
                                seed=seed, lines_per_second=800, rotate_every=(0.3, 1.0))
        writer.start()
        kills = []
        try:
            for _ in range(KILLS_PER_SCENARIO):
                how = rng.choices(["at-exec", "running", "after-sigterm"], [1, 6, 2])[0]
                agent.start(wait=how != "at-exec")
                if how == "at-exec":
                    time.sleep(rng.uniform(0, 0.05))
                elif how == "running":
                    time.sleep(rng.uniform(0.05, 1.2))
                else:
                    time.sleep(rng.uniform(0.2, 0.8))
                    agent.proc.send_signal(signal.SIGTERM)
                    time.sleep(rng.uniform(0, 0.15))
                agent.kill()
                kills.append(how)
                time.sleep(rng.uniform(0, 0.4))  # the writer goes on while the agent is down
            agent.start()
            time.sleep(0.5)
        finally:
            writer.stop()
        self.assertStoppedCleanly(agent)
        try:
            self.assertStoreExact(store, writer.lines, agent, env=env)
        except AssertionError as e:
            raise AssertionError(
                f"scenario {index} (seed {seed}, {codec}, kills {kills}, {len(writer.lines)} "
                f"lines, rotations {writer.rotations_of}): {e}") from None

    def test_sigkill_at_random_moments_loses_and_duplicates_nothing(self):
        scenarios = max(1, -(-TRIALS // KILLS_PER_SCENARIO))
        base_seed = int(os.environ.get("LIFEBOAT_CRASH_SEED", "1000"))
        for i in range(scenarios):
            with self.subTest(scenario=i, seed=base_seed + i):
                self.scenario(i, base_seed + i)


if __name__ == "__main__":
    unittest.main()
