#!/usr/bin/env python3
"""tap.py FILE: the test results of a kselftest TAP stream, parsed once, on
the host (tests/run-functional.sh).

Prints one line per result line of FILE ("ok N name", "not ok N name",
either with an optional "# directive"): "pass NAME", "fail NAME" or, for a
test that skipped itself ("ok N name # SKIP ..."), "skip NAME", which
kselftest counts as passed.  Lines the guest's init prefixed ("guest: ...")
and comments are not results.  A missing FILE has no results.
"""
import re
import sys

RESULT = re.compile(r"^(ok|not ok) \d+ (\S+)(.*)$")
SKIP = re.compile(r"#\s*SKIP\b", re.IGNORECASE)


def results(lines):
    """(outcome, name) of each result line: "pass", "fail" or "skip"."""
    for line in lines:
        m = RESULT.match(line)
        if not m:
            continue
        if m.group(1) != "ok":
            yield "fail", m.group(2)
        else:
            yield ("skip" if SKIP.search(m.group(3)) else "pass"), m.group(2)


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
