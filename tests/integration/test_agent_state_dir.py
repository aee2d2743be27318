"""lifeboat agent with a state_dir it cannot write: read-only from the start, or full in
the middle of a run. Either is one clear line and a non-zero exit, and the checkpoint is
never corrupted: after space is freed, a restart ships the rest exactly once.

The state_dir is a private tmpfs (a mount namespace of its own, as root), so the test can
make it read-only or tiny without touching the machine.
"""
import os
import shutil
import subprocess
import unittest

from harness import LIFEBOAT, TempDirTestCase, base_env, lifeboat, read


def needs_private_mounts(test):
    return unittest.skipUnless(os.geteuid() == 0 and shutil.which("unshare"),
                               "needs root and unshare for a private tmpfs")(test)


class AgentStateDirTest(TempDirTestCase):
    def config(self, state):
        self.logs = os.path.join(self.tmp, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.store = os.path.join(self.tmp, "store")
        path = os.path.join(self.tmp, "agent.yaml")
        with open(path, "w") as f:
            f.write(f"destination: file://{self.store}\n"
                    f"instance_id: i-state\n"
                    f"sources:\n  - path: {self.logs}/*.log\n"
                    f"flush: {{max_bytes: 4KiB, max_age: 100ms}}\n"
                    f"rescan_interval: 100ms\n"
                    f"state_dir: {state}\n")
        return path

    def in_namespace(self, script):
        return subprocess.run(["unshare", "-m", "sh", "-c", script], env=base_env(),
                              capture_output=True, text=True, timeout=120)

    @needs_private_mounts
    def test_read_only_state_dir_is_one_line_naming_it(self):
        state = os.path.join(self.tmp, "state")
        os.makedirs(state)
        cfg = self.config(state)
        p = self.in_namespace(f"mount -t tmpfs -o ro tmpfs {state} && "
                              f"exec {LIFEBOAT} agent --config {cfg}")
        self.assertEqual(p.returncode, 1, p.stderr)
        last = p.stderr.strip().splitlines()[-1]
        self.assertIn(os.path.join(state, "checkpoint.db"), last)
        self.assertTrue(last.startswith("lifeboat: "), last)

    @needs_private_mounts
    def test_full_state_dir_stops_the_agent_and_a_restart_ships_the_rest_once(self):
        state = os.path.join(self.tmp, "state")
        os.makedirs(state)
        cfg = self.config(state)
        log = os.path.join(self.logs, "app.log")
        with open(log, "w") as f:
            f.writelines(f"before line {i:06d}\n" for i in range(2000))
        err1, err2 = os.path.join(self.tmp, "err1"), os.path.join(self.tmp, "err2")
        # Fill the tmpfs while the agent runs and keep the log growing, so its next
        # checkpoint write finds no space; then free it and run the agent again.
        script = f"""
mount -t tmpfs -o size=1m tmpfs {state} || exit 99
{LIFEBOAT} agent --config {cfg} 2>{err1} & pid=$!
sleep 1
dd if=/dev/zero of={state}/filler bs=4k 2>/dev/null
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 400 ]; do
  for j in 1 2 3 4 5 6 7 8 9 10; do echo "during line $i-$j" >> {log}; done
  i=$((i+1)); sleep 0.02
done
wait $pid; echo "first=$?"
rm -f {state}/filler
{LIFEBOAT} agent --config {cfg} 2>{err2} & pid=$!
sleep 2
kill -TERM $pid; wait $pid; echo "second=$?"
"""
        p = self.in_namespace(script)
        first_err = read(err1).decode()
        self.assertIn("first=1", p.stdout, first_err)
        last = first_err.strip().splitlines()[-1]
        self.assertTrue(last.startswith("lifeboat: "), last)
        self.assertIn("checkpoint.db", last)
        self.assertIn("second=0", p.stdout, read(err2).decode())

        v = lifeboat("verify", f"file://{self.store}/i-state")
        self.assertEqual(v.returncode, 0, v.stderr_text)
        c = lifeboat("cat", f"file://{self.store}/i-state{log}")
        self.assertEqual(c.returncode, 0, c.stderr_text)
        with open(log, "rb") as f:
            self.assertEqual(c.stdout, f.read(), "every line stored once, in order")


if __name__ == "__main__":
    unittest.main()
