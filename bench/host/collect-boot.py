#!/usr/bin/env python3
"""collect-boot.py BOOT_DIR VARIANT TRIAL VM_STATUS: one boot's rows.

Reads what bench/guest-bench.sh left in BOOT_DIR (samples.part.csv, the
programs' own group,case,rep,value,unit,status rows; phases.out from
bpf/unbind_phases.bt, pins.out from bpf/pin_callers.bt; perf/<w>.<rep>.csv
from perf stat -x,) and the boot's plan.csv (group,case,action, from
host/experiment.py), and prints samples.csv rows (bench/FORMAT.md, no
header), each stamped with VARIANT and TRIAL, on stdout:
  - the programs' own rows;
  - perf rows, one per event of each perf stat output: case
    <workload>:<event>, '<not supported>' values as status unsupported;
  - unbind_phase rows, one per phase line, numbered per scenario and phase
    in the order the unbinds ran;
  - pins rows, one per bpftrace map entry;
  - for every planned case without any row: an empty row whose status is
    the boot's status when the guest crashed, hung or timed out, and
    'failed' when the guest was fine but the benchmark did not report.
"""
import collections
import os
import re
import sys


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def main():
    boot, variant, trial, vm_status = sys.argv[1:5]
    def row(group, case, rep, value, unit, status):
        return f"{variant},{group},{case},{trial},{rep},{value},{unit},{status}"

    rows = [row(*r.split(",")) for r in read_lines(os.path.join(boot, "samples.part.csv"))
            if r.count(",") == 5]
    seen = {tuple(r.split(",")[1:3]) for r in rows}

    perf_dir = os.path.join(boot, "perf")
    for name in sorted(os.listdir(perf_dir)) if os.path.isdir(perf_dir) else []:
        workload, rep, _ = name.rsplit(".", 2)
        for line in read_lines(os.path.join(perf_dir, name)):
            f = line.split(",")
            if line.startswith("#") or len(f) < 3:
                continue
            ok = not f[0].startswith("<")
            rows.append(row("perf", f"{workload}:{f[2]}", rep, f[0] if ok else "", f[1],
                            "ok" if ok else "unsupported"))

    reps = collections.Counter()
    for line in read_lines(os.path.join(boot, "phases.out")):
        m = re.match(r"phase u:(\S+) (revoke|wait|teardown) (\d+)$", line)
        if not m:
            continue
        scenario, phase, ns = m.group(1), m.group(2), int(m.group(3))
        reps[(scenario, phase)] += 1
        rows.append(f"{variant},unbind_phase,{scenario}:{phase},{trial},"
                    f"{reps[(scenario, phase)]},{ns / 1e6:.3f},ms,ok")

    for line in read_lines(os.path.join(boot, "pins.out")):
        m = re.match(r"@(pin|unpin)\[(.+)\]: (\d+)$", line)
        if m:
            func = m.group(2).replace(",", ";")
            rows.append(f"{variant},pins,{m.group(1)}:{func},{trial},1,"
                        f"{m.group(3)},count,ok")

    missing = "failed" if vm_status == "ok" else vm_status
    for line in read_lines(os.path.join(boot, "plan.csv")):
        group, case = line.split(",")[:2]
        if (group, case) not in seen:
            rows.append(f"{variant},{group},{case},{trial},,,,{missing}")

    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
