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
  - a hooked variant (fine) with no device-dax pgmap (its static key off)
    costs exactly its patched-out jumps (hook_nops: one per refcount
    helper, so +2 per get/put pair);
  - with the key on it costs more than that on an ordinary page, and more
    again on a device-dax page (the hook's work is measured, not hidden).
A run on the wall clock fails the first check: that is the point.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import experiment  # noqa: E402  the variants and their promises

GET_PUT_OPS = experiment.GET_PUT_OPS
KEY_OFF, KEY_ON, DEVICE = experiment.KEY_OFF, experiment.KEY_ON, experiment.DEVICE_PAGE
REF = experiment.REFERENCE


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
        for v in experiment.VARIANTS:
            # a run from before the variant existed does not judge it
            if v.name == REF or not v.stock_get_put or not any(k[0] == v.name for k in cells):
                continue
            for mem in (KEY_ON, KEY_OFF, DEVICE):
                case = f"{op}:{mem}"
                b, a = value(REF, case), value(v.name, case)
                c.check(b is not None and b == a,
                        f"A/A: {v.name} {case} = {REF} "
                        f"({a} vs {b} instructions/pair)")
        for v in experiment.VARIANTS:
            if not v.hook_nops:
                continue
            n = v.name
            b, off = value(REF, f"{op}:{KEY_OFF}"), value(n, f"{op}:{KEY_OFF}")
            c.check(b is not None and off is not None and off - b == v.hook_nops,
                    f"{n} {op}, key off: {REF} + {v.hook_nops} NOPs "
                    f"({off} vs {b} instructions/pair)")
            on = value(n, f"{op}:{KEY_ON}")
            c.check(on is not None and off is not None and on > off,
                    f"{n} {op}, key on, ordinary page: more than key off ({on} vs {off})")
            dev, bdev = value(n, f"{op}:{DEVICE}"), value(REF, f"{op}:{DEVICE}")
            c.check(dev is not None and on is not None and bdev is not None and dev > on
                    and dev > bdev,
                    f"{n} {op}, device-dax page: more than an ordinary page and than "
                    f"{REF}'s ({dev} vs {on}, {REF} {bdev})")
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
