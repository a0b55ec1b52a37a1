#!/usr/bin/env python3
"""The experiment, declared once: the kernel variants, the functional
boots with the outcome each variant promises, and the benchmark's groups
and cases.  The Makefile, the host scripts (host/lib.sh and the scripts
that source it, tests/*.sh, bench/host/run-matrix.sh, which hands each boot its
plan) and host/report.py read it; nothing else spells the variant list
or a case name, the programs that measure them aside.

Adding a variant is one Variant entry here plus its Kconfig choice entry in
the series, and its promises in TESTS; adding a benchmark case is one entry
in its group here plus the code that measures it.

Command line, for the shell (one answer per line, or space separated):
  experiment.py variants [--debug|--patched|--reference|--hooked] [--config=NAME]
                         [--only="NAME..."]  (only these variants, by variant name)
                                              the kernels, in matrix order (the
                                              reference; those with a get/put hook)
  experiment.py check NAME            exit 1, with a one-line error, unless
                                      NAME is a variant or a debug build of one
  experiment.py source NAME           pristine or patched
  experiment.py kconfig NAME          the Kconfig line that selects its policy
                                      (empty for the reference)
  experiment.py suite NAME            the guest test programs run in one boot
                                      (each expected to pass), in order
  experiment.py oopses NAME           the expected-oops boots: one line each,
                                      "boot program fixture.test function"
  experiment.py programs              every guest test program
  experiment.py modules NAME          yes, or no: its base config's modules are
                                      left out (their =m options unset)
  experiment.py unset NAME            the options NAME's config leaves unset that
                                      distribution kernels set (the report names them)
  experiment.py plan NAME [--kconfig=F]  the benchmark cases planned in a boot of NAME
                                      (F: its .config, for the groups that need an option):
                                      "group,case,run" or "group,case,skip:WHY"
"""
import os
import sys
from dataclasses import dataclass, field


# What holds a device-dax dev_pagemap while its pages are in use, and so
# what an unbind of the device waits for before it removes the struct pages.
HOLDERS = {
    "nothing": "nothing",                       # stock 6.12: GUP's walk only
    "mapping": "every mapping and open file",   # coarse
    "page-reference": "page references in flight",   # fine
    "busy-page": "busy pages (a page with any reference)",   # busy
}


@dataclass(frozen=True)
class Variant:
    """A kernel variant, declared by what its policy does.  The guest
    (through guest.env, see env()), the tests and the report branch on
    these fields, never on the name."""
    name: str
    policy: str = ""        # the Kconfig choice entry; "" for the unpatched kernel
    holds: str = "nothing"  # what holds the pgmap: a key of HOLDERS
    # Unbind revokes the mappings (later access: SIGBUS); False: it waits
    # for them instead (coarse).
    revokes: bool = True
    # Series patches 1-2 (the open() race, a file kept across unbind/bind):
    # in every kernel built from the patched tree, whatever its policy.
    open_race_fix: bool = False
    # get_page()/put_page() and the GUP paths are the reference's code: the
    # A/A cases on the instruction clock must come out 0.
    stock_get_put: bool = True
    stock_gup: bool = True
    # Patched-out jumps its hook adds to a get/put pair while no device
    # asks for it (the static key off): exactly its cost there.
    hook_nops: int = 0
    pays: str = ""          # who pays for the policy, one line

    @property
    def source(self):
        return "patched" if self.policy else "pristine"

    @property
    def holds_pgmap(self):
        """Something in use holds the pgmap, so unbind waits for it."""
        return self.holds != "nothing"

    @property
    def waits_for_refs(self):
        """Unbind waits for page references that outlived their mapping."""
        return self.holds in ("page-reference", "busy-page")

    @property
    def unbind_waits_for(self):
        return HOLDERS[self.holds]


# Matrix order: the reference first.
VARIANTS = (
    Variant("baseline", pays="nobody; a reference that outlives its mapping reaches freed "
            "struct pages after unbind"),
    Variant("none", policy="DEVMAP_PIN_NONE", open_race_fix=True,
            pays="nobody, as baseline; a reference that outlives its mapping reaches freed "
            "struct pages after unbind"),
    Variant("coarse", policy="DEVMAP_PIN_COARSE", holds="mapping", revokes=False,
            open_race_fix=True,
            pays="whoever unbinds: it waits until every mapping and open file is gone"),
    Variant("fine", policy="DEVMAP_PIN_FINE", holds="page-reference", open_race_fix=True,
            stock_get_put=False, stock_gup=False, hook_nops=2,
            pays="every get_page()/put_page() of every page, in every kernel that selects it"),
    Variant("busy", policy="DEVMAP_PIN_BUSY", holds="busy-page", open_race_fix=True,
            stock_gup=False,
            pays="GUP of an idle device-dax page, and its last put"),
)
REFERENCE = VARIANTS[0].name


@dataclass(frozen=True)
class Finding:
    """A fact about a pinning model that no test of this harness checks:
    found by reading the 6.12 source (a review of the series), stated in
    the report with its source next to the numbers, and weighed by the
    answer: a variant with an open finding is not recommended outright."""
    holds: tuple            # the models it concerns: keys of HOLDERS
    what: str               # one sentence, the variant named by the report
    source: str             # file:function in 6.12, or the commit
    # "open", "open: <a fix not yet run>", or how the series answers it
    status: str = "open"
    # a run outside the matrix that showed it: what ran, and what it saw
    seen: str = ""
    # the functional test program whose rows show the status; a run in
    # which they do not all pass on the model's variants keeps it open
    shown_by: str = ""


FINDINGS = (
    Finding(("busy-page",),
            "its premise, that only GUP takes the first reference of an idle device-dax "
            "page, is false on arm64, riscv and loongarch: pmd_trans_huge() is true for "
            "devmap PMDs there, so MADV_COLD/MADV_PAGEOUT over part of a PMD mapping takes "
            "and puts a reference of an idle folio and drops a pgmap reference never taken "
            "(and on riscv and loongarch devmap PTEs are not special, so vm_normal_page() "
            "returns device-dax pages)",
            "mm/madvise.c madvise_cold_or_pageout_pte_range(); "
            "arch/{arm64,riscv,loongarch}/include/asm/pgtable.h pmd_trans_huge(), pte_mkdevmap()",
            status="series v9 offers it on x86-64 only (ARCH_HAS_DEVMAP_PIN_BUSY), "
                   "where devmap PMDs are not pmd_trans_huge() and devmap PTEs are special; "
                   "a stray get/put pair drops no pgmap reference it did not take and is "
                   "reported once (test_stray_ref makes such pairs)"),
    Finding(("busy-page",),
            "KVM's shadow MMU (npt=0 or ept=0, nested guests) maps guest memory from "
            "/dev/dax without a page reference, so under this model the page idles at "
            "count 0 and zapping the spte trips WARN_ON_ONCE(!page_count(page)), "
            "fatal with panic_on_warn; stock 6.12 idles such pages at 1",
            "virt/kvm/kvm_main.c kvm_is_zone_device_page(); "
            "arch/x86/kvm/mmu/mmu.c mmu_spte_clear_track_bits()",
            seen="before series v9 patch 18, 2026-12-03: the lean kernel plus KVM on QEMU's "
                 "SVM, a VM on /dev/dax0.0; busy with kvm_amd.npt=0 warned in "
                 "kvm_pfn_to_refcounted_page() when the VM exited (mmu_spte_clear_track_bits() "
                 "from kvm_destroy_vm()); busy with npt=1, and baseline and fine with either, "
                 "passed",
            status="series v9 patch 18 has KVM treat a ZONE_DEVICE page at count 0 under "
                   "busy as not refcounted (its metadata lives as long as the host mapping "
                   "whose revoke zaps the sptes); test_kvm checks it on every variant at "
                   "npt0 and npt1 (correctness table)",
            shown_by="test_kvm"),
    Finding(("page-reference", "busy-page"),
            "vfio type1 never unpins a device-dax page (they are PageReserved), a leak "
            "in stock 6.12 that here makes each leaked pin hold the pgmap: after a "
            "vfio VM on /dev/dax exits an unbind waits until it is killed and leaves the "
            "device in use until reboot",
            "drivers/vfio/vfio_iommu_type1.c put_pfn(), is_invalid_reserved_pfn(); "
            "mm/mm_init.c __init_zone_device_page()",
            status="series v9 patch 15 unpins them (ZONE_DEVICE pages no longer taken "
                   "for reserved, as KVM's a78986aae9b2 did); test_vfio maps /dev/dax0.0 for "
                   "DMA through vfio-pci behind QEMU's emulated Intel IOMMU on every variant "
                   "(correctness table)",
            shown_by="test_vfio"),
)


def findings(v):
    """The findings that concern V's model."""
    return [f for f in FINDINGS if v.holds in f.holds]


@dataclass(frozen=True)
class Config:
    """A kernel configuration: a base config plus fragments, for the
    variants it is built for.  A kernel is a (config, variant) pair, named
    <variant> for the default config and <variant>-<config> otherwise."""
    name: str
    base: str                   # "tinyconfig" or a config file
    fragments: tuple = ()       # merged on top, in order; every line must survive
    # built only for the variants whose policy holds the pgmap (the race
    # tests of make test-debug concern the pin)
    pinning_only: bool = False
    default: bool = False       # kernels named <variant>, without -<config>
    # A distribution's own config: only a run of it may answer for
    # distribution kernels.
    distribution: bool = False
    what: str = ""              # one line, for the report
    # Options it leaves unset that distribution kernels set (the report
    # names them, with unset_why; host/check-kernels.sh checks them in the
    # built .config).
    unset: tuple = ()
    unset_why: str = ""     # what leaving them out changes, one clause
    # False: the base config's modules are not built (its =m options are
    # unset, so the kernel is vmlinux alone); MODULES stays set for the
    # bench module.
    modules: bool = True

    def has(self, v):
        return v.holds_pgmap or not self.pinning_only

    def kernel(self, v):
        return v.name if self.default else f"{v.name}-{self.name}"


CONFIGS = (
    Config("lean", "tinyconfig", ("Kconfig.fragment",), default=True,
           what="tinyconfig + Kconfig.fragment, x86-64",
           unset=("NUMA", "MEMCG", "CPU_MITIGATIONS", "PREEMPT_DYNAMIC"),
           unset_why="NUMA moves the zone field a per-reference hook tests; mitigations make "
                     "every call and return dearer"),
    # KASAN, lockdep, DEBUG_VM: the race tests of make test-debug
    Config("debug", "tinyconfig", ("Kconfig.fragment", "Kconfig.debug"),
           pinning_only=True),
    # the kernel people run: Debian's config for virtual machines (NUMA,
    # mitigations, PREEMPT_DYNAMIC, memcg), built without modules
    Config("distro", "/usr/src/linux-config-6.12/config.amd64_none_cloud-amd64.xz",
           ("Kconfig.distro",), distribution=True, modules=False,
           what="Debian's config.amd64_none_cloud-amd64 + Kconfig.distro, without modules "
                "(KVM and vfio, modules there, built in)"),
)


@dataclass(frozen=True)
class Oops:
    """One test case whose expected outcome is a crash of stock 6.12."""
    boot: str               # the boot's name under the run folder
    program: str
    case: str               # kselftest fixture.test, run alone (-r)
    function: str           # where the report's RIP must be
    # "oops": the kernel's oops (a bad access); "warning": a WARN, which
    # the guest's panic_on_warn makes fatal.  Also the functional outcome.
    sign: str = "oops"


@dataclass(frozen=True)
class Test:
    program: str            # build/bin/<program>, kselftest TAP
    # The cases of this program that oops instead of passing on a variant
    # without the Variant property named by oopses_unless; such a variant
    # runs them each in a boot of its own and leaves the program out of
    # its suite.
    oopses: tuple = ()
    oopses_unless: str = ""
    # Environment of its run: name -> default, overridden by the host's
    # environment where it sets the name (tests/run-debug.sh does).
    env: dict = field(default_factory=dict)
    only_align: str = ""    # run in the boot of this alignment only
    # Run in a boot of its own (at 4K), not in the suites: "alone" for a
    # test that reconfigures the device; "reboot" for one whose boot
    # ends with reboot(2), which shuts the devices down (vm.sh -R): the
    # boot must get through it; "kvm" for one booted twice on QEMU's
    # emulated SVM, kvm_amd.npt=0 (the shadow MMU) and npt=1, its rows
    # named @npt0 and @npt1 (kernels without KVM_AMD=y skip it); "vfio"
    # for one booted on q35 with QEMU's Intel IOMMU and a pci-testdev
    # (kernels without VFIO_PCI=y skip it).
    own_boot: str = ""


_OUTLIVING = (Oops("oops-vmsplice", "test_outliving", "outliving.vmsplice_then_unbind",
                   "page_cache_pipe_buf_release"),
              Oops("oops-pin", "test_outliving", "outliving.pin_then_unbind",
                   "unpin_user_pages"))
_SKB_DEFER = (Oops("oops-skb-defer", "test_skb_defer", "skb_defer.socket_then_unbind",
                   "skb_release_data"),)
_OPEN_RACE = (Oops("oops-open", "test_open_race", "open_race.open_during_unbind_bind",
                   "check_vma"),
              Oops("warn-cdev", "test_open_race", "open_race.file_across_unbind_bind",
                   "refcount_warn_saturate", sign="warning"))

# Suite order.  Each suite runs at 4K and at 2M (PMD mappings).
TESTS = (
    Test("test_unbind"),
    Test("test_balance"),
    Test("test_stray_ref"),
    Test("test_mapping_abi"),
    Test("test_cycles", env={"DEVMAP_CYCLES": "100"}),
    Test("test_open_race", oopses=_OPEN_RACE, oopses_unless="open_race_fix"),
    Test("test_outliving", oopses=_OUTLIVING, oopses_unless="waits_for_refs", only_align="4K"),
    Test("test_skb_defer", oopses=_SKB_DEFER, oopses_unless="waits_for_refs", only_align="4K"),
    Test("test_killed_unbind", own_boot="alone"),
    Test("test_shutdown", own_boot="reboot"),
    Test("test_kvm", own_boot="kvm"),
    Test("test_vfio", own_boot="vfio"),
)


# --- the benchmark ---------------------------------------------------------
# The axes that case names are made of ("<op>:<memory>", "<scenario>=<arg>",
# "<scenario>:<phase>", "<kind>:<function>"); their order here is the order
# of rows in the report.
HOT_OPS = ("get_put_page", "folio_get_put", "pin_unpin", "pin_unpin_idle")
GUP_OPS = ("gup_fast", "pin_fast")
MEMORY = ("ordinary", "ordinary-nodev", "devdax", "devdax-4K", "devdax-2M")
WORKLOADS = ("pipe_splice", "tee", "vmsplice", "tcp_loopback", "fork_populated",
             "process_vm_readv", "odirect")
UNBIND = ("idle", "maps=1", "maps=16", "maps=256", "inflight=0", "inflight=10",
          "inflight=100", "inflight=1000", "gup_race")
# A maps= holder unmaps this long after the unbind starts (or at its first
# SIGBUS): bench/unbind_latency.c HOLD_AFTER_START, checked by a host test.
# An unbind that waits for the mappings waits this long here, and in real
# use until the last mapping goes.
HOLDER_UNMAP_MS = 200
PHASES = ("revoke", "wait", "teardown")      # bpf/unbind_phases.bt
# What a hot-path memory stands for: the three situations a get/put pair can
# be in, cheapest first, and the op the 2015 thread argued about.
KEY_OFF, KEY_ON, DEVICE_PAGE = "ordinary-nodev", "ordinary", "devdax"
HOT_OP = "get_put_page"
# Workloads run a second time with the device unbound (the static key off):
# the cost every kernel pays, for get/put (pipe_splice, fork_populated) and
# for GUP of ordinary pages (vmsplice, odirect).
KEY_OFF_WORKLOADS = ("pipe_splice", "fork_populated", "vmsplice", "odirect")
# fio (a client nobody here wrote): psync 4K random reads of a RAM block
# device, "<op>:<memory>", op the kind of read, memory the buffer's: on
# /dev/dax0.0 (every O_DIRECT read pins a device-dax page) or ordinary.
FIO_OPS = ("odirect", "buffered")
FIO_CASES = ("odirect:devdax", "odirect:ordinary", "buffered:ordinary",
             f"odirect:{KEY_OFF}", f"buffered:{KEY_OFF}")
GET_PUT_OPS = ("get_put_page", "folio_get_put")   # a get and a put, nothing else
PIN_KINDS = ("pin", "unpin")                 # bpf/pin_callers.bt


@dataclass(frozen=True)
class Group:
    """One group of samples.csv."""
    name: str
    unit: str               # as the programs print it
    icount_unit: str = ""   # what it is under clock=icount ("" = the same)
    better: str = "lower"   # on the wall clock: "lower" or "higher"
    # A rate per virtual second of this unit of work, which clock=icount
    # turns into instructions per unit (1e9 / value).
    per: str = ""
    cases: tuple = ()       # planned cases; () = named by what the guest saw
    # (Variant property, case prefix) -> why that cell is not run on a
    # variant without the property
    skip: dict = field(default_factory=dict)
    # Kconfig options its programs need (option -> what needs it): a kernel
    # whose .config lacks one skips the group, saying why.
    needs: dict = field(default_factory=dict)


BENCH = (
    Group("hotpath", "ns/pair", "instructions per pair",
          cases=tuple(f"{op}:{m}" for op in HOT_OPS
                      for m in ("ordinary", "devdax", "ordinary-nodev"))),
    Group("workload", "ops/s", "instructions per operation", "higher", per="operation",
          cases=WORKLOADS + tuple(f"{w}:{KEY_OFF}" for w in KEY_OFF_WORKLOADS)),
    Group("gup", "pages/s", "instructions per page", "higher", per="page",
          cases=tuple(f"{op}:{m}" for m in ("ordinary", "devdax-4K", "devdax-2M")
                      for op in GUP_OPS)),
    Group("fio", "ns/io", "instructions per I/O", cases=FIO_CASES,
          needs={"SYSVIPC": "fio's shmget"}),
    Group("unbind", "ms", "virtual ms", cases=UNBIND,
          skip={("holds_pgmap", "inflight="): "known use-after-free (see functional tests)"}),
    Group("unbind_phase", "ms", "virtual ms"),
    Group("pins", "count"),
)


def case_tokens():
    """Every token of a case name, in display order."""
    return (HOT_OPS + GUP_OPS + MEMORY + WORKLOADS + FIO_OPS
            + tuple(dict.fromkeys(s.split("=")[0] for s in UNBIND)) + PHASES + PIN_KINDS)


def group(name):
    for g in BENCH:
        if g.name == name:
            return g
    raise ValueError(f"unknown benchmark group '{name}'")


def plan(name, kconfig=None):
    """(group, case, action) of every case planned in a boot of NAME;
    action "run" or "skip:<why>".  KCONFIG: the kernel's .config, which
    decides the groups that need an option."""
    v = variant(name)
    have = None
    if kconfig:
        with open(kconfig) as f:
            have = {line.split("=", 1)[0][len("CONFIG_"):] for line in f
                    if line.startswith("CONFIG_") and line.rstrip().endswith(("=y", "=m"))}
    planned = []
    for g in BENCH:
        lack = [f"the kernel has no CONFIG_{o} ({w})" for o, w in g.needs.items()
                if have is not None and o not in have]
        for c in g.cases:
            why = lack[0] if lack else next((w for (prop, pre), w in g.skip.items()
                                             if not getattr(v, prop) and c.startswith(pre)), None)
            planned.append((g.name, c, f"skip:{why}" if why else "run"))
    return planned


def kernels(config=None):
    """(Config, Variant, kernel name) of every kernel, or of CONFIG's."""
    return [(c, v, c.kernel(v)) for c in CONFIGS if config in (None, c.name)
            for v in VARIANTS if c.has(v)]


def kernel(name):
    """(Config, Variant) of a kernel name; ValueError if there is none."""
    for c, v, k in kernels():
        if k == name:
            return c, v
    raise ValueError(f"unknown variant '{name}' (known: {' '.join(k for _, _, k in kernels())})")


def variant(name):
    """The Variant of a kernel name (NAME or NAME-<config>)."""
    return kernel(name)[1]


def config(name):
    for c in CONFIGS:
        if c.name == name:
            return c
    raise ValueError(f"unknown config '{name}' (known: {' '.join(c.name for c in CONFIGS)})")


def default_config():
    return next(c for c in CONFIGS if c.default)


def names(debug=False, patched=False, config_name=None):
    """Kernel names in matrix order: the default config's, the debug
    config's (debug), or CONFIG_NAME's."""
    cname = config_name or ("debug" if debug else default_config().name)
    return [k for c, v, k in kernels(cname) if v.policy or not patched]


def oopses_on(t, v):
    return bool(t.oopses) and not getattr(v, t.oopses_unless)


def suite(name, align):
    """'VAR=value build/bin/prog' commands of one boot of NAME at ALIGN."""
    v = variant(name)
    return [" ".join([f"{k}={os.environ.get(k, d)}" for k, d in t.env.items()]
                     + ["build/bin/" + t.program])
            for t in TESTS
            if not oopses_on(t, v) and t.only_align in ("", align) and not t.own_boot]


def own_boots(name):
    """'<program> <alone|reboot>' of the programs of NAME that run in a boot
    of their own."""
    variant(name)
    return [f"{t.program} {t.own_boot}" for t in TESTS if t.own_boot]


def oopses(name):
    """The expected-oops cases of NAME; none for a debug build, whose
    sanitizers would report the use-after-free before the oops."""
    c, v = kernel(name)
    if c.name == "debug":
        return []
    return [o for t in TESTS if oopses_on(t, v) for o in t.oopses]


def env(name):
    """The guest's view of kernel NAME: what tests/guest, bench/ and
    guest/lib read (vm.sh writes it into guest.env).  Behaviour, not names:
    a guest program branches on these, never on DEVMAP_VARIANT."""
    c, v = kernel(name)
    return {
        "DEVMAP_VARIANT": v.name,          # for messages only
        "DEVMAP_CONFIG": c.name,
        # build/kernels/<this>: where the guest finds this kernel's bench
        # module (the variant's name alone is another config's kernel)
        "DEVMAP_KERNEL": name,
        "DEVMAP_HOLDS": v.holds,
        "DEVMAP_REVOKES": int(v.revokes),
        "DEVMAP_WAITS_FOR_REFS": int(v.waits_for_refs),
        "DEVMAP_OPEN_RACE_FIX": int(v.open_race_fix),
        "DEVMAP_PATCHED": int(bool(v.policy)),
    }


def main(argv):
    if not argv:
        sys.exit(__doc__)
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "variants":
            cname = next((a.split("=", 1)[1] for a in args if a.startswith("--config=")), None)
            ks = names(debug="--debug" in args, patched="--patched" in args, config_name=cname)
            if "--reference" in args:
                ks = [k for k in ks if variant(k).name == REFERENCE]
            if "--hooked" in args:
                ks = [k for k in ks if variant(k).hook_nops]
            only = next((a.split("=", 1)[1].split() for a in args if a.startswith("--only=")), None)
            if only:
                bad = [o for o in only if o not in {v.name for v in VARIANTS}]
                if bad:
                    raise ValueError(f"unknown variant '{bad[0]}' in ONLY (known: "
                                     f"{' '.join(v.name for v in VARIANTS)})")
                ks = [k for k in ks if variant(k).name in only]
            print(" ".join(ks))
        elif cmd == "configs":
            print(" ".join(c.name for c in CONFIGS))
        elif cmd == "programs":
            print(" ".join(t.program for t in TESTS))
        elif cmd in ("check", "source", "kconfig", "suite", "oopses", "own-boots", "plan", "env",
                     "config", "modules", "unset") and len(args) >= 1:
            v = variant(args[0])
            if cmd == "source":
                print(v.source)
            elif cmd == "kconfig":
                print(f"CONFIG_{v.policy}=y" if v.policy else "")
            elif cmd == "suite":
                print("; ".join(suite(args[0], args[1] if len(args) > 1 else "4K")))
            elif cmd == "own-boots":
                print("\n".join(own_boots(args[0])))
            elif cmd == "oopses":
                for o in oopses(args[0]):
                    print(o.boot, o.program, o.case, o.function, o.sign)
            elif cmd == "env":
                for k, val in env(args[0]).items():
                    print(f"{k}={val}")
            elif cmd == "config":
                c = kernel(args[0])[0]
                print(c.name, c.base, *c.fragments)
            elif cmd == "modules":
                print("yes" if kernel(args[0])[0].modules else "no")
            elif cmd == "unset":
                print(" ".join(kernel(args[0])[0].unset))
            elif cmd == "plan":
                kc = next((a.split("=", 1)[1] for a in args if a.startswith("--kconfig=")), None)
                for row in plan(args[0], kc):
                    print(",".join(row))
        else:
            sys.exit(__doc__)
    except (ValueError, OSError) as e:
        sys.exit(f"error: {e}")


if __name__ == "__main__":
    main(sys.argv[1:])
