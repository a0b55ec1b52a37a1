"""Number formats, units and tables."""
from .common import *  # noqa: F401,F403


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


