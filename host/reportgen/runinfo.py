"""Report sections: how the run was made, the method, correctness."""
from collections import Counter, defaultdict

from experiment import REFERENCE as REF
from schema import LATER_KEYS, MANIFEST_KEYS
from .exact import EXACT_TOL
from .fmt import md_table
from .runfolder import to_number
from .stats import case_key

def clock_text(run):
    """The run's clock in one phrase, from clock and clock_desc."""
    m = run.manifest
    clock, desc = m.get("clock", "").strip(), m.get("clock_desc", "").strip()
    if run.icount:
        return "`clock=icount`: " + (desc or "(no clock_desc in the manifest; by bench/FORMAT.md: QEMU "
                                      "-icount shift=0,sleep=off, 1 guest ns per guest instruction, "
                                      "idle time skipped)")
    if clock == "wall":
        return "`clock=wall`: " + (desc or "(no clock_desc in the manifest)")
    if clock:
        return f"wall (this run predates `clock=icount|wall`; its clock: {clock})"
    return "wall (the manifest does not state the clock)"


def section_manifest(run):
    m = run.manifest
    # runs made before parallel boots have no jobs key: they booted one guest at a time
    keys = [k for k in MANIFEST_KEYS if k in m or k not in LATER_KEYS] + \
        [k for k in m if k not in MANIFEST_KEYS]
    rows = [(f"`{k}`", m.get(k, "(missing from manifest)")) for k in keys]
    return ("## How the run was made\n\n"
            f"Run folder `{run.run_id}`. Clock for the whole run: {clock_text(run)}. "
            f"Accelerator: {m.get('accel', '(not stated)')}.\n\n" + md_table(("Key", "Value"), rows, "ll"))


def boot_orders(run):
    """'trial 1: <variant>, <variant>, ...' per trial, from cells.csv (boot order)."""
    if not run.boots:
        return "not known (cells.csv is missing or empty)"
    order = defaultdict(list)
    for r in sorted(run.boots, key=lambda r: to_number(r["n"], "cells.csv n")):
        if r["variant"] not in order[r["trial"]]:
            order[r["trial"]].append(r["variant"])
    trials = sorted(order, key=case_key)
    return "; ".join(f"trial {t}: {', '.join(order[t])}" for t in trials)


def repetition_table(run):
    rows = []
    for group in sorted({g for (_, g, _) in run.cells}):
        per_trial = Counter((r["variant"], r["case"], r["trial"]) for r in run.samples
                            if r["group"] == group and r["status"] == "ok")
        trials = {r["trial"] for r in run.samples if r["group"] == group}
        reps = f"{min(per_trial.values())}–{max(per_trial.values())}" if per_trial else "0"
        bad = sum(1 for r in run.samples if r["group"] == group and r["status"] != "ok")
        rows.append((group, len(trials), reps, sum(per_trial.values()), bad))
    return md_table(("Group", "Trials", "ok samples per trial and cell (min–max)",
                     "ok samples", "non-ok rows"), rows)


def section_method(run):
    m = run.manifest
    accel = m.get("accel")
    if run.icount:
        engine = (f"The guests ran under QEMU{' TCG' if accel == 'tcg' else ''} with "
                  "`-icount shift=0,sleep=off` (`clock=icount`): guest time advances exactly 1 ns per "
                  "guest instruction executed and skips idle time, so every guest nanosecond is an "
                  "instruction. Hot-path `ns/pair` values are instructions per get/put pair; unbind `ms` "
                  "are virtual milliseconds (millions of instructions, plus the idle time QEMU skipped); "
                  "workload ops/s and GUP pages/s, rates per virtual second, are shown as instructions "
                  "per operation and per page (1e9 / rate, sample by sample, before any median); "
                  "perf's task-clock msec is virtual. Instruction counts are not cycles: they do not show cache misses, the "
                  "latency of atomic operations or branch mispredictions on real hardware, and nothing "
                  "about the host's speed or load is in them.")
    else:
        if accel == "tcg":
            engine = ("The guests ran under QEMU TCG (`accel=tcg`): the CPU is emulated, so there "
                      "are no hardware performance counters, and every time is read from the "
                      "guest's CLOCK_MONOTONIC (in userspace or in the kernel) under emulation.")
        elif accel:
            engine = f"The guests ran with `accel={accel}`; times are the guest's CLOCK_MONOTONIC."
        else:
            engine = ("The manifest does not state the accelerator (`accel`); times are the guest's "
                      "CLOCK_MONOTONIC, under emulation if the guests ran under QEMU TCG.")
        engine += (" This is the noisy wall clock: host load and emulation overhead are in every "
                   "number. Times compare the variants of this run, on this host, with each other; "
                   "they are not costs on real hardware and are not comparable across runs.")
    quick = " This was a quick run (`quick=1`): fewer repetitions." if m.get("quick") == "1" else ""
    exact = (f"\n\nUnder icount a hot-path cell is exact: a cell whose samples differ by more than "
             f"{EXACT_TOL} (max − min) is flagged ⚠ with its range, never averaged silently."
             if run.icount else "")
    return f"""## Method and limits

{engine} Clock, as the run states it: {clock_text(run)}.

Variants are interleaved: each trial boots every variant once, in rotated order,
so slow drift of the host falls on all variants alike. Boot order: {boot_orders(run)}.
Trials: {m.get('trials', '(not stated)')}.{quick} Samples per group:

{repetition_table(run)}

Statistics pool every `status=ok` sample of a cell (variant, group, case) over all
trials and repetitions. Median, p25 and p75 are percentiles with linear
interpolation between closest ranks (numpy's default): for sorted samples
x[0..n-1], P(q) = x[i] + (h − i)·(x[i+1] − x[i]) with h = (n − 1)·q, i = ⌊h⌋.
The spread is shown as p25–p75 (the middle half of the samples) and min–max.
Change vs {REF} = (median_variant − median_{REF}) / median_{REF} × 100,
with sign and one decimal. Cells without a sample show their status instead of a
number (e.g. `crash ×3`); an `n` of `5 (+crash ×1)` means some rows of the cell failed.{exact}"""


def outcome_text(row):
    if row is None:
        return "not run"
    exp, got = row["expected"], row["outcome"]
    if got == exp:
        return got if got in ("pass", "skip") else f"{got} (expected)"
    return f"FAIL: expected {exp}, got {got}"


def functional_index(run):
    """({(variant, test): row}, tests in first-seen order)."""
    index, tests = {}, []
    for r in run.functional or []:
        index[(r["variant"], r["test"])] = r
        if r["test"] not in tests:
            tests.append(r["test"])
    return index, tests


def section_correctness(run, brief=False):
    if run.functional is None:
        return "## Correctness\n\nfunctional.csv is missing from this run: no correctness result."
    index, tests = functional_index(run)
    rows = [[t] + [outcome_text(index.get((v, t))) for v in run.variants] for t in tests]
    # in brief, only outcomes other than the promised one; the rest, the
    # kernel's report of each expected crash included, are in the details
    notes = [f"- {r['variant']} / {r['test']}: {outcome_text(r)} ({r['detail'] or 'no detail'})"
             for r in run.functional if r["outcome"] != "pass"
             and not (brief and r["outcome"] == r["expected"])]
    fails = sum(1 for r in run.functional if r["outcome"] != r["expected"])
    # in brief, the tests every variant passed are one line; the rest a table
    passed = [t for t in tests if all((index.get((v, t)) or {}).get("outcome") == "pass"
                                      for v in run.variants)]
    shown = [r for r in rows if r[0] not in passed] if brief else rows
    folded = (f"Passed on every variant ({len(passed)} of {len(tests)} tests): "
              + ", ".join(f"`{t}`" for t in passed) + ". The others:\n\n") if brief and passed else ""
    return ("## Correctness\n\n"
            "Functional tests (tests/run-functional.sh) on the same kernels. A cell is the "
            "outcome; `(expected)` marks an outcome the variant's policy promises; `FAIL` marks "
            "an outcome other than the promised one.\n\n" + folded
            + (md_table(["Test"] + run.variants, shown, "l" * (len(run.variants) + 1)) if shown
               else "Every test passed on every variant.")
            + f"\n\nOutcomes that differ from the promise: {fails}."
            + (f"\n\n{'Outcomes other than the promised one' if brief else 'Outcomes other than pass'}:"
               "\n\n" + "\n".join(notes) if notes else "")
            + ("\n\nEach outcome other than pass, with the kernel's own report of an expected "
               "crash: [plots/details.md](plots/details.md) (Correctness)."
               if brief and any(r["outcome"] != "pass" for r in run.functional) else ""))


