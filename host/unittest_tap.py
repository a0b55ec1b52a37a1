#!/usr/bin/env python3
"""unittest_tap.py DIR: run the host unit tests in DIR (test_*.py) and print
one TAP line per test ("ok - ...", "not ok - ...", "ok - ... # SKIP why"),
with the traceback of each failure as '#' comments; exit 1 if any failed.
What tests/run-all.sh counts for 'make test'."""
import sys
import unittest


class TapResult(unittest.TestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"ok - {test.id()}", flush=True)

    def _bad(self, test, err):
        print(f"not ok - {test.id()}")
        for line in self._exc_info_to_string(err, test).splitlines():
            print(f"# {line}")
        sys.stdout.flush()

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print(f"ok - {test.id()} # SKIP {reason}", flush=True)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._bad(subtest, err)


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    suite = unittest.defaultTestLoader.discover(argv[0], pattern="test_*.py")
    result = TapResult()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
