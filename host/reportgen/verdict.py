"""Report section: the conclusion.  One "who pays" point per variant of the
run, made from what the variant does (host/experiment.py's Variant fields):
a variant declared there appears here without a change to this file."""
import experiment
from experiment import REFERENCE as REF
from .answer import priced, sides, waiting
from .answer_text import IDLE_PIN_CASE, answer
from .compare import compare, static_values, within_spread
from .exact import (EXACT_CASES, HOT_OP, KEY_OFF_CASE, exact_diff, key_off_is_nops, same,
                    untouched_state)
from .fmt import fmt_count, fmt_ns, fmt_signed, md_table
from .hotpath import aa_text
from .phrases import (HISTORY, MAINLINE, HOT_CASES, code_growth, correctness_parts, exact_delta,
                      exact_sentence, largest_case, model, pins, unbind_lines, unbind_values)
from .variants import in_run

# GUP of a device-dax page.  pin_unpin times it with the bench module's own
# pin on the page, so the page is busy throughout; pin_unpin_idle with no
# other pin (runs from before that case lack it).
PIN_CASE = f"pin_unpin:{experiment.DEVICE_PAGE}"
PIN_LABEL = ("pin_user_pages_fast()/unpin_user_page() of a device-dax page that is already "
             "busy (the bench holds a pin on it)")


def payers(run):
    """The run's variants other than the reference, by behaviour: those
    whose get/put is not the reference's first (the 2015 thread's subject),
    then in matrix order."""
    return sorted(in_run(run), key=lambda v: v.stock_get_put)


def waited_sentence(run, case):
    """Which variants' unbind waited out the in-flight reference (median >= D)."""
    d_text = case.split("=", 1)[1]
    d = float(d_text)
    have = [v for v in run.variants if run.stats(v, "unbind", case)]
    waited = [v for v in have if run.stats(v, "unbind", case)["median"] >= d]
    parts = [f"unbind waited at least D = {d_text} ms (the reference's lifetime): "
             f"{', '.join(waited) or 'none'}",
             f"returned before D: {', '.join(v for v in have if v not in waited) or 'none'}"]
    unknown = [v for v in run.variants if v not in have]
    if unknown:
        parts.append(f"no number: {', '.join(unknown)}")
    return "; ".join(parts)


def hot_cost_table(run):
    cases = run.cases("hotpath")
    others = [v for v in run.variants if v != REF]
    if not cases:
        return "No hot-path rows."
    if run.icount:
        rows = [[c] + [exact_delta(run, v, c) for v in others] for c in cases]
        return md_table(["Case"] + [f"{v} − {REF} (instructions per pair)" for v in others], rows)
    rows = [[c] + [compare(run, v, "hotpath", c) for v in others] for c in cases]
    return md_table(["Case"] + [f"{v} vs {REF}" for v in others], rows)


def noise_note(run, variant, case):
    inside = within_spread(run, variant, "hotpath", case)
    if inside is None:
        return ""
    return f", {'inside' if inside else 'outside'} {REF}'s p25–p75"


def hot_sentence(run, variant):
    """variant vs the reference on HOT_OP, with and without a device-dax pgmap (wall clock)."""
    return ", ".join(f"{compare(run, variant, 'hotpath', case, noise_note(run, variant, case))} {label}"
                     for case, label in HOT_CASES)


def hook_note(run, v):
    """What V's key-off count is made of, said only as far as the data goes:
    nothing unless the hook's static-branch sites exist (hook_sites > 0) and
    the exact key-off count grew; the patched-out jumps (v.hook_nops, one per
    helper of the pair) are named as the whole explanation only when the
    count is exactly theirs."""
    sites = static_values(run).get((v.name, "hook_sites"))
    d, exact = exact_diff(run, v.name, KEY_OFF_CASE)
    if not v.hook_nops or d is None or not exact or not sites or d < 0 or same(d, 0):
        return ""
    where = (f"{v.name}'s vmlinux has {fmt_count(sites)} static-branch sites keyed on `devmap_pin_key` "
             "(`hook_sites`), each in an inlined page_ref helper and patched out (a nop) while the key is off")
    if key_off_is_nops(run, v):
        return (f" The key-off {fmt_signed(fmt_ns, d)} is the {count_word(v.hook_nops)} patched-out "
                f"jumps of the pair, one per helper (get and put): {where}.")
    return (f" One patched-out jump per helper (get and put) would account for "
            f"{fmt_signed(fmt_ns, v.hook_nops)} of the key-off {fmt_signed(fmt_ns, d)}: {where}.")


def count_word(n):
    return ("no", "one", "two", "three", "four")[n] if 0 <= n < 5 else str(n)


def zero_expectation(run, variant):
    """A get/put cost in instructions, judged against the expected 0."""
    if not any(d is not None for d, _ in (exact_diff(run, variant, c) for c in EXACT_CASES)):
        return ""
    state = untouched_state(run, variant)
    if state is False:
        return f" — not the expected 0: {variant}'s get/put pair executes a different number of instructions"
    if state:
        return " — 0, as expected of a policy that leaves get_page()/put_page() alone"
    return " — not decided against the expected 0: some of these samples vary"


def maps_unbind(run):
    maps = largest_case(run, "maps")
    return (f": with {maps.split('=', 1)[1]} idle mappings unbind took {unbind_values(run, maps)}."
            if maps else ", but this run has no `maps=` scenario to show it.")


def gup_others(run, v):
    """The run's other variants whose GUP is not the reference's."""
    return [o.name for o in in_run(run, exclude=(v.name,)) if not o.stock_gup]


def gup_pays(run, v):
    """A variant whose GUP, not its get/put, is what pays: GUP of a busy
    device-dax page, of an idle one (the idle -> busy -> idle transition),
    and GUP throughput of device-dax pages, beside the others that change GUP."""
    n, others = v.name, gup_others(run, v)
    beside = lambda case: (" (" + ", ".join(f"{o}: {exact_delta(run, o, case)}" for o in others) + ")"
                           if others else "")
    if not run.stats(n, "hotpath", IDLE_PIN_CASE):
        transition = ("The idle → busy transition (a GUP of a page nobody references, and the put "
                      "that ends it) is not timed by this run;")
    else:
        transition = (f"The same pair with no other pin on the page, so that under {n} it takes the "
                      f"page from idle to busy and back (`{IDLE_PIN_CASE}`): "
                      f"{exact_delta(run, n, IDLE_PIN_CASE, unit=True)}{beside(IDLE_PIN_CASE)};")
    # gup_test GUPs and puts every page of an idle mapping, so each page
    # (each folio at 2M) goes idle -> busy -> idle once per sample.
    cases = [c for c in run.cases("gup") if experiment.DEVICE_PAGE in c.partition(":")[2]]
    if not cases:
        gup = "This run has no GUP throughput of device-dax pages."
    else:
        gup = ("GUP of idle device-dax pages (gup_test: each page GUP'd and put, so each "
               "folio goes idle → busy → idle; at 2M every page after a folio's first is a GUP of "
               f"a busy folio, as in `{PIN_CASE}`): "
               + "; ".join(f"`{c}` " + ", ".join(f"{x} {compare(run, x, 'gup', c)}" for x in [n] + others)
                           for c in cases) + ";")
    return (f"{PIN_LABEL}: {exact_delta(run, n, PIN_CASE, unit=True)}{beside(PIN_CASE)}. "
            f"{transition} {gup}")


def workload_sentence(run, v):
    """V's whole workloads against the reference where its median lies
    outside the reference's middle half."""
    moved = [f"`{c}` {compare(run, v.name, 'workload', c)}" for c in run.cases("workload")
             if within_spread(run, v.name, "workload", c) is False]
    if not run.cases("workload"):
        return ""
    return (" Whole workloads outside " + REF + "'s p25–p75: "
            + ("; ".join(moved) if moved else "none") + ".")


def icount_point(run, v):
    """Who pays with V, in exact instructions."""
    n = v.name
    if not v.stock_get_put:
        return (f"Who pays with {n}, in exact instructions per {HOT_OP} pair vs {REF}: "
                f"{exact_sentence(run, n)}.{hook_note(run, v)} Static: {code_growth(run, n)}."
                f"{workload_sentence(run, v)}")
    text = (f"Who pays with {n}: its {HOT_OP} pair changes by {exact_sentence(run, n)}"
            f"{zero_expectation(run, n)}; ")
    text += (f"{gup_pays(run, v)} " if not v.stock_gup else "") + f"{code_growth(run, n)}."
    text += workload_sentence(run, v)
    if not v.revokes:
        text += " The price falls on systems that unbind a mapped device" + maps_unbind(run)
    return text


def wall_point(run, v):
    """Who pays with V, on the wall clock."""
    n = v.name
    if not v.stock_get_put:
        sites = static_values(run).get((n, "hook_sites"))
        sites_text = f", {fmt_count(sites)} hook sites" if sites is not None else ""
        return (f"Who pays with {n}: every kernel's get_page()/put_page(), whether or not it ever "
                f"unbinds a device: {HOT_OP} {hot_sentence(run, n)} (wall clock); "
                f"{code_growth(run, n)}{sites_text}.")
    text = f"Who pays with {n}: the hot path changes by {hot_sentence(run, n)} (wall clock), {code_growth(run, n)}"
    if not v.revokes:
        return text + "; the price falls on systems that unbind a mapped device" + maps_unbind(run)
    return text + "."


def verdict(run):
    """The numbered points of the answer, assembled from computed facts only."""
    inflight = largest_case(run, "inflight")
    point = icount_point if run.icount else wall_point
    parts = [f"Correctness: {'; '.join(correctness_parts(run))}."] + [point(run, v) for v in payers(run)]
    if run.icount:
        parts.append(aa_text(run)[1])
    if inflight:
        parts.append(f"References in flight (`{inflight}`): {unbind_values(run, inflight)}; "
                     f"{waited_sentence(run, inflight)}.")
    return parts + [answer(run)]


def question():
    """The 2015 question, its two sides named by what they hold."""
    p, w = priced(), (waiting() or [None])[0]
    per_reference = f"{model(p)} pinning ({p.name})" if p else "per-reference pinning"
    per_mapping = f"{model(w)}\npinning ({w.name})" if w else "per-mapping\npinning"
    return (f"The 2015 question was whether {per_reference} costs too much on\n"
            "every kernel's get_page()/put_page() path (Andrew Morton), or "
            f"{per_mapping} makes unbind wait too long (Dan Williams).")


def third_models(run):
    """The run's policies that neither side of 2015 proposed."""
    named = {s.name for s in sides()}
    return "".join(f"\n{v.name}, which the 2015 thread did not argue, pins {pins(v)}"
                   + (f": {HISTORY[v.holds]}" if v.holds in HISTORY else "") + ", measured beside them."
                   for v in in_run(run) if v.policy and v.holds != "nothing" and v.name not in named)


def section_conclusion(run):
    unbind = "\n".join(f"- {label} (`{case}`): {unbind_values(run, case)}"
                       for label, case in unbind_lines(run)) or "- no unbind scenario in this run"
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(verdict(run), 1))
    if run.icount:
        how = ("The hot-path numbers are exact instruction counts (`clock=icount`): a difference is "
               "instructions the variant's get/put pair executes in addition to (+) or instead of (−) "
               f"{REF}'s, not noise; a cell whose samples vary is flagged ⚠. Instructions are not "
               "cycles on real hardware.")
        table_title = f"Hot-path cost vs {REF}, instructions per pair (exact):"
        unbind_title = "Unbind latency, median (virtual ms; these samples still vary):"
    else:
        how = ("This run used the wall clock: its hot-path numbers are noisy and secondary evidence "
               f"(a run with `clock=icount` counts instructions exactly). \"Inside {REF}'s "
               f"p25–p75\" means the variant's median falls within the middle half of {REF}'s "
               "own samples.")
        table_title = f"Hot-path cost vs {REF} (change of the median; wall clock, secondary):"
        unbind_title = "Unbind latency, median:"
    return f"""## Conclusion

{question()} The numbers below are this run's;
a "missing" value names the cell that failed or was skipped.{third_models(run)}
{MAINLINE}
{how}

{table_title}

{hot_cost_table(run)}

{unbind_title}

{unbind}

Answer on these numbers:

{points}"""
