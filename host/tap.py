#!/usr/bin/env python3
"""tap.py FILE: the test results of a kselftest TAP stream, parsed once, on
the host (tests/run-functional.sh).

Prints one line per result line of FILE ("ok N name", "not ok N name",
either with an optional "# directive"): "pass NAME" or "fail NAME".  A
skipped test ("ok N name # SKIP ...") counts as passed, as kselftest counts
it.  Lines the guest's init prefixed ("guest: ...") and comments are not
results.  A missing FILE has no results.
"""
import re
import sys

RESULT = re.compile(r"^(ok|not ok) \d+ (\S+)")


def results(lines):
    """(outcome, name) of each result line, outcome "pass" or "fail"."""
    for line in lines:
        m = RESULT.match(line)
        if m:
            yield ("pass" if m.group(1) == "ok" else "fail"), m.group(2)


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    try:
        with open(argv[0], errors="replace") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        lines = []
    for outcome, name in results(lines):
        print(outcome, name)


if __name__ == "__main__":
    main(sys.argv[1:])
