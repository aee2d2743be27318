"""`lifeboat demo` end to end: the whole architecture on lifeboat local, a scale-in of 2 of
3 instances in each of lifeboat's two designs and the seed's, its summary, and the timeline
it draws, checked as SVG and rendered by a headless Chromium (Debian's package)."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

from harness import LIFEBOAT, base_env, run

HEARTBEAT_TIMEOUT = 300
TIME_SCALE = 60
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]

out_dir = None
demo = None


def setUpModule():
    global out_dir, demo
    out_dir = tempfile.mkdtemp(prefix="demo-")
    demo = run([LIFEBOAT, "demo", "--instances", "3", "--scale-in", "2", "--compare-seed",
                "--traffic", "2", "--lines-per-second", "20", "--time-scale", str(TIME_SCALE),
                "--out", out_dir, "--json"], env=base_env(), timeout=300)


def tearDownModule():
    shutil.rmtree(out_dir, ignore_errors=True)


def svg_instances(path):
    ns = {"svg": "http://www.w3.org/2000/svg"}
    root = ET.parse(path).getroot()
    return root, {g.get("data-instance") for g in root.iterfind(".//svg:g[@data-instance]", ns)}


class DemoTest(unittest.TestCase):
    def summary(self):
        self.assertEqual(demo.returncode, 0, demo.stderr_text[-4000:])
        return json.loads(demo.stdout_text)

    def test_lifeboat_releases_each_instance_with_every_line_and_the_seed_does_not(self):
        instances = self.summary()["instances"]
        by_mode = {}
        for i in instances:
            by_mode.setdefault(i["mode"], []).append(i)
        self.assertEqual({m: len(v) for m, v in by_mode.items()},
                         {"lifeboat-agent": 2, "lifeboat-controller": 2, "seed": 2})
        for i in by_mode["lifeboat-agent"] + by_mode["lifeboat-controller"]:
            self.assertGreater(i["lines_written"], 20, i)
            self.assertEqual(i["lines_lost"], 0, i)
            self.assertTrue(i["verified"], i)
            self.assertLess(0, i["bytes_stored"], i)
            self.assertLess(i["bytes_stored"], i["bytes_written"], i)
            self.assertLess(i["seconds_to_terminated"], 2.5, i)
        for i in by_mode["seed"]:
            self.assertGreater(i["seconds_to_terminated"], HEARTBEAT_TIMEOUT / TIME_SCALE * 0.95, i)
            self.assertGreater(i["lines_lost"], 0, i)
        self.assertEqual(self.summary()["totals"]["lifeboat-agent"]["lines_lost"], 0)

    def test_it_tells_what_it_does_on_stderr(self):
        self.summary()
        for phrase in ("starting lifeboat local", "deploying", "scaling every group in by 2",
                       "Terminating:Wait", "Terminated"):
            self.assertIn(phrase, demo.stderr_text)

    def test_the_timeline_svg_names_every_instance(self):
        ids = {i["id"] for i in self.summary()["instances"]}
        root, drawn = svg_instances(os.path.join(out_dir, "timeline.svg"))
        self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")
        self.assertEqual(len(drawn), 9, "three instances of three designs")
        self.assertTrue(ids <= drawn, ids - drawn)

    def test_a_headless_browser_renders_the_page_without_script_errors(self):
        self.summary()
        page = "file://" + os.path.join(out_dir, "timeline.html")
        png = os.path.join(out_dir, "timeline.png")
        profile = tempfile.mkdtemp(prefix="chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        common = CHROMIUM_FLAGS + [f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
        shot = run(["chromium", *common, "--window-size=1200,900", f"--screenshot={png}", page],
                   timeout=120)
        self.assertEqual(shot.returncode, 0, shot.stderr_text[-2000:])
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        dom = run(["chromium", *common, "--dump-dom", page], timeout=120)
        self.assertEqual(dom.returncode, 0, dom.stderr_text[-2000:])
        for log in (shot.stderr_text, dom.stderr_text):
            self.assertNotIn("Uncaught", log)
        # The page's script ran to its end and counted the instance rows.
        self.assertIn('data-ready="9"', dom.stdout_text)
        self.assertEqual(dom.stdout_text.count('class="instance-row'), 9)


class DemoInputTest(unittest.TestCase):
    def test_bad_options_are_one_line_and_exit_2(self):
        p = run([LIFEBOAT, "demo", "--instances", "3", "--scale-in", "4"], env=base_env())
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr_text.strip().count("\n"), 0, p.stderr_text)
        self.assertIn("--scale-in", p.stderr_text)

    def test_ctrl_c_stops_everything_it_started(self):
        out = tempfile.mkdtemp(prefix="demo-int-")
        self.addCleanup(shutil.rmtree, out, True)
        p = subprocess.Popen([LIFEBOAT, "demo", "--instances", "1", "--scale-in", "1",
                              "--traffic", "60", "--out", out], env=base_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        log = os.path.join(out, "lifeboat-local.log")
        while not os.path.exists(log) and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(3)  # deployed and serving traffic
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("interrupted", err)
        time.sleep(0.5)
        self.assertEqual(demo_clouds(), [], "the demo's lifeboat local outlived it")


def demo_clouds():
    """Command lines of running `lifeboat local` processes the demo started (their state is
    in a lifeboat-demo-* directory)."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if b"local" in argv and any(b"/lifeboat-demo-" in a for a in argv):
            found.append(b" ".join(argv).decode(errors="replace"))
    return found


if __name__ == "__main__":
    unittest.main()
