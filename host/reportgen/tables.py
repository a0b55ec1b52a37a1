"""The tables several sections share: statistics per case, and a grid of
medians per variant."""
from experiment import REFERENCE as REF
from .compare import change_text, diff, median_n_text
from .fmt import DASH, fmt_signed, md_table
from .units import group_fmt

# Groups whose cases differ by variant (a call site one policy never uses):
# a missing case there is a zero count, only a variant without any row is missing.
ZERO_IF_ABSENT = {"pins"}


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
    head = ["Variant", f"Median ({unit})", "p25–p75", "min–max", "n", f"vs {REF}"]
    cases = run.cases(group)
    if not cases:
        return f"No `{group}` rows in this run."
    if per_case:
        return "\n\n".join(f"#### {case}\n\n" + md_table(
            head, [stat_row(run, v, group, case) for v in run.variants], "lrrrrr")
            for case in cases)
    rows = [[case] + stat_row(run, v, group, case) for case in cases for v in run.variants]
    return md_table([title] + head, rows, "llrrrrr")


def wide_table(run, group, title="Case", absolute=False):
    """One row per case, one column per variant: 'median (p25–p75)', and
    for a variant other than the reference its change of the median (in
    the unit if ABSOLUTE, else in percent); n and min–max are in the
    details (stats_tables)."""
    unit, fmt = group_fmt(run, group)
    cases = run.cases(group)
    if not cases:
        return f"No `{group}` rows in this run."

    def cell(v, c):
        x = run.cell(v, group, c)
        if not x.stats:
            return x.problem()
        st = x.stats
        text = f"{fmt(st['median'])} ({fmt(st['p25'])}–{fmt(st['p75'])})"
        if v == REF:
            return text
        base = run.stats(REF, group, c)
        if absolute and base:
            return f"{text} {fmt_signed(fmt, diff(st['median'], base['median']))}"
        return f"{text} {change_text(run, v, group, c)}"
    rows = [[c] + [cell(v, c) for v in run.variants] for c in cases]
    return md_table([title] + [f"{v}, {unit}: median (p25–p75)" + ("" if v == REF else f", vs {REF}")
                               for v in run.variants], rows, "l" + "r" * len(run.variants))


def grid_table(run, group, first_cols, split):
    """Rows = cases of group (split into first_cols), columns = variants' median (n)."""
    cases = run.cases(group)
    if not cases:
        return f"No `{group}` rows in this run."
    fmt = group_fmt(run, group)[1]

    def value(v, c):
        absent = group in ZERO_IF_ABSENT and (v, group, c) not in run.cells
        return "0" if absent else median_n_text(run, v, group, c, fmt)
    rows = [list(split(c)) + [value(v, c) for v in run.variants] for c in cases]
    return md_table(first_cols + run.variants, rows, "l" * len(first_cols) + "r" * len(run.variants))
