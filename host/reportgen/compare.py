"""Variant against the reference, one cell at a time."""
from experiment import REFERENCE as REF
from .fmt import DASH, fmt_pct, fmt_signed
from .runfolder import to_number
from .stats import pct_change
from .units import group_fmt


def diff(a, b):
    """a - b rounded to 6 decimals, never -0.0 (values carry at most 2)."""
    return round(a - b, 6) + 0.0


def change_text(run, variant, group, case):
    """Change of the median vs the reference, '+1.2%', as the tables show it."""
    if variant == REF:
        return DASH
    base, st = run.stats(REF, group, case), run.stats(variant, group, case)
    if not st:
        return DASH
    if not base:
        return f"n/a (no {REF})"
    pct = pct_change(st["median"], base["median"])
    return fmt_pct(pct) if pct is not None else f"n/a ({REF} 0)"


def compare(run, variant, group, case, note=""):
    """'+2.00 ns/pair (+18.2%)' for variant vs the reference, or why it is
    missing; note is appended inside the parentheses."""
    unit, fmt = group_fmt(run, group)
    st, base = run.stats(variant, group, case), run.stats(REF, group, case)
    for name, s in ((variant, st), (REF, base)):
        if not s:
            return f"missing ({name} {case}: {run.cell(name, group, case).problem()})"
    delta = st["median"] - base["median"]
    return f"{fmt_signed(fmt, delta)} {unit} ({change_text(run, variant, group, case)}{note})"


def median_delta(run, variant, group, case):
    """variant's median - the reference's, or None if either is missing."""
    st, base = run.stats(variant, group, case), run.stats(REF, group, case)
    return diff(st["median"], base["median"]) if st and base else None


def within_spread(run, variant, group, case):
    """True if variant's median lies inside the reference's p25-p75; None if unknown."""
    st, base = run.stats(variant, group, case), run.stats(REF, group, case)
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
