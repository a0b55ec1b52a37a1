"""Report sections: static cost, workloads, GUP, unbind, problems."""
from .common import *  # noqa: F401,F403
from .fmt import *  # noqa: F401,F403
from .stats import *  # noqa: F401,F403
from .runfolder import *  # noqa: F401,F403
from .compare import *  # noqa: F401,F403
from .sections import *  # noqa: F401,F403
from .exact import *  # noqa: F401,F403


def code_delta(run, variant):
    """'+4,096 bytes (+0.041%)' of code_bytes vs baseline, or why it is missing."""
    vals = static_values(run)
    new, base = vals.get((variant, "code_bytes")), vals.get(("baseline", "code_bytes"))
    if new is None or base is None:
        return f"missing (no code_bytes for {variant if new is None else 'baseline'})"
    # One decimal would print +0.0% for kilobytes out of megabytes.
    return f"{fmt_signed(fmt_count, new - base)} bytes ({fmt_pct(pct_change(new, base), 3)})"


BLOAT_SUMMARY = re.compile(r"add/remove: (\d+)/(\d+) grow/shrink: (\d+)/(\d+) "
                           r"up/down: ([-+]?\d+)/([-+]?\d+) \(([-+]?\d+)\)")


def bloat_counts(run, variant):
    """'+4,096 bytes; functions 3 added, 0 removed, 12 grown, 1 shrunk' from
    bloat-<variant>.txt, or why there is none."""
    if variant not in run.bloat:
        return f"bloat-{variant}.txt missing"
    for line in run.bloat[variant][0]:
        m = BLOAT_SUMMARY.match(line)
        if m:
            add, rem, grow, shrink, _, _, total = (int(x) for x in m.groups())
            return (f"{fmt_signed(fmt_count, total)} bytes; functions {add} added, {rem} removed, "
                    f"{grow} grown, {shrink} shrunk")
    return "no bloat-o-meter summary"


def code_growth(run, variant):
    """Code growth vs baseline for prose: code_bytes and bloat-o-meter."""
    return f"code {code_delta(run, variant)} (bloat-o-meter: {bloat_counts(run, variant)})"


def bloat_section(run, variant):
    if variant not in run.bloat:
        return f"#### {variant}\n\nbloat-{variant}.txt is missing from this run."
    summary, rows = run.bloat[variant]
    if not summary:
        return f"#### {variant}\n\nbloat-{variant}.txt holds no bloat-o-meter output."
    top = sorted((r for r in rows if r[3] > 0), key=lambda r: (-r[3], r[0]))[:10]
    table = md_table(("Symbol", "old", "new", "delta"),
                     [(f"`{n}`", o, w, f"{d:+d}") for n, o, w, d in top]) if top else "No symbol grew."
    lines = "\n".join(f"    {s}" for s in summary)
    return f"#### {variant}: top growers vs baseline (bloat-o-meter)\n\n{lines}\n\n{table}"


def fenced(text):
    """text verbatim in a fenced code block whose fence no line of it can close."""
    ticks = max([len(m) for m in re.findall(r"`+", text)] + [2]) + 1
    fence = "`" * ticks
    return f"{fence}text\n{text.rstrip(chr(10))}\n{fence}"


def extra_sections(run):
    """mca.txt verbatim, where the run has it."""
    out = []
    if "mca.txt" in run.extras:
        out.append("### One inlined get_page()/put_page() site, and llvm-mca: a static estimate, "
                   "not a measurement (mca.txt)\n\n"
                   "The annotated objdump of one turn of the benchmark module's get/put loop as "
                   "baseline, fine with its key off and fine with its key on execute it on an "
                   "ordinary page, and llvm-mca's estimate of its cycles: llvm-mca models a CPU's "
                   "pipeline on the listed instructions; nothing here was run or timed. Verbatim "
                   "from the run folder.\n\n" + fenced(run.extras["mca.txt"]))
    return out


def section_static(run, plots):
    if run.static is None:
        body = "static.csv is missing from this run."
    else:
        vals = static_values(run)
        get = lambda v, m, fmt: fmt(vals[(v, m)]) if (v, m) in vals else "missing"
        rows = [(v, get(v, "code_bytes", fmt_count),
                 DASH if v == "baseline" else code_delta(run, v),
                 DASH if v == "baseline" else bloat_counts(run, v),
                 get(v, "hook_sites", fmt_count))
                for v in run.variants]
        # build_seconds stays in static.csv: the time of a kernel build is no
        # cost of a policy, and a rebuild that compiled nothing says little
        body = md_table(("Variant", "code_bytes", "vs baseline", "bloat-o-meter vs baseline",
                         "hook_sites"), rows)
        unused = sorted({r["metric"] for r in run.static} - set(STATIC_METRICS))
        if unused:
            body += (f"\n\nstatic.csv also holds {', '.join(f'`{m}`' for m in unused)}, not used here"
                     + (" (`text_bytes` of older runs is `size`'s text column, padded by the linker "
                        "script, not code size)" if "text_bytes" in unused else "") + ".")
    growers = "\n\n".join(bloat_section(run, v) for v in run.variants if v != "baseline")
    return "\n\n".join(
        ["## Static cost",
         "Code size comes from symbol sizes and bloat-o-meter: `code_bytes` is the sum of the "
         "`nm -S` sizes of vmlinux's text symbols, and bloat-o-meter compares each variant's "
         "vmlinux with baseline's function by function (its totals beside, its top growers below). "
         "Not `size`'s text column: the x86 linker script pads .text, so that column does not move "
         "with code. `hook_sites`: static-branch sites keyed on the fine hook's `devmap_pin_key`, "
         "counted from vmlinux's `__jump_table` (0 where the kernel has no such key); while the key "
         "is off each is a jump patched out of an inlined page_ref helper.",
         body, plots.embed("code_size", "code bytes (text symbol sizes) per variant"), growers]
        + extra_sections(run))


def perf_table(run):
    cases = run.cases("perf")
    if not cases:
        return "No `perf` rows in this run."
    rows = []
    for case in cases:
        workload, _, event = case.partition(":")
        units = set().union(*(run.cell(v, "perf", case).units for v in run.variants)) - {""}
        unit = ",".join(sorted(units)) or "count"
        shown = f"{unit} (virtual)" if run.icount and unit == "msec" else unit
        rows.append([workload, event, shown] + [median_n_text(run, v, "perf", case, perf_fmt(unit))
                                                for v in run.variants])
    unsupported = defaultdict(list)   # event -> variants, over all workloads
    for case in cases:
        for v in run.variants:
            event = case.partition(":")[2]
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


def section_workloads(run):
    unit = group_fmt(run, "workload")[0]
    return ("## Workloads\n\n"
            f"Userspace workloads on ordinary memory (bench/workloads.c), {unit} "
            f"({better_text(run, 'workload')}{per_instruction_text(run, 'workload')}).\n\n"
            + samples_note(run, "workload") + "\n\n"
            + stats_tables(run, "workload", per_case=False, title="Workload")
            + "\n\n### What perf reported\n\nMedian over boots and repetitions, `(n=…)` samples. "
            + perf_note(run) + "\n\n" + perf_table(run))


def section_gup(run, plots):
    unit = group_fmt(run, "gup")[0]
    return ("## GUP throughput\n\n"
            f"CONFIG_GUP_TEST through bench/gup_bench.c, {unit} "
            f"({better_text(run, 'gup')}{per_instruction_text(run, 'gup')}).\n\n"
            + samples_note(run, "gup") + "\n\n"
            + stats_tables(run, "gup", per_case=False)
            + busy_ordinary_gup_note(run)
            + "\n\n" + plots.embed("gup", f"GUP {'cost: ' + unit if run.icount else 'throughput'}, "
                                           "median with p25–p75"))


def busy_ordinary_gup_note(run):
    """Why busy's GUP of ordinary pages may differ from baseline's at all."""
    def median(v, c):
        st = run.stats(v, "gup", c)
        return st["median"] if st else None
    moved = [c for c in run.cases("gup") if c.endswith(":ordinary")
             and None not in (median("busy", c), median("baseline", c))
             and median("busy", c) != median("baseline", c)]
    if not moved:
        return ""
    return ("\n\nbusy on ordinary pages (" + ", ".join(f"`{c}` {change_text(run, 'busy', 'gup', c)}"
                                                    for c in moved)
            + "): busy runs none of its code for an ordinary page (GUP-fast tests pte_devmap() "
            "before its grab, as baseline does). The difference is how GCC compiled "
            "gup_fast_fallback() once patch 13 gave it a second grab call site for devmap pages: "
            "its register allocation around the per-page loop changed (read from the "
            "disassembly of the busy and baseline vmlinux; the closing notes count it). It is "
            "neither a cost nor a saving of the policy, and another compiler may remove or "
            "reverse it.")


def grid_table(run, group, first_cols, split):
    """Rows = cases of group (split into first_cols), columns = variants' median (n)."""
    cases = run.cases(group)
    if not cases:
        return f"No `{group}` rows in this run."
    fmt = group_fmt(run, group)[1]

    def value(v, c):
        absent = group in ZERO_IF_ABSENT and (v, group, c) not in run.cells
        return "0" if absent else median_n_text(run, v, group, c, fmt)
    rows = [list(split(c)) + [value(v, c) for v in run.variants] for c in cases]
    return md_table(first_cols + run.variants, rows, "l" * len(first_cols) + "r" * len(run.variants))


def section_unbind(run, plots):
    unit = group_fmt(run, "unbind")[0]
    return ("## Unbind latency\n\n"
            f"Time for `echo dax0.0 > .../unbind` to return (bench/unbind_latency.c), {unit}. "
            "`idle`: nothing mapped; `maps=N`: N idle mappings, whose holder unmaps 200 ms after "
            "the unbind starts or at once on SIGBUS, so a policy that waits for mappings shows "
            "those 200 ms; `inflight=D`: a page pinned for D ms while mapped, the holder unmapping "
            "after it drops the pin or on SIGBUS; `gup_race`: the holder loops GUP on its own "
            "mapping during the unbind. An unbind still blocked after 30 s (plus D) has its holder "
            "killed and its cell reported `failed` (bench/FORMAT.md).\n\n"
            + samples_note(run, "unbind") + "\n\n"
            + stats_tables(run, "unbind", per_case=True) + "\n\n"
            + plots.embed("unbind_inflight", "unbind latency vs in-flight duration") + "\n\n"
            + plots.embed("unbind_dist", "unbind latency samples per scenario") + "\n\n"
            f"### Phases (bpf/unbind_phases.bt), median {unit}\n\n"
            + grid_table(run, "unbind_phase", ["Scenario", "Phase"], lambda c: c.rsplit(":", 1))
            + "\n\n### pgmap pins and unpins by call site (bpf/pin_callers.bt), median count per boot\n\n"
            + grid_table(run, "pins", ["Kind", "Call site"], lambda c: c.split(":", 1)))


def problem_rows(run):
    """Every non-ok status of a cell, and every variant with no row for a case others have."""
    rows = []
    for (v, g, c), cell in run.cells.items():
        for status, n in cell.bad.items():
            trials = ",".join(sorted(cell.bad_trials[status], key=case_key))
            rows.append((status, v, g, c, n, trials))
    for g, c in sorted({(g, c) for (_, g, c) in run.cells if g not in ZERO_IF_ABSENT}):
        rows += [("no row", v, g, c, 0, DASH) for v in run.variants if (v, g, c) not in run.cells]
    for g in sorted(ZERO_IF_ABSENT & {g for (_, g, _) in run.cells}):
        rows += [("no row", v, g, "(any)", 0, DASH) for v in run.variants
                 if not any(k[0] == v and k[1] == g for k in run.cells)]
    return sorted(rows, key=lambda r: (status_key((r[0], 0)), run.variants.index(r[1])
                                       if r[1] in run.variants else 99, r[2], case_key(r[3])))


def section_problems(run):
    rows = problem_rows(run)
    bad_boots = [r for r in run.boots or [] if r["status"] != "ok"]
    parts = ["## Failed or missing cells"]
    if rows:
        parts.append("Every sample row whose status is not `ok`, grouped, worst first; `no row`: "
                     "the variant has no row at all for a case other variants have.\n\n"
                     + md_table(("Variant", "Group", "Case", "Status", "Rows", "Trials"),
                                [(v, g, c, s, n, t) for s, v, g, c, n, t in rows], "llllrl"))
    if bad_boots:
        parts.append("Boots (cells.csv) that did not end `ok`:\n\n" + md_table(
            HEADERS["cells.csv"], [[r[h] for h in HEADERS["cells.csv"]] for r in bad_boots]))
    if not run.samples:
        parts.append("samples.csv has no rows: every cell is missing.")
    elif not rows and not bad_boots:
        parts.append("None: every cell produced `ok` samples and every boot ended `ok`.")
    if run.boots is None:
        parts.append("cells.csv is missing, so failed boots cannot be listed.")
    return "\n\n".join(parts)


