"""The run folder (bench/FORMAT.md): reading and checking it."""
import csv
import math
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from schema import HEADERS  # the run folder's, one place
from .stats import Cell, case_key
from .units import per_instruction
import experiment
from .variants import known_names

# Optional files quoted verbatim in the static-cost section.
EXTRA_FILES = ("mca.txt",)


class ReportError(Exception):
    """Bad input: reported as one line, exit 1."""


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
    boots: list       # cells.csv: one row per guest boot (a recorded file name)
    bloat: dict       # variant -> (summary, rows) for the bloat files present
    extras: dict = field(default_factory=dict)   # mca.txt -> text
    # the config of its kernels when not the default one (their names,
    # <variant>-<config>, are read as <variant>: see by_variant())
    config: str = ""

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
        known = known_names()
        return [v for v in known if v in seen] + sorted(seen - set(known))

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
    manifest = read_manifest(os.path.join(run_dir, "manifest.txt"))
    samples = load_samples(os.path.join(run_dir, "samples.csv"))
    config, rename = by_variant(manifest, samples)

    def rows(rs):
        return None if rs is None else [dict(r, variant=rename.get(r["variant"], r["variant"]))
                                        for r in rs]
    if rename:
        manifest = renamed_manifest(manifest, rename)
        bloat = {rename.get(k, k): b for k, b in bloat.items()}
    # Run() turns rates into instructions once, so its rows are renamed first
    return Run(run_dir, manifest, rows(samples), rows(optional("static.csv")),
               rows(optional("functional.csv")), rows(optional("cells.csv")), bloat, extras,
               config=config)


def by_variant(manifest, samples):
    """(config, {kernel name: variant name}) of a run of one config other
    than the default (kernels named <variant>-<config>), read by variant so
    that every section reads it as it reads a default-config run;
    ("", {}) for any other run."""
    names = set(manifest.get("variants", "").split()) | {r["variant"] for r in samples}
    try:
        kernels = {n: experiment.kernel(n) for n in names}
    except ValueError:
        return "", {}
    cfgs = {c.name for c, _ in kernels.values()}
    if len(cfgs) != 1 or experiment.config(next(iter(cfgs))).default:
        return "", {}
    return cfgs.pop(), {n: v.name for n, (_, v) in kernels.items()}


def renamed_manifest(manifest, rename):
    out = {}
    for k, val in manifest.items():
        if k == "variants":
            val = " ".join(rename.get(n, n) for n in val.split())
        elif k.startswith("config_sha256_"):
            n = k[len("config_sha256_"):]
            k = "config_sha256_" + rename.get(n, n)
        out[k] = val
    return out


def latest_run(runs_dir):
    names = sorted(n for n in os.listdir(runs_dir)
                   if os.path.isdir(os.path.join(runs_dir, n))) if os.path.isdir(runs_dir) else []
    if not names:
        raise ReportError(f"no run folder in {runs_dir}")
    return os.path.join(runs_dir, names[-1])


