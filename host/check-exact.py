#!/usr/bin/env python3
"""check-exact.py RUN_DIR: does the run's instrument resolve the hot-path question?

For a run made on QEMU's instruction counter (manifest clock=icount), prints
TAP-style lines, one per check, and exits 1 if any failed:
  - every get/put hot-path cell is exact: all its samples, over trials and
    repetitions, give the same count;
  - A/A: a variant whose get/put code is another's (host/experiment.py
    stock_get_put: the reference's) gives its count for get_put_page
    and folio_get_put on ordinary pages, key on and off, and on a device-dax
    page;
  - a hooked variant (hook_nops > 0) with no device-dax pgmap (its static key off)
    costs exactly its patched-out jumps (hook_nops: one per refcount
    helper, so +2 per get/put pair);
  - with the key on it costs more than that on an ordinary page, and more
    again on a device-dax page (the hook's work is measured, not hidden).
A run on the wall clock fails the first check: that is the point.
The checks are the report's judge (host/reportgen/instrument.py); this is
its command line.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reportgen.instrument import checks  # noqa: E402  the judge: one tolerance, one A/A
from reportgen.runfolder import ReportError, load_run  # noqa: E402


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: check-exact.py RUN_DIR")
    try:
        results = checks(load_run(argv[0]))
    except (ReportError, OSError) as e:
        sys.exit(f"check-exact.py: error: {e}")
    for ok, desc in results:
        print(("ok - " if ok else "not ok - ") + desc)
    sys.exit(1 if any(not ok for ok, _ in results) else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
