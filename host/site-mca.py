#!/usr/bin/env python3
"""site-mca.py BASE_KO FINE_KO [FUNCTION]: a static cycle estimate of one
inlined get_page()/put_page() site, by llvm-mca.

FUNCTION (default time_get_put_page) is the timed loop of bench/module:
    page = READ_ONCE(*pagep); get_page(page); put_page(page);
disassembled from the bench module built against baseline (BASE_KO) and
against fine (FINE_KO).  Three straight-line
sequences of ONE turn of that loop on an ordinary page (the common path: no
call taken, the refcount stays above zero, the page is not ZONE_DEVICE):

  (a) baseline's loop;
  (b) fine's loop with devmap_pin_key off: its static-branch sites stay NOPs;
  (c) fine's loop with devmap_pin_key on: each site is replaced by its
      out-of-line block (found through .rela__jump_table) up to and including
      the conditional branch that jumps back.

The path is found by walking the code from the first ktime_get() call: every
conditional branch is taken as "not equal / nonzero" (the loop has not ended,
the refcount after `lock decl` is not zero, the zone is not ZONE_DEVICE), and
the walk stops when it closes the loop.  Unconditional jmps are followed but
not emitted (nor the jmp a key-on site becomes); conditional branches are kept,
their target replaced by a label defined after the last instruction.  Each
sequence goes through `llvm-mca -mtriple=x86_64 -mcpu=CPU -iterations=100` for
skylake and znver3; the output (plain text, for the run folder's mca.txt, see
bench/FORMAT.md) gives instructions per iteration, cycles per iteration (total
cycles / iterations) and the block reciprocal throughput of each, and the
differences (b)-(a) and (c)-(a).

Needs binutils' objdump and readelf and llvm-mca (Debian package llvm).
Exit status 1 with a one-line error when a tool, a module or the function is
missing, or the path cannot be followed.
"""
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field

KEY = "devmap_pin_key"
FUNC = "time_get_put_page"
CPUS = ("skylake", "znver3")
ITERATIONS = 100
LABEL = ".Lend"
TIMER = re.compile(r"^ktime_get(_raw)?(_ns)?$")
# Conditional branches on the common path, read as "not equal / nonzero".
TAKEN, NOT_TAKEN = {"jne", "jnz"}, {"je", "jz"}
HEADER = ("Static estimate by llvm-mca (LLVM {version}), not a measurement: it models the "
          "instructions, not the cache, the atomics' real cost or the emulated CPU")


class McaError(Exception):
    """Reported as one line, exit 1."""


@dataclass
class Insn:
    off: int
    text: str                                   # whitespace collapsed, as objdump prints it
    relocs: list = field(default_factory=list)  # symbols relocated inside this instruction

    @property
    def mnemonic(self):
        words = self.text.split()
        # a prefix such as lock/rep/bnd/notrack: the mnemonic is the next word
        if len(words) > 1 and words[0] in ("lock", "rep", "repz", "repnz", "bnd", "notrack", "cs", "ds"):
            return words[1]
        return words[0] if words else ""


# ---------------------------------------------------------------- parsing

def parse_objdump(text):
    """[Insn] from `objdump -dr --no-show-raw-insn --disassemble=FUNC`.  A
    relocation belongs to the instruction whose bytes hold its offset; the
    ones objdump prints for offsets outside the function are dropped."""
    insns, relocs = [], []
    for line in text.splitlines():
        m = re.match(r"\s+([0-9a-f]+):\s+(R_X86_64_\S+)\s+(\S+)", line)
        if m:
            sym = re.sub(r"[-+]0x[0-9a-f]+$", "", m.group(3))
            relocs.append((int(m.group(1), 16), sym))
            continue
        m = re.match(r"\s+([0-9a-f]+):\s+(.*\S)", line)
        if m:
            insns.append(Insn(int(m.group(1), 16), re.sub(r"\s+", " ", m.group(2))))
    for off, sym in relocs:
        for i, insn in enumerate(insns):
            end = insns[i + 1].off if i + 1 < len(insns) else insn.off + 16
            if insn.off < off < end:
                insn.relocs.append(sym)
                break
    return insns


def jump_sites(text):
    """{site offset: (key, out-of-line target offset)} of every jump-table
    entry, from `readelf -rW`.  An entry is 16 bytes: s32 code, s32 target
    (PC32 relocations against the code section: the addend is the offset
    itself), long key (PC64 against the key, flags in the addend's low bits)."""
    sec, entries = None, {}
    for line in text.splitlines():
        if line.startswith("Relocation section"):
            sec = line.split("'")[1]
            continue
        f = line.split()
        if sec != ".rela__jump_table" or len(f) < 5 or not re.fullmatch(r"[0-9a-f]+", f[0]):
            continue
        off = int(f[0], 16)
        addend = 0
        if len(f) >= 7 and f[-2] in "+-":
            addend = int(f[-1], 16) * (-1 if f[-2] == "-" else 1)
        entries.setdefault(off // 16, {})[off % 16] = (f[4], addend)
    return {e[0][1]: (e[8][0], e[4][1]) for e in entries.values() if all(k in e for k in (0, 4, 8))}


def parse_jump_table(text, key=KEY):
    """{site offset: out-of-line target offset} of the jump-table entries keyed on key."""
    return {site: target for site, (k, target) in jump_sites(text).items() if k == key}


def timed_region(insns):
    """(first, last) index of the instructions between the two timer calls."""
    calls = [i for i, insn in enumerate(insns)
             if insn.mnemonic.startswith("call") and any(TIMER.match(s) for s in insn.relocs)]
    if len(calls) < 2:
        raise McaError(f"no two ktime_get calls in the function (found {len(calls)})")
    return calls[0] + 1, calls[1] - 1


def branch(insn):
    """(mnemonic, target offset) of a direct jump, else None."""
    m = re.fullmatch(r"(j[a-z]+)q? ([0-9a-f]+)( <.*>)?", insn.text)
    return (m.group(1), int(m.group(2), 16)) if m else None


def is_nop(insn):
    return insn.mnemonic.startswith("nop") or insn.text == "xchg %ax,%ax"


@dataclass
class Step:
    insn: Insn
    emit: bool = True
    note: str = ""


def walk(insns, sites=None, key_on=False):
    """[Step] of one turn of the timed loop on the common path (see the module
    doc); sites: {site: target} of the key's static branches, jumped through
    when key_on.  Steps with emit=False are jumps not given to llvm-mca."""
    first, last = timed_region(insns)
    index = {insn.off: i for i, insn in enumerate(insns)}
    sites = sites or {}
    path, seen, i = [], {}, first
    back = None     # inside a key-on block: where its site resumes
    for _ in range(10000):
        insn = insns[i]
        if insn.off in seen:
            turn = path[seen[insn.off]:]
            if not first <= index[turn[0].insn.off] <= last:
                raise McaError(f"the loop found at {turn[0].insn.off:x} is outside the timed region")
            return turn
        seen[insn.off] = len(path)
        nxt = i + 1
        b = branch(insn)
        if insn.off in sites:
            if not is_nop(insn):
                raise McaError(f"{KEY} site {insn.off:x} is '{insn.text}', not a NOP")
            if key_on:
                target = sites[insn.off]
                if target not in index:
                    raise McaError(f"{KEY} site {insn.off:x}: target {target:x} is not an instruction")
                path.append(Step(insn, False, f"{KEY} on: jmp {target:x}"))
                nxt = index[target]
                back = insns[i + 1].off
            else:
                path.append(Step(insn, True, f"{KEY} site, off: NOP"))
        elif b and b[0] == "jmp":
            path.append(Step(insn, False, "jmp"))
            nxt = index.get(b[1])
        elif b and back is not None and b[1] == back:
            # the block's zone test sends an ordinary page back to the site,
            # whatever its condition code (jne, jae, jbe...)
            nxt = index.get(b[1])
            path.append(Step(insn, True, "taken"))
            back = None
        elif b:
            if b[0] in TAKEN:
                nxt = index.get(b[1])
                path.append(Step(insn, True, "taken"))
            elif b[0] in NOT_TAKEN:
                path.append(Step(insn, True, "not taken"))
            else:
                raise McaError(f"cannot follow '{insn.text}' at {insn.off:x}: only je/jne are modelled")
        elif insn.mnemonic.startswith(("call", "ret", "jmp", "ud2", "int3")):
            raise McaError(f"the common path reaches '{insn.text}' at {insn.off:x}")
        else:
            path.append(Step(insn))
        if nxt is None or nxt >= len(insns):
            raise McaError(f"the path leaves the function after {insn.off:x}")
        i = nxt
    raise McaError("the path does not close a loop")


def site_blocks(turn, sites):
    """[(site, target, [offsets of the emitted block])] of the key-on jumps in turn."""
    out = []
    for k, step in enumerate(turn):
        if not step.emit and step.insn.off in sites:
            block = []
            for s in turn[k + 1:]:
                if s.insn.off in sites and not s.emit:
                    break
                if s.emit:
                    block.append(s.insn.off)
                if branch(s.insn) and s.note == "taken":
                    break
            out.append((step.insn.off, sites[step.insn.off], block))
    return out


def to_att(insn, label=LABEL):
    """One instruction as assembler llvm-mca parses: no symbolic annotation,
    branch targets replaced by label, the 2-byte NOP as `nop`."""
    if insn.text == "xchg %ax,%ax":   # 66 90: the CPU decodes it as a NOP
        return "nop"
    b = branch(insn)
    if b:
        return f"{b[0]} {label}"
    return re.sub(r"\s*<[^>]*>", "", insn.text)


def assembly(turn, branches=True, label=LABEL):
    """The llvm-mca input of a turn: one instruction a line, then the label."""
    lines = [to_att(s.insn, label) for s in turn
             if s.emit and (branches or not branch(s.insn))]
    return "\n".join(lines + [f"{label}:"]) + "\n"


def parse_mca(text):
    """{iterations, instructions, cycles, rthroughput} from llvm-mca's summary."""
    keys = {"iterations": r"Iterations:\s+(\d+)", "instructions": r"Instructions:\s+(\d+)",
            "cycles": r"Total Cycles:\s+(\d+)", "rthroughput": r"Block RThroughput:\s+([0-9.]+)"}
    out = {}
    for k, rx in keys.items():
        m = re.search(rx, text)
        if not m:
            raise McaError(f"llvm-mca output has no '{rx.split(':')[0]}' line")
        out[k] = float(m.group(1))
    out["per_iter"] = out["instructions"] / out["iterations"]
    out["cycles_per_iter"] = out["cycles"] / out["iterations"]
    return out


def mca_version(text):
    m = re.search(r"LLVM version (\S+)", text)
    return m.group(1) if m else "unknown version"


# ---------------------------------------------------------------- tools

def run(*cmd, stdin=None):
    try:
        r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise McaError(f"{cmd[0]}: {e}")
    if r.returncode:
        last = (r.stderr.strip().splitlines() or ["exit status %d" % r.returncode])
        raise McaError(f"{' '.join(cmd[:1] + cmd[-1:])}: {last[0].strip()}")
    return r.stdout


def llvm_mca(asm, cpu):
    return parse_mca(run("llvm-mca", "-mtriple=x86_64", f"-mcpu={cpu}",
                         f"-iterations={ITERATIONS}", "-", stdin=asm))


def load(ko, func):
    if not os.path.isfile(ko):
        raise McaError(f"{ko}: no such file")
    insns = parse_objdump(run("objdump", "-dr", "--no-show-raw-insn", f"--disassemble={func}", ko))
    if not insns:
        raise McaError(f"{ko}: function {func} not found")
    return insns


# ---------------------------------------------------------------- output

def listing(turn, sites, others=None):
    """The steps of a turn, one a line; others: {site: key} of other static keys."""
    lines = []
    for s in turn:
        if s.emit and s.insn.off in (others or {}):
            note = f"   # {others[s.insn.off]} site: NOP (that key is off: only fs-dax enables it)" \
                if others[s.insn.off] == "devmap_managed_key" else \
                f"   # {others[s.insn.off]} site: NOP (modelled off)"
        elif s.emit:
            note = f"   # {s.note}" if s.note else ""
        elif s.insn.off in sites:
            note = f"   # becomes jmp {sites[s.insn.off]:x} (key on): not given to llvm-mca"
        else:
            note = "   # unconditional: not given to llvm-mca"
        lines.append(f"  {s.insn.off:5x}:  {s.insn.text}{note}")
    return lines


def wrap(text):
    return textwrap.fill(text, 100, break_on_hyphens=False, break_long_words=False)


def table(head, rows):
    """Plain-text columns: the first two left-aligned, the rest right; None: a blank line."""
    widths = [max(len(r[k]) for r in [head] + [r for r in rows if r]) for k in range(len(head))]
    line = lambda r: "  ".join(c.ljust(w) if k < 2 else c.rjust(w)
                               for k, (c, w) in enumerate(zip(r, widths))).rstrip()
    return [line(head)] + [line(r) if r else "" for r in rows]


def report(func, version, seqs, results, dropped_branches):
    """Plain text.  seqs: [(tag, name, title, turn, sites)]; results:
    {(tag, cpu): parse_mca()}; dropped_branches: llvm-mca got no branch."""
    how = ("Given to llvm-mca as straight-line code repeated "
           f"{ITERATIONS} times: unconditional jmps are dropped (so is the jmp each key-on site "
           "becomes: (c) executes one instruction per site more than it lists); ")
    how += ("conditional branches are dropped too: llvm-mca rejected them, so the counts below "
            "leave them out." if dropped_branches else
            f"conditional branches are kept, their target replaced by the label {LABEL} after "
            "the last instruction (llvm-mca does not follow branches).")
    out = [HEADER.format(version=version), "", wrap(
        f"{func}(): one turn of the timed loop (page = READ_ONCE(*pagep); get_page(page); "
        "put_page(page);) on an ordinary page, the common path: no call taken. Path: from the "
        "first ktime_get() call, every je/jne read as \"not equal / nonzero\" (the loop goes on, "
        "the refcount after lock decl stays above zero, the page's zone is not ZONE_DEVICE) "
        "until the loop closes."), "", wrap(
        how + " objdump's `xchg %ax,%ax` (the 2-byte NOP 66 90) is given as `nop`, which "
        "llvm-mca models as a NOP, not as a 3-uop xchg.")]
    for tag, _, title, turn, sites, others in seqs:
        n = sum(1 for s in turn if s.emit and (not dropped_branches or not branch(s.insn)))
        out += ["", f"({tag}) {title}: {n} instructions"] + listing(turn, sites, others)
        for site, target, block in site_blocks(turn, sites):
            out.append(f"  site {site:x} -> {target:x}: {len(block)} instructions of its "
                       "out-of-line block in place of the NOP")
    rows = []
    for tag, name, *_ in seqs:
        rows += [(f"({tag}) {name}", cpu, f"{r['per_iter']:g}", f"{r['cycles_per_iter']:.2f}",
                  f"{r['rthroughput']:.2f}") for cpu in CPUS for r in [results[(tag, cpu)]]]
    base = seqs[0][0]
    rows.append(None)
    for tag, *_ in seqs[1:]:
        for cpu in CPUS:
            r, a = results[(tag, cpu)], results[(base, cpu)]
            rows.append((f"({tag})-({base})", cpu, f"{r['per_iter'] - a['per_iter']:+g}",
                         f"{r['cycles_per_iter'] - a['cycles_per_iter']:+.2f}",
                         f"{r['rthroughput'] - a['rthroughput']:+.2f}"))
    out += ["", f"llvm-mca -mtriple=x86_64 -mcpu=CPU -iterations={ITERATIONS}, per loop turn:", ""]
    out += table(("sequence", "cpu", "instructions", "cycles", "block RThroughput"), rows)
    out += ["", wrap("instructions = Instructions / Iterations; cycles = Total Cycles / "
                     "Iterations; block RThroughput: llvm-mca's estimate of the cycles one turn "
                     "needs from resource pressure alone (its summary's Block RThroughput).")]
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) not in (2, 3):
        raise McaError("usage: site-mca.py BASE_KO FINE_KO [FUNCTION]")
    base_ko, fine_ko = argv[0], argv[1]
    func = argv[2] if len(argv) == 3 else FUNC
    for tool in ("llvm-mca", "objdump", "readelf"):
        if not shutil.which(tool):
            raise McaError(f"{tool} not found" + (" (Debian package llvm)" if tool == "llvm-mca" else ""))
    version = mca_version(run("llvm-mca", "--version"))
    base, fine = load(base_ko, func), load(fine_ko, func)
    base_keys = jump_sites(run("readelf", "-rW", base_ko))
    fine_keys = jump_sites(run("readelf", "-rW", fine_ko))
    sites = {site: target for site, (key, target) in fine_keys.items() if key == KEY}
    base_others = {site: key for site, (key, _) in base_keys.items()}
    fine_others = {site: key for site, (key, _) in fine_keys.items() if key != KEY}
    if not sites:
        raise McaError(f"{fine_ko}: no jump-table entry keyed on {KEY}")
    # each module's kernel, named by its folder: build/kernels/<kernel>/bench-module/
    ref, hooked = (os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(k))))
                   for k in (base_ko, fine_ko))
    seqs = [("a", ref, ref, walk(base), {}, base_others),
            ("b", f"{hooked}, key off", f"{hooked}, {KEY} off (its sites stay NOPs)",
             walk(fine, sites, False), sites, fine_others),
            ("c", f"{hooked}, key on", f"{hooked}, {KEY} on, ordinary page (each site: its out-of-line block)",
             walk(fine, sites, True), sites, fine_others)]
    if not any(s.insn.off in sites for s in seqs[1][3]):
        raise McaError(f"no {KEY} site on {hooked}'s loop path")
    results, dropped = {}, False
    try:
        for tag, _, _, turn, *_ in seqs:
            for cpu in CPUS:
                results[(tag, cpu)] = llvm_mca(assembly(turn), cpu)
    except McaError:
        dropped, results = True, {}
        for tag, _, _, turn, *_ in seqs:
            for cpu in CPUS:
                results[(tag, cpu)] = llvm_mca(assembly(turn, branches=False), cpu)
    sys.stdout.write(report(func, version, seqs, results, dropped))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except McaError as e:
        print(f"site-mca.py: error: {e}", file=sys.stderr)
        sys.exit(1)
