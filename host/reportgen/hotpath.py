"""Report sections: the hot path (exact cells under icount, the A/A
sentence), the note on how exact each group's samples are, and a before/ run."""
import os

from experiment import REFERENCE as REF
from .aa import aa_gup_pair, aa_gup_pairs, aa_pair, aa_pairs, combine
from .compare import diff, static_values
from .exact import EXACT_TOL, varies
from .fmt import fmt_count, fmt_ns, fmt_signed, md_table
from .runfolder import load_run
from .stats import case_key, percentile
from .tables import stats_tables
from .units import group_fmt
from .phrases import hooked
from .repro import reproduce

# Cost groups whose samples still vary under icount, and why.
VARY_WHY = "I/O completion, timers, RCU callbacks and scheduling differ from boot to boot"


def spread_note(run, group, cases=None):
    """How much a group's samples vary: p25–p75 width as % of the median, over
    the cells (variant, case) that have at least two samples."""
    widths = []
    for case in (run.cases(group) if cases is None else cases):
        for v in run.variants:
            st = run.stats(v, group, case)
            if st and st["n"] >= 2 and st["median"]:
                widths.append(((st["p75"] - st["p25"]) / abs(st["median"]) * 100, v, case))
    if not widths:
        return "no cell has two samples to show how much they vary"
    widths.sort(key=lambda w: w[0])
    top = widths[-1]
    mid = percentile([w[0] for w in widths], 0.5)
    return (f"p25–p75 spans {widths[0][0]:.1f}–{top[0]:.1f}% of the median over {len(widths)} cells "
            f"(median {mid:.1f}%; widest: {top[1]} `{top[2]}`)")


UNIT_MEANING = {   # under icount: what a unit counts
    "unbind": "virtual ms: millions of guest instructions, plus the idle time QEMU skipped",
    "unbind_phase": "virtual ms: millions of guest instructions, plus the idle time QEMU skipped",
    "workload": ("guest instructions per operation, the kernel's and the user's work of one "
                 "operation together (each sample is 1e9 / the operations per virtual second "
                 "measured, so virtual ns the guest sat idle, which QEMU skips, count as well)"),
    "gup": ("guest instructions per page of the kernel's GUP and put only: mm/gup_test.c times "
            "the GUP loop and the put loop with ktime_get() in whole microseconds "
            "(get_delta_usec + put_delta_usec): a sample's total is whole microseconds, "
            "1000 instructions each"),
}


def samples_note(run, group, cases=None):
    """Unit and exactness of one cost group's samples, with the measured spread."""
    if group == "hotpath" and run.icount:
        return hot_exact_note(run)
    unit = group_fmt(run, group)[0]
    if run.icount:
        return (f"Unit: {UNIT_MEANING.get(group, unit)}. Not exact: under icount these samples still "
                f"vary ({VARY_WHY}); {spread_note(run, group, cases)}.")
    return (f"Unit: {unit}, read from the noisy wall clock. Not exact: {spread_note(run, group, cases)}.")


def hot_exact_cells(run):
    """[(variant, case, stats)] of every hot-path cell with samples."""
    return [(v, c, st) for c in run.cases("hotpath") for v in run.variants
            if (st := run.stats(v, "hotpath", c))]


def hot_exact_note(run):
    cells = hot_exact_cells(run)
    lead = ("Unit: instructions per get/put pair (`clock=icount`). Exact: each value counts the "
            "instructions of the get/put pair as inlined at the module's call site, minus those of "
            "an empty loop timed the same way, both with interrupts off; so every trial and "
            "repetition of a cell should give the same value. ")
    if not cells:
        return lead + "This run has no hot-path sample."
    vary = [(v, c, st) for v, c, st in cells if varies(st)]
    if not vary:
        return lead + (f"So they do: in all {len(cells)} cells max − min ≤ {EXACT_TOL} "
                       "(every sample of a cell is the same value)." + fraction_note(cells))
    listed = "; ".join(f"{v} `{c}` {fmt_ns(st['min'])}–{fmt_ns(st['max'])}" for v, c, st in vary)
    return lead + (f"{len(vary)} of {len(cells)} cells {'is' if len(vary) == 1 else 'are'} not "
                   f"exact (max − min > {EXACT_TOL}): "
                   f"{listed}. They are flagged ⚠ in the table; their median is not an exact count.")


def fraction_note(cells):
    """Ops whose exact values are not whole numbers: a fraction means part of
    the timed loop runs once per batch, not once per pair."""
    ops = sorted({c.split(":")[0] for _, c, st in cells
                  if not varies(st) and abs(st["median"] - round(st["median"])) > EXACT_TOL})
    if not ops:
        return ""
    return (" A value with a fraction (" + ", ".join(f"`{o}`" for o in ops) + ") is not the count "
            "of one pair: part of its timed loop runs once per batch, not per pair; only the "
            "differences between variants of such a cell are read as instructions of one pair.")


def exact_text(run, variant, case):
    """'14.00 (+2.00), max−min 0.00' or '… ⚠ varies 15.00–15.24' or the problem."""
    cell = run.cell(variant, "hotpath", case)
    st = cell.stats
    if not st:
        return cell.problem()
    text = fmt_ns(st["median"])
    if variant != REF:
        base = run.stats(REF, "hotpath", case)
        text += f" ({fmt_signed(fmt_ns, diff(st['median'], base['median']))})" if base else f" (no {REF})"
    if varies(st):
        text += f", ⚠ varies {fmt_ns(st['min'])}–{fmt_ns(st['max'])}"
    else:
        text += f", max−min {fmt_ns(diff(st['max'], st['min']))}"
    return text + (f" (+{cell.problem()})" if cell.bad else "")


def hot_exact_table(run):
    cases = run.cases("hotpath")
    if not cases:
        return "No `hotpath` rows in this run."
    rows = [[c] + [exact_text(run, v, c) for v in run.variants]
            + [" / ".join(str((run.stats(v, "hotpath", c) or {}).get("n", 0)) for v in run.variants)]
            for c in cases]
    return (f"Instructions per pair. Each cell: the median; for a variant other than {REF}, its "
            f"difference from {REF}'s median in parentheses; then max − min over all the cell's "
            "samples (every trial and repetition). ⚠ marks a cell whose samples differ.\n\n"
            + md_table(["Case"] + [f"{v} (instructions per pair)" for v in run.variants]
                       + [f"n ({' / '.join(run.variants)})"], rows))


def aa_pair_text(run, a, b):
    """(state, sentence) of the A/A check A - B."""
    lead = (f"A/A check, {a} − {b} in instructions per pair on the cases whose get/put code "
            f"{a} leaves as {b}'s (so it must be 0): ")
    absent = [v for v in (b, a) if v not in run.variants]
    if absent:
        return None, lead + f"not possible, this run has no {' and no '.join(absent)} variant."
    state, results = aa_pair(run, a, b)
    parts = []
    for r in results:
        if r.missing == "case":
            parts.append(f"`{r.case}` not in this run")
        elif r.missing:
            parts.append(f"`{r.case}` missing ({r.missing}: "
                         f"{run.cell(r.missing, 'hotpath', r.case).problem()})")
        else:
            parts.append(f"`{r.case}` {fmt_signed(fmt_ns, r.diff)}"
                         + ("" if r.exact else " (samples vary: not exact)"))
    end = {True: "holds: 0 on both.",
           False: (f"FAILS: {a} and {b} execute different instructions where their get/put "
                   "code is the same, so something besides the policy (build, module, guest state) "
                   "differs between the variants, and every difference in the table is suspect by "
                   "that much."),
           None: "cannot be decided from this run."}[state]
    return state, lead + "; ".join(parts) + " — " + end


def aa_gup_text(run, a, b):
    """(state, sentence) of the GUP A/A check A - B on the pin cases."""
    state, present = aa_gup_pair(run, a, b)
    if not present:
        return None, ""
    off = [f"`{r.case}` {fmt_signed(fmt_ns, r.diff)}" for r in present
           if r.state is False]
    undecided = [f"`{r.case}` " + ("without samples" if r.missing else "not exact")
                 for r in present if r.state is None]
    end = {True: (f"0 on all {len(present)}" if len(present) > 1 else "0 on the one this run has")
                 + ": holds.",
           False: "FAILS: " + ", ".join(off) + ".",
           None: "cannot be decided (" + ", ".join(undecided) + ")."}[state]
    return state, (f"A/A check of GUP, {a} − {b} in instructions per pair on the pin cases, "
                   f"whose GUP code {a} leaves as {b}'s: " + end)


def aa_text(run):
    """(state, sentences) of the A/A checks over every pair in the run."""
    checks = ([aa_pair_text(run, a, b) for a, b in aa_pairs(run)]
              + [c for c in (aa_gup_text(run, a, b) for a, b in aa_gup_pairs(run)) if c[1]])
    return combine(st for st, _ in checks), " ".join(text for _, text in checks)


def section_hotpath(run, plots):
    mem = ("`ordinary`: an anonymous page while a device-dax pgmap exists "
           f"({hooked()}'s static key is on); "
           "`ordinary-nodev`: an anonymous page with no device-dax pgmap (the static key is off); "
           "`devdax`: a page of /dev/dax0.0.")
    if run.icount:
        return ("## Hot path\n\n"
                f"In-kernel microbenchmark (bench/module), one get/put pair of each op. {mem}\n\n"
                + hot_exact_note(run) + "\n\n" + hot_exact_table(run) + "\n\n" + reproduce(run, "hotpath")
                + "\n\n" + aa_text(run)[1]
                + "\n\n" + plots.embed("hotpath", f"hot path: instructions per pair, variant − {REF}"))
    return ("## Hot path\n\n"
            f"In-kernel microbenchmark: ns per get/put pair on the noisy wall clock. {mem}\n\n"
            + samples_note(run, "hotpath") + "\n\n"
            + stats_tables(run, "hotpath", per_case=True) + "\n\n"
            + plots.embed("hotpath", "hot path: median ns per pair, p25–p75 error bars"))


def section_before(run):
    """Each variant before and after this series version, from RUN/before/ when present.

    RUN/before/ is a run folder of its own (bench/FORMAT.md): the hot-path
    cells and the code size of a kernel built from an earlier version of the
    series (bench/host/measure-before.sh), measured the same way on the same
    clock; its manifest names that version (series=...)."""
    path = os.path.join(run.path, "before")
    if not os.path.isdir(path) or not run.icount:
        return None
    before = load_run(path)
    if not before.icount:
        return None
    measured = [v for v in before.variants if v != REF and any(k[0] == v for k in before.cells)]
    return "\n\n".join(before_section(run, before, v) for v in measured) or None


def before_section(run, before, name):
    label = before.manifest.get("series", "an earlier series")
    rows = []
    for case in sorted({c for (v, g, c) in before.cells if g == "hotpath" and v == name},
                       key=case_key):
        base = run.cells.get((REF, "hotpath", case))
        old = before.cells.get((name, "hotpath", case))
        new = run.cells.get((name, "hotpath", case))
        if not (base and base.values and old and old.values and new and new.values):
            continue
        b, o, n = (percentile(c.values, 0.5) for c in (base, old, new))
        rows.append((case, f"{b:.2f}", f"{o:.2f} ({o - b:+.2f})", f"{n:.2f} ({n - b:+.2f})"))
    sizes = []
    bv, ov, nv = static_values(run), static_values(before), static_values(run)
    base_code = bv.get((REF, "code_bytes"))
    for series, vals in ((label, ov), ("this series", nv)):
        code = vals.get((name, "code_bytes"))
        if code is not None and base_code is not None:
            sizes.append(f"{series}: code {fmt_count(code)} bytes ({code - base_code:+,.0f} vs {REF}), "
                         f"{fmt_count(vals.get((name, 'hook_sites'), 0))} hook sites")
    body = md_table(("Case", f"{REF} (this run)", f"{name}, {label}", f"{name}, this series"), rows,
                    "lrrr") if rows else "No hot-path cell in common."
    return (f"## {name[0].upper() + name[1:]} before and after this version of the series\n\n"
            f"The {name} kernel of {label}, measured by the same module on the same clock "
            f"(RUN/before/), against this run's {REF} and {name}: instructions per pair, "
            f"with the difference to {REF}.\n\n" + body + "\n\n"
            + ("Code size (sum of text symbol sizes): " + "; ".join(sizes) + "." if sizes else ""))
