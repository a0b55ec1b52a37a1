"""Judge: does the run's instrument resolve the hot-path question?  The
checks of host/check-exact.py, as (ok, description) in output order."""
import experiment
from experiment import REFERENCE as REF
from .aa import (AA_GUP_CASES, TICK_MS, aa_case, aa_gup_pairs, aa_pairs, aa_unbind,
                 aa_unbind_pairs)
from .exact import exact_value, key_off_is_nops, varies
from .jobs import checks as jobs_checks
from .variants import declared

GET_PUT_OPS = experiment.GET_PUT_OPS
MEMORIES = (experiment.KEY_ON, experiment.KEY_OFF, experiment.DEVICE_PAGE)
UNSTATED = "none"   # the clock of a manifest that does not state one


def measured(run):
    """(variant, case, stats) of every hot-path cell with ok samples, by name."""
    return sorted((v, c, cell.stats) for (v, g, c), cell in run.cells.items()
                  if g == "hotpath" and cell.values)


def checks(run):
    clock = run.manifest.get("clock", UNSTATED)
    out = [(run.icount, f"run is on the instruction clock (clock={clock})")]
    cells = measured(run)
    out += [(not varies(st), f"{v} {c}: exact over {st['n']} samples "
                             f"({st['min']:.2f}..{st['max']:.2f})")
            for v, c, st in cells if c.split(":")[0] in GET_PUT_OPS]
    hot = {v for v, _, _ in cells}
    value = lambda v, case: exact_value(run, v, case)
    for op in GET_PUT_OPS:
        for a, b in aa_pairs():
            if a not in hot:   # a run from before the variant existed does not judge it
                continue
            for mem in MEMORIES:
                case = f"{op}:{mem}"
                out.append((aa_case(run, a, b, case).state is True,
                            f"A/A: {a} {case} = {b} ({value(a, case)} vs {value(b, case)} "
                            "instructions/pair)"))
        for v in declared():
            if v.hook_nops:
                out += hook_checks(run, v, op, value)
    return out + gup_aa_checks(run, hot, value) + unbind_aa_checks(run) + jobs_checks(run)


def gup_aa_checks(run, hot, value):
    """A variant whose GUP code is the reference's: the same count on every
    pin case, where both counts are exact (a count that varies decides
    nothing, and says so)."""
    out = []
    for a, b in aa_gup_pairs():
        if a not in hot:
            continue
        for case in AA_GUP_CASES:
            r = aa_case(run, a, b, case)
            if r.missing != "case":
                out.append((r.state is not False,
                            f"A/A GUP: {a} {case} = {b} ({value(a, case)} vs {value(b, case)}"
                            + (")" if r.state is not None else "; not exact: undecided)")))
    return out


def unbind_aa_checks(run):
    """A variant whose unbind is the reference's: its latencies overlap."""
    out = []
    for a, b in aa_unbind_pairs():
        for case, ov in aa_unbind(run, a, b):
            ca, cb = (run.cell(x, "unbind", case).values for x in (a, b))
            out.append((ov, f"A/A unbind: {a} {case} overlaps {b} within a {TICK_MS:g} ms tick "
                            f"({min(ca):.1f}..{max(ca):.1f} vs {min(cb):.1f}..{max(cb):.1f} ms)"))
    return out


def hook_checks(run, v, op, value):
    """A hooked variant: with the key off it costs exactly its patched-out
    jumps; with the key on more, and more again on a device-dax page."""
    n = v.name
    off_case = f"{op}:{experiment.KEY_OFF}"
    b, off = value(REF, off_case), value(n, off_case)
    on = value(n, f"{op}:{experiment.KEY_ON}")
    dev, bdev = (value(x, f"{op}:{experiment.DEVICE_PAGE}") for x in (n, REF))
    return [(key_off_is_nops(run, v, off_case) is True,
             f"{n} {op}, key off: {REF} + {v.hook_nops} NOPs ({off} vs {b} instructions/pair)"),
            (on is not None and off is not None and on > off,
             f"{n} {op}, key on, ordinary page: more than key off ({on} vs {off})"),
            (dev is not None and on is not None and bdev is not None and dev > on and dev > bdev,
             f"{n} {op}, device-dax page: more than an ordinary page and than "
             f"{REF}'s ({dev} vs {on}, {REF} {bdev})")]
