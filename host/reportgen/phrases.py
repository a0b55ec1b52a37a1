"""Phrases several sections share: a variant's exact cost, its code growth,
its correctness, unbind numbers, and the names of policies made from what
they do (host/experiment.py's Variant fields)."""
import re

from experiment import REFERENCE as REF
from .compare import median_text, static_values
from .exact import DEVICE_CASE, EXACT_CASES, KEY_OFF_CASE, KEY_ON_CASE, exact_diff
from .fmt import fmt_count, fmt_ns, fmt_pct, fmt_signed
from .safety import correctness_summary, skipped
from .stats import pct_change
from .variants import declared

EXACT_LABELS = {KEY_OFF_CASE: "with no device-dax pgmap (static key off)",
                KEY_ON_CASE: "with a device-dax pgmap present (key on, ordinary page)",
                DEVICE_CASE: "on a device-dax page"}
# On the wall clock: with and without a device-dax pgmap.
HOT_CASES = ((KEY_ON_CASE, "with a device-dax pgmap present"),
             (KEY_OFF_CASE, "with no device-dax pgmap"))
# What holds the pgmap, as the name of a pinning model ("per-mapping").
MODEL = {"page-reference": "per-reference"}
# What is known of a model besides this run, by what holds the pgmap.
HISTORY = {"busy-page": "the model the kernel took for device-private pages in v6.1"}
# Mainline's own answers since 2015: facts from a review's reading of
# mainline (commits named); this harness builds 6.12 only.
MAINLINE = ("Mainline since then, as a review read it (not run here): v4.5 pinned the pgmap per "
            "page reference in get_page()/put_page() (per-reference pinning) until 71389703839e (v4.12), "
            "which held one pgmap reference per live page; 27674ef6c73f (v5.18) one bulk reference "
            "per page, so unbind stopped waiting for page references; 0dc45ca1ce18 (v6.1) "
            "per-allocation references for device-private pages (per-busy-page pinning); v6.15 refcounts "
            "device-dax pages normally (idle at 1, +1 per mapping); v6.17's GUP takes no pgmap "
            "reference. In mainline a pin that outlives a device-dax unbind holds no pgmap "
            "reference either.")


def model(v, capital=False):
    """'per-reference', 'per-mapping', 'per-busy-page': V's pinning model."""
    text = MODEL.get(v.holds, f"per-{v.holds}")
    return text[0].upper() + text[1:] if capital else text


def pins(v):
    """'per busy page': what one pgmap reference of V stands for."""
    return "nothing" if v.holds == "nothing" else "per " + v.holds.replace("-", " ")


def hooked():
    """The declared variants whose get/put has a static-key hook, by name."""
    return " and ".join(v.name for v in declared() if v.hook_nops) or "no variant"


def exact_delta(run, variant, case, unit=False):
    """'+2.00' (or '+2.00 instructions per pair'), flagged when not exact."""
    d, exact = exact_diff(run, variant, case)
    if d is None:
        return f"missing ({exact} {case}: {run.cell(exact, 'hotpath', case).problem()})"
    text = fmt_signed(fmt_ns, d) + (" instructions per pair" if unit else "")
    return text if exact else f"{text} (⚠ samples vary: not exact)"


def exact_sentence(run, variant):
    """variant - reference on HOT_OP in the three EXACT_CASES, in instructions."""
    return "; ".join(f"{exact_delta(run, variant, case, unit=True)} {EXACT_LABELS[case]}"
                     for case in EXACT_CASES)


def code_delta(run, variant):
    """'+4,096 bytes (+0.041%)' of code_bytes vs the reference, or why it is missing."""
    vals = static_values(run)
    new, base = vals.get((variant, "code_bytes")), vals.get((REF, "code_bytes"))
    if new is None or base is None:
        return f"missing (no code_bytes for {variant if new is None else REF})"
    # One decimal would print +0.0% for kilobytes out of megabytes.
    return f"{fmt_signed(fmt_count, new - base)} bytes ({fmt_pct(pct_change(new, base), 3)})"


BLOAT_SUMMARY = re.compile(r"add/remove: (\d+)/(\d+) grow/shrink: (\d+)/(\d+) "
                           r"up/down: ([-+]?\d+)/([-+]?\d+) \(([-+]?\d+)\)")


def bloat_counts(run, variant):
    """'+4,096 bytes; functions 3 added, 0 removed, 12 grown, 1 shrunk' from
    bloat-<variant>.txt, or why there is none."""
    if variant not in run.bloat:
        return f"bloat-{variant}.txt missing"
    for line in run.bloat[variant][0]:
        m = BLOAT_SUMMARY.match(line)
        if m:
            add, rem, grow, shrink, _, _, total = (int(x) for x in m.groups())
            return (f"{fmt_signed(fmt_count, total)} bytes; functions {add} added, {rem} removed, "
                    f"{grow} grown, {shrink} shrunk")
    return "no bloat-o-meter summary"


def code_growth(run, variant):
    """Code growth vs the reference for prose: code_bytes and bloat-o-meter."""
    return f"code {code_delta(run, variant)} (bloat-o-meter: {bloat_counts(run, variant)})"


def variant_correctness(crashes, fails, n, skips=0):
    if not n:
        return "not tested"
    kind = "oops or fatal warning" if any(o == "warning" for _, o in crashes) else "oops"
    names = ", ".join(t + (" (warning)" if o == "warning" else "") for t, o in crashes)
    tests = f"{n} tests" + (f" run ({skips} skipped)" if skips else "")
    text = f"{kind} in {len(crashes)} of {tests} ({names})" if crashes else f"no oops in {tests}"
    return text + (f", {len(fails)} FAIL ({'; '.join(fails)})" if fails else ", all as promised")


def correctness_of(run, name):
    return variant_correctness(*correctness_summary(run).get(name, ([], [], 0)), skipped(run, name))


def correctness_parts(run):
    if run.functional is None:
        return ["missing (no functional.csv)"]
    return [f"{v}: {variant_correctness(*c, skipped(run, v))}"
            for v, c in correctness_summary(run).items()]


def largest_case(run, prefix):
    """The unbind case 'prefix=N' with the largest N, or None."""
    cases = [c for c in run.cases("unbind") if c.startswith(prefix + "=")]
    return cases[-1] if cases else None


def unbind_lines(run):
    """[(label, case)] for the scenarios the conclusion and cover letter quote."""
    picks = [("nothing mapped", "idle" if "idle" in run.cases("unbind") else None),
             ("idle mappings", largest_case(run, "maps")),
             ("a page reference in flight", largest_case(run, "inflight"))]
    return [(label, case) for label, case in picks if case]


def unbind_values(run, case):
    return ", ".join(f"{v} {median_text(run, v, 'unbind', case)}" for v in run.variants)
