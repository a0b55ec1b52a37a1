"""Judge: is a trial of guests booted side by side the same experiment as
one of guests booted one at a time?  On the instruction clock a guest's
counts do not depend on how busy the host is (bench/host/run-matrix.sh
JOBS), so a run whose trials booted at different JOBS (manifest jobs=, one
value per trial) must give every get/put hot-path cell (the exact ones) the same count at each, and
the unbind cases no shift.  Unbind latencies still vary on the instruction
clock (timers, I/O completion: 10 ms and more between two repetitions of one
case), so they are judged together: the median over cases of the
difference of their medians must be within one tick.  Each case's ranges
are printed as diagnostics."""
from collections import defaultdict
from statistics import median

import experiment
from .aa import TICK_MS
from .exact import same


def trial_jobs(run):
    """{trial: JOBS of its boots}, from the manifest's jobs= (trial order)."""
    jobs = run.manifest.get("jobs", "").split()
    return {str(t): int(j) for t, j in enumerate(jobs, 1) if j.isdigit()}


def by_jobs(run, group):
    """{(variant, case): {jobs: [ok values]}} of one group."""
    jobs = trial_jobs(run)
    cells = defaultdict(lambda: defaultdict(list))
    for r in run.samples:
        if r["group"] == group and r["status"] == "ok" and r["trial"] in jobs:
            cells[(r["variant"], r["case"])][jobs[r["trial"]]].append(r["value"])
    return cells


def checks(run):
    """(ok, description) lines; none unless the run's trials differ in JOBS."""
    if not run.icount or len(set(trial_jobs(run).values())) < 2:
        return []
    out = []
    # the exact cells: get/put pairs (pin_unpin's counts vary; only their differences are exact)
    hot = {k: at for k, at in by_jobs(run, "hotpath").items()
           if k[1].split(":")[0] in experiment.GET_PUT_OPS}
    differ = [f"{v} {c}" for (v, c), at in sorted(hot.items())
              if len(at) > 1 and not all(same(x, y) for vals in at.values()
                                         for x in vals for y in next(iter(at.values())))]
    both = sum(len(at) > 1 for at in hot.values())
    out.append((both > 0 and not differ,
                f"JOBS A/A: {both} hot-path cells measured at "
                f"{' and '.join(f'jobs={j}' for j in sorted({j for at in hot.values() for j in at}))}"
                f" give the same count" + (f"; they differ in {', '.join(differ)}" if differ else "")))
    diffs, notes = [], []
    for (v, c), at in sorted(by_jobs(run, "unbind").items()):
        if len(at) < 2:
            continue
        lo_j, hi_j = min(at), max(at)
        diffs.append(median(at[hi_j]) - median(at[lo_j]))
        notes.append(f"# {v} unbind {c}: " + ", ".join(
            f"jobs={j}: {min(vals):.1f}..{max(vals):.1f}" for j, vals in sorted(at.items())) + " ms")
    if diffs:
        shift = median(diffs)
        out.append((abs(shift) <= TICK_MS,
                    f"JOBS A/A: unbind, {len(diffs)} cases: median of (more jobs - fewer jobs) "
                    f"medians {shift:+.1f} ms, within a {TICK_MS:g} ms tick "
                    f"({sum(d > 0 for d in diffs)} higher, {sum(d < 0 for d in diffs)} lower)"
                    + "".join("\n" + n for n in notes)))
    return out
