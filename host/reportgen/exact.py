"""Judge: which hot-path cells are exact counts, and what a variant's exact
get/put cost is against the reference.  The one tolerance lives here."""
import experiment
from experiment import REFERENCE as REF
from .compare import diff

# Under icount a hot-path cell is exact: samples differing by more than this
# (the values carry 2 decimals) are flagged, never averaged silently.
EXACT_TOL = 0.005
HOT_OP = experiment.HOT_OP   # the op the 2015 thread argued about
# Under icount: the three situations a get/put pair can be in, cheapest first.
KEY_OFF_CASE = f"{HOT_OP}:{experiment.KEY_OFF}"
KEY_ON_CASE = f"{HOT_OP}:{experiment.KEY_ON}"
DEVICE_CASE = f"{HOT_OP}:{experiment.DEVICE_PAGE}"
EXACT_CASES = (KEY_OFF_CASE, KEY_ON_CASE, DEVICE_CASE)


def varies(st):
    """True if a cell's samples differ by more than EXACT_TOL."""
    return st["max"] - st["min"] > EXACT_TOL


def same(a, b):
    """Two exact counts are the same count."""
    return abs(a - b) <= EXACT_TOL


def exact_value(run, variant, case):
    """The count of an exact hot-path cell; None if it is missing or varies."""
    st = run.stats(variant, "hotpath", case)
    return st["median"] if st and not varies(st) else None


def exact_diff(run, variant, case, base=REF):
    """(variant - base median, exact?) on a hot-path case, or (None, the name
    of the variant whose cell has no sample)."""
    st, b = run.stats(variant, "hotpath", case), run.stats(base, "hotpath", case)
    for name, s in ((variant, st), (base, b)):
        if not s:
            return None, name
    return diff(st["median"], b["median"]), not varies(st) and not varies(b)


def untouched_state(run, variant):
    """Whether VARIANT's get/put pair counts the reference's instructions
    exactly in every EXACT_CASE: True, False, or None (missing or varying samples)."""
    known = [(d, e) for d, e in (exact_diff(run, variant, case) for case in EXACT_CASES)
             if d is not None]
    if any(e and abs(d) > EXACT_TOL for d, e in known):
        return False
    if known and len(known) == len(EXACT_CASES) and all(e for _, e in known):
        return True
    return None


def key_off_is_nops(run, v, case=KEY_OFF_CASE):
    """With no device-dax pgmap (the static key off), does V's pair cost
    exactly its patched-out jumps (v.hook_nops) more than the reference's?
    True, False, or None (missing or varying samples)."""
    d, exact = exact_diff(run, v.name, case)
    if d is None or not exact:
        return None
    return same(d, v.hook_nops)
