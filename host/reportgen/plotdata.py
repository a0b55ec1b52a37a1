"""Plot data: the .dat files gnuplot draws (plots/*.gp)."""
import os

import experiment
from experiment import REFERENCE as REF
from .compare import diff, static_values
from .exact import DEVICE_CASE, KEY_OFF_CASE, KEY_ON_CASE
from .units import group_fmt


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
    icount: variant - the reference (median difference; lo/hi: the smallest
    and largest difference of any two samples), for every other variant;
    wall: median, p25, p75 of every variant."""
    cases = run.cases("hotpath")
    if not run.icount:
        rows = [[i, c] + sum((triple(run, v, "hotpath", c) for v in run.variants), [])
                for i, c in enumerate(cases, 1)]
        return ("hotpath median/p25/p75 ns per pair (wall clock), per case and variant",
                wide_header(run, ["idx", "case"]), rows, 2, {"mode": "wall"})
    others = [v for v in run.variants if v != REF]

    def deltas(v, c):
        st, base = run.stats(v, "hotpath", c), run.stats(REF, "hotpath", c)
        if not st or not base:
            return ["NaN"] * 3
        return [nan_or(diff(st["median"], base["median"])), nan_or(diff(st["min"], base["max"])),
                nan_or(diff(st["max"], base["min"]))]
    # the last column: the reference's own median, for scale
    base = lambda c: nan_or((run.stats(REF, "hotpath", c) or {}).get("median"))
    rows = [[i, c] + sum((deltas(v, c) for v in others), []) + [base(c)] for i, c in enumerate(cases, 1)]
    header = (["idx", "case"] + [f"{v}_{k}" for v in others for k in ("delta", "lo", "hi")]
              + [f"{REF}_median"])
    return (f"hotpath instructions per pair (clock=icount), variant - {REF}: median difference, "
            "lo/hi = smallest/largest difference of any two samples", header, rows, 2,
            {"mode": "icount", "variants": " ".join(others)})


def headline_plot(run, maps):
    """headline.dat: per variant, its get/put pair over the reference's
    (key off, key on, device page; medians) beside its unbind latency with
    nothing mapped and with the most idle mappings of MAPS (maps=N cases)."""
    most = max(maps, key=lambda c: int(c.split("=", 1)[1]), default=None)

    def over_ref(v, c):
        st, base = run.stats(v, "hotpath", c), run.stats(REF, "hotpath", c)
        return nan_or(st and base and diff(st["median"], base["median"]))

    def median(v, c):
        st = c and run.stats(v, "unbind", c)
        return nan_or(st and st["median"])
    rows = [[i, v] + [over_ref(v, c) for c in (KEY_OFF_CASE, KEY_ON_CASE, DEVICE_CASE)]
            + [median(v, "idle"), median(v, most)] for i, v in enumerate(run.variants, 1)]
    return (f"per variant: get/put pair - {REF} (key off, key on, device page; medians), "
            f"unbind median ms (idle, {most or 'no maps case'})",
            ["idx", "variant", "keyoff", "keyon", "device", "unbind_idle", "unbind_maps"], rows, 2,
            {"maps_case": most or "maps=?", "holder_ms": str(experiment.HOLDER_UNMAP_MS),
             "unit": "instructions" if run.icount else "ns"})


def plot_tables(run):
    """{name: (comment, header, rows, first value column, gnuplot variables)}
    for every plot; the variables override the defaults run_gnuplot sets."""
    wide = lambda group: [[c] + sum((triple(run, v, group, c) for v in run.variants), [])
                          for c in run.cases(group)]
    vals = static_values(run)
    base = vals.get((REF, "code_bytes"))
    code_rows = [[v, nan_or(vals.get((v, "code_bytes"))),
                  nan_or(None if base is None or (v, "code_bytes") not in vals
                         else vals[(v, "code_bytes")] - base)] for v in run.variants]
    inflight = [c for c in run.cases("unbind") if c.startswith("inflight=")]
    maps = [c for c in run.cases("unbind") if c.startswith("maps=")]
    # latency - D: what an unbind adds to the reference it waits for; only
    # the variants with a sample (the reference skips these cases)
    held = [v for v in run.variants if any(run.stats(v, "unbind", c) for c in inflight)]

    def beyond(v, c):
        st, d = run.stats(v, "unbind", c), float(c.split("=", 1)[1])
        return [nan_or(st and st[k] - d) for k in ("median", "p25", "p75")]
    inflight_rows = [[i, c.split("=", 1)[1]] + sum((beyond(v, c) for v in held), [])
                     for i, c in enumerate(inflight, 1)]
    maps_rows = [[i, c.split("=", 1)[1]] + sum((triple(run, v, "unbind", c) for v in run.variants), [])
                 for i, c in enumerate(maps, 1)]
    ms = group_fmt(run, "unbind")[0]
    return {
        "hotpath": hot_plot(run),
        "headline": headline_plot(run, maps),
        "gup": (f"gup median/p25/p75 {group_fmt(run, 'gup')[0]}, per case and variant",
                wide_header(run, ["case"]), wide("gup"), 1, {"unit": group_fmt(run, "gup")[0]}),
        "code_size": (f"code_bytes (sum of nm -S sizes of text symbols) per variant and delta vs {REF}",
                      ["variant", "code_bytes", "delta_bytes"], code_rows, 1, {}),
        "unbind_inflight": (f"unbind latency - D {ms} vs in-flight duration D ms (idx: its position)",
                            ["idx", "D_ms"] + [f"{v}_{k}" for v in held for k in ("median", "p25", "p75")],
                            inflight_rows, 2, {"variants": " ".join(held)}),
        "unbind_maps": (f"unbind latency {ms} median/p25/p75 with N idle mappings (idx: its position)",
                        wide_header(run, ["idx", "N"]), maps_rows, 2,
                        {"holder_ms": str(experiment.HOLDER_UNMAP_MS)}),
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
