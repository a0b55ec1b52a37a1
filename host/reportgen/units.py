"""Each group's unit and number format in the run's clock; rates that the
instruction clock turns into instructions per unit of work."""
import experiment
from .fmt import fmt_count, fmt_insn, fmt_ms, fmt_ns, fmt_sig3

# Per group: the unit shown in headings (host/experiment.py) and the number
# format.
_FMT = {"ns/pair": fmt_ns, "ns/io": fmt_insn, "ops/s": fmt_sig3, "pages/s": fmt_sig3, "ms": fmt_ms,
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
