"""One command per table that reproduces one of its cells: a guest of the
run's clock running the program the benchmark runs (bench/guest-bench.sh),
through `make vm` (README)."""
from experiment import REFERENCE as REF
from .answer import priced

# group -> (case it shows, the guest command line with {v} for the variant,
# what to read in its printed row, and how the table shows it on the
# instruction clock)
COMMANDS = {
    "hotpath": ("pin_unpin:ordinary",
                "echo pin_unpin:ordinary >/tmp/c; MODULE=build/kernels/{v}/bench-module/devmap_bench.ko "
                "BIN=build/bin REPS=5 ITERS=200000 bash bench/guest-hotpath.sh /tmp/c",
                "its rows' ns per pair", ", instructions on this clock"),
    "workload": ("vmsplice", "build/bin/workloads vmsplice --rep 1",
                 "its ops/s", "; on this clock the table shows 1e9 / ops/s"),
    "gup": ("gup_fast:devdax-4K", "build/bin/gup_bench --memory devdax --label devdax-4K --reps 5",
            "its pages/s", "; on this clock the table shows 1e9 / pages/s"),
    "unbind": ("maps=16", "build/bin/unbind_latency --scenario maps=16 --rep 1", "its ms", ""),
}


def reproduce(run, group):
    """'Reproduce a cell ...' for GROUP's table, or '' for a group without one."""
    if group not in COMMANDS:
        return ""
    p = priced()
    v = p.name if p and p.name in run.variants else next(
        (x for x in run.variants if x != REF), REF)
    case, cmd, reading, on_icount = COMMANDS[group]
    clock, reading = (" CLOCK=icount", reading + on_icount) if run.icount else ("", reading)
    k = f"{v}-{run.config}" if run.config else v   # the kernel's name
    return (f"Reproduce one cell ({v}, `{case}`; read {reading}): "
            f"`make vm VARIANT={k}{clock} CMD='{cmd.format(v=k)}'`.")
