#!/usr/bin/env python3
"""Turn one benchmark run folder into REPORT.md, plot data, plots and the
cover letter's headline numbers.

Purpose: answer the 2015 linux-mm question (coarse: a pgmap reference per VMA,
versus fine: a pgmap reference per page reference) from the numbers of one run
of `make bench`, printing nothing that is not in the data.

Usage:
  report.py RUN_DIR [--out REPORT.md] [--plots-dir plots]
            [--cover kernel-patches/0000-cover-letter.patch] [--no-gnuplot]
  report.py --latest-run build/runs     (print the newest run folder by name)

Inputs (format: bench/FORMAT.md): RUN_DIR/manifest.txt and samples.csv are
required; static.csv, functional.csv, cells.csv, bloat-<variant>.txt,
site-excerpt.txt and mca.txt are optional (their sections say when one is
absent); plots/*.gp beside this script's parent directory are the gnuplot
scripts.

The manifest's `clock` decides how the numbers are read: `icount` (QEMU
-icount shift=0,sleep=off: one guest ns per guest instruction) makes the hot
path an exact instruction count, and the conclusion rests on those counts;
anything else (`wall`, or an old run's free-text clock) is the noisy wall
clock, summarised by medians and p25-p75.

Outputs: the report (--out); RUN_DIR/plotdata/*.dat; <name>.png and
<name>.svg in --plots-dir (unless --no-gnuplot); the text between the cover
letter's `--- numbers: begin ---` / `--- numbers: end ---` lines (--cover).

Exit status: 0 on success; 1 with a one-line error on bad input (missing run
folder, missing manifest.txt or samples.csv, malformed CSV, cover letter
without markers); 1 after writing the report if gnuplot is missing or fails,
0 in that case only with --no-gnuplot (which does not run gnuplot at all).
"""

import argparse
import csv
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

KNOWN_VARIANTS = ("baseline", "coarse", "fine")
HEADERS = {
    "samples.csv": ["variant", "group", "case", "trial", "rep", "value", "unit", "status"],
    "static.csv": ["variant", "metric", "value"],
    "functional.csv": ["variant", "test", "expected", "outcome", "detail"],
    "cells.csv": ["n", "trial", "variant", "align", "status", "seconds"],
}
MANIFEST_KEYS = ("date", "git_commit", "source_version", "qemu_version", "accel",
                 "host_cpu", "host_cores", "clock", "clock_desc", "trials", "reps", "quick",
                 "variants", "cells_total", "cells_failed", "elapsed_s")
# Display order of the tokens that make up case names (split on ':' and '=');
# unknown tokens sort after these, numbers numerically.
CASE_TOKENS = ("get_put_page", "folio_get_put", "pin_unpin", "gup_fast", "pin_fast",
               "ordinary", "ordinary-nodev", "devdax", "devdax-4K", "devdax-2M",
               "pipe_splice", "tee", "vmsplice", "tcp_loopback", "fork_populated",
               "process_vm_readv", "odirect", "idle", "maps", "inflight", "gup_race",
               "revoke", "wait", "teardown", "pin", "unpin")
# Failed-cell listing order: what broke the guest first, deliberate gaps last.
SEVERITY = ("crash", "hang", "timeout", "warning", "failed", "no row", "skipped", "unsupported")
# Groups whose cases differ by variant (a call site one policy never uses):
# a missing case there is a zero count, only a variant without any row is missing.
ZERO_IF_ABSENT = {"pins"}
HOT_OP = "get_put_page"   # the op the 2015 thread argued about
HOT_CASES = ((f"{HOT_OP}:ordinary", "with a device-dax pgmap present"),
             (f"{HOT_OP}:ordinary-nodev", "with no device-dax pgmap"))
# Under icount: the three situations a get/put pair can be in, cheapest first.
EXACT_CASES = ((f"{HOT_OP}:ordinary-nodev", "with no device-dax pgmap (static key off)"),
               (f"{HOT_OP}:ordinary", "with a device-dax pgmap present (key on, ordinary page)"),
               (f"{HOT_OP}:devdax", "on a device-dax page"))
# A/A check: coarse leaves the get/put code of these ops as baseline's, so
# coarse - baseline must count 0 instructions on them.
AA_CASES = ("get_put_page:ordinary", "folio_get_put:ordinary")
# Under icount a hot-path cell is exact: samples differing by more than this
# (the values carry 2 decimals) are flagged, never averaged silently.
EXACT_TOL = 0.005
# Static metrics (static.csv) this report reads; others are listed as unused.
STATIC_METRICS = ("code_bytes", "hook_sites", "build_seconds")
# Cost groups whose samples still vary under icount, and why.
VARY_WHY = "I/O completion, timers, RCU callbacks and scheduling differ from boot to boot"
# Optional files quoted verbatim in the static-cost section.
EXTRA_FILES = ("site-excerpt.txt", "mca.txt")
BEGIN, END = "--- numbers: begin ---", "--- numbers: end ---"
DASH = "—"
GP_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "plots")


class ReportError(Exception):
    """Bad input: reported as one line, exit 1."""


# ---------------------------------------------------------------- formatting

def fmt_ns(v):
    return f"{v:.2f}"


def fmt_sig3(v):
    """Three significant digits, thousands separated (ops/s, pages/s, counts of events)."""
    if v == 0 or not math.isfinite(v):
        return f"{v:g}"
    decimals = 2 - math.floor(math.log10(abs(v)))
    if decimals > 0:
        return f"{round(v, decimals):.{decimals}f}"
    return f"{round(v, decimals):,.0f}"


def fmt_ms(v):
    decimals = 3 if abs(v) < 10 else 2 if abs(v) < 100 else 1
    return f"{v:.{decimals}f}"


def fmt_count(v):
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def fmt_signed(fmt, v):
    return ("-" if v < 0 else "+") + fmt(abs(v))


def fmt_pct(v, decimals=1):
    return f"{v:+.{decimals}f}%"


# Per group: the unit shown in headings and the number format.
GROUP_FMT = {
    "hotpath": ("ns/pair", fmt_ns),
    "workload": ("ops/s", fmt_sig3),
    "gup": ("pages/s", fmt_sig3),
    "unbind": ("ms", fmt_ms),
    "unbind_phase": ("ms", fmt_ms),
    "pins": ("count", fmt_count),
}
# Under clock=icount guest time is instructions (plus skipped idle time):
# the same numbers, named for what they are.
ICOUNT_UNITS = {
    "hotpath": "instructions per pair",
    "workload": "ops per virtual s",
    "gup": "pages per virtual s",
    "unbind": "virtual ms",
    "unbind_phase": "virtual ms",
}


def group_fmt(run, group):
    """(unit, number format) of group in this run's clock."""
    unit, fmt = GROUP_FMT[group]
    return (ICOUNT_UNITS.get(group, unit) if run.icount else unit), fmt


def diff(a, b):
    """a - b rounded to 6 decimals, never -0.0 (values carry at most 2)."""
    return round(a - b, 6) + 0.0


def varies(st):
    """True if a cell's samples differ by more than EXACT_TOL."""
    return st["max"] - st["min"] > EXACT_TOL


def perf_fmt(unit):
    return fmt_ms if unit == "msec" else fmt_sig3


def md_table(headers, rows, align=None):
    """The one Markdown table renderer. align: string of 'l'/'r' per column."""
    align = align or "l" + "r" * (len(headers) - 1)
    esc = [[str(c).replace("|", "\\|") for c in r] for r in [headers] + list(rows)]
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [esc[0], rule] + esc[1:]
    return "\n".join("| " + " | ".join(r) + " |" for r in lines)


# ---------------------------------------------------------------- statistics

def percentile(values, q):
    """Quantile q (0..1) with linear interpolation between closest ranks
    (numpy's default 'linear' method): h = (n-1)q, x[floor h] + frac(h) * step."""
    xs = sorted(values)
    h = (len(xs) - 1) * q
    i = math.floor(h)
    if i + 1 >= len(xs):
        return xs[-1]
    return xs[i] + (h - i) * (xs[i + 1] - xs[i])


def pct_change(new, base):
    return (new - base) / base * 100 if base else None


@dataclass
class Cell:
    """All rows of one (variant, group, case): ok values and non-ok statuses."""
    values: list = field(default_factory=list)
    bad: Counter = field(default_factory=Counter)
    bad_trials: dict = field(default_factory=lambda: defaultdict(set))
    units: set = field(default_factory=set)

    @cached_property
    def stats(self):
        if not self.values:
            return None
        return {"n": len(self.values), "median": percentile(self.values, 0.5),
                "p25": percentile(self.values, 0.25), "p75": percentile(self.values, 0.75),
                "min": min(self.values), "max": max(self.values)}

    def problem(self):
        """What stands in place of numbers: e.g. 'crash ×3', or 'no row'."""
        if not self.bad:
            return "no row"
        return ", ".join(f"{s} ×{n}" for s, n in sorted(self.bad.items(), key=status_key))

    def n_text(self):
        n = str(self.stats["n"] if self.stats else 0)
        return f"{n} (+{self.problem()})" if self.stats and self.bad else n


def status_key(item):
    base = item[0].split(":", 1)[0]
    return (SEVERITY.index(base) if base in SEVERITY else len(SEVERITY), item[0])


def case_key(case):
    key = []
    for tok in re.split(r"[:=]", case):
        if tok in CASE_TOKENS:
            key.append((0, CASE_TOKENS.index(tok), ""))
        elif re.fullmatch(r"[0-9.]+", tok):
            key.append((1, float(tok), ""))
        else:
            key.append((2, 0, tok))
    return key


# ---------------------------------------------------------------- loading

def read_manifest(path):
    out = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            key, sep, value = line.rstrip("\n").partition("=")
            if not sep:
                raise ReportError(f"{path}:{n}: not a key=value line")
            out[key.strip()] = value.strip()
    return out


def read_csv(path):
    """Rows of a CSV as dicts; the header must be exactly the documented one."""
    header = HEADERS[os.path.basename(path)]
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or [h.strip() for h in rows[0]] != header:
        raise ReportError(f"{path}: malformed CSV header, expected '{','.join(header)}'")
    out = []
    for n, row in enumerate(rows[1:], 2):
        if not row:
            continue
        if len(row) != len(header):
            raise ReportError(f"{path}:{n}: {len(row)} fields, expected {len(header)}")
        out.append(dict(zip(header, (c.strip() for c in row))))
    return out


def to_number(text, where):
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ReportError(f"{where}: '{text}' is not a finite number")
    return value


def parse_bloat(text):
    """bloat-o-meter output -> (summary lines, [(name, old, new, delta)])."""
    summary, rows = [], []
    for line in text.splitlines():
        f = line.split()
        if line.startswith(("add/remove:", "Total:")):
            summary.append(line.strip())
        elif len(f) == 4 and re.fullmatch(r"[+-]?\d+", f[3]) and f[1] != "old":
            rows.append((f[0], f[1], f[2], int(f[3])))
    return summary, rows


@dataclass
class Run:
    path: str
    manifest: dict
    samples: list
    static: list      # None where the file is absent, likewise below
    functional: list
    cells_csv: list
    bloat: dict       # variant -> (summary, rows) for the bloat files present
    extras: dict = field(default_factory=dict)   # site-excerpt.txt, mca.txt -> text

    @cached_property
    def cells(self):
        cells = defaultdict(Cell)
        for r in self.samples:
            cell = cells[(r["variant"], r["group"], r["case"])]
            cell.units.add(r["unit"])
            if r["status"] == "ok":
                cell.values.append(r["value"])
            else:
                cell.bad[r["status"]] += 1
                cell.bad_trials[r["status"]].add(r["trial"])
        return dict(cells)

    @cached_property
    def variants(self):
        seen = set(self.manifest.get("variants", "").split()) | {r["variant"] for r in self.samples}
        return [v for v in KNOWN_VARIANTS if v in seen] + sorted(seen - set(KNOWN_VARIANTS))

    @property
    def icount(self):
        """True if the guests ran on QEMU's instruction counter (clock=icount);
        anything else, including an old run's free-text clock, is wall time."""
        return self.manifest.get("clock", "").strip() == "icount"

    @property
    def clock_name(self):
        return "icount" if self.icount else "wall"

    @property
    def run_id(self):
        return os.path.basename(os.path.normpath(self.path))

    def cell(self, variant, group, case):
        return self.cells.get((variant, group, case), Cell())

    def cases(self, group):
        return sorted({c for (_, g, c) in self.cells if g == group}, key=case_key)

    def stats(self, variant, group, case):
        return self.cell(variant, group, case).stats


def load_samples(path):
    rows = read_csv(path)
    for n, r in enumerate(rows, 2):
        where = f"{path}:{n}"
        if r["status"] == "ok":
            r["value"] = to_number(r["value"], where)
        elif not r["status"]:
            raise ReportError(f"{where}: empty status")
    return rows


def load_run(run_dir):
    if not os.path.isdir(run_dir):
        raise ReportError(f"run folder not found: {run_dir}")
    for name in ("manifest.txt", "samples.csv"):
        if not os.path.isfile(os.path.join(run_dir, name)):
            raise ReportError(f"{os.path.join(run_dir, name)} is missing")

    def optional(name):
        path = os.path.join(run_dir, name)
        return read_csv(path) if os.path.isfile(path) else None

    bloat = {}
    for name in sorted(os.listdir(run_dir)):
        m = re.fullmatch(r"bloat-(.+)\.txt", name)
        if m:
            with open(os.path.join(run_dir, name)) as f:
                bloat[m.group(1)] = parse_bloat(f.read())
    extras = {}
    for name in EXTRA_FILES:
        path = os.path.join(run_dir, name)
        if os.path.isfile(path):
            with open(path, errors="replace") as f:
                extras[name] = f.read()
    return Run(run_dir, read_manifest(os.path.join(run_dir, "manifest.txt")),
               load_samples(os.path.join(run_dir, "samples.csv")),
               optional("static.csv"), optional("functional.csv"), optional("cells.csv"), bloat,
               extras)


def latest_run(runs_dir):
    names = sorted(n for n in os.listdir(runs_dir)
                   if os.path.isdir(os.path.join(runs_dir, n))) if os.path.isdir(runs_dir) else []
    if not names:
        raise ReportError(f"no run folder in {runs_dir}")
    return os.path.join(runs_dir, names[-1])


# ---------------------------------------------------------------- comparisons

def change_text(run, variant, group, case):
    """Change of the median vs baseline, '+1.2%', for table cells."""
    if variant == "baseline":
        return DASH
    base, st = run.stats("baseline", group, case), run.stats(variant, group, case)
    if not st:
        return DASH
    if not base:
        return "n/a (no baseline)"
    pct = pct_change(st["median"], base["median"])
    return fmt_pct(pct) if pct is not None else "n/a (baseline 0)"


def compare(run, variant, group, case, note=""):
    """'+2.00 ns/pair (+18.2%)' for variant vs baseline, or why it is missing;
    note is appended inside the parentheses."""
    unit, fmt = group_fmt(run, group)
    st, base = run.stats(variant, group, case), run.stats("baseline", group, case)
    for name, s in ((variant, st), ("baseline", base)):
        if not s:
            return f"missing ({name} {case}: {run.cell(name, group, case).problem()})"
    delta = st["median"] - base["median"]
    return f"{fmt_signed(fmt, delta)} {unit} ({change_text(run, variant, group, case)}{note})"


def within_spread(run, variant, group, case):
    """True if variant's median lies inside baseline's p25-p75; None if unknown."""
    st, base = run.stats(variant, group, case), run.stats("baseline", group, case)
    if not st or not base:
        return None
    return base["p25"] <= st["median"] <= base["p75"]


def median_text(run, variant, group, case):
    """'1.234 ms' or why it is missing: the value of one variant, for prose."""
    st = run.stats(variant, group, case)
    if not st:
        return f"missing ({run.cell(variant, group, case).problem()})"
    unit, fmt = group_fmt(run, group)
    return f"{fmt(st['median'])} {unit}"


def median_n_cell(run, variant, group, case, fmt):
    """Table cell 'median (n=k)' or the problem text."""
    cell = run.cell(variant, group, case)
    return f"{fmt(cell.stats['median'])} (n={cell.n_text()})" if cell.stats else cell.problem()


# ---------------------------------------------------------------- sections

def stat_row(run, variant, group, case):
    fmt = group_fmt(run, group)[1]
    cell = run.cell(variant, group, case)
    st = cell.stats
    if not st:
        return [variant, cell.problem(), DASH, DASH, cell.n_text(), DASH]
    return [variant, fmt(st["median"]), f"{fmt(st['p25'])}–{fmt(st['p75'])}",
            f"{fmt(st['min'])}–{fmt(st['max'])}", cell.n_text(),
            change_text(run, variant, group, case)]


def stats_tables(run, group, per_case, title="Case"):
    """Median/spread/n/change tables: one per case, or one with a case column."""
    unit = group_fmt(run, group)[0]
    head = ["Variant", f"Median ({unit})", "p25–p75", "min–max", "n", "vs baseline"]
    cases = run.cases(group)
    if not cases:
        return f"No `{group}` rows in this run."
    if per_case:
        return "\n\n".join(f"#### {case}\n\n" + md_table(
            head, [stat_row(run, v, group, case) for v in run.variants], "lrrrrr")
            for case in cases)
    rows = [[case] + stat_row(run, v, group, case) for case in cases for v in run.variants]
    return md_table([title] + head, rows, "llrrrrr")


def section_manifest(run):
    m = run.manifest
    keys = list(MANIFEST_KEYS) + [k for k in m if k not in MANIFEST_KEYS]
    rows = [(f"`{k}`", m.get(k, "(missing from manifest)")) for k in keys]
    return ("## How it was run\n\n"
            f"Run folder `{run.run_id}`; the guest's clock: {m.get('clock', '(not stated)')}; "
            f"accelerator: {m.get('accel', '(not stated)')}.\n\n" + md_table(("Key", "Value"), rows, "ll"))


def boot_orders(run):
    """'trial 1: baseline, coarse, fine' per trial, from cells.csv (boot order)."""
    if not run.cells_csv:
        return "not known (cells.csv is missing or empty)"
    order = defaultdict(list)
    for r in sorted(run.cells_csv, key=lambda r: to_number(r["n"], "cells.csv n")):
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
    if accel == "tcg":
        engine = ("The guests ran under QEMU TCG (`accel=tcg`): the CPU is emulated, so there "
                  "are no hardware performance counters, and every time is read from the "
                  "guest's CLOCK_MONOTONIC (in userspace or in the kernel) under emulation.")
    elif accel:
        engine = f"The guests ran with `accel={accel}`; times are the guest's CLOCK_MONOTONIC."
    else:
        engine = ("The manifest does not state the accelerator (`accel`); times are the guest's "
                  "CLOCK_MONOTONIC, under emulation if the guests ran under QEMU TCG.")
    engine += (" Times compare the variants of this run, on this host, with each other; they are "
               "not costs on real hardware and are not comparable across runs.")
    quick = " This was a quick run (`quick=1`): fewer repetitions." if m.get("quick") == "1" else ""
    return f"""## Method and limits

{engine} Clock, as the run states it: {m.get('clock', '(not stated)')}.

Variants are interleaved: each trial boots every variant once, in rotated order,
so slow drift of the host falls on all variants alike. Boot order: {boot_orders(run)}.
Trials: {m.get('trials', '(not stated)')}.{quick} Samples per group:

{repetition_table(run)}

Statistics pool every `status=ok` sample of a cell (variant, group, case) over all
trials and repetitions. Median, p25 and p75 are percentiles with linear
interpolation between closest ranks (numpy's default): for sorted samples
x[0..n-1], P(q) = x[i] + (h − i)·(x[i+1] − x[i]) with h = (n − 1)·q, i = ⌊h⌋.
The spread is shown as p25–p75 (the middle half of the samples) and min–max.
Change vs baseline = (median_variant − median_baseline) / median_baseline × 100,
with sign and one decimal. Cells without a sample show their status instead of a
number (e.g. `crash ×3`); an `n` of `5 (+crash ×1)` means some rows of the cell failed."""


def correctness_cell(row):
    if row is None:
        return "not run"
    exp, got = row["expected"], row["outcome"]
    if got == exp:
        return got if got == "pass" else f"{got} (expected)"
    return f"FAIL: expected {exp}, got {got}"


def functional_index(run):
    """({(variant, test): row}, tests in first-seen order)."""
    index, tests = {}, []
    for r in run.functional or []:
        index[(r["variant"], r["test"])] = r
        if r["test"] not in tests:
            tests.append(r["test"])
    return index, tests


def section_correctness(run):
    if run.functional is None:
        return "## Correctness\n\nfunctional.csv is missing from this run: no correctness result."
    index, tests = functional_index(run)
    rows = [[t] + [correctness_cell(index.get((v, t))) for v in run.variants] for t in tests]
    notes = [f"- {r['variant']} / {r['test']}: {correctness_cell(r)} ({r['detail'] or 'no detail'})"
             for r in run.functional if r["outcome"] != "pass"]
    fails = sum(1 for r in run.functional if r["outcome"] != r["expected"])
    return ("## Correctness\n\n"
            "Functional tests (tests/run-functional.sh) on the same kernels. A cell is the "
            "outcome; `(expected)` marks an outcome the variant's policy promises; `FAIL` marks "
            "an outcome other than the promised one.\n\n"
            + md_table(["Test"] + run.variants, rows, "l" * (len(run.variants) + 1))
            + f"\n\nOutcomes that differ from the promise: {fails}."
            + ("\n\nOutcomes other than pass:\n\n" + "\n".join(notes) if notes else ""))


def section_hotpath(run, plots):
    return ("## Hot path\n\n"
            "In-kernel microbenchmark: ns per get/put pair. `ordinary`: an anonymous page "
            "while a device-dax pgmap exists; `ordinary-nodev`: an anonymous page with no "
            "device-dax pgmap (the static key is off); `devdax`: a page of /dev/dax0.0.\n\n"
            + stats_tables(run, "hotpath", per_case=True) + "\n\n"
            + plots.embed("hotpath", "hot path: median ns per pair, p25–p75 error bars"))


def static_values(run):
    """{(variant, metric): number} from static.csv; an empty value counts as missing."""
    return {(r["variant"], r["metric"]): to_number(r["value"], f"static.csv {r['variant']} {r['metric']}")
            for r in run.static or [] if r["value"]}


def text_delta(run, variant):
    """'+4,096 bytes (+0.041%)' of vmlinux text vs baseline, or why it is missing."""
    vals = static_values(run)
    new, base = vals.get((variant, "text_bytes")), vals.get(("baseline", "text_bytes"))
    if new is None or base is None:
        return f"missing (no text_bytes for {variant if new is None else 'baseline'})"
    # One decimal would print +0.0% for kilobytes out of megabytes.
    return f"{fmt_signed(fmt_count, new - base)} bytes ({fmt_pct(pct_change(new, base), 3)})"


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


def section_static(run, plots):
    if run.static is None:
        body = "static.csv is missing from this run."
    else:
        vals = static_values(run)
        get = lambda v, m, fmt: fmt(vals[(v, m)]) if (v, m) in vals else "missing"
        rows = [(v, get(v, "text_bytes", fmt_count),
                 DASH if v == "baseline" else text_delta(run, v),
                 get(v, "hot_sites", fmt_count), get(v, "build_seconds", fmt_count))
                for v in run.variants]
        body = md_table(("Variant", "vmlinux text (bytes)", "vs baseline", "hot_sites", "build (s)"), rows)
    growers = "\n\n".join(bloat_section(run, v) for v in run.variants if v != "baseline")
    return ("## Static cost\n\n"
            "`hot_sites`: page_ref call sites the policy's hook is inlined into (calls to "
            "`__devmap_pin_page`, get side, or `__devmap_pin_pgmap`, put side, in vmlinux)."
            "\n\n" + body + "\n\n"
            + plots.embed("text_size", "vmlinux text bytes per variant") + "\n\n" + growers)


def perf_table(run):
    cases = run.cases("perf")
    if not cases:
        return "No `perf` rows in this run."
    rows = []
    for case in cases:
        workload, _, event = case.partition(":")
        units = set().union(*(run.cell(v, "perf", case).units for v in run.variants)) - {""}
        unit = ",".join(sorted(units)) or "count"
        rows.append([workload, event, unit] + [median_n_cell(run, v, "perf", case, perf_fmt(unit))
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


def section_workloads(run):
    return ("## Workloads\n\n"
            "Userspace workloads on ordinary memory (bench/workloads.c), ops/s (higher is better).\n\n"
            + stats_tables(run, "workload", per_case=False, title="Workload")
            + "\n\n### What perf reported\n\nMedian over boots and repetitions, `(n=…)` samples.\n\n"
            + perf_table(run))


def section_gup(run, plots):
    return ("## GUP throughput\n\n"
            "CONFIG_GUP_TEST through bench/gup_bench.c, pages/s (higher is better).\n\n"
            + stats_tables(run, "gup", per_case=False)
            + "\n\n" + plots.embed("gup", "GUP throughput, median with p25–p75"))


def grid_table(run, group, first_cols, split):
    """Rows = cases of group (split into first_cols), columns = variants' median (n)."""
    cases = run.cases(group)
    if not cases:
        return f"No `{group}` rows in this run."
    fmt = group_fmt(run, group)[1]

    def value(v, c):
        absent = group in ZERO_IF_ABSENT and (v, group, c) not in run.cells
        return "0" if absent else median_n_cell(run, v, group, c, fmt)
    rows = [list(split(c)) + [value(v, c) for v in run.variants] for c in cases]
    return md_table(first_cols + run.variants, rows, "l" * len(first_cols) + "r" * len(run.variants))


def section_unbind(run, plots):
    return ("## Unbind latency\n\n"
            "Time for `echo dax0.0 > .../unbind` to return (bench/unbind_latency.c), ms. "
            "`idle`: nothing mapped; `maps=N`: N idle mappings, whose holder unmaps 200 ms after "
            "the unbind starts or at once on SIGBUS, so a policy that waits for mappings shows "
            "those 200 ms; `inflight=D`: a page pinned for D ms while mapped, the holder unmapping "
            "after it drops the pin or on SIGBUS; `gup_race`: the holder loops GUP on its own "
            "mapping during the unbind. An unbind still blocked after 30 s (plus D) has its holder "
            "killed and its cell reported `failed` (bench/FORMAT.md).\n\n"
            + stats_tables(run, "unbind", per_case=True) + "\n\n"
            + plots.embed("unbind_inflight", "unbind latency vs in-flight duration") + "\n\n"
            + plots.embed("unbind_dist", "unbind latency samples per scenario") + "\n\n"
            "### Phases (bpf/unbind_phases.bt), median ms\n\n"
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
    boots = [r for r in run.cells_csv or [] if r["status"] != "ok"]
    parts = ["## Failed or missing cells"]
    if rows:
        parts.append("Every sample row whose status is not `ok`, grouped, worst first; `no row`: "
                     "the variant has no row at all for a case other variants have.\n\n"
                     + md_table(("Variant", "Group", "Case", "Status", "Rows", "Trials"),
                                [(v, g, c, s, n, t) for s, v, g, c, n, t in rows], "llllrl"))
    if boots:
        parts.append("Boots (cells.csv) that did not end `ok`:\n\n" + md_table(
            HEADERS["cells.csv"], [[r[h] for h in HEADERS["cells.csv"]] for r in boots]))
    if not run.samples:
        parts.append("samples.csv has no rows: every cell is missing.")
    elif not rows and not boots:
        parts.append("None: every cell produced `ok` samples and every boot ended `ok`.")
    if run.cells_csv is None:
        parts.append("cells.csv is missing, so failed boots cannot be listed.")
    return "\n\n".join(parts)


# ---------------------------------------------------------------- conclusion

def largest_case(run, prefix):
    """The unbind case 'prefix=N' with the largest N, or None."""
    cases = [c for c in run.cases("unbind") if c.startswith(prefix + "=")]
    return cases[-1] if cases else None


def correctness_summary(run):
    """{variant: (oops tests, FAIL texts, number of tests)} from functional.csv."""
    out = {v: ([], [], 0) for v in run.variants}
    for r in run.functional or []:
        oops, fails, n = out.setdefault(r["variant"], ([], [], 0))
        if r["outcome"] == "oops":
            oops.append(r["test"])
        if r["outcome"] != r["expected"]:
            fails.append(f"{r['test']} expected {r['expected']} got {r['outcome']}")
        out[r["variant"]] = (oops, fails, n + 1)
    return out


def safe_variants(run):
    """Variants that ran every functional test as promised and never oopsed."""
    return [v for v, (oops, fails, n) in correctness_summary(run).items() if n and not oops and not fails]


def variant_correctness(oops, fails, n):
    if not n:
        return "not tested"
    text = f"oops in {len(oops)} of {n} tests ({', '.join(oops)})" if oops else f"no oops in {n} tests"
    return text + (f", {len(fails)} FAIL ({'; '.join(fails)})" if fails else ", all as promised")


def correctness_parts(run):
    if run.functional is None:
        return ["missing (no functional.csv)"]
    return [f"{v}: {variant_correctness(*c)}" for v, c in correctness_summary(run).items()]


def correctness_line(run):
    return "; ".join(correctness_parts(run))


def unbind_lines(run):
    """[(label, case)] for the scenarios the conclusion and cover letter quote."""
    picks = [("nothing mapped", "idle" if "idle" in run.cases("unbind") else None),
             ("idle mappings", largest_case(run, "maps")),
             ("a page reference in flight", largest_case(run, "inflight"))]
    return [(label, case) for label, case in picks if case]


def unbind_values(run, case):
    return ", ".join(f"{v} {median_text(run, v, 'unbind', case)}" for v in run.variants)


def waited_sentence(run, case):
    """Which variants' unbind waited out the in-flight reference (median >= D)."""
    d_text = case.split("=", 1)[1]
    d = float(d_text)
    have = [v for v in run.variants if run.stats(v, "unbind", case)]
    waited = [v for v in have if run.stats(v, "unbind", case)["median"] >= d]
    parts = [f"unbind waited at least D = {d_text} ms (the reference's lifetime): "
             f"{', '.join(waited) or 'none'}",
             f"returned before D: {', '.join(v for v in have if v not in waited) or 'none'}"]
    unknown = [v for v in run.variants if v not in have]
    if unknown:
        parts.append(f"no number: {', '.join(unknown)}")
    return "; ".join(parts)


def hot_cost_table(run):
    cases = run.cases("hotpath")
    others = [v for v in run.variants if v != "baseline"]
    rows = [[c] + [compare(run, v, "hotpath", c) for v in others] for c in cases]
    return md_table(["Case"] + [f"{v} vs baseline" for v in others], rows) if cases else "No hot-path rows."


def noise_note(run, variant, case):
    inside = within_spread(run, variant, "hotpath", case)
    if inside is None:
        return ""
    return f", {'inside' if inside else 'outside'} baseline's p25–p75"


def hot_sentence(run, variant):
    """variant vs baseline on HOT_OP, with and without a device-dax pgmap."""
    return ", ".join(f"{compare(run, variant, 'hotpath', case, noise_note(run, variant, case))} {label}"
                     for case, label in HOT_CASES)


def answer(run):
    """The one-sentence answer, chosen by rules stated in its own words."""
    safe = safe_variants(run)
    case = f"{HOT_OP}:ordinary-nodev"
    cost, inside = compare(run, "fine", "hotpath", case), within_spread(run, "fine", "hotpath", case)
    if "fine" not in safe:
        fine = correctness_summary(run).get("fine", ([], [], 0))
        return ("No clear answer from this run: fine did not run every functional test as promised "
                f"without an oops ({variant_correctness(*fine)}).")
    promise = "ran every functional test as promised without an oops"
    lead = f"fine is the only variant that {promise}" if safe == ["fine"] else f"{', '.join(safe)} {promise}"
    if inside is None:
        return f"Incomplete: {lead}, but its hot-path cost without a device is {cost}."
    if inside:
        return (f"Per-reference pinning (fine): {lead}, and on a kernel without a device-dax pgmap its "
                f"{HOT_OP} cost ({cost}) lies inside baseline's own p25–p75, so the cost to everyone's "
                f"kernel is not measurable here; with a device present it is "
                f"{compare(run, 'fine', 'hotpath', HOT_OP + ':ordinary')}.")
    return (f"Per-reference pinning (fine) wins on correctness ({lead}), at a measurable price on every "
            f"kernel: {cost} per {HOT_OP} pair without a device-dax pgmap, outside baseline's p25–p75.")


def verdict(run):
    """The numbered points of the answer, assembled from computed facts only."""
    sites = static_values(run).get(("fine", "hot_sites"))
    sites_text = f", inlined at {fmt_count(sites)} call sites" if sites is not None else ""
    inflight, maps = largest_case(run, "inflight"), largest_case(run, "maps")
    parts = [
        f"Correctness: {correctness_line(run)}.",
        f"Who pays with fine: every kernel's get_page()/put_page(), whether or not it ever unbinds "
        f"a device: {HOT_OP} {hot_sentence(run, 'fine')}; text {text_delta(run, 'fine')}{sites_text}.",
        f"Who pays with coarse: the hot path changes by {hot_sentence(run, 'coarse')}, text by "
        f"{text_delta(run, 'coarse')}; the price falls on systems that unbind a mapped device"
        + (f": with {maps.split('=', 1)[1]} idle mappings unbind took {unbind_values(run, maps)}." if maps
           else ", but this run has no `maps=` scenario to show it."),
    ]
    if inflight:
        parts.append(f"References in flight (`{inflight}`): {unbind_values(run, inflight)}; "
                     f"{waited_sentence(run, inflight)}.")
    return parts + [answer(run)]


def section_conclusion(run):
    unbind = "\n".join(f"- {label} (`{case}`): {unbind_values(run, case)}"
                       for label, case in unbind_lines(run)) or "- no unbind scenario in this run"
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(verdict(run), 1))
    return f"""## Conclusion

The 2015 question was whether per-reference pinning (fine) costs too much on
every kernel's get_page()/put_page() path (Andrew Morton), or per-VMA pinning
(coarse) makes unbind wait too long (Dan Williams). Everything below is computed
from this run; a "missing" value names the cell that failed or was skipped.
"Inside baseline's p25–p75" means the variant's median falls within the middle
half of baseline's own samples.

Hot-path cost vs baseline (change of the median):

{hot_cost_table(run)}

Unbind latency, median:

{unbind}

Answer on these numbers:

{points}"""


def cover_lines(run):
    """The headline lines for the cover letter, wrapped to 72 columns."""
    m = run.manifest
    others = [v for v in run.variants if v != "baseline"]
    lines = [f"run {run.run_id}: accel={m.get('accel', '?')}, trials={m.get('trials', '?')}, "
             f"variants {' '.join(run.variants)}",
             f"{HOT_OP} vs baseline, change of the median per pair:"]
    lines += [f"  {v} {label}: {compare(run, v, 'hotpath', case)}"
              for v in others for case, label in HOT_CASES]
    lines.append("vmlinux text vs baseline: " + ", ".join(f"{v} {text_delta(run, v)}" for v in others))
    for label, case in unbind_lines(run):
        lines += [f"unbind latency, {label} ({case}), median:", f"  {unbind_values(run, case)}"]
    lines += ["correctness:"] + [f"  {p}" for p in correctness_parts(run)]
    return [w for line in lines
            for w in textwrap.wrap(line, 72, subsequent_indent="    ", break_on_hyphens=False)]


# ---------------------------------------------------------------- plots

def nan_or(v):
    return "NaN" if v is None else f"{float(v):.10g}"


def triple(run, variant, group, case):
    st = run.stats(variant, group, case)
    return [nan_or(st and st[k]) for k in ("median", "p25", "p75")]


def write_dat(path, header, rows, comment, first_value):
    """Write one .dat file; return its path, or None if it holds no value to
    plot (columns from first_value on are all NaN): gnuplot fails on those."""
    with open(path, "w") as f:
        f.write(f"# {comment}\n# {' '.join(header)}\n")
        f.writelines(" ".join(str(c) for c in r) + "\n" for r in rows)
    return path if any(c != "NaN" for r in rows for c in r[first_value:]) else None


def wide_header(run, first):
    return first + [f"{v}_{k}" for v in run.variants for k in ("median", "p25", "p75")]


def plot_tables(run):
    """{name: (comment, header, rows, first value column)} for every plot."""
    wide = lambda group: [[c] + sum((triple(run, v, group, c) for v in run.variants), [])
                          for c in run.cases(group)]
    vals = static_values(run)
    base = vals.get(("baseline", "text_bytes"))
    text_rows = [[v, nan_or(vals.get((v, "text_bytes"))),
                  nan_or(None if base is None or (v, "text_bytes") not in vals
                         else vals[(v, "text_bytes")] - base)] for v in run.variants]
    inflight = [c for c in run.cases("unbind") if c.startswith("inflight=")]
    ds = [float(c.split("=", 1)[1]) for c in inflight]
    # Log x axis: D = 0 is drawn at a quarter of the smallest positive D.
    zero_x = min([d for d in ds if d > 0], default=4.0) / 4
    inflight_rows = [[c.split("=", 1)[1], nan_or(d or zero_x)]
                     + sum((triple(run, v, "unbind", c) for v in run.variants), [])
                     for d, c in zip(ds, inflight)]
    return {
        "hotpath": ("hotpath median/p25/p75 ns per pair, per case and variant",
                    wide_header(run, ["case"]), wide("hotpath"), 1),
        "gup": ("gup median/p25/p75 pages/s, per case and variant",
                wide_header(run, ["case"]), wide("gup"), 1),
        "text_size": ("vmlinux text bytes per variant and delta vs baseline",
                      ["variant", "text_bytes", "delta_bytes"], text_rows, 1),
        "unbind_inflight": ("unbind latency ms vs in-flight duration D ms (x_pos: where D is drawn)",
                            wide_header(run, ["D_ms", "x_pos"]), inflight_rows, 2),
        "unbind_dist": ("every ok unbind latency sample; x = scenario + variant offset + jitter",
                        ["scenario_idx", "variant_idx", "x", "value_ms", "scenario", "variant"],
                        dist_rows(run), 3),
    }


def dist_rows(run):
    rows, nv = [], len(run.variants)
    for si, case in enumerate(run.cases("unbind"), 1):
        for vi, v in enumerate(run.variants, 1):
            for k, value in enumerate(run.cell(v, "unbind", case).values):
                # Deterministic jitter so identical samples stay visible.
                x = si + (vi - (nv + 1) / 2) * 0.8 / nv + ((k % 5) - 2) * 0.02
                rows.append([si, vi, f"{x:.3f}", nan_or(value), case, v])
    return rows


def write_plotdata(run):
    """Write RUN_DIR/plotdata/*.dat; return {name: path or None when empty}."""
    out = os.path.join(run.path, "plotdata")
    os.makedirs(out, exist_ok=True)
    return {name: write_dat(os.path.join(out, f"{name}.dat"), header, rows, comment, first)
            for name, (comment, header, rows, first) in plot_tables(run).items()}


@dataclass
class Plots:
    """Which plots exist, for embedding; `missing` says why the others do not."""
    rel_dir: str
    dats: dict
    rendered: set = field(default_factory=set)
    missing: str = ""

    def embed(self, name, title):
        if self.dats.get(name) is None:
            return f"*(No data for the {name} plot.)*"
        if name not in self.rendered:
            return f"*(Plot {name} is missing: {self.missing}; data: plotdata/{name}.dat.)*"
        return f"![{title}]({self.rel_dir}/{name}.svg)"


def gp_quote(s):
    return "'" + s.replace("'", "''") + "'"


def png_term():
    """pngcairo where this gnuplot has it, else libgd's png."""
    probe = subprocess.run(["gnuplot", "-e", "set terminal pngcairo"], capture_output=True)
    return "pngcairo" if probe.returncode == 0 else "png"


def render_plots(plots, plots_dir, variants):
    """Run gnuplot on each plots/<name>.gp for PNG and SVG; record failures."""
    if not shutil.which("gnuplot"):
        plots.missing = "gnuplot is not installed"
        return plots
    os.makedirs(plots_dir, exist_ok=True)
    terms = ((png_term(), "png"), ("svg", "svg"))
    for name, dat in plots.dats.items():
        if dat is None:
            continue
        for term, ext in terms:
            out = os.path.join(plots_dir, f"{name}.{ext}")
            err = run_gnuplot(name, dat, out, term, variants)
            if err:
                plots.missing = plots.missing or err
                break
        else:
            plots.rendered.add(name)
    return plots


def run_gnuplot(name, dat, out, term, variants):
    """None on success, else a one-line reason."""
    setvars = "; ".join(f"{k}={gp_quote(v)}" for k, v in
                        (("datafile", dat), ("outfile", out), ("term", term), ("variants", variants)))
    try:
        r = subprocess.run(["gnuplot", "-e", setvars, os.path.join(GP_DIR, f"{name}.gp")],
                           capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"gnuplot failed on {name}.gp: {e}"
    if r.returncode or not os.path.isfile(out) or not os.path.getsize(out):
        last = (r.stderr.strip().splitlines() or ["no output"])[-1].strip()
        return f"gnuplot failed on {name}.gp ({term}): {last}"
    return None


# ---------------------------------------------------------------- output

def build_report(run, plots):
    note = f"\n\n*Plots are missing: {plots.missing}.*" if plots.missing else ""
    sections = [
        f"# Coarse or fine pinning of device-dax pages: run {run.run_id}{note}",
        section_manifest(run), section_method(run), section_correctness(run),
        section_hotpath(run, plots), section_static(run, plots), section_workloads(run),
        section_gup(run, plots), section_unbind(run, plots), section_problems(run),
        section_conclusion(run),
    ]
    return "\n\n".join(sections) + "\n"


def read_cover(path):
    """The cover letter's lines; error unless both marker lines are present in order."""
    with open(path) as f:
        lines = f.read().splitlines()
    stripped = [l.rstrip() for l in lines]
    if BEGIN not in stripped or END not in stripped or stripped.index(BEGIN) > stripped.index(END):
        raise ReportError(f"{path}: missing '{BEGIN}' / '{END}' marker lines")
    return lines


def write_cover(path, lines, numbers):
    stripped = [l.rstrip() for l in lines]
    begin, end = stripped.index(BEGIN), stripped.index(END)
    with open(path, "w") as f:
        f.write("\n".join(lines[:begin + 1] + numbers + lines[end:]) + "\n")


def parse_args(argv):
    p = argparse.ArgumentParser(description="Write REPORT.md and plots from a run folder.")
    p.add_argument("run_dir", nargs="?", help="build/runs/<id>")
    p.add_argument("--out", default="REPORT.md")
    p.add_argument("--plots-dir", default="plots")
    p.add_argument("--cover", help="cover letter whose numbers block is rewritten")
    p.add_argument("--no-gnuplot", action="store_true", help="do not render plots")
    p.add_argument("--latest-run", metavar="RUNS_DIR", help="print the newest run folder and exit")
    args = p.parse_args(argv)
    if not args.run_dir and not args.latest_run:
        p.error("RUN_DIR or --latest-run is required")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        if args.latest_run:
            print(latest_run(args.latest_run))
            return 0
        run = load_run(args.run_dir)
        cover = read_cover(args.cover) if args.cover else None
        out_dir = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(out_dir, exist_ok=True)
        plots = Plots(os.path.relpath(os.path.abspath(args.plots_dir), out_dir), write_plotdata(run))
        if args.no_gnuplot:
            plots.missing = "not rendered (--no-gnuplot)"
        else:
            render_plots(plots, args.plots_dir, " ".join(run.variants))
        with open(args.out, "w") as f:
            f.write(build_report(run, plots))
        if cover:
            write_cover(args.cover, cover, cover_lines(run))
    except (ReportError, OSError) as e:
        print(f"report.py: error: {e}", file=sys.stderr)
        return 1
    if plots.missing and not args.no_gnuplot:
        print(f"report.py: warning: {plots.missing}; {args.out} written without them", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
