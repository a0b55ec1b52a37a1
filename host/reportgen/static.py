"""Report section: static cost (code size, bloat-o-meter, mca.txt)."""
import re

from experiment import REFERENCE as REF
from .compare import static_values
from .fmt import DASH, fmt_count, md_table
from .phrases import bloat_counts, code_delta, hooked

# Static metrics (static.csv) this report reads; others are listed as unused.
STATIC_METRICS = ("code_bytes", "hook_sites", "build_seconds")


def bloat_section(run, variant):
    if variant not in run.bloat:
        return f"#### {variant}\n\nbloat-{variant}.txt is missing from this run."
    summary, rows = run.bloat[variant]
    if not summary:
        return f"#### {variant}\n\nbloat-{variant}.txt holds no bloat-o-meter output."
    top = sorted((r for r in rows if r[3] > 0), key=lambda r: (-r[3], r[0]))[:10]
    table = md_table(("Symbol", "old", "new", "delta"),
                     [(f"`{n}`", o, w, f"{d:+d}") for n, o, w, d in top]) if top else "No symbol grew."
    lines = "\n".join(f"    {s}" for s in summary)
    return f"#### {variant}: top growers vs {REF} (bloat-o-meter)\n\n{lines}\n\n{table}"


def fenced(text):
    """text verbatim in a fenced code block whose fence no line of it can close."""
    ticks = max([len(m) for m in re.findall(r"`+", text)] + [2]) + 1
    fence = "`" * ticks
    return f"{fence}text\n{text.rstrip(chr(10))}\n{fence}"


def extra_sections(run):
    """mca.txt verbatim, where the run has it."""
    out = []
    h = hooked()
    if "mca.txt" in run.extras:
        out.append("### One inlined get_page()/put_page() site, and llvm-mca: a static estimate, "
                   "not a measurement (mca.txt)\n\n"
                   "The annotated objdump of one turn of the benchmark module's get/put loop as "
                   f"{REF}, {h} with its key off and {h} with its key on execute it on an "
                   "ordinary page, and llvm-mca's estimate of its cycles: llvm-mca models a CPU's "
                   "pipeline on the listed instructions; nothing here was run or timed. Verbatim "
                   "from the run folder.\n\n" + fenced(run.extras["mca.txt"]))
    return out


def section_static(run, plots, brief=False):
    if run.static is None:
        body = "static.csv is missing from this run."
    else:
        vals = static_values(run)
        get = lambda v, m, fmt: fmt(vals[(v, m)]) if (v, m) in vals else "missing"
        rows = [(v, get(v, "code_bytes", fmt_count),
                 DASH if v == REF else code_delta(run, v),
                 DASH if v == REF else bloat_counts(run, v),
                 get(v, "hook_sites", fmt_count))
                for v in run.variants]
        # build_seconds stays in static.csv: the time of a kernel build is no
        # cost of a policy, and a rebuild that compiled nothing says little
        body = md_table(("Variant", "code_bytes", f"vs {REF}", f"bloat-o-meter vs {REF}",
                         "hook_sites"), rows)
        unused = sorted({r["metric"] for r in run.static} - set(STATIC_METRICS))
        if unused:
            body += (f"\n\nstatic.csv also holds {', '.join(f'`{m}`' for m in unused)}, not used here"
                     + (" (`text_bytes` of older runs is `size`'s text column, padded by the linker "
                        "script, not code size)" if "text_bytes" in unused else "") + ".")
    growers = "\n\n".join(bloat_section(run, v) for v in run.variants if v != REF)
    return "\n\n".join(
        ["## Static cost",
         "Code size comes from symbol sizes and bloat-o-meter: `code_bytes` is the sum of the "
         "`nm -S` sizes of vmlinux's text symbols, and bloat-o-meter compares each variant's "
         f"vmlinux with {REF}'s function by function (its totals beside, its top growers "
         f"{'in the details' if brief else 'below'}). "
         "Not `size`'s text column: the x86 linker script pads .text, so that column does not move "
         f"with code. `hook_sites`: static-branch sites keyed on the {hooked()} hook's "
         "`devmap_pin_key`, counted from vmlinux's `__jump_table` (0 where the kernel has no such "
         "key); while the key is off each is a jump patched out of an inlined page_ref helper.",
         body, plots.embed("code_size", "code bytes (text symbol sizes) per variant")]
        + ([] if brief else [growers] + extra_sections(run)))
