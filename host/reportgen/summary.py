"""Report section: the answer and its limits, the report's first screen.
Every number is this run's; every sentence not made from the run is a
declared fact with its source (host/experiment.py FINDINGS, Config)."""
import experiment
from experiment import REFERENCE as REF
from .answer import choose, distribution_claim, heavier_workloads, priced, waiting
from .answer_text import IDLE_PIN_CASE, dearer_cases, heavier_text, kernels_phrase
from .compare import change_text, compare, median_text
from .exact import EXACT_CASES, KEY_OFF_CASE, KEY_ON_CASE, exact_diff
from .fmt import fmt_ns, fmt_signed, md_table
from .phrases import correctness_of, exact_delta, largest_case
from .variants import configs, declared, finding_status, findings, in_run

GUP_IDLE_CASE = f"gup_fast:{experiment.DEVICE_PAGE}-4K"
# pin/unpin of an ordinary page on a kernel without a device: what every
# kernel's O_DIRECT and other GUP users pay
PIN_ORDINARY_CASE = f"pin_unpin:{experiment.KEY_OFF}"
# fio's reads into a buffer on /dev/dax0.0: each pins a device-dax page
FIO_CASE = f"odirect:{experiment.DEVICE_PAGE}"


def headline(run):
    """The answer in one line, as far as this run reaches, and the declared
    variants it did not run, which it cannot have chosen."""
    missing = [v.name for v in declared() if v.name not in run.variants]
    return one_line(run) + (f" Not in this run: {', '.join(missing)}; the answer is one among "
                            f"{', '.join(run.variants)}." if missing else "")


def one_line(run):
    a = choose(run)
    if a.kind == "unclear" or a.variant is None:
        return "**Answer: none clear from this run** (see the Conclusion for why)."
    v = a.variant
    if a.kind == "tradeoff":
        p = priced()
        cheaper = heavier_workloads(run, p, v)
        return (f"**Answer: no single one from this run: {v.name} or {p.name}, by a kernel's mix of "
                f"get/put and GUP** ({kernels_phrase(run)}): {v.name}'s get/put is {REF}'s, but it "
                f"costs more than {p.name} in " + ", ".join(
                    f"`{c}`" for _, c in dearer_cases(run, v, p)) + " and in the workloads "
                + heavier_text(run, v, p)
                + (f"; {p.name} costs more than {v.name} in the workloads "
                   + ", ".join(f"`{c}`" for c in cheaper) if cheaper else "")
                + " (the Conclusion).")
    ok, why = distribution_claim(run, v)
    where = ("for distribution kernels" if ok
             else f"for kernels like this run's ({kernels_phrase(run)})")
    text = f"**Answer: {v.name}, {where}.**"
    p = priced()
    dearer = dearer_cases(run, v, p) if p and a.kind == "free" else []
    if dearer:
        text += (f" Its get/put is {REF}'s, but it costs more than {p.name} in "
                 + ", ".join(f"`{c}`" for _, c in dearer) + " (the table, the Conclusion); in no "
                 f"whole workload of this run is it dearer than {p.name}.")
    return text + (f" No claim for distribution kernels: {'; '.join(why)}." if not ok else "")


def key_table(run):
    """One row per patched variant: what it protects and what it costs."""
    maps, inflight = largest_case(run, "maps"), largest_case(run, "inflight")
    pair = (f"instructions vs {REF}" if run.icount else f"change vs {REF}, wall clock")
    head = ["Variant", "functional tests",
            f"get/put pair: key off / key on / device page ({pair})",
            f"pin/unpin of an ordinary page, key off (`{PIN_ORDINARY_CASE}`)",
            f"pin/unpin of an idle device-dax page (`{IDLE_PIN_CASE}`)",
            f"GUP of idle device-dax 4K pages (`{GUP_IDLE_CASE}`)"]
    fio = any(run.stats(v.name, "fio", FIO_CASE) for v in in_run(run))
    if fio:
        head.append(f"fio, O_DIRECT reads into a device-dax buffer (`{FIO_CASE}`)")
    if maps:
        head.append(f"unbind, `{maps}` (the holder unmaps after {experiment.HOLDER_UNMAP_MS} ms)")
    if inflight:
        head.append(f"unbind, `{inflight}` (a pin held {inflight.split('=', 1)[1]} ms)")
    rows = []
    for v in in_run(run):
        n = v.name
        hot = ((lambda c: exact_delta(run, n, c)) if run.icount
               else (lambda c: change_text(run, n, "hotpath", c)))
        row = [n, correctness_of(run, n), " / ".join(hot(c) for c in EXACT_CASES),
               hot(PIN_ORDINARY_CASE) if run.stats(n, "hotpath", PIN_ORDINARY_CASE) else "not timed",
               exact_delta(run, n, IDLE_PIN_CASE) if run.stats(n, "hotpath", IDLE_PIN_CASE)
               else "not timed",
               compare(run, n, "gup", GUP_IDLE_CASE) if run.stats(n, "gup", GUP_IDLE_CASE)
               else "not timed"]
        if fio:
            row.append(compare(run, n, "fio", FIO_CASE) if run.stats(n, "fio", FIO_CASE)
                       else "not run")
        row += [median_text(run, n, "unbind", c) for c in (maps, inflight) if c]
        rows.append(row)
    return md_table(head, rows, "l" * len(head))


def zone_test_text(run):
    """On a config with NUMA (the zone field not topmost in page->flags):
    what the per-reference hook's zone tests cost, its key on minus its key
    off on an ordinary page, when both are exact counts; else ''."""
    p = priced()
    if not run.icount or not p or p.name not in run.variants or any(
            "NUMA" in c.unset for c in configs(run)):
        return ""
    (on, on_exact), (off, off_exact) = (exact_diff(run, p.name, c)
                                        for c in (KEY_ON_CASE, KEY_OFF_CASE))
    if on is None or off is None or not (on_exact and off_exact):
        return ""
    return (f"The zone test on a NUMA kernel: with its key on, {p.name} pays "
            f"{fmt_signed(fmt_ns, on)} instructions per get/put pair on an ordinary page, "
            f"{fmt_signed(fmt_ns, on - off)} beyond "
            "its key-off cost: the two out-of-line zone tests, which test the ZONE_DEVICE bit "
            "because NUMA puts the node field above the zone field in page->flags (the annotated "
            "site in the details).")


def config_limits(run):
    """What the run's configs leave out that distribution kernels have."""
    return [f"Config {c.name} ({c.what}) leaves unset {', '.join(c.unset)}: "
            "distribution kernels set them" + (f" ({c.unset_why})." if c.unset_why else ".")
            for c in configs(run) if c.unset]


def passed_on(run, names, case):
    """Whether CASE (at 4K) passed on every variant of NAMES in this run."""
    rows = [r for r in run.functional or [] if r["test"].endswith(f"{case}@4K")]
    passed = {r["variant"] for r in rows} - {r["variant"] for r in rows if r["outcome"] != "pass"}
    return set(names) <= passed


def signal_ends_wait(run, names):
    """What a fatal signal does to a waiting unbind, as far as this run's
    test_killed_unbind showed it for every variant of NAMES."""
    if not passed_on(run, names, "killed_unbind_heals"):
        return ("a fatal signal ends the wait and leaves the device in use until reboot "
                "(test_killed_unbind)")
    signals = "kill -9, Ctrl-C" if passed_on(run, names, "interrupted_unbind_heals") else "kill -9"
    reuse = (" and its namespace cannot be reused meanwhile"
             if passed_on(run, names, "namespace_reuse_refused") else "")
    return (f"a fatal signal ({signals}) ends the wait, the device's memory stays with its "
            f"users{reuse}, and the teardown ends by itself when the last one goes "
            "(test_killed_unbind)")


def limits(run):
    """What the answer does not cover: the run's configs and clock, and the
    declared findings against the run's variants that no test here checks."""
    out = config_limits(run)
    if not any(c.distribution for c in configs(run)):
        out.append("No distribution config was measured in this run; a run of one (`make bench "
                   "CONFIG=distro`) answers for it in a block of its own after these limits, from "
                   "its own numbers only.")
    if run.icount:
        out.append("Clock: QEMU's instruction counter (`clock=icount`): hot-path figures are exact "
                   "instruction counts, not cycles (no cache misses, atomics' latency or "
                   "mispredictions); unbind figures are virtual ms.")
    else:
        out.append("Clock: the host's wall clock under QEMU TCG (`clock=wall`): noisy, secondary.")
    one = [f"{t.program} ({t.only_align})" for t in experiment.TESTS if t.only_align]
    if one and run.functional:
        out.append("Functional tests run at one page size only: " + ", ".join(one) + ".")
    refs = [v.name for v in in_run(run) if v.waits_for_refs]
    if refs:
        out.append(f"A long-term pin (RDMA, vfio, io_uring fixed buffers) makes an unbind under "
                   f"{' and '.join(refs)} wait as long as it lives (the `inflight=` rows), as a mapping "
                   "makes one wait under per-mapping pinning; " + signal_ends_wait(run, refs) + ".")
    w = waiting()
    if w:
        out.append(f"Unbind under {', '.join(x.name for x in w)} waits for the mappings: here the "
                   f"benchmark's holder unmaps after {experiment.HOLDER_UNMAP_MS} ms "
                   "(bench/unbind_latency.c), in real use until the last mapping goes.")
    seen = []
    for v in in_run(run):
        for f in findings(v):
            if f not in seen:
                seen.append(f)
    for f in seen:
        names = [v.name for v in in_run(run) if f in findings(v)]
        status = finding_status(run, f)
        if f.seen:
            lead = f"From reading 6.12 ({f.source}), and seen here outside the matrix ({f.seen})"
        elif f.shown_by and status == f.status:
            lead = f"From reading 6.12 ({f.source}), and tested in this run ({f.shown_by})"
        else:
            lead = f"Not tested here, from reading 6.12 ({f.source})"
        out.append(f"{lead}: under {' and '.join(names)}, {f.what}. "
                   f"Status: {status}.")
    return "\n".join(f"- {x}" for x in out)


def section_answer(run):
    p = priced()
    lead = (f"Is {p.name}'s per-reference pinning worth its get/put cost, or does a cheaper model "
            "protect as much? " if p else "")
    return (f"## Answer\n\n{lead}{headline(run)}\n\n{key_table(run)}\n\n"
            f"Limits:\n\n{limits(run)}")
