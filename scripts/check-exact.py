#!/usr/bin/env python3
"""check-exact.py RUN_DIR: does the run's instrument resolve the hot-path question?

For a run made on QEMU's instruction counter (manifest clock=icount), prints
TAP-style lines, one per check, and exits 1 if any failed:
  - every get/put hot-path cell is exact: all its samples, over trials and
    repetitions, give the same count;
  - A/A: coarse, whose get/put code is baseline's, gives baseline's count
    for get_put_page and folio_get_put on ordinary pages, key on and off;
  - fine with no device-dax pgmap (its static key off) costs exactly its
    patched-out jumps: one NOP per refcount helper, so +2 per get/put pair;
  - fine with the key on costs more than that on an ordinary page, and more
    again on a device-dax page (the hook's work is measured, not hidden).
A run on the wall clock fails the first check: that is the point.
"""
import csv
import os
import sys

GET_PUT_OPS = ("get_put_page", "folio_get_put")
NOPS_PER_PAIR = 2   # one patched-out jump in the get helper, one in the put


def load(run):
    cells = {}
    with open(os.path.join(run, "samples.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["group"] != "hotpath" or row["status"] != "ok":
                continue
            cells.setdefault((row["variant"], row["case"]), []).append(
                float(row["value"]))
    with open(os.path.join(run, "manifest.txt")) as f:
        manifest = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    return manifest, cells


class Checker:
    def __init__(self):
        self.failed = 0

    def check(self, ok, desc):
        print(("ok - " if ok else "not ok - ") + desc)
        self.failed += not ok


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-exact.py RUN_DIR")
    manifest, cells = load(sys.argv[1])
    c = Checker()
    c.check(manifest.get("clock") == "icount",
            f"run is on the instruction clock (clock={manifest.get('clock', 'none')})")

    def value(variant, case):
        vals = cells.get((variant, case))
        return vals[0] if vals and max(vals) - min(vals) < 0.005 else None

    for (variant, case), vals in sorted(cells.items()):
        if case.split(":")[0] in GET_PUT_OPS:
            spread = max(vals) - min(vals)
            c.check(spread < 0.005, f"{variant} {case}: exact over {len(vals)} samples "
                    f"({min(vals):.2f}..{max(vals):.2f})")

    for op in GET_PUT_OPS:
        for mem in ("ordinary", "ordinary-nodev"):
            case = f"{op}:{mem}"
            b, co = value("baseline", case), value("coarse", case)
            c.check(b is not None and b == co,
                    f"A/A: coarse {case} = baseline ({co} vs {b} instructions/pair)")
        b, off = value("baseline", f"{op}:ordinary-nodev"), value("fine", f"{op}:ordinary-nodev")
        c.check(b is not None and off is not None and off - b == NOPS_PER_PAIR,
                f"fine {op}, key off: baseline + {NOPS_PER_PAIR} NOPs "
                f"({off} vs {b} instructions/pair)")
        on = value("fine", f"{op}:ordinary")
        c.check(on is not None and off is not None and on > off,
                f"fine {op}, key on, ordinary page: more than key off ({on} vs {off})")
        dev, bdev = value("fine", f"{op}:devdax"), value("baseline", f"{op}:devdax")
        c.check(dev is not None and on is not None and bdev is not None and dev > on
                and dev > bdev,
                f"fine {op}, device-dax page: more than an ordinary page and than "
                f"baseline's ({dev} vs {on}, baseline {bdev})")
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
