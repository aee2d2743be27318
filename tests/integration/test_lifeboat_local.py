"""lifeboat and lifeboat-local, the two executables: `lifeboat local ...` and `lifeboat demo
...` run lifeboat-local from lifeboat's own directory with the same arguments, and name it
in one line, exit 2, when it is not there; lifeboat-local needs lifeboat beside it, which
its instances run."""
import os
import re
import shutil
import unittest

from harness import LIFEBOAT, TempDirTestCase, lifeboat, run

LIFEBOAT_LOCAL = os.path.join(os.path.dirname(os.path.abspath(LIFEBOAT)), "lifeboat-local")


class HandOverTest(TempDirTestCase):
    def test_help_lists_the_emulator_commands_but_not_the_hidden_ones(self):
        top = lifeboat("--help", check=True).stdout_text.split("Subcommands:")[1]
        commands = re.findall(r"^  ([a-z][a-z-]+)\s{2,}\S", top, re.M)
        self.assertEqual(commands, ["evacuate", "verify", "cat", "ls", "grep", "agent",
                                    "controller", "demo", "local"])

    def test_local_help_is_lifeboat_locals_under_the_typed_name(self):
        p = lifeboat("local", "--help", check=True)
        self.assertIn("Usage: " + LIFEBOAT + " local [OPTIONS]", p.stdout_text)
        self.assertIn("--time-scale", p.stdout_text)
        direct = run([LIFEBOAT_LOCAL, "local", "--help"], check=True).stdout_text
        self.assertEqual(p.stdout_text.replace(LIFEBOAT, LIFEBOAT_LOCAL), direct)

    def test_options_before_the_command_travel_too(self):
        p = lifeboat("--log-level", "bogus", "demo", "--instances", "1")
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "--log-level bogus")

    def test_an_emulator_usage_error_exits_2_as_before(self):
        p = lifeboat("local", "--time-scale", "0")
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "--time-scale must be greater than 0")

    def test_a_typo_of_an_emulator_command_gets_it(self):
        p = lifeboat("lcoal")
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "unknown command 'lcoal'", "did you mean 'local'?")

    def test_without_lifeboat_local_one_line_and_exit_2(self):
        alone = os.path.join(self.tmp, "lifeboat")
        shutil.copy(LIFEBOAT, alone)
        for command in ("local", "demo", "instance-init"):
            p = run([alone, command, "--help"])
            self.assertEqual(p.returncode, 2, p.stderr_text)
            self.assertEqual(p.stdout_text, "")
            self.assertEqual(len(p.stderr_text.splitlines()), 1, p.stderr_text)
            self.assertFailsWithOneLine(p, f"'{command}' runs lifeboat-local",
                                        "not installed beside lifeboat")
        self.assertEqual(run([alone, "--version"], check=True).returncode, 0)

    def test_lifeboat_local_needs_lifeboat_beside_it(self):
        alone = os.path.join(self.tmp, "lifeboat-local")
        shutil.copy(LIFEBOAT_LOCAL, alone)
        p = run([alone, "local", "--port", "0", "--dir", os.path.join(self.tmp, "state")])
        self.assertEqual(p.returncode, 1, p.stderr_text)
        self.assertFailsWithOneLine(p, "lifeboat-local needs the lifeboat binary beside it")

    def test_lifeboat_local_holds_the_emulator_only(self):
        p = run([LIFEBOAT_LOCAL, "agent"])
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertIn("lifeboat-local: unknown command 'agent'", p.stderr_text)


if __name__ == "__main__":
    unittest.main()
