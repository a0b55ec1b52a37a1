#!/usr/bin/env python3
"""site-excerpt.py BASE_KO FINE_KO [FUNCTION]: one inlined get/put site, annotated.

Disassembles FUNCTION (default time_get_put_page, the timed loop of
bench/module: get_page() + put_page() inlined exactly as at any kernel
call site) in the bench module built against baseline and against fine,
from the first call to ktime_get_ns() to the second: the timed region.
In fine's, every static-branch site keyed on devmap_pin_key (found in the
module's __jump_table relocations) is marked, and the out-of-line code it
jumps to when the key is on is printed after the loop, up to the jump
back.  Prints plain text for REPORT.md (bench/run-matrix.sh writes it to
the run folder as site-excerpt.txt).  Needs binutils' objdump and readelf.
"""
import re
import subprocess
import sys

KEY = "devmap_pin_key"


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def disassemble(ko, func):
    """[(offset, text, reloc)] of FUNC, offsets within its section."""
    out = run("objdump", "-dr", "--no-show-raw-insn", f"--disassemble={func}", ko)
    insns = []
    for line in out.splitlines():
        m = re.match(r"\s+([0-9a-f]+):\s+(R_X86_64_\S+\s+\S+)", line)
        if m and insns:
            off, text, _ = insns[-1]
            insns[-1] = (off, text, m.group(2))
            continue
        m = re.match(r"\s+([0-9a-f]+):\s+(.*\S)", line)
        if m:
            insns.append((int(m.group(1), 16), re.sub(r"\s+", " ", m.group(2)), ""))
    return insns


def key_sites(ko):
    """{code offset: target offset} of the jump-table entries keyed on KEY."""
    out = run("readelf", "-rW", ko)
    sec, fields = None, {}
    for line in out.splitlines():
        if line.startswith("Relocation section"):
            sec = line.split("'")[1]
            continue
        if sec != ".rela__jump_table":
            continue
        f = line.split()
        if len(f) < 5 or not re.match(r"^[0-9a-f]+$", f[0]):
            continue
        off = int(f[0], 16)
        sym, addend = f[4], int(f[-1], 16) if f[-2] == "+" else 0
        fields.setdefault(off // 16, {})[off % 16] = (sym, addend)
    sites = {}
    for entry in fields.values():
        key = entry.get(8, ("", 0))[0]
        if key == KEY and 0 in entry and 4 in entry:
            # PC32 relocations: section + addend, addend counts from the
            # field itself (code at +0, target at +4)
            sites[entry[0][1]] = entry[4][1] + 4
    return sites


def timed(insns):
    calls = [i for i, (_, _, r) in enumerate(insns) if "ktime_get_ns" in r]
    return insns[calls[0] + 1:calls[1]] if len(calls) >= 2 else insns


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: site-excerpt.py BASE_KO FINE_KO [FUNCTION]")
    base, fine = sys.argv[1], sys.argv[2]
    func = sys.argv[3] if len(sys.argv) == 4 else "time_get_put_page"
    b = timed(disassemble(base, func))
    f_all = disassemble(fine, func)
    f = timed(f_all)
    sites = key_sites(fine)
    print(f"{func}(): the timed region, get_page() + put_page() inlined")
    print(f"\nbaseline: {len(b)} instructions")
    for off, text, _ in b:
        print(f"  {off:5x}:  {text}")
    marked = [off for off, _, _ in f if off in sites]
    print(f"\nfine: {len(f)} instructions; {len(marked)} devmap_pin_key site(s), "
          "each a NOP while no device-dax pgmap exists")
    for off, text, _ in f:
        note = f"   <- devmap_pin_key: NOP when off, jmp {sites[off]:x} when on" \
            if off in sites else ""
        print(f"  {off:5x}:  {text}{note}")
    by_off = {off: i for i, (off, _, _) in enumerate(f_all)}
    for site in marked:
        start = by_off.get(sites[site])
        if start is None:
            continue
        print(f"\nfine, key on: the code at {sites[site]:x} (site {site:x}), "
              "up to its jump back")
        for off, text, _ in f_all[start:start + 12]:
            print(f"  {off:5x}:  {text}")
            if text.startswith("jmp"):
                break


if __name__ == "__main__":
    main()
