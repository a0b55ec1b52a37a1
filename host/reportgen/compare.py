"""Variant against the reference, one cell at a time."""
from .common import *  # noqa: F401,F403
from .fmt import *  # noqa: F401,F403
from .stats import *  # noqa: F401,F403
from .runfolder import *  # noqa: F401,F403


def change_text(run, variant, group, case):
    """Change of the median vs baseline, '+1.2%', as the tables show it."""
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


def median_n_text(run, variant, group, case, fmt):
    """A cell's 'median (n=k)', or its problem."""
    cell = run.cell(variant, group, case)
    return f"{fmt(cell.stats['median'])} (n={cell.n_text()})" if cell.stats else cell.problem()


def static_values(run):
    """{(variant, metric): number} from static.csv; an empty value counts as missing."""
    return {(r["variant"], r["metric"]): to_number(r["value"], f"static.csv {r['variant']} {r['metric']}")
            for r in run.static or [] if r["value"]}
