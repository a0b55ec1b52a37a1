"""Report text: the one-sentence answer, in the words of the rule that chose
it (judge: answer.choose)."""
import experiment
from experiment import REFERENCE as REF
from .answer import choose, distribution_claim, heavier_workloads, priced, protects, waiting
from .compare import compare, median_delta, within_spread
from .exact import DEVICE_CASE, HOT_OP, KEY_OFF_CASE, KEY_ON_CASE, exact_diff, same
from .fmt import fmt_ns, fmt_signed
from .phrases import (EXACT_LABELS, code_growth, correctness_of, exact_delta, exact_sentence,
                      model)
from .safety import correctness_summary
from .variants import configs

PROMISE = "ran every functional test as promised without an oops"
# A pin/unpin pair of a device-dax page nobody else references: under a
# policy that pins per busy page, each pair takes it from idle to busy and back.
IDLE_PIN_CASE = f"pin_unpin_idle:{experiment.DEVICE_PAGE}"


def answer(run):
    """The one-sentence answer, chosen by rules stated in its own words."""
    a = choose(run)
    if a.kind == "free":
        return answer_free(run, a.variant, a.safe)
    if a.kind == "tradeoff":
        return answer_tradeoff(run, a.variant)
    p = a.variant
    if a.kind == "unclear":
        if p is None:
            return "No clear answer from this run: no variant pays for its protection on get/put."
        return (f"No clear answer from this run: {p.name} did not run every functional test as "
                f"promised without an oops ({correctness_of(run, p.name)}).")
    lead = (f"{p.name} is the only variant that {PROMISE}" if a.safe == [p.name]
            else f"{', '.join(a.safe)} {PROMISE}")
    return answer_exact(run, p, lead) if run.icount else answer_wall(run, p, lead)


def answer_exact(run, p, lead):
    """The answer on exact instruction counts (clock=icount)."""
    n = p.name
    d, exact = exact_diff(run, n, KEY_OFF_CASE)
    if d is None:
        return (f"Incomplete: {lead}, but its hot-path cost without a device is "
                f"{exact_delta(run, n, KEY_OFF_CASE)}.")
    rest = (f"{exact_delta(run, n, KEY_ON_CASE, unit=True)} {EXACT_LABELS[KEY_ON_CASE]} and "
            f"{exact_delta(run, n, DEVICE_CASE, unit=True)} {EXACT_LABELS[DEVICE_CASE]}; "
            f"{code_growth(run, n)}")
    flag = "" if exact else " (⚠ its samples vary, so this is not an exact count)"
    if same(d, 0):
        return (f"{model(p, True)} pinning ({n}): {lead}, and on a kernel without a device-dax pgmap "
                f"its {HOT_OP} pair executes as many instructions as {REF}'s "
                f"({fmt_signed(fmt_ns, d)} per pair{flag}); the price is {rest}.")
    what = "an exact price" if d > 0 else "an exact difference"
    return (f"{model(p, True)} pinning ({n}): {lead}, at {what} on every kernel: "
            f"{fmt_signed(fmt_ns, d)} instructions per {HOT_OP} pair "
            f"{EXACT_LABELS[KEY_OFF_CASE]}{flag}, {rest}.")


def answer_wall(run, p, lead):
    """The answer on wall-clock medians (secondary: noisy)."""
    n = p.name
    cost, inside = compare(run, n, "hotpath", KEY_OFF_CASE), within_spread(run, n, "hotpath", KEY_OFF_CASE)
    if inside is None:
        return f"Incomplete: {lead}, but its hot-path cost without a device is {cost}."
    if inside:
        return (f"{model(p, True)} pinning ({n}): {lead}, and on a kernel without a device-dax pgmap "
                f"its {HOT_OP} cost ({cost}) lies inside {REF}'s own p25–p75 of the wall clock, so "
                "the cost to everyone's kernel is not measurable in this run; with a device present "
                f"it is {compare(run, n, 'hotpath', KEY_ON_CASE)}.")
    return (f"{model(p, True)} pinning ({n}) wins on correctness ({lead}), at a measurable price on "
            f"every kernel: {cost} per {HOT_OP} pair without a device-dax pgmap, outside {REF}'s "
            "p25–p75.")


def answer_free(run, v, safe):
    """V is safe and its get/put pair is exactly the reference's."""
    n = v.name
    others = [x for x in safe if x != n]
    p = priced()
    also = (f"; {', '.join(others)} did too, "
            + (f"{p.name} at " + exact_sentence(run, p.name).replace(" instructions per pair", "", 1)
               if p and p.name in others else "")
            if others else "")
    idle = (f"{exact_delta(run, n, IDLE_PIN_CASE)} instructions per pin/unpin pair of an idle page"
            if run.stats(n, "hotpath", IDLE_PIN_CASE) else "not timed by this run")
    return (f"{model(v, True)} pinning ({n}), on this run's kernels ({kernels_phrase(run)}): "
            f"it {PROMISE}{also}. "
            f"{n} does so with get_page()/put_page() exactly as {REF}'s, device or not "
            f"({exact_sentence(run, n)}); it pays on {v.pays} ({idle}), and "
            f"at unbind waits only for {v.unbind_waits_for}; {code_growth(run, n)}."
            f"{off_path(run, v)}{dearer(run, v, p)}{workloads_phrase(run, v, p) if p else ''} "
            f"{ship_sentence(run, v)}")


def heavier_text(run, v, p):
    """'`tee` (busy +1.0 ..., fine +0.5 ...); ...': the workloads dearer under V than P."""
    return "; ".join(f"`{c}` ({v.name} {compare(run, v.name, 'workload', c)}, {p.name} "
                     f"{compare(run, p.name, 'workload', c)})" for c in heavier_workloads(run, v, p))


def workloads_phrase(run, v, p):
    """Where V stands against P in the whole workloads."""
    if not run.cases("workload"):
        return f" This run has no whole workload to weigh {v.name} against {p.name}."
    if not heavier_workloads(run, v, p):
        return (f" In no whole workload of this run does {v.name} cost more than "
                f"{p.name} (middle halves compared).")
    return f" In whole workloads {v.name} costs more than {p.name} in {heavier_text(run, v, p)}."


def answer_tradeoff(run, v):
    """V is safe with the reference's get/put, but dearer than the
    per-reference variant in some whole workload: no single answer."""
    p = priced()
    return (f"No single answer from this run, on its kernels ({kernels_phrase(run)}): {v.name} and "
            f"{p.name} {PROMISE}; {v.name}'s get/put is {REF}'s where {p.name} pays "
            f"{exact_delta(run, p.name, KEY_OFF_CASE, unit=True)} {EXACT_LABELS[KEY_OFF_CASE]}, but in "
            f"whole workloads {v.name} costs more than {p.name} in "
            f"{heavier_text(run, v, p)}{lighter_text(run, v, p)}.{dearer(run, v, p)} Which is cheaper "
            "depends on a kernel's mix of get/put and GUP, which this run does not weigh.")


def lighter_text(run, v, p):
    """'; and less in `a`, `b`': the workloads where P's middle half lies above V's."""
    cheaper = heavier_workloads(run, p, v)
    return ("; and less in " + ", ".join(f"`{c}`" for c in cheaper)) if cheaper else ""


def kernels_phrase(run):
    """'config lean: ...': where the numbers come from."""
    return "; ".join(f"config {c.name}: {c.what}" + (f", without {', '.join(c.unset)}" if c.unset else "")
                     for c in configs(run))


def dearer_cases(run, v, p):
    """[(group, case)] where V costs more over the reference than P does:
    exact hot-path cells by their counts; GUP cells, which vary, only where
    V's middle half lies wholly above P's."""
    out = []
    for c in run.cases("hotpath"):
        dv, ev = exact_diff(run, v.name, c)
        dp, ep = exact_diff(run, p.name, c)
        if dv is not None and dp is not None and ev and ep and dv > dp and not same(dv, dp):
            out.append(("hotpath", c))
    for c in run.cases("gup"):
        sv, sp = run.stats(v.name, "gup", c), run.stats(p.name, "gup", c)
        if sv and sp and median_delta(run, v.name, "gup", c) > median_delta(run, p.name, "gup", c) \
                and sv["p25"] > sp["p75"]:
            out.append(("gup", c))
    return out


def delta_text(run, name, group, case):
    return exact_delta(run, name, case, unit=True) if group == "hotpath" else compare(run, name, group, case)


def dearer(run, v, p):
    """Where V costs more than P, said as the data says it."""
    if p is None:
        return ""
    cases = dearer_cases(run, v, p)
    if not cases:
        return f" On no hot-path or GUP case does {v.name} cost more than {p.name}."
    return (f" {v.name} costs more than {p.name} in "
            + "; ".join(f"`{c}` ({v.name} {delta_text(run, v.name, g, c)}, {p.name} "
                        f"{delta_text(run, p.name, g, c)})" for g, c in cases) + ".")


def off_path(run, v):
    """Exact hot-path cells of ordinary pages where V's count is not the
    reference's although its get/put code is: costs beside what it
    declares it pays for."""
    cells = [c for c in run.cases("hotpath")
             if c.partition(":")[2] in (experiment.KEY_ON, experiment.KEY_OFF)
             and (d := exact_diff(run, v.name, c))[0] is not None and d[1] and not same(d[0], 0)]
    if not cells:
        return ""
    return (f" Beside that path, {v.name} changes " + "; ".join(
        f"`{c}` by {exact_delta(run, v.name, c, unit=True)}" for c in cells) + " (ordinary pages).")


def ship_sentence(run, v):
    """For which kernels this run recommends V, and why not the others."""
    p = priced()
    ran = correctness_summary(run)
    than = (f"it protects what {p.name} protects in every functional test of this run at "
            f"{REF}'s get/put price, where {p.name} pays on {p.pays}" if p else
            f"it protects at {REF}'s get/put price")
    rest = [(f"{w.name} protects {'as much' if protects(w) else 'less'} ({correctness_of(run, w.name)}) "
             f"and makes an unbind wait for {w.unbind_waits_for}") if w.name in ran
            else f"{w.name} did not run" for w in waiting()]
    ok, why = distribution_claim(run, v)
    where = ("a distribution kernel should select" if ok else
             f"a kernel like this run's should select")
    tail = "" if ok else f" This run makes no claim for distribution kernels: {'; '.join(why)}."
    return (f"On these numbers {where} {v.name}: {than}"
            + "".join(f"; {r}" for r in rest) + "." + tail)
