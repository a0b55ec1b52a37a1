"""host/tap.py: kselftest TAP results, as tests/run-functional.sh reads them."""
import os
import subprocess
import sys
import tempfile
import unittest

TAP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "host", "tap.py")
STREAM = """guest: devdax align 4K
TAP version 13
1..4
# Starting 4 tests from 2 test cases.
#  RUN           balance.fork ...
#            OK  balance.fork
ok 1 balance.fork
#  RUN           balance.split ...
# test_balance.c:99:split:Expected 1 (1) == __p.pins (2)
#            FAIL  balance.split
not ok 2 balance.split
ok 3 abi.madv_dodump # SKIP no device
ok 4 abi.adjacent_maps_merge
# FAILED: 3 / 4 tests passed.
"""


def parse(text):
    with tempfile.NamedTemporaryFile("w", suffix=".out") as f:
        f.write(text)
        f.flush()
        return subprocess.run([sys.executable, TAP, f.name], capture_output=True,
                              text=True, check=True).stdout.splitlines()


class Tap(unittest.TestCase):
    def test_results(self):
        self.assertEqual(["pass balance.fork", "fail balance.split", "skip abi.madv_dodump",
                          "pass abi.adjacent_maps_merge"], parse(STREAM))

    def test_no_results(self):
        self.assertEqual([], parse("guest: ndctl create-namespace failed\n"))

    def test_missing_file(self):
        out = subprocess.run([sys.executable, TAP, "/nonexistent/cmd.out"],
                             capture_output=True, text=True)
        self.assertEqual((0, ""), (out.returncode, out.stdout))


if __name__ == "__main__":
    unittest.main()
