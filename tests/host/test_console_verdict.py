"""Unit tests for host/console-verdict.sh on console snippets.

The oops lines are from a real baseline boot (tests/run-functional.sh,
oops-vmsplice); the report headers are the ones lockdep, KASAN, WARN() and
the hung task detector print in 6.12; the boot lines are from a real boot.
"""
import os
import subprocess
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "host", "console-verdict.sh")

BOOT = ("[    0.000000] Linux version 6.12.117+ (devmap@build)\r\n"
        "[    1.274719] rcu: \tRCU lockdep checking is enabled.\r\n"
        "guest: running test\r\n")
OOPS = ("[   11.319082] BUG: unable to handle page fault for address: ffffea0001018008\r\n"
        "[   11.324422] Oops: Oops: 0000 [#1] SMP\r\n"
        "[   11.330000] Kernel panic - not syncing: Fatal exception\r\n")


def verdict(text):
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write(text)
    try:
        out = subprocess.run(["bash", SCRIPT, f.name], capture_output=True, text=True, check=True)
    finally:
        os.unlink(f.name)
    return out.stdout.rstrip("\n")


class ConsoleVerdict(unittest.TestCase):
    def test_clean_boot_says_nothing(self):
        self.assertEqual("", verdict(BOOT))

    def test_oops_is_a_crash(self):
        self.assertEqual("crash BUG: unable to handle page fault for address: ffffea0001018008",
                         verdict(BOOT + OOPS))

    def test_oops_after_a_test_line_on_the_same_console_line(self):
        # seen in CI: the test's "expect an oops" line, still in its pipe to
        # tee, reached the console without its newline before the oops
        glued = ("# tests/guest/test_outliving.c:83:pin_then_unbind:unbind returned with a "
                 "reference in flight; expect an oops" + OOPS)
        self.assertEqual("crash BUG: unable to handle page fault for address: ffffea0001018008",
                         verdict(BOOT + glued))

    def test_lockdep_report_is_a_warning(self):
        self.assertEqual("warning WARNING: possible circular locking dependency detected",
                         verdict(BOOT + "[   20.100000] ======================================================\r\n"
                                 "[   20.100001] WARNING: possible circular locking dependency detected\r\n"))

    def test_inconsistent_lock_state_is_a_warning(self):
        self.assertEqual("warning WARNING: inconsistent lock state",
                         verdict(BOOT + "[    9.5] WARNING: inconsistent lock state\n"))

    def test_kasan_wins_over_the_panic_it_causes(self):
        kasan = "[    7.000001] BUG: KASAN: slab-use-after-free in memunmap_pages+0x1c/0x2a0\r\n"
        self.assertEqual("warning BUG: KASAN: slab-use-after-free in memunmap_pages+0x1c/0x2a0",
                         verdict(BOOT + kasan + OOPS))

    def test_warn_on_is_a_warning(self):
        self.assertEqual("warning WARNING: CPU: 0 PID: 93 at mm/memremap.c:250 memunmap_pages+0x1/0x2",
                         verdict(BOOT + "[   3.25] WARNING: CPU: 0 PID: 93 at mm/memremap.c:250 "
                                 "memunmap_pages+0x1/0x2\n"))

    def test_hung_task_is_a_warning(self):
        self.assertTrue(verdict(BOOT + "[  245.0] INFO: task unbind:77 blocked for more than 120 "
                                "seconds.\n").startswith("warning INFO: task unbind:77"))

    def test_user_space_warning_does_not_count(self):
        # bpftrace writes its own WARNING: lines to the console, without a timestamp
        self.assertEqual("", verdict(BOOT + "WARNING: Addrspace is not set\r\n"
                                     "stdin:1:1-20: WARNING: something\n"))

    def test_unreadable_console_is_an_error(self):
        out = subprocess.run(["bash", SCRIPT, "/nonexistent/console.log"], capture_output=True, text=True)
        self.assertNotEqual(0, out.returncode)
        self.assertIn("cannot read", out.stderr)


if __name__ == "__main__":
    unittest.main()
