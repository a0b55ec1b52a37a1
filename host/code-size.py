#!/usr/bin/env python3
"""code-size.py VMLINUX: code size and hook sites of one kernel image.

Prints key=value lines:
  code_bytes   sum of the sizes of text symbols (nm -S, types t/T, each
               address counted once).  Not `size`'s text column: on x86 the
               linker script pads .text to a 2 MiB multiple, so that column
               moves with rodata, not with code.
  hook_sites   static-branch sites keyed on devmap_pin_key (the fine
               policy's hook), from the jump table (__start___jump_table to
               __stop___jump_table, inside a data section); 0 when the
               kernel has no such key.  Each is one patched-out jump in an
               inlined page_ref helper.
Used by host/build-kernel.sh (build-info) and bench/host/run-matrix.sh
(static.csv).  Needs binutils' nm and objdump.
"""
import re
import struct
import subprocess
import sys


def nm_symbols(path):
    out = subprocess.run(["nm", "-S", path], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4:
            yield int(f[0], 16), int(f[1], 16), f[2], f[3]
        elif len(f) == 3:
            yield int(f[0], 16), 0, f[1], f[2]


def section_of(path, addr):
    """(vma, file offset) of the section holding ADDR, or None."""
    out = subprocess.run(["objdump", "-h", path], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 6 and re.fullmatch(r"[0-9a-f]{8,}", f[3]):
            size, vma, off = int(f[2], 16), int(f[3], 16), int(f[5], 16)
            if vma <= addr < vma + size:
                return vma, off
    return None


def hook_sites(path, key_addr, start, stop):
    """Entries of [START, STOP), the __jump_table, keyed on KEY_ADDR."""
    if key_addr is None or start is None or stop is None:
        return 0
    sec = section_of(path, start)
    if sec is None:
        return 0
    vma, off = sec
    with open(path, "rb") as f:
        f.seek(off + start - vma)
        data = f.read(stop - start)
    n = 0
    # struct jump_entry { s32 code; s32 target; s64 key; }, each relative
    # to its own field; the key's low two bits are flags.
    for i in range(0, len(data) - len(data) % 16, 16):
        _, _, key = struct.unpack_from("<iiq", data, i)
        if ((start + i + 8 + key) & ~3) == key_addr:
            n += 1
    return n


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: code-size.py VMLINUX")
    path = sys.argv[1]
    seen, code, syms = set(), 0, {}
    for addr, size, typ, name in nm_symbols(path):
        if typ in "tT" and addr not in seen:
            seen.add(addr)
            code += size
        if name in ("devmap_pin_key", "__start___jump_table", "__stop___jump_table"):
            syms[name] = addr
    print(f"code_bytes={code}")
    print("hook_sites=%d" % hook_sites(path, syms.get("devmap_pin_key"),
                                       syms.get("__start___jump_table"),
                                       syms.get("__stop___jump_table")))


if __name__ == "__main__":
    main()
