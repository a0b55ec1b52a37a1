"""The cover letter's numbers block: its lines, and reading and rewriting
the letter between its marker lines."""
import textwrap

from experiment import REFERENCE as REF
from .aa import (AA_CASES, TICK_MS, aa_gup_pair, aa_gup_pairs, aa_pair, aa_pairs, aa_unbind,
                 aa_unbind_pairs)
from .compare import compare
from .exact import EXACT_CASES, HOT_OP
from .phrases import (EXACT_LABELS, HOT_CASES, bloat_counts, code_delta, correctness_parts,
                      exact_delta, unbind_lines, unbind_values)
from .runfolder import ReportError

BEGIN, END = "--- numbers: begin ---", "--- numbers: end ---"


def cover_lines(run):
    """The headline lines for the cover letter, wrapped to 72 columns."""
    m = run.manifest
    others = [v for v in run.variants if v != REF]
    lines = [f"run {run.run_id}: accel={m.get('accel', '?')}, clock={run.clock_name}, "
             f"trials={m.get('trials', '?')}, variants {' '.join(run.variants)}"]
    if run.icount:
        lines.append(f"{HOT_OP} vs {REF}, exact instructions per pair (clock=icount):")
        lines += [f"  {v} {EXACT_LABELS[case]}: {exact_delta(run, v, case)}"
                  for v in others for case in EXACT_CASES]
        lines += aa_lines(run)
    else:
        lines.append(f"{HOT_OP} vs {REF}, change of the median per pair (wall clock, noisy):")
        lines += [f"  {v} {label}: {compare(run, v, 'hotpath', case)}"
                  for v in others for case, label in HOT_CASES]
    lines.append(f"code size vs {REF} (text symbol sizes): "
                 + ", ".join(f"{v} {code_delta(run, v)}" for v in others))
    lines += [f"  bloat-o-meter {v}: {bloat_counts(run, v)}" for v in others]
    for label, case in unbind_lines(run):
        lines += [f"unbind latency, {label} ({case}), median:", f"  {unbind_values(run, case)}"]
    lines += ["correctness:"] + [f"  {p}" for p in correctness_parts(run)]
    return [w for line in lines
            for w in textwrap.wrap(line, 72, subsequent_indent="    ", break_on_hyphens=False)]


AA_WORD = {True: "0 as required", False: "NOT 0", None: "undecided"}


def aa_lines(run):
    """Short A/A lines for the cover letter, one per A/A pair in the run."""
    lines = []
    for a, b in aa_pairs(run):
        state, _ = aa_pair(run, a, b)
        vals = ", ".join(f"{c} {exact_delta(run, a, c)}" for c in AA_CASES)
        lines.append(f"A/A {a} - {b}: {vals or 'no ' + a} ({AA_WORD[state]})")
    for a, b in aa_gup_pairs(run):
        state, present = aa_gup_pair(run, a, b)
        if present:
            lines.append(f"A/A GUP {a} - {b}, {len(present)} pin cases: {AA_WORD[state]}")
    for a, b in aa_unbind_pairs(run):
        res = [o for _, o in aa_unbind(run, a, b)]
        if res:
            lines.append(f"A/A unbind {a} - {b}: ranges overlap (within a {TICK_MS:g} ms tick) "
                         f"in {sum(res)} of {len(res)} scenarios"
                         + (" (as required)" if all(res) else " (NOT all)"))
    return lines


def read_cover(path):
    """The cover letter's lines; error unless both marker lines are present in order."""
    with open(path) as f:
        lines = f.read().splitlines()
    stripped = [l.rstrip() for l in lines]
    if BEGIN not in stripped or END not in stripped or stripped.index(BEGIN) > stripped.index(END):
        raise ReportError(f"{path}: missing '{BEGIN}' / '{END}' marker lines")
    return lines


def write_cover(path, lines, numbers):
    stripped = [l.rstrip() for l in lines]
    begin, end = stripped.index(BEGIN), stripped.index(END)
    with open(path, "w") as f:
        f.write("\n".join(lines[:begin + 1] + numbers + lines[end:]) + "\n")
