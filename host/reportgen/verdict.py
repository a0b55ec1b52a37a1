"""The conclusion, and the cover letter's numbers."""
from .common import *  # noqa: F401,F403
from .fmt import *  # noqa: F401,F403
from .stats import *  # noqa: F401,F403
from .runfolder import *  # noqa: F401,F403
from .compare import *  # noqa: F401,F403
from .sections import *  # noqa: F401,F403
from .exact import *  # noqa: F401,F403
from .costs import *  # noqa: F401,F403


def largest_case(run, prefix):
    """The unbind case 'prefix=N' with the largest N, or None."""
    cases = [c for c in run.cases("unbind") if c.startswith(prefix + "=")]
    return cases[-1] if cases else None


def correctness_summary(run):
    """{variant: (crashes, FAIL texts, number of tests)} from functional.csv;
    a crash is (test, outcome), the outcome an oops or a fatal warning."""
    out = {v: ([], [], 0) for v in run.variants}
    for r in run.functional or []:
        crashes, fails, n = out.setdefault(r["variant"], ([], [], 0))
        if r["outcome"] in ("oops", "warning"):
            crashes.append((r["test"], r["outcome"]))
        if r["outcome"] != r["expected"]:
            fails.append(f"{r['test']} expected {r['expected']} got {r['outcome']}")
        out[r["variant"]] = (crashes, fails, n + 1)
    return out


def safe_variants(run):
    """Variants that ran every functional test as promised and never oopsed."""
    return [v for v, (crashes, fails, n) in correctness_summary(run).items()
            if n and not crashes and not fails]


def variant_correctness(crashes, fails, n):
    if not n:
        return "not tested"
    kind = "oops or fatal warning" if any(o == "warning" for _, o in crashes) else "oops"
    names = ", ".join(t + (" (warning)" if o == "warning" else "") for t, o in crashes)
    text = f"{kind} in {len(crashes)} of {n} tests ({names})" if crashes else f"no oops in {n} tests"
    return text + (f", {len(fails)} FAIL ({'; '.join(fails)})" if fails else ", all as promised")


def correctness_parts(run):
    if run.functional is None:
        return ["missing (no functional.csv)"]
    return [f"{v}: {variant_correctness(*c)}" for v, c in correctness_summary(run).items()]


def correctness_line(run):
    return "; ".join(correctness_parts(run))


def unbind_lines(run):
    """[(label, case)] for the scenarios the conclusion and cover letter quote."""
    picks = [("nothing mapped", "idle" if "idle" in run.cases("unbind") else None),
             ("idle mappings", largest_case(run, "maps")),
             ("a page reference in flight", largest_case(run, "inflight"))]
    return [(label, case) for label, case in picks if case]


def unbind_values(run, case):
    return ", ".join(f"{v} {median_text(run, v, 'unbind', case)}" for v in run.variants)


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
    others = [v for v in run.variants if v != "baseline"]
    if not cases:
        return "No hot-path rows."
    if run.icount:
        rows = [[c] + [exact_delta(run, v, c) for v in others] for c in cases]
        return md_table(["Case"] + [f"{v} − baseline (instructions per pair)" for v in others], rows)
    rows = [[c] + [compare(run, v, "hotpath", c) for v in others] for c in cases]
    return md_table(["Case"] + [f"{v} vs baseline" for v in others], rows)


def noise_note(run, variant, case):
    inside = within_spread(run, variant, "hotpath", case)
    if inside is None:
        return ""
    return f", {'inside' if inside else 'outside'} baseline's p25–p75"


def hot_sentence(run, variant):
    """variant vs baseline on HOT_OP, with and without a device-dax pgmap (wall clock)."""
    return ", ".join(f"{compare(run, variant, 'hotpath', case, noise_note(run, variant, case))} {label}"
                     for case, label in HOT_CASES)


def exact_diff(run, variant, case):
    """(variant - baseline median, exact?) on a hot-path case, or (None, why missing)."""
    st, base = run.stats(variant, "hotpath", case), run.stats("baseline", "hotpath", case)
    for name, s in ((variant, st), ("baseline", base)):
        if not s:
            return None, f"missing ({name} {case}: {run.cell(name, 'hotpath', case).problem()})"
    return diff(st["median"], base["median"]), not varies(st) and not varies(base)


def exact_delta(run, variant, case, unit=False):
    """'+2.00' (or '+2.00 instructions per pair'), flagged when not exact."""
    d, exact = exact_diff(run, variant, case)
    if d is None:
        return exact
    text = fmt_signed(fmt_ns, d) + (" instructions per pair" if unit else "")
    return text if exact else f"{text} (⚠ samples vary: not exact)"


def exact_sentence(run, variant):
    """variant - baseline on HOT_OP in the three EXACT_CASES, in instructions."""
    return "; ".join(f"{exact_delta(run, variant, case, unit=True)} {label}" for case, label in EXACT_CASES)


def hook_note(run):
    """What fine's key-off count is made of, said only as far as the data goes:
    nothing unless the hook's static-branch sites exist (hook_sites > 0) and
    the exact key-off count grew; the patched-out jumps are named as the whole
    explanation only when the count is exactly one per helper of the pair."""
    sites = static_values(run).get(("fine", "hook_sites"))
    d, exact = exact_diff(run, "fine", EXACT_CASES[0][0])
    if d is None or not exact or not sites or d <= EXACT_TOL:
        return ""
    helpers = 2   # a pair: one get helper, one put helper, each with one hook site
    where = (f"fine's vmlinux has {fmt_count(sites)} static-branch sites keyed on `devmap_pin_key` "
             "(`hook_sites`), each in an inlined page_ref helper and patched out (a nop) while the key is off")
    if abs(d - helpers) <= EXACT_TOL:
        return (f" The key-off {fmt_signed(fmt_ns, d)} is the two patched-out jumps of the pair, one per "
                f"helper (get and put): {where}.")
    return (f" One patched-out jump per helper (get and put) would account for +{helpers}.00 of the "
            f"key-off {fmt_signed(fmt_ns, d)}: {where}.")


def untouched_state(run, variant):
    """Whether VARIANT's get/put pair counts baseline's instructions exactly
    in every EXACT_CASE: True, False, or None (missing or varying samples)."""
    known = [(d, e) for d, e in (exact_diff(run, variant, case) for case, _ in EXACT_CASES)
             if d is not None]
    if any(e and abs(d) > EXACT_TOL for d, e in known):
        return False
    if known and len(known) == len(EXACT_CASES) and all(e for _, e in known):
        return True
    return None


def zero_expectation(run, variant):
    """A get/put cost in instructions, judged against the expected 0."""
    if not any(d is not None for d, _ in (exact_diff(run, variant, c) for c, _ in EXACT_CASES)):
        return ""
    state = untouched_state(run, variant)
    if state is False:
        return f" — not the expected 0: {variant}'s get/put pair executes a different number of instructions"
    if state:
        return " — 0, as expected of a policy that leaves get_page()/put_page() alone"
    return " — not decided against the expected 0: some of these samples vary"


# GUP of a device-dax page.  pin_unpin times it with the bench module's own
# pin on the page, so the page is busy throughout; pin_unpin_idle with no
# other pin, so that under busy every pair takes it from idle to busy and
# back (runs from before that case lack it).
BUSY_PIN_CASE = f"pin_unpin:{experiment.DEVICE_PAGE}"
BUSY_PIN_LABEL = ("pin_user_pages_fast()/unpin_user_page() of a device-dax page that is already "
                  "busy (the bench holds a pin on it)")
BUSY_IDLE_CASE = f"pin_unpin_idle:{experiment.DEVICE_PAGE}"


def busy_point(run):
    """Who pays with busy: nothing on get/put; GUP of a device-dax page."""
    return (f"Who pays with busy: its {HOT_OP} pair changes by {exact_sentence(run, 'busy')}"
            f"{zero_expectation(run, 'busy')}; {BUSY_PIN_LABEL}: "
            f"{exact_delta(run, 'busy', BUSY_PIN_CASE, unit=True)} (fine: "
            f"{exact_delta(run, 'fine', BUSY_PIN_CASE)}). " + busy_transition(run)
            + f" {busy_gup(run)} {code_growth(run, 'busy')}.")


# gup_test GUPs and puts every page of an idle mapping, so under busy each
# page (each folio at 2M) goes idle -> busy -> idle once per sample.
def busy_gup(run):
    """busy and fine against baseline on the device-dax GUP cases."""
    cases = [c for c in run.cases("gup") if experiment.DEVICE_PAGE in c.partition(":")[2]]
    if not cases:
        return "This run has no GUP throughput of device-dax pages."
    return ("GUP of idle device-dax pages (gup_test: each page GUP'd and put, so each "
            "folio goes idle → busy → idle; at 2M every page after a folio's first is a GUP of "
            f"a busy folio, as in `{BUSY_PIN_CASE}`): "
            + "; ".join(f"`{c}` busy {compare(run, 'busy', 'gup', c)}, fine "
                        f"{compare(run, 'fine', 'gup', c)}" for c in cases) + ";")


def busy_transition(run):
    """The idle -> busy -> idle pair, where the run has it."""
    if not run.stats("busy", "hotpath", BUSY_IDLE_CASE):
        return ("The idle → busy transition (a GUP of a page nobody references, and the put that "
                "ends it) is not timed by this run;")
    return (f"The same pair with no other pin on the page, so that under busy it takes the page "
            f"from idle to busy and back (`{BUSY_IDLE_CASE}`): "
            f"{exact_delta(run, 'busy', BUSY_IDLE_CASE, unit=True)} (fine: "
            f"{exact_delta(run, 'fine', BUSY_IDLE_CASE)});")


def answer(run):
    """The one-sentence answer, chosen by rules stated in its own words."""
    safe = safe_variants(run)
    if run.icount and "busy" in safe and untouched_state(run, "busy"):
        return answer_busy(run, safe)
    if "fine" not in safe:
        fine = correctness_summary(run).get("fine", ([], [], 0))
        return ("No clear answer from this run: fine did not run every functional test as promised "
                f"without an oops ({variant_correctness(*fine)}).")
    promise = "ran every functional test as promised without an oops"
    lead = f"fine is the only variant that {promise}" if safe == ["fine"] else f"{', '.join(safe)} {promise}"
    return answer_exact(run, lead) if run.icount else answer_wall(run, lead)


def answer_exact(run, lead):
    """The answer on exact instruction counts (clock=icount)."""
    (off, off_label), (on, on_label), (dax, dax_label) = EXACT_CASES
    d, exact = exact_diff(run, "fine", off)
    if d is None:
        return f"Incomplete: {lead}, but its hot-path cost without a device is {exact}."
    rest = (f"{exact_delta(run, 'fine', on, unit=True)} {on_label} and "
            f"{exact_delta(run, 'fine', dax, unit=True)} {dax_label}; {code_growth(run, 'fine')}")
    flag = "" if exact else " (⚠ its samples vary, so this is not an exact count)"
    if abs(d) <= EXACT_TOL:
        return (f"Per-reference pinning (fine): {lead}, and on a kernel without a device-dax pgmap "
                f"its {HOT_OP} pair executes as many instructions as baseline's "
                f"({fmt_signed(fmt_ns, d)} per pair{flag}); the price is {rest}.")
    what = "an exact price" if d > 0 else "an exact difference"
    return (f"Per-reference pinning (fine): {lead}, at {what} on every kernel: "
            f"{fmt_signed(fmt_ns, d)} instructions per {HOT_OP} pair {off_label}{flag}, {rest}.")


def answer_busy(run, safe):
    """busy is safe and its get/put pair is exactly baseline's."""
    others = [v for v in safe if v != "busy"]
    also = (f"; {', '.join(others)} did too, "
            + ("fine at " + exact_sentence(run, "fine").replace(" instructions per pair", "", 1)
               if "fine" in others else "")
            if others else "")
    return (f"Per-busy-page pinning (busy): it ran every functional test as promised without an "
            f"oops{also}. busy does so with get_page()/put_page() exactly as baseline's on every "
            f"kernel, device or not ({exact_sentence(run, 'busy')}); it pays a pgmap reference where "
            f"GUP turns an idle device-dax page busy and its last put makes it idle ("
            + (f"{exact_delta(run, 'busy', BUSY_IDLE_CASE)} instructions per pin/unpin pair of an "
               "idle page"
               if run.stats("busy", "hotpath", BUSY_IDLE_CASE) else "not timed by this run")
            + "), and at unbind waits only for the pages still busy; "
            f"{code_growth(run, 'busy')}. {ship_sentence(run)}")


def ship_sentence(run):
    """Which policy a distribution kernel should select, and why not the others."""
    coarse = correctness_summary(run).get("coarse")
    coarse_text = (f"coarse protects less ({variant_correctness(*coarse)}) and makes an unbind "
                   "wait for every mapping" if coarse else "coarse did not run")
    return ("On these numbers a distribution kernel should select busy: it protects what fine "
            "protects at baseline's get/put price, paying only on GUP of an idle device-dax "
            f"page, where fine pays on every get/put of every page; {coarse_text}.")


def answer_wall(run, lead):
    """The answer on wall-clock medians (secondary: noisy)."""
    case = f"{HOT_OP}:ordinary-nodev"
    cost, inside = compare(run, "fine", "hotpath", case), within_spread(run, "fine", "hotpath", case)
    if inside is None:
        return f"Incomplete: {lead}, but its hot-path cost without a device is {cost}."
    if inside:
        return (f"Per-reference pinning (fine): {lead}, and on a kernel without a device-dax pgmap its "
                f"{HOT_OP} cost ({cost}) lies inside baseline's own p25–p75 of the wall clock, so the "
                f"cost to everyone's kernel is not measurable in this run; with a device present it is "
                f"{compare(run, 'fine', 'hotpath', HOT_OP + ':ordinary')}.")
    return (f"Per-reference pinning (fine) wins on correctness ({lead}), at a measurable price on every "
            f"kernel: {cost} per {HOT_OP} pair without a device-dax pgmap, outside baseline's p25–p75.")


def coarse_unbind(run, maps):
    return (f": with {maps.split('=', 1)[1]} idle mappings unbind took {unbind_values(run, maps)}." if maps
            else ", but this run has no `maps=` scenario to show it.")


def verdict(run):
    """The numbered points of the answer, assembled from computed facts only."""
    inflight, maps = largest_case(run, "inflight"), largest_case(run, "maps")
    if run.icount:
        parts = [
            f"Correctness: {correctness_line(run)}.",
            f"Who pays with fine, in exact instructions per {HOT_OP} pair vs baseline: "
            f"{exact_sentence(run, 'fine')}.{hook_note(run)} Static: {code_growth(run, 'fine')}.",
            f"Who pays with coarse: its {HOT_OP} pair changes by {exact_sentence(run, 'coarse')}"
            f"{zero_expectation(run, 'coarse')}; {code_growth(run, 'coarse')}. The price falls on systems "
            "that unbind a mapped device" + coarse_unbind(run, maps),
        ]
        if "busy" in run.variants:
            parts.append(busy_point(run))
        parts.append(aa_check(run)[1])
    else:
        sites = static_values(run).get(("fine", "hook_sites"))
        sites_text = f", {fmt_count(sites)} hook sites" if sites is not None else ""
        parts = [
            f"Correctness: {correctness_line(run)}.",
            f"Who pays with fine: every kernel's get_page()/put_page(), whether or not it ever unbinds "
            f"a device: {HOT_OP} {hot_sentence(run, 'fine')} (wall clock); "
            f"{code_growth(run, 'fine')}{sites_text}.",
            f"Who pays with coarse: the hot path changes by {hot_sentence(run, 'coarse')} (wall clock), "
            f"{code_growth(run, 'coarse')}; the price falls on systems that unbind a mapped device"
            + coarse_unbind(run, maps),
        ]
    if inflight:
        parts.append(f"References in flight (`{inflight}`): {unbind_values(run, inflight)}; "
                     f"{waited_sentence(run, inflight)}.")
    return parts + [answer(run)]


def busy_intro(run):
    if "busy" not in run.variants:
        return ""
    return ("\nbusy, which neither side proposed, pins per busy page: the model the kernel later "
            "took for device-private pages (v6.1), measured beside them.")


def section_conclusion(run):
    unbind = "\n".join(f"- {label} (`{case}`): {unbind_values(run, case)}"
                       for label, case in unbind_lines(run)) or "- no unbind scenario in this run"
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(verdict(run), 1))
    if run.icount:
        how = ("The hot-path numbers are exact instruction counts (`clock=icount`): a difference is "
               "instructions the variant's get/put pair executes in addition to (+) or instead of (−) "
               "baseline's, not noise; a cell whose samples vary is flagged ⚠. Instructions are not "
               "cycles on real hardware.")
        table_title = "Hot-path cost vs baseline, instructions per pair (exact):"
        unbind_title = "Unbind latency, median (virtual ms; these samples still vary):"
    else:
        how = ("This run used the wall clock: its hot-path numbers are noisy and secondary evidence "
               "(a run with `clock=icount` counts instructions exactly). \"Inside baseline's "
               "p25–p75\" means the variant's median falls within the middle half of baseline's "
               "own samples.")
        table_title = "Hot-path cost vs baseline (change of the median; wall clock, secondary):"
        unbind_title = "Unbind latency, median:"
    return f"""## Conclusion

The 2015 question was whether per-reference pinning (fine) costs too much on
every kernel's get_page()/put_page() path (Andrew Morton), or per-mapping
pinning (coarse) makes unbind wait too long (Dan Williams). Everything below is computed
from this run; a "missing" value names the cell that failed or was skipped.{busy_intro(run)}
{how}

{table_title}

{hot_cost_table(run)}

{unbind_title}

{unbind}

Answer on these numbers:

{points}"""


def cover_lines(run):
    """The headline lines for the cover letter, wrapped to 72 columns."""
    m = run.manifest
    others = [v for v in run.variants if v != "baseline"]
    lines = [f"run {run.run_id}: accel={m.get('accel', '?')}, clock={run.clock_name}, "
             f"trials={m.get('trials', '?')}, variants {' '.join(run.variants)}"]
    if run.icount:
        lines.append(f"{HOT_OP} vs baseline, exact instructions per pair (clock=icount):")
        lines += [f"  {v} {label}: {exact_delta(run, v, case)}"
                  for v in others for case, label in EXACT_CASES]
        lines += aa_lines(run)
    else:
        lines.append(f"{HOT_OP} vs baseline, change of the median per pair (wall clock, noisy):")
        lines += [f"  {v} {label}: {compare(run, v, 'hotpath', case)}"
                  for v in others for case, label in HOT_CASES]
    lines.append("code size vs baseline (text symbol sizes): "
                 + ", ".join(f"{v} {code_delta(run, v)}" for v in others))
    lines += [f"  bloat-o-meter {v}: {bloat_counts(run, v)}" for v in others]
    for label, case in unbind_lines(run):
        lines += [f"unbind latency, {label} ({case}), median:", f"  {unbind_values(run, case)}"]
    lines += ["correctness:"] + [f"  {p}" for p in correctness_parts(run)]
    return [w for line in lines
            for w in textwrap.wrap(line, 72, subsequent_indent="    ", break_on_hyphens=False)]


def aa_lines(run):
    """Short A/A lines for the cover letter, one per AA_PAIRS entry."""
    lines = []
    for a, b in AA_PAIRS:
        if a not in run.variants:
            continue
        state, _ = aa_check_pair(run, a, b)
        vals = ", ".join(f"{c} {exact_delta(run, a, c)}" for c in AA_CASES)
        word = {True: "0 as required", False: "NOT 0", None: "undecided"}[state]
        lines.append(f"A/A {a} - {b}: {vals or 'no ' + a} ({word})")
    return lines


