"""gnuplot: rendering plots/<name>.gp, and which plots exist for the report
to embed."""
import os
import shutil
import subprocess
from dataclasses import dataclass, field

import experiment

GP_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "plots")


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


# One colour per variant in every plot: gnuplot's default line colours, in
# the order experiment.py declares the variants.
PALETTE = ("#9400d3", "#009e73", "#56b4e9", "#e69f00", "#0072b2", "#e51e10", "#f0e442", "#000000")


def colour_of(name):
    """A kernel's colour: its variant's place in experiment.VARIANTS (a
    kernel of another config, <variant>-<config>, takes its variant's)."""
    names = [v.name for v in experiment.VARIANTS]
    base = name if name in names else name.split("-")[0]
    return PALETTE[names.index(base) % len(PALETTE)] if base in names else PALETTE[-1]


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
    gpvars["colors"] = " ".join(colour_of(v) for v in gpvars["variants"].split())
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


