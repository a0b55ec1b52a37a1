"""Judge: which variant the answer names, by rules on the variants'
behaviour (host/experiment.py) and this run's numbers."""
from collections import namedtuple

from experiment import REFERENCE as REF
from .exact import untouched_state
from .safety import safe_variants
from .variants import behaviour, configs, declared, finding_status, findings

# kind: "free" (a safe variant at the reference's exact get/put cost, in no
# whole workload dearer than the per-reference variant), "tradeoff" (such a
# variant, but some workload is dearer under it: no single answer),
# "priced" (the per-reference variant is safe: its price is the question),
# "unclear" (it is not); variant: the Variant named; safe: the safe names.
Answer = namedtuple("Answer", "kind variant safe")


def priced():
    """The side of the 2015 question that pays on get/put: the first declared
    variant whose get/put code is not the reference's; None if none is."""
    return next((v for v in declared() if not v.stock_get_put), None)


def waiting():
    """The other side: declared variants whose unbind waits for the mappings
    instead of revoking them."""
    return [v for v in declared() if not v.revokes]


def sides():
    """The variants of the two sides of the 2015 question."""
    p = priced()
    return ([p] if p else []) + waiting()


def protects(v):
    """V's unbind waits for every page reference that outlives a mapping,
    and does not wait for the mappings themselves."""
    return v.waits_for_refs and v.revokes


def free_choice(run, safe):
    """The first safe variant that protects what must be protected with the
    reference's get/put code, counted exactly equal (icount); or None."""
    for name in safe:
        v = behaviour(name)
        if v and v.name != REF and v.stock_get_put and protects(v) \
                and untouched_state(run, name):
            return v
    return None


def heavier_workloads(run, v, p):
    """The workloads (instructions per operation, icount) in which V's
    middle half lies wholly above P's: where V costs more in a whole
    workload, GUP and everything else included."""
    out = []
    for c in run.cases("workload"):
        sv, sp = run.stats(v.name, "workload", c), run.stats(p.name, "workload", c)
        if sv and sp and sv["p25"] > sp["p75"]:
            out.append(c)
    return out


def choose(run):
    safe = safe_variants(run)
    free = free_choice(run, safe) if run.icount else None
    p = priced()
    if free and p and p.name in safe and heavier_workloads(run, free, p):
        return Answer("tradeoff", free, safe)
    if free:
        return Answer("free", free, safe)
    return Answer("priced" if p and p.name in safe else "unclear", p, safe)


def open_findings(run, v):
    """Findings against V that the series does not answer, as far as RUN
    shows."""
    return [f for f in findings(v) if finding_status(run, f).split(":")[0] == "open"]


def distribution_claim(run, v):
    """Whether this run may recommend V for distribution kernels: only if it
    measured a distribution config and no open finding stands against V.
    (allowed, [reasons it may not])."""
    why = []
    if not any(c.distribution for c in configs(run)):
        why.append("it measured no distribution config")
    n = len(open_findings(run, v))
    if n:
        why.append(f"{n} open finding{'s' if n > 1 else ''} from reading the 6.12 source "
                   f"stand{'s' if n == 1 else ''} against {v.name} (listed under Limits)")
    return not why, why
