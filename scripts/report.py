#!/usr/bin/env python3
"""Turn one benchmark run folder into REPORT.md, plot data, plots and the
cover letter's headline numbers.

Purpose: answer the 2015 linux-mm question (coarse: a pgmap reference per
mapping, versus fine: a pgmap reference per page reference) from the numbers of one run
of `make bench`, printing nothing that is not in the data.

Usage:
  report.py RUN_DIR [--out REPORT.md] [--plots-dir plots]
            [--cover kernel-patches/0000-cover-letter.patch] [--no-gnuplot]
  report.py RUN_DIR --cover kernel-patches/0000-cover-letter.patch
                                        (the cover letter's numbers only)
  report.py --latest-run build/runs     (print the newest run folder by name)

Inputs (format: bench/FORMAT.md): RUN_DIR/manifest.txt and samples.csv are
required; static.csv, functional.csv, cells.csv, bloat-<variant>.txt and
mca.txt are optional (their sections say when one is
absent); plots/*.gp beside this script's parent directory are the gnuplot
scripts.

The manifest's `clock` decides how the numbers are read: `icount` (QEMU
-icount shift=0,sleep=off: one guest ns per guest instruction) makes the hot
path an exact instruction count, and the conclusion rests on those counts;
workload ops/s and GUP pages/s (per virtual second) are shown inverted, sample
by sample, as instructions per operation and per page (1e9 / value, lower is
better); anything else (`wall`, or an old run's free-text clock) is the noisy wall
clock, summarised by medians and p25-p75.

Outputs: the report (--out); the plots' data, data/<name>.dat, and (unless
--no-gnuplot) <name>.png and <name>.svg in --plots-dir; with --cover, only the
text between the cover letter's `--- numbers: begin ---` / `--- numbers: end
---` lines (`make cover`).  The run folder is only read.

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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "host"))
import experiment  # noqa: E402  the variants, declared once

KNOWN_VARIANTS = tuple(experiment.names())
REFERENCE = experiment.REFERENCE
# (variant, reference) pairs whose get/put code is the same: an A/A check
AA_PAIRS = tuple((v.name, v.same_hot_path_as) for v in experiment.VARIANTS if v.same_hot_path_as)
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
CASE_TOKENS = experiment.case_tokens()
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
EXTRA_FILES = ("mca.txt",)
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


def fmt_insn(v):
    """Instructions per operation or page: whole numbers from 100 up, else 3 significant digits."""
    return f"{v:,.0f}" if math.isfinite(v) and abs(v) >= 100 else fmt_sig3(v)


def fmt_count(v):
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def fmt_signed(fmt, v):
    return ("-" if v < 0 else "+") + fmt(abs(v))


def fmt_pct(v, decimals=1):
    return f"{v:+.{decimals}f}%"


# Per group: the unit shown in headings (host/experiment.py) and the number
# format.
_FMT = {"ns/pair": fmt_ns, "ops/s": fmt_sig3, "pages/s": fmt_sig3, "ms": fmt_ms,
        "count": fmt_count}
GROUP_FMT = {g.name: (g.unit, _FMT[g.unit]) for g in experiment.BENCH}
# Under clock=icount guest time is instructions (plus skipped idle time):
# the same numbers, named for what they are.
ICOUNT_UNITS = {g.name: g.icount_unit for g in experiment.BENCH if g.icount_unit}
# Rates per (virtual) second that clock=icount turns into guest instructions
# per unit of work, sample by sample: 1e9 / value, a virtual ns being an
# instruction. The group's unit in samples.csv and what one unit of work is.
PER_INSTRUCTION = {g.name: (g.unit, g.per) for g in experiment.BENCH if g.per}
# Status of a rate sample that cannot be inverted (0 or negative).
NO_RATE = "rate ≤ 0"


def group_fmt(run, group):
    """(unit, number format) of group in this run's clock."""
    unit, fmt = GROUP_FMT[group]
    if run.icount and group in PER_INSTRUCTION:
        return ICOUNT_UNITS[group], fmt_insn
    return (ICOUNT_UNITS.get(group, unit) if run.icount else unit), fmt


def lower_is_better(run, group):
    """True where a smaller value is the better one: times and instruction
    counts; False for rates (workload ops/s, GUP pages/s on the wall clock),
    which clock=icount turns into instructions per unit."""
    if run.icount and group in PER_INSTRUCTION:
        return True
    return experiment.group(group).better == "lower"


def better_text(run, group):
    return "lower is better" if lower_is_better(run, group) else "higher is better"


def per_instruction(row):
    """A workload or GUP row of a clock=icount run, its rate per virtual second
    turned into instructions per operation or page (1e9 / value); a rate of 0
    or less becomes a non-ok row with status NO_RATE."""
    if row["group"] not in PER_INSTRUCTION:
        return row
    out = dict(row, unit=ICOUNT_UNITS[row["group"]])
    if row["status"] == "ok":
        if row["value"] > 0:
            out["value"] = 1e9 / row["value"]
        else:
            out.update(value="", status=NO_RATE)
    return out


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
    extras: dict = field(default_factory=dict)   # mca.txt -> text

    def __post_init__(self):
        # Under icount, rates become instructions per operation or page here,
        # per sample, so medians and percentiles are those of the instructions.
        if self.icount:
            self.samples = [per_instruction(r) for r in self.samples]

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
    keys = list(MANIFEST_KEYS) + [k for k in m if k not in MANIFEST_KEYS]
    rows = [(f"`{k}`", m.get(k, "(missing from manifest)")) for k in keys]
    return ("## How the run was made\n\n"
            f"Run folder `{run.run_id}`. Clock for the whole run: {clock_text(run)}. "
            f"Accelerator: {m.get('accel', '(not stated)')}.\n\n" + md_table(("Key", "Value"), rows, "ll"))


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
Change vs baseline = (median_variant − median_baseline) / median_baseline × 100,
with sign and one decimal. Cells without a sample show their status instead of a
number (e.g. `crash ×3`); an `n` of `5 (+crash ×1)` means some rows of the cell failed.{exact}"""


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


# ---------------------------------------------------------------- exactness

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
    "gup": ("guest instructions per page, the kernel's and the user's work of one page together "
            "(each sample is 1e9 / the pages per virtual second measured, so virtual ns the guest "
            "sat idle, which QEMU skips, count as well)"),
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
                       "(every sample of a cell is the same value).")
    listed = "; ".join(f"{v} `{c}` {fmt_ns(st['min'])}–{fmt_ns(st['max'])}" for v, c, st in vary)
    return lead + (f"{len(vary)} of {len(cells)} cells {'is' if len(vary) == 1 else 'are'} not "
                   f"exact (max − min > {EXACT_TOL}): "
                   f"{listed}. They are flagged ⚠ in the table; their median is not an exact count.")


def exact_cell(run, variant, case):
    """'14.00 (+2.00), max−min 0.00' or '… ⚠ varies 15.00–15.24' or the problem."""
    cell = run.cell(variant, "hotpath", case)
    st = cell.stats
    if not st:
        return cell.problem()
    text = fmt_ns(st["median"])
    if variant != "baseline":
        base = run.stats("baseline", "hotpath", case)
        text += f" ({fmt_signed(fmt_ns, diff(st['median'], base['median']))})" if base else " (no baseline)"
    if varies(st):
        text += f", ⚠ varies {fmt_ns(st['min'])}–{fmt_ns(st['max'])}"
    else:
        text += f", max−min {fmt_ns(diff(st['max'], st['min']))}"
    return text + (f" (+{cell.problem()})" if cell.bad else "")


def hot_exact_table(run):
    cases = run.cases("hotpath")
    if not cases:
        return "No `hotpath` rows in this run."
    rows = [[c] + [exact_cell(run, v, c) for v in run.variants]
            + [" / ".join(str((run.stats(v, "hotpath", c) or {}).get("n", 0)) for v in run.variants)]
            for c in cases]
    return ("Instructions per pair. Each cell: the median; for a variant other than baseline, its "
            "difference from baseline's median in parentheses; then max − min over all the cell's "
            "samples (every trial and repetition). ⚠ marks a cell whose samples differ.\n\n"
            + md_table(["Case"] + [f"{v} (instructions per pair)" for v in run.variants]
                       + [f"n ({' / '.join(run.variants)})"], rows))


def aa_check(run):
    """(True: holds, False: fails, None: cannot tell; sentence) over AA_PAIRS."""
    checks = [aa_check_pair(run, a, b) for a, b in AA_PAIRS]
    states = [st for st, _ in checks]
    state = False if False in states else (True if all(s is True for s in states) else None)
    return state, " ".join(text for _, text in checks)


def aa_check_pair(run, a, b):
    """(True: holds, False: fails, None: cannot tell; sentence) for A - B on
    AA_CASES, whose get/put code A leaves as B's."""
    lead = (f"A/A check, {a} − {b} in instructions per pair on the cases whose get/put code "
            f"{a} leaves as {b}'s (so it must be 0): ")
    absent = [v for v in (b, a) if v not in run.variants]
    if absent:
        return None, lead + f"not possible, this run has no {' and no '.join(absent)} variant."
    parts, states = [], []
    for case in AA_CASES:
        st, base = run.stats(a, "hotpath", case), run.stats(b, "hotpath", case)
        if case not in run.cases("hotpath"):
            parts.append(f"`{case}` not in this run")
            states.append(None)
            continue
        if not st or not base:
            who = a if not st else b
            parts.append(f"`{case}` missing ({who}: {run.cell(who, 'hotpath', case).problem()})")
            states.append(None)
            continue
        d = diff(st["median"], base["median"])
        exact = not varies(st) and not varies(base)
        parts.append(f"`{case}` {fmt_signed(fmt_ns, d)}" + ("" if exact else " (samples vary: not exact)"))
        # Varying samples decide nothing either way: their medians are not counts.
        states.append((abs(d) <= EXACT_TOL) if exact else None)
    state = False if False in states else (True if all(s is True for s in states) else None)
    end = {True: "holds: 0 on both.",
           False: (f"FAILS: {a} and {b} execute different instructions where their get/put "
                   "code is the same, so something besides the policy (build, module, guest state) "
                   "differs between the variants, and every difference in the table is suspect by "
                   "that much."),
           None: "cannot be decided from this run."}[state]
    return state, lead + "; ".join(parts) + " — " + end


def section_hotpath(run, plots):
    mem = ("`ordinary`: an anonymous page while a device-dax pgmap exists (fine's static key is on); "
           "`ordinary-nodev`: an anonymous page with no device-dax pgmap (the static key is off); "
           "`devdax`: a page of /dev/dax0.0.")
    if run.icount:
        return ("## Hot path\n\n"
                f"In-kernel microbenchmark (bench/module), one get/put pair of each op. {mem}\n\n"
                + hot_exact_note(run) + "\n\n" + hot_exact_table(run) + "\n\n" + aa_check(run)[1]
                + "\n\n" + plots.embed("hotpath", "hot path: instructions per pair, variant − baseline"))
    return ("## Hot path\n\n"
            f"In-kernel microbenchmark: ns per get/put pair on the noisy wall clock. {mem}\n\n"
            + samples_note(run, "hotpath") + "\n\n"
            + stats_tables(run, "hotpath", per_case=True) + "\n\n"
            + plots.embed("hotpath", "hot path: median ns per pair, p25–p75 error bars"))


def section_before(run):
    """Fine before and after this series version, from RUN/before/ when present.

    RUN/before/ is a run folder of its own (bench/FORMAT.md): the hot-path
    cells and the code size of the fine kernel built from an earlier version
    of the series, measured the same way on the same clock; its manifest
    names that version (series=...)."""
    path = os.path.join(run.path, "before")
    if not os.path.isdir(path) or not run.icount:
        return None
    before = load_run(path)
    if not before.icount:
        return None
    label = before.manifest.get("series", "an earlier series")
    rows = []
    for case in sorted({c for (v, g, c) in before.cells if g == "hotpath" and v == "fine"},
                       key=case_key):
        base = run.cells.get(("baseline", "hotpath", case))
        old = before.cells.get(("fine", "hotpath", case))
        new = run.cells.get(("fine", "hotpath", case))
        if not (base and base.values and old and old.values and new and new.values):
            continue
        b, o, n = (percentile(c.values, 0.5) for c in (base, old, new))
        rows.append((case, f"{b:.2f}", f"{o:.2f} ({o - b:+.2f})", f"{n:.2f} ({n - b:+.2f})"))
    sizes = []
    bv, ov, nv = static_values(run), static_values(before), static_values(run)
    base_code = bv.get(("baseline", "code_bytes"))
    for name, vals in ((label, ov), ("this series", nv)):
        code = vals.get(("fine", "code_bytes"))
        if code is not None and base_code is not None:
            sizes.append(f"{name}: code {fmt_count(code)} bytes ({code - base_code:+,.0f} vs baseline), "
                         f"{fmt_count(vals.get(('fine', 'hook_sites'), 0))} hook sites")
    body = md_table(("Case", "baseline (this run)", f"fine, {label}", "fine, this series"), rows,
                    "lrrr") if rows else "No hot-path cell in common."
    return ("## Fine before and after this version of the series\n\n"
            f"The fine kernel of {label}, measured by the same module on the same clock "
            "(RUN/before/), against this run's baseline and fine: instructions per pair, "
            "with the difference to baseline.\n\n" + body + "\n\n"
            + ("Code size (sum of text symbol sizes): " + "; ".join(sizes) + "." if sizes else ""))


# ---------------------------------------------------------------- static cost

def static_values(run):
    """{(variant, metric): number} from static.csv; an empty value counts as missing."""
    return {(r["variant"], r["metric"]): to_number(r["value"], f"static.csv {r['variant']} {r['metric']}")
            for r in run.static or [] if r["value"]}


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
        rows.append([workload, event, shown] + [median_n_cell(run, v, "perf", case, perf_fmt(unit))
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
            + "\n\n" + plots.embed("gup", f"GUP {'cost: ' + unit if run.icount else 'throughput'}, "
                                           "median with p25–p75"))


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
    if not cases:
        return "No hot-path rows."
    if run.icount:
        rows = [[c] + [exact_delta(run, v, c) for v in others] for c in cases]
        return md_table(["Case"] + [f"{v} − baseline (instructions per pair)" for v in others], rows)
    rows = [[c] + [compare(run, v, "hotpath", c) for v in others] for c in cases]
    return md_table(["Case"] + [f"{v} vs baseline" for v in others], rows)


def noise_note(run, variant, case):
    inside = within_spread(run, variant, "hotpath", case)
    if inside is None:
        return ""
    return f", {'inside' if inside else 'outside'} baseline's p25–p75"


def hot_sentence(run, variant):
    """variant vs baseline on HOT_OP, with and without a device-dax pgmap (wall clock)."""
    return ", ".join(f"{compare(run, variant, 'hotpath', case, noise_note(run, variant, case))} {label}"
                     for case, label in HOT_CASES)


def exact_diff(run, variant, case):
    """(variant - baseline median, exact?) on a hot-path case, or (None, why missing)."""
    st, base = run.stats(variant, "hotpath", case), run.stats("baseline", "hotpath", case)
    for name, s in ((variant, st), ("baseline", base)):
        if not s:
            return None, f"missing ({name} {case}: {run.cell(name, 'hotpath', case).problem()})"
    return diff(st["median"], base["median"]), not varies(st) and not varies(base)


def exact_delta(run, variant, case, unit=False):
    """'+2.00' (or '+2.00 instructions per pair'), flagged when not exact."""
    d, exact = exact_diff(run, variant, case)
    if d is None:
        return exact
    text = fmt_signed(fmt_ns, d) + (" instructions per pair" if unit else "")
    return text if exact else f"{text} (⚠ samples vary: not exact)"


def exact_sentence(run, variant):
    """variant - baseline on HOT_OP in the three EXACT_CASES, in instructions."""
    return "; ".join(f"{exact_delta(run, variant, case, unit=True)} {label}" for case, label in EXACT_CASES)


def hook_note(run):
    """What fine's key-off count is made of, said only as far as the data goes:
    nothing unless the hook's static-branch sites exist (hook_sites > 0) and
    the exact key-off count grew; the patched-out jumps are named as the whole
    explanation only when the count is exactly one per helper of the pair."""
    sites = static_values(run).get(("fine", "hook_sites"))
    d, exact = exact_diff(run, "fine", EXACT_CASES[0][0])
    if d is None or not exact or not sites or d <= EXACT_TOL:
        return ""
    helpers = 2   # a pair: one get helper, one put helper, each with one hook site
    where = (f"fine's vmlinux has {fmt_count(sites)} static-branch sites keyed on `devmap_pin_key` "
             "(`hook_sites`), each in an inlined page_ref helper and patched out (a nop) while the key is off")
    if abs(d - helpers) <= EXACT_TOL:
        return (f" The key-off {fmt_signed(fmt_ns, d)} is the two patched-out jumps of the pair, one per "
                f"helper (get and put): {where}.")
    return (f" One patched-out jump per helper (get and put) would account for +{helpers}.00 of the "
            f"key-off {fmt_signed(fmt_ns, d)}: {where}.")


def coarse_expectation(run):
    """Coarse's get/put cost in instructions, judged against the expected 0."""
    known = [(d, e) for d, e in (exact_diff(run, "coarse", case) for case, _ in EXACT_CASES)
             if d is not None]
    if not known:
        return ""
    if any(e and abs(d) > EXACT_TOL for d, e in known):
        return " — not the expected 0: coarse's get/put pair executes a different number of instructions"
    if all(e for _, e in known):
        return " — 0, as expected of a policy that leaves get_page()/put_page() alone"
    return " — not decided against the expected 0: some of these samples vary"


def answer(run):
    """The one-sentence answer, chosen by rules stated in its own words."""
    safe = safe_variants(run)
    if "fine" not in safe:
        fine = correctness_summary(run).get("fine", ([], [], 0))
        return ("No clear answer from this run: fine did not run every functional test as promised "
                f"without an oops ({variant_correctness(*fine)}).")
    promise = "ran every functional test as promised without an oops"
    lead = f"fine is the only variant that {promise}" if safe == ["fine"] else f"{', '.join(safe)} {promise}"
    return answer_exact(run, lead) if run.icount else answer_wall(run, lead)


def answer_exact(run, lead):
    """The answer on exact instruction counts (clock=icount)."""
    (off, off_label), (on, on_label), (dax, dax_label) = EXACT_CASES
    d, exact = exact_diff(run, "fine", off)
    if d is None:
        return f"Incomplete: {lead}, but its hot-path cost without a device is {exact}."
    rest = (f"{exact_delta(run, 'fine', on, unit=True)} {on_label} and "
            f"{exact_delta(run, 'fine', dax, unit=True)} {dax_label}; {code_growth(run, 'fine')}")
    flag = "" if exact else " (⚠ its samples vary, so this is not an exact count)"
    if abs(d) <= EXACT_TOL:
        return (f"Per-reference pinning (fine): {lead}, and on a kernel without a device-dax pgmap "
                f"its {HOT_OP} pair executes as many instructions as baseline's "
                f"({fmt_signed(fmt_ns, d)} per pair{flag}); the price is {rest}.")
    what = "an exact price" if d > 0 else "an exact difference"
    return (f"Per-reference pinning (fine): {lead}, at {what} on every kernel: "
            f"{fmt_signed(fmt_ns, d)} instructions per {HOT_OP} pair {off_label}{flag}, {rest}.")


def answer_wall(run, lead):
    """The answer on wall-clock medians (secondary: noisy)."""
    case = f"{HOT_OP}:ordinary-nodev"
    cost, inside = compare(run, "fine", "hotpath", case), within_spread(run, "fine", "hotpath", case)
    if inside is None:
        return f"Incomplete: {lead}, but its hot-path cost without a device is {cost}."
    if inside:
        return (f"Per-reference pinning (fine): {lead}, and on a kernel without a device-dax pgmap its "
                f"{HOT_OP} cost ({cost}) lies inside baseline's own p25–p75 of the wall clock, so the "
                f"cost to everyone's kernel is not measurable in this run; with a device present it is "
                f"{compare(run, 'fine', 'hotpath', HOT_OP + ':ordinary')}.")
    return (f"Per-reference pinning (fine) wins on correctness ({lead}), at a measurable price on every "
            f"kernel: {cost} per {HOT_OP} pair without a device-dax pgmap, outside baseline's p25–p75.")


def coarse_unbind(run, maps):
    return (f": with {maps.split('=', 1)[1]} idle mappings unbind took {unbind_values(run, maps)}." if maps
            else ", but this run has no `maps=` scenario to show it.")


def verdict(run):
    """The numbered points of the answer, assembled from computed facts only."""
    inflight, maps = largest_case(run, "inflight"), largest_case(run, "maps")
    if run.icount:
        parts = [
            f"Correctness: {correctness_line(run)}.",
            f"Who pays with fine, in exact instructions per {HOT_OP} pair vs baseline: "
            f"{exact_sentence(run, 'fine')}.{hook_note(run)} Static: {code_growth(run, 'fine')}.",
            f"Who pays with coarse: its {HOT_OP} pair changes by {exact_sentence(run, 'coarse')}"
            f"{coarse_expectation(run)}; {code_growth(run, 'coarse')}. The price falls on systems "
            "that unbind a mapped device" + coarse_unbind(run, maps),
            aa_check(run)[1],
        ]
    else:
        sites = static_values(run).get(("fine", "hook_sites"))
        sites_text = f", {fmt_count(sites)} hook sites" if sites is not None else ""
        parts = [
            f"Correctness: {correctness_line(run)}.",
            f"Who pays with fine: every kernel's get_page()/put_page(), whether or not it ever unbinds "
            f"a device: {HOT_OP} {hot_sentence(run, 'fine')} (wall clock); "
            f"{code_growth(run, 'fine')}{sites_text}.",
            f"Who pays with coarse: the hot path changes by {hot_sentence(run, 'coarse')} (wall clock), "
            f"{code_growth(run, 'coarse')}; the price falls on systems that unbind a mapped device"
            + coarse_unbind(run, maps),
        ]
    if inflight:
        parts.append(f"References in flight (`{inflight}`): {unbind_values(run, inflight)}; "
                     f"{waited_sentence(run, inflight)}.")
    return parts + [answer(run)]


def section_conclusion(run):
    unbind = "\n".join(f"- {label} (`{case}`): {unbind_values(run, case)}"
                       for label, case in unbind_lines(run)) or "- no unbind scenario in this run"
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(verdict(run), 1))
    if run.icount:
        how = ("The hot-path numbers are exact instruction counts (`clock=icount`): a difference is "
               "instructions the variant's get/put pair executes in addition to (+) or instead of (−) "
               "baseline's, not noise; a cell whose samples vary is flagged ⚠. Instructions are not "
               "cycles on real hardware.")
        table_title = "Hot-path cost vs baseline, instructions per pair (exact):"
        unbind_title = "Unbind latency, median (virtual ms; these samples still vary):"
    else:
        how = ("This run used the wall clock: its hot-path numbers are noisy and secondary evidence "
               "(a run with `clock=icount` counts instructions exactly). \"Inside baseline's "
               "p25–p75\" means the variant's median falls within the middle half of baseline's "
               "own samples.")
        table_title = "Hot-path cost vs baseline (change of the median; wall clock, secondary):"
        unbind_title = "Unbind latency, median:"
    return f"""## Conclusion

The 2015 question was whether per-reference pinning (fine) costs too much on
every kernel's get_page()/put_page() path (Andrew Morton), or per-mapping
pinning (coarse) makes unbind wait too long (Dan Williams). Everything below is computed
from this run; a "missing" value names the cell that failed or was skipped.
{how}

{table_title}

{hot_cost_table(run)}

{unbind_title}

{unbind}

Answer on these numbers:

{points}"""


def cover_lines(run):
    """The headline lines for the cover letter, wrapped to 72 columns."""
    m = run.manifest
    others = [v for v in run.variants if v != "baseline"]
    lines = [f"run {run.run_id}: accel={m.get('accel', '?')}, clock={run.clock_name}, "
             f"trials={m.get('trials', '?')}, variants {' '.join(run.variants)}"]
    if run.icount:
        lines.append(f"{HOT_OP} vs baseline, exact instructions per pair (clock=icount):")
        lines += [f"  {v} {label}: {exact_delta(run, v, case)}"
                  for v in others for case, label in EXACT_CASES]
        lines += aa_lines(run)
    else:
        lines.append(f"{HOT_OP} vs baseline, change of the median per pair (wall clock, noisy):")
        lines += [f"  {v} {label}: {compare(run, v, 'hotpath', case)}"
                  for v in others for case, label in HOT_CASES]
    lines.append("code size vs baseline (text symbol sizes): "
                 + ", ".join(f"{v} {code_delta(run, v)}" for v in others))
    lines += [f"  bloat-o-meter {v}: {bloat_counts(run, v)}" for v in others]
    for label, case in unbind_lines(run):
        lines += [f"unbind latency, {label} ({case}), median:", f"  {unbind_values(run, case)}"]
    lines += ["correctness:"] + [f"  {p}" for p in correctness_parts(run)]
    return [w for line in lines
            for w in textwrap.wrap(line, 72, subsequent_indent="    ", break_on_hyphens=False)]


def aa_lines(run):
    """Short A/A lines for the cover letter, one per AA_PAIRS entry."""
    lines = []
    for a, b in AA_PAIRS:
        state, _ = aa_check_pair(run, a, b)
        vals = ", ".join(f"{c} {exact_delta(run, a, c)}" for c in AA_CASES if a in run.variants)
        word = {True: "0 as required", False: "NOT 0", None: "undecided"}[state]
        lines.append(f"A/A {a} - {b}: {vals or 'no ' + a} ({word})")
    return lines


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


def hot_plot(run):
    """hotpath.dat: rows idx, case, then three columns per plotted variant.
    icount: variant - baseline (median difference; lo/hi: the smallest and
    largest difference of any two samples), for every variant but baseline;
    wall: median, p25, p75 of every variant."""
    cases = run.cases("hotpath")
    if not run.icount:
        rows = [[i, c] + sum((triple(run, v, "hotpath", c) for v in run.variants), [])
                for i, c in enumerate(cases, 1)]
        return ("hotpath median/p25/p75 ns per pair (wall clock), per case and variant",
                wide_header(run, ["idx", "case"]), rows, 2, {"mode": "wall"})
    others = [v for v in run.variants if v != "baseline"]

    def deltas(v, c):
        st, base = run.stats(v, "hotpath", c), run.stats("baseline", "hotpath", c)
        if not st or not base:
            return ["NaN"] * 3
        return [nan_or(diff(st["median"], base["median"])), nan_or(diff(st["min"], base["max"])),
                nan_or(diff(st["max"], base["min"]))]
    rows = [[i, c] + sum((deltas(v, c) for v in others), []) for i, c in enumerate(cases, 1)]
    header = ["idx", "case"] + [f"{v}_{k}" for v in others for k in ("delta", "lo", "hi")]
    return ("hotpath instructions per pair (clock=icount), variant - baseline: median difference, "
            "lo/hi = smallest/largest difference of any two samples", header, rows, 2,
            {"mode": "icount", "variants": " ".join(others)})


def plot_tables(run):
    """{name: (comment, header, rows, first value column, gnuplot variables)}
    for every plot; the variables override the defaults run_gnuplot sets."""
    wide = lambda group: [[c] + sum((triple(run, v, group, c) for v in run.variants), [])
                          for c in run.cases(group)]
    vals = static_values(run)
    base = vals.get(("baseline", "code_bytes"))
    code_rows = [[v, nan_or(vals.get((v, "code_bytes"))),
                  nan_or(None if base is None or (v, "code_bytes") not in vals
                         else vals[(v, "code_bytes")] - base)] for v in run.variants]
    inflight = [c for c in run.cases("unbind") if c.startswith("inflight=")]
    ds = [float(c.split("=", 1)[1]) for c in inflight]
    # Log x axis: D = 0 is drawn at a quarter of the smallest positive D.
    zero_x = min([d for d in ds if d > 0], default=4.0) / 4
    inflight_rows = [[c.split("=", 1)[1], nan_or(d or zero_x)]
                     + sum((triple(run, v, "unbind", c) for v in run.variants), [])
                     for d, c in zip(ds, inflight)]
    ms = group_fmt(run, "unbind")[0]
    return {
        "hotpath": hot_plot(run),
        "gup": (f"gup median/p25/p75 {group_fmt(run, 'gup')[0]}, per case and variant",
                wide_header(run, ["case"]), wide("gup"), 1, {"unit": group_fmt(run, "gup")[0]}),
        "code_size": ("code_bytes (sum of nm -S sizes of text symbols) per variant and delta vs baseline",
                      ["variant", "code_bytes", "delta_bytes"], code_rows, 1, {}),
        "unbind_inflight": (f"unbind latency {ms} vs in-flight duration D ms (x_pos: where D is drawn)",
                            wide_header(run, ["D_ms", "x_pos"]), inflight_rows, 2, {}),
        "unbind_dist": (f"every ok unbind latency sample ({ms}); x = scenario + variant offset + jitter",
                        ["scenario_idx", "variant_idx", "x", "value_ms", "scenario", "variant"],
                        dist_rows(run), 3, {}),
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


def write_plotdata(run, out):
    """Write OUT/*.dat (the report never writes into the run folder); return
    ({name: path or None when empty}, {name: gnuplot variables})."""
    os.makedirs(out, exist_ok=True)
    tables = plot_tables(run)
    dats = {name: write_dat(os.path.join(out, f"{name}.dat"), header, rows, comment, first)
            for name, (comment, header, rows, first, _) in tables.items()}
    return dats, {name: t[4] for name, t in tables.items()}


@dataclass
class Plots:
    """Which plots exist, for embedding; `missing` says why the others do not."""
    rel_dir: str
    dats: dict
    gpvars: dict = field(default_factory=dict)   # name -> extra gnuplot variables
    rendered: set = field(default_factory=set)
    missing: str = ""

    def embed(self, name, title):
        if self.dats.get(name) is None:
            return f"*(No data for the {name} plot.)*"
        if name not in self.rendered:
            return f"*(Plot {name} is missing: {self.missing}; data: {self.rel_dir}/data/{name}.dat.)*"
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
            err = run_gnuplot(name, dat, out, term, variants, plots.gpvars.get(name, {}))
            if err:
                plots.missing = plots.missing or err
                break
        else:
            plots.rendered.add(name)
    return plots


def run_gnuplot(name, dat, out, term, variants, extra=None):
    """None on success, else a one-line reason. extra: more string variables
    (e.g. mode, or variants for a plot that shows fewer of them)."""
    gpvars = dict((("datafile", dat), ("outfile", out), ("term", term), ("variants", variants)))
    gpvars.update(extra or {})
    setvars = "; ".join(f"{k}={gp_quote(v)}" for k, v in gpvars.items())
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
        section_hotpath(run, plots), section_before(run), section_static(run, plots),
        section_workloads(run),
        section_gup(run, plots), section_unbind(run, plots), section_problems(run),
        section_conclusion(run),
    ]
    return "\n\n".join(x for x in sections if x) + "\n"


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
    p.add_argument("--out", help="the report (default REPORT.md, none with --cover alone)")
    p.add_argument("--plots-dir", default="plots")
    p.add_argument("--cover", help="cover letter whose numbers block is rewritten")
    p.add_argument("--no-gnuplot", action="store_true", help="do not render plots")
    p.add_argument("--latest-run", metavar="RUNS_DIR", help="print the newest run folder and exit")
    args = p.parse_args(argv)
    if not args.run_dir and not args.latest_run:
        p.error("RUN_DIR or --latest-run is required")
    if args.out is None and not args.cover:
        args.out = "REPORT.md"
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        if args.latest_run:
            print(latest_run(args.latest_run))
            return 0
        run = load_run(args.run_dir)
        cover = read_cover(args.cover) if args.cover else None
        if args.out is None:
            write_cover(args.cover, cover, cover_lines(run))
            return 0
        out_dir = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(out_dir, exist_ok=True)
        dats, gpvars = write_plotdata(run, os.path.join(args.plots_dir, "data"))
        plots = Plots(os.path.relpath(os.path.abspath(args.plots_dir), out_dir), dats, gpvars)
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
