"""Judge: the A/A checks.  A variant whose get/put code is the reference's
(Variant.stock_get_put) must count the reference's instructions exactly;
one whose GUP code is (Variant.stock_gup) the same on the pin cases; one
whose unbind is the reference's (holds nothing, revokes) must give unbind
latencies whose ranges overlap the reference's."""
from collections import namedtuple

import experiment
from experiment import REFERENCE as REF
from .exact import exact_diff, same
from .variants import declared

# The cases the report's A/A sentence judges: each get/put op on an
# ordinary page with a device-dax pgmap present.
AA_CASES = tuple(f"{op}:{experiment.KEY_ON}" for op in experiment.GET_PUT_OPS)
# The GUP cases: a pin and an unpin of each memory, the page busy or idle.
AA_GUP_CASES = tuple(c for c in experiment.group("hotpath").cases if c.split(":")[0].startswith("pin_"))
# missing: None, "case" (not in this run) or the variant without a sample
AACase = namedtuple("AACase", "case state diff exact missing")


def _pairs(keep, run=None):
    """(variant, reference) of every declared variant but the reference that
    KEEP accepts; with RUN, only those in it (a run from before a variant
    existed does not judge it)."""
    return [(v.name, REF) for v in declared()
            if v.name != REF and keep(v) and (run is None or v.name in run.variants)]


def aa_pairs(run=None):
    """(variant, reference) of every variant whose get/put code is the
    reference's."""
    return _pairs(lambda v: v.stock_get_put, run)


def aa_gup_pairs(run=None):
    """(variant, reference) of every variant whose GUP code is the reference's."""
    return _pairs(lambda v: v.stock_gup, run)


def aa_unbind_pairs(run=None):
    """(variant, reference) of every variant whose unbind does what the
    reference's does: nothing holds the pgmap, the mappings are revoked."""
    ref = next(v for v in declared() if v.name == REF)
    return _pairs(lambda v: (v.holds, v.revokes) == (ref.holds, ref.revokes), run)


# An unbind figure moves in jiffies (HZ=250 in both configs): ranges closer
# than one are not told apart by this instrument.
TICK_MS = 4.0


def ranges_overlap(run, a, b, group, case, slack=0.0):
    """True if A's and B's samples of one cell overlap (min..max), or lie
    within SLACK of each other; False if not; None if either has none."""
    va, vb = (run.cell(x, group, case).values for x in (a, b))
    if not va or not vb:
        return None
    return max(min(va), min(vb)) <= min(max(va), max(vb)) + slack


def aa_unbind(run, a, b):
    """[(case, overlap within a tick)] of every unbind scenario both A and B
    have samples of."""
    res = [(c, ranges_overlap(run, a, b, "unbind", c, TICK_MS)) for c in run.cases("unbind")]
    return [(c, o) for c, o in res if o is not None]


def aa_case(run, a, b, case):
    """A - B on one hot-path case: state True (the same count), False (a
    different count) or None (not in the run, missing, or samples vary:
    their medians are not counts and decide nothing either way)."""
    if case not in run.cases("hotpath"):
        return AACase(case, None, None, None, "case")
    d, exact = exact_diff(run, a, case, base=b)
    if d is None:
        return AACase(case, None, None, None, exact)
    return AACase(case, same(d, 0) if exact else None, d, exact, None)


def combine(states):
    """False if any is False, True if all are True, else None."""
    states = list(states)
    return False if False in states else (True if all(s is True for s in states) else None)


def aa_pair(run, a, b, cases=AA_CASES):
    """(state, [AACase]) of A - B over CASES."""
    results = [aa_case(run, a, b, c) for c in cases]
    return combine(r.state for r in results), results


def aa_gup_pair(run, a, b):
    """(state, [AACase]) of A - B over the GUP cases this run has."""
    present = [r for r in aa_pair(run, a, b, cases=AA_GUP_CASES)[1] if r.missing != "case"]
    return combine(r.state for r in present), present
