#!/usr/bin/env python3
"""The run folder's schema (bench/FORMAT.md): the CSV headers and manifest
keys that bench/host/run-matrix.sh, bench/host/measure-before.sh and
tests/run-functional.sh write and host/reportgen reads.

  schema.py header FILE     print FILE's header line (samples.csv, ...)
"""
import sys

HEADERS = {
    "samples.csv": ["variant", "group", "case", "trial", "rep", "value", "unit", "status"],
    "static.csv": ["variant", "metric", "value"],
    "functional.csv": ["variant", "test", "expected", "outcome", "detail"],
    # one row per guest boot of the matrix; like cells_total and cells_failed
    # below (boots, and boots not ok), the name is older than the word "boot"
    # here and stays, since recorded runs carry it (a cell is a variant's
    # case of a group: bench/FORMAT.md)
    "cells.csv": ["n", "trial", "variant", "align", "status", "seconds"],
}
MANIFEST_KEYS = ("date", "git_commit", "source_version", "qemu_version", "accel",
                 "host_cpu", "host_cores", "clock", "clock_desc", "trials", "reps", "fio_ios", "quick",
                 "variants", "jobs", "cells_total", "cells_failed", "elapsed_s")
# keys added after runs were recorded: an older manifest without them is complete
LATER_KEYS = ("jobs", "fio_ios")


def main(argv):
    if len(argv) != 2 or argv[0] != "header" or argv[1] not in HEADERS:
        sys.exit(__doc__)
    print(",".join(HEADERS[argv[1]]))


if __name__ == "__main__":
    main(sys.argv[1:])
