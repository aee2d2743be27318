"""How the binary answers a command line it cannot run: one line naming the word it did not
know, the closest command when there is one, and exit 2 (usage), --help or not."""
import unittest

from harness import TempDirTestCase, lifeboat


class CliUsageTest(TempDirTestCase):
    def test_an_unknown_command_is_named_and_exits_2(self):
        p = lifeboat("foo")
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "unknown command 'foo'")
        self.assertNotIn("did you mean", p.stderr_text)
        self.assertNotIn("subcommand is required", p.stderr_text)

    def test_help_after_an_unknown_command_does_not_succeed(self):
        p = lifeboat("foo", "--help")
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "unknown command 'foo'")
        self.assertEqual(p.stdout_text, "", "no help for a command that does not exist")

    def test_a_typo_gets_the_closest_command(self):
        p = lifeboat("--log-level", "info", "evacute", "/var/log/x")
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "unknown command 'evacute'", "did you mean 'evacuate'?")

    def test_a_known_command_still_gets_its_help(self):
        p = lifeboat("verify", "--help")
        self.assertEqual(p.returncode, 0, p.stderr_text)
        self.assertIn("verify", p.stdout_text)

    def test_no_command_at_all_is_still_a_usage_error(self):
        p = lifeboat()
        self.assertEqual(p.returncode, 2, p.stderr_text)
        self.assertFailsWithOneLine(p, "subcommand is required")


if __name__ == "__main__":
    unittest.main()
