"""Plot data and gnuplot."""
from .common import *  # noqa: F401,F403
from .fmt import *  # noqa: F401,F403
from .stats import *  # noqa: F401,F403
from .runfolder import *  # noqa: F401,F403
from .compare import *  # noqa: F401,F403
from .sections import *  # noqa: F401,F403
from .exact import *  # noqa: F401,F403
from .costs import *  # noqa: F401,F403
from .verdict import *  # noqa: F401,F403


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


