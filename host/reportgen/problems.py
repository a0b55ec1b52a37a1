"""Report section: failed or missing cells and boots."""
from schema import HEADERS
from .fmt import DASH, md_table
from .stats import case_key, status_key
from .tables import ZERO_IF_ABSENT


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


def brief_problems(rows):
    """Non-ok rows counted per variant and status."""
    counts = {}
    for s, v, g, c, n, t in rows:
        counts[(v, s)] = counts.get((v, s), 0) + 1
    return ("Cells with a sample row whose status is not `ok`, or no row, counted per variant and "
            "status (each listed in the details):\n\n"
            + md_table(("Variant", "Status", "Cells"), [(v, s, n) for (v, s), n in counts.items()],
                       "llr"))


def section_problems(run, brief=False):
    rows = problem_rows(run)
    bad_boots = [r for r in run.boots or [] if r["status"] != "ok"]
    parts = ["## Failed or missing cells"]
    if rows and brief:
        parts.append(brief_problems(rows))
    elif rows:
        parts.append("Every sample row whose status is not `ok`, grouped, worst first; `no row`: "
                     "the variant has no row at all for a case other variants have.\n\n"
                     + md_table(("Variant", "Group", "Case", "Status", "Rows", "Trials"),
                                [(v, g, c, s, n, t) for s, v, g, c, n, t in rows], "llllrl"))
    if bad_boots:
        parts.append("Boots (cells.csv) that did not end `ok`:\n\n" + md_table(
            HEADERS["cells.csv"], [[r[h] for h in HEADERS["cells.csv"]] for r in bad_boots]))
    if not run.samples:
        parts.append("samples.csv has no rows: every cell is missing.")
    elif not rows and not bad_boots:
        parts.append("None: every cell produced `ok` samples and every boot ended `ok`.")
    if run.boots is None:
        parts.append("cells.csv is missing, so failed boots cannot be listed.")
    return "\n\n".join(parts)
