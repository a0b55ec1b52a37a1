"""Report sections: workloads (with perf), GUP throughput, unbind latency."""
from collections import defaultdict

import experiment
from experiment import HOLDER_UNMAP_MS, REFERENCE as REF
from .aa import TICK_MS, aa_unbind, aa_unbind_pairs
from .compare import change_text, median_n_text, within_spread
from .fmt import md_table, perf_fmt
from .hotpath import VARY_WHY, samples_note, spread_note
from .tables import grid_table, stats_tables, wide_table
from .units import PER_INSTRUCTION, better_text, group_fmt
from .variants import in_run
from .repro import reproduce


def perf_table(run):
    cases = run.cases("perf")
    if not cases:
        return "No `perf` rows in this run."
    rows = []
    for case in cases:
        workload, _, event = case.rpartition(":")
        units = set().union(*(run.cell(v, "perf", case).units for v in run.variants)) - {""}
        unit = ",".join(sorted(units)) or "count"
        shown = f"{unit} (virtual)" if run.icount and unit == "msec" else unit
        rows.append([workload, event, shown] + [median_n_text(run, v, "perf", case, perf_fmt(unit))
                                                for v in run.variants])
    unsupported = defaultdict(list)   # event -> variants, over all workloads
    for case in cases:
        for v in run.variants:
            event = case.rpartition(":")[2]
            if run.cell(v, "perf", case).bad.get("unsupported") and v not in unsupported[event]:
                unsupported[event].append(v)
    said = ("Events perf reported as not supported or not counted: "
            + "; ".join(f"`{e}` ({', '.join(vs)})" for e, vs in sorted(unsupported.items())) + "."
            if unsupported else "perf reported every event it was asked for.")
    return (md_table(["Workload", "Event", "Unit"] + run.variants, rows, "lll" + "r" * len(run.variants))
            + "\n\n" + said)


def perf_note(run):
    clock = ("under icount task-clock msec is virtual time (instructions, plus skipped idle time) and "
             f"still varies ({VARY_WHY})" if run.icount else "task-clock msec is the noisy wall clock")
    return f"Units as perf printed them; {clock}. Not exact: {spread_note(run, 'perf')}."


def per_instruction_text(run, group):
    """Under icount, how a rate group's numbers were made; else nothing."""
    if not (run.icount and group in PER_INSTRUCTION):
        return ""
    rate = PER_INSTRUCTION[group][0]
    return f"; samples.csv's `{rate}` per virtual second, inverted sample by sample: 1e9 / value"


def workload_aa(run):
    """The workloads of variants whose get/put is the reference's, outside
    the reference's middle half: the microbenchmark's A/A, shown where it
    does not carry over to a whole workload."""
    out = [f"{v.name} `{c}` {change_text(run, v.name, 'workload', c)}"
           for v in in_run(run) if v.stock_get_put
           for c in run.cases("workload") if within_spread(run, v.name, "workload", c) is False]
    if not out:
        return ""
    return (" Variants whose get/put code is the reference's, outside its p25–p75: "
            + ", ".join(out) + ". Whole workloads run more than get/put: these kernels also "
            "differ in the series' other code and in code layout, which this run does not "
            "separate; the exact A/A is the hot path's.")


def section_workloads(run, brief=False):
    unit = group_fmt(run, "workload")[0]
    hooked = [v.name for v in in_run(run) if v.hook_nops]
    off = [c for c in run.cases("workload") if c.endswith(f":{experiment.KEY_OFF}")]
    hook = f"{' and '.join(hooked)}'s get/put hook" if hooked else "a get/put hook"
    key = (f" Cases named `<workload>:{experiment.KEY_OFF}` ran with the device unbound and {hook}'s "
           "static key off (the cost on a kernel without a device); the others with the device bound "
           "(key on)." if off else
           f" The device was bound throughout (bench/guest-bench.sh), so {hook} was on (its static "
           "key enabled): this run has no workload with the key off.")
    return ("## Workloads\n\n"
            f"Userspace workloads on ordinary memory (bench/workloads.c), {unit} "
            f"({better_text(run, 'workload')}{per_instruction_text(run, 'workload')}).{key}"
            f"{workload_aa(run)}\n\n"
            + samples_note(run, "workload") + "\n\n"
            + (wide_table(run, "workload", "Workload") + "\n\n" + reproduce(run, "workload") if brief else
               stats_tables(run, "workload", per_case=False, title="Workload")
               + "\n\n### What perf reported\n\nMedian over boots and repetitions, `(n=…)` samples. "
            + perf_note(run) + "\n\n" + perf_table(run)))


def section_fio(run, brief=False):
    """fio, a client nobody here wrote; absent from a run that has no fio
    rows (a config whose kernels cannot run it says so in the plan)."""
    if not run.cases("fio"):
        return ""
    unit = group_fmt(run, "fio")[0]
    skipped = sorted({s.partition(":")[2] for v in run.variants for c in experiment.group("fio").cases
                      for s in run.cell(v, "fio", c).bad if s.startswith("skipped:")})
    if not any(run.stats(v, "fio", c) for v in run.variants for c in run.cases("fio")):
        return ("## fio\n\nfio did not run in this run"
                + (f": skipped where {'; '.join(skipped)}" if skipped else "") + ".")
    return ("## fio\n\n"
            "fio (Debian's package) in the guest: psync 4K random reads of a RAM block device "
            "(/dev/ram0, 4 MiB written first), `odirect:devdax` with fio's buffer on /dev/dax0.0 "
            "(`--mem=mmapshared:/dev/dax0.0`: every read pins a device-dax page), `odirect:ordinary` "
            "and `buffered:ordinary` with malloc'ed buffers, and the `:ordinary-nodev` cases with "
            f"the device unbound (the key off). A sample is fio's mean read latency over "
            f"{run.manifest.get('fio_ios', '?')} reads ({unit}, {better_text(run, 'fio')}: fio's "
            "clock_gettime() around each pread(), two clock reads included), bench/guest-bench.sh "
            "run_fio."
            + (f" Skipped where: {'; '.join(skipped)}." if skipped else "") + "\n\n"
            + samples_note(run, "fio") + "\n\n"
            + (wide_table(run, "fio", "Case") if brief else stats_tables(run, "fio", per_case=False)))


def section_gup(run, plots, brief=False):
    unit = group_fmt(run, "gup")[0]
    return ("## GUP throughput\n\n"
            f"CONFIG_GUP_TEST through bench/gup_bench.c, {unit} "
            f"({better_text(run, 'gup')}{per_instruction_text(run, 'gup')}).\n\n"
            + samples_note(run, "gup") + "\n\n"
            + (wide_table(run, "gup") + "\n\n" + reproduce(run, "gup") if brief
               else stats_tables(run, "gup", per_case=False))
            + "".join(ordinary_gup_note(run, v.name) for v in in_run(run)
                      if v.stock_get_put and not v.stock_gup)
            + "\n\n" + plots.embed("gup", f"GUP {'cost: ' + unit if run.icount else 'throughput'}, "
                                           "median with p25–p75"))


def ordinary_gup_note(run, name):
    """Why the GUP of ordinary pages may differ from the reference's at all
    for a variant that changes GUP of device-dax pages only (its get/put and
    GUP-fast's test for ordinary pages are the reference's)."""
    def median(v, c):
        st = run.stats(v, "gup", c)
        return st["median"] if st else None
    moved = [c for c in run.cases("gup") if c.endswith(":ordinary")
             and None not in (median(name, c), median(REF, c))
             and median(name, c) != median(REF, c)]
    if not moved:
        return ""
    return (f"\n\n{name} on ordinary pages (" + ", ".join(f"`{c}` {change_text(run, name, 'gup', c)}"
                                                        for c in moved)
            + f"): {name}'s GUP code is not {REF}'s even for an ordinary page (in series v9, "
            "mm/gup.c: try_grab_folio_fast() calls the idle-page grab where try_get_folio() "
            "fails, and try_grab_folio() tests for a device-dax folio first), so the compiler "
            "lays those functions out anew. This run does not say which part costs what; the "
            "exact pin/unpin cells of ordinary pages in the Hot path section count their sum "
            "per pair.")


def unbind_aa_text(run):
    """The A/A sentence of each variant whose unbind is the reference's."""
    parts = []
    for a, b in aa_unbind_pairs(run):
        res = aa_unbind(run, a, b)
        if not res:
            continue
        apart = [f"`{c}`" for c, o in res if not o]
        parts.append(f"A/A check, {a} against {b}, whose unbind {a} leaves as {b}'s: "
                     + (f"the samples' ranges (min..max) overlap, or lie within a {TICK_MS:g} ms "
                        f"tick of each other, in all {len(res)} scenarios both ran: holds."
                        if not apart else
                        f"FAILS: the ranges are more than a {TICK_MS:g} ms tick apart in "
                        f"{', '.join(apart)}."))
    return " ".join(parts)


def section_unbind(run, plots, brief=False):
    unit = group_fmt(run, "unbind")[0]
    aa = unbind_aa_text(run)
    return ("## Unbind latency\n\n"
            f"Time for `echo dax0.0 > .../unbind` to return (bench/unbind_latency.c), {unit}. "
            f"`idle`: nothing mapped; `maps=N`: N idle mappings, whose holder unmaps {HOLDER_UNMAP_MS} ms after "
            "the unbind starts or at once on SIGBUS, so a policy that waits for mappings shows "
            f"those {HOLDER_UNMAP_MS} ms; `inflight=D`: a page pinned for D ms while mapped, the holder unmapping "
            "after it drops the pin or on SIGBUS; `gup_race`: the holder loops GUP on its own "
            "mapping during the unbind. An unbind still blocked after 30 s (plus D) has its holder "
            "killed and its cell reported `failed` (bench/FORMAT.md).\n\n"
            + samples_note(run, "unbind") + "\n\n"
            + (aa + "\n\n" if aa else "")
            + (wide_table(run, "unbind", "Scenario", absolute=True) + "\n\n" + reproduce(run, "unbind") if brief
               else stats_tables(run, "unbind", per_case=True)) + "\n\n"
            + "The first plot shows what an unbind takes beyond the in-flight reference "
            "(latency - D) for the variants that ran those cases; the second what a per-mapping "
            f"policy's unbind depends on: not N but how long the mappings live (here the holder's "
            f"{HOLDER_UNMAP_MS} ms). The wait polls in jiffies (CONFIG_HZ=250 in these kernels' "
            ".config: a jiffy is 4 ms), so spreads come in 4 ms steps.\n\n"
            + plots.embed("unbind_inflight", "unbind latency beyond the in-flight reference, latency - D") + "\n\n"
            + plots.embed("unbind_maps", "unbind latency against the number of idle mappings") + "\n\n"
            + plots.embed("unbind_dist", "unbind latency samples per scenario")
            + ("" if brief else "\n\n"
            f"### Phases (bpf/unbind_phases.bt), median {unit}\n\n"
            + grid_table(run, "unbind_phase", ["Scenario", "Phase"], lambda c: c.rsplit(":", 1))
            + "\n\n### pgmap pins and unpins by call site (bpf/pin_callers.bt), median count per boot\n\n"
            + grid_table(run, "pins", ["Kind", "Call site"], lambda c: c.split(":", 1))))
