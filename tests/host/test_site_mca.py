"""Tests for host/site-mca.py, the llvm-mca estimate of one inlined
get_page()/put_page() site.

Run from the repository root:
    python3 -m unittest discover -s tests/host -p 'test_*.py'

The parsing and path-building functions run on objdump and readelf output
recorded below from the bench module (bench/module) built against baseline
and against fine (devmap_bench.ko, function time_get_put_page), so build/
need not exist.  The tests that run llvm-mca are skipped where it is absent.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(TOP, "host", "site-mca.py")

# objdump -dr --no-show-raw-insn --disassemble=time_get_put_page, baseline.
# Note the relocations objdump lists after the first instruction: they are
# other functions' (offsets below 0x120), not this one's.
BASE_OBJDUMP = """\
0000000000000120 <time_get_put_page>:
 120:\tpush   %r15
\t\t\t24: R_X86_64_PLT32\tktime_get-0x4
\t\t\t40: R_X86_64_PLT32\tunpin_user_page-0x4
\t\t\t5b: R_X86_64_PLT32\tpin_user_pages_fast-0x4
\t\t\t6c: R_X86_64_PLT32\tktime_get-0x4
\t\t\t9d: R_X86_64_PLT32\tktime_get-0x4
\t\t\tb6: R_X86_64_PLT32\tktime_get-0x4
\t\t\te0: R_X86_64_PLT32\tktime_get-0x4
\t\t\tf9: R_X86_64_PLT32\tktime_get-0x4
 122:\tmov    %rdi,%r15
 125:\tpush   %r14
 127:\tmov    %esi,%r14d
 12a:\tpush   %r13
 12c:\tpush   %r12
 12e:\tpush   %rbp
 12f:\tpush   %rbx
 130:\tpushf
 131:\tpop    %r13
 133:\tcli
 134:\tcall   139 <time_get_put_page+0x19>
\t\t\t135: R_X86_64_PLT32\tktime_get-0x4
 139:\txor    %ebp,%ebp
 13b:\tmov    %rax,%r12
 13e:\ttest   %r14d,%r14d
 141:\tjne    14d <time_get_put_page+0x2d>
 143:\tjmp    189 <time_get_put_page+0x69>
 145:\tadd    $0x1,%ebp
 148:\tcmp    %ebp,%r14d
 14b:\tje     189 <time_get_put_page+0x69>
 14d:\tmov    (%r15),%rbx
 150:\tmov    0x8(%rbx),%rdx
 154:\tlea    -0x1(%rdx),%rax
 158:\tand    $0x1,%edx
 15b:\tcmove  %rbx,%rax
 15f:\tlock incl 0x34(%rax)
 163:\tmov    0x8(%rbx),%rax
 167:\tlea    -0x1(%rax),%rdx
 16b:\ttest   $0x1,%al
 16d:\tcmovne %rdx,%rbx
 171:\txchg   %ax,%ax
 173:\tlock decl 0x34(%rbx)
 177:\tjne    145 <time_get_put_page+0x25>
 179:\tmov    %rbx,%rdi
 17c:\tadd    $0x1,%ebp
 17f:\tcall   184 <time_get_put_page+0x64>
\t\t\t180: R_X86_64_PLT32\t__folio_put-0x4
 184:\tcmp    %ebp,%r14d
 187:\tjne    14d <time_get_put_page+0x2d>
 189:\tcall   18e <time_get_put_page+0x6e>
\t\t\t18a: R_X86_64_PLT32\tktime_get-0x4
 18e:\ttest   $0x200,%r13d
 195:\tje     198 <time_get_put_page+0x78>
 197:\tsti
 198:\tpop    %rbx
 199:\tsub    %r12,%rax
 19c:\tpop    %rbp
 19d:\tpop    %r12
 19f:\tpop    %r13
 1a1:\tpop    %r14
 1a3:\tpop    %r15
 1a5:\tret
 1a6:\tmov    (%rbx),%rax
 1a9:\tshr    $0x3e,%rax
 1ad:\tcmp    $0x3,%rax
 1b1:\tjne    173 <time_get_put_page+0x53>
 1b3:\tmov    $0x1,%esi
 1b8:\tmov    %rbx,%rdi
 1bb:\tcall   1c0 <time_get_put_page+0xa0>
\t\t\t1bc: R_X86_64_PLT32\t__put_devmap_managed_folio_refs-0x4
 1c0:\ttest   %al,%al
 1c2:\tjne    145 <time_get_put_page+0x25>
 1c4:\tjmp    173 <time_get_put_page+0x53>
"""

# The same, fine: devmap_pin_key sites at 162 and 174 (2-byte NOPs), their
# out-of-line blocks at 1cd and 1e9; devmap_managed_key's site at 172.
FINE_OBJDUMP = """\
0000000000000120 <time_get_put_page>:
 120:\tpush   %r15
\t\t\t24: R_X86_64_PLT32\tktime_get-0x4
\t\t\t40: R_X86_64_PLT32\tunpin_user_page-0x4
\t\t\t5b: R_X86_64_PLT32\tpin_user_pages_fast-0x4
\t\t\t6c: R_X86_64_PLT32\tktime_get-0x4
\t\t\t9d: R_X86_64_PLT32\tktime_get-0x4
\t\t\tb6: R_X86_64_PLT32\tktime_get-0x4
\t\t\te0: R_X86_64_PLT32\tktime_get-0x4
\t\t\tf9: R_X86_64_PLT32\tktime_get-0x4
 122:\tmov    %rdi,%r15
 125:\tpush   %r14
 127:\tmov    %esi,%r14d
 12a:\tpush   %r13
 12c:\tpush   %r12
 12e:\tpush   %rbp
 12f:\tpush   %rbx
 130:\tpushf
 131:\tpop    %r13
 133:\tcli
 134:\tcall   139 <time_get_put_page+0x19>
\t\t\t135: R_X86_64_PLT32\tktime_get-0x4
 139:\txor    %ebp,%ebp
 13b:\tmov    %rax,%r12
 13e:\ttest   %r14d,%r14d
 141:\tjne    14d <time_get_put_page+0x2d>
 143:\tjmp    18c <time_get_put_page+0x6c>
 145:\tadd    $0x1,%ebp
 148:\tcmp    %ebp,%r14d
 14b:\tje     18c <time_get_put_page+0x6c>
 14d:\tmov    (%r15),%rbx
 150:\tmov    0x8(%rbx),%rax
 154:\tlea    -0x1(%rax),%rdi
 158:\ttest   $0x1,%al
 15a:\tcmove  %rbx,%rdi
 15e:\tlock incl 0x34(%rdi)
 162:\txchg   %ax,%ax
 164:\tmov    0x8(%rbx),%rax
 168:\tlea    -0x1(%rax),%rdx
 16c:\ttest   $0x1,%al
 16e:\tcmovne %rdx,%rbx
 172:\txchg   %ax,%ax
 174:\txchg   %ax,%ax
 176:\tlock decl 0x34(%rbx)
 17a:\tjne    145 <time_get_put_page+0x25>
 17c:\tmov    %rbx,%rdi
 17f:\tadd    $0x1,%ebp
 182:\tcall   187 <time_get_put_page+0x67>
\t\t\t183: R_X86_64_PLT32\t__folio_put-0x4
 187:\tcmp    %ebp,%r14d
 18a:\tjne    14d <time_get_put_page+0x2d>
 18c:\tcall   191 <time_get_put_page+0x71>
\t\t\t18d: R_X86_64_PLT32\tktime_get-0x4
 191:\ttest   $0x200,%r13d
 198:\tje     19b <time_get_put_page+0x7b>
 19a:\tsti
 19b:\tpop    %rbx
 19c:\tsub    %r12,%rax
 19f:\tpop    %rbp
 1a0:\tpop    %r12
 1a2:\tpop    %r13
 1a4:\tpop    %r14
 1a6:\tpop    %r15
 1a8:\tret
 1a9:\tmov    (%rbx),%rax
 1ac:\tshr    $0x3e,%rax
 1b0:\tcmp    $0x3,%rax
 1b4:\tjne    174 <time_get_put_page+0x54>
 1b6:\tmov    $0x1,%esi
 1bb:\tmov    %rbx,%rdi
 1be:\tcall   1c3 <time_get_put_page+0xa3>
\t\t\t1bf: R_X86_64_PLT32\t__put_devmap_managed_folio_refs-0x4
 1c3:\ttest   %al,%al
 1c5:\tjne    145 <time_get_put_page+0x25>
 1cb:\tjmp    174 <time_get_put_page+0x54>
 1cd:\tmov    (%rdi),%rax
 1d0:\tshr    $0x3e,%rax
 1d4:\tcmp    $0x3,%rax
 1d8:\tjne    164 <time_get_put_page+0x44>
 1da:\tmov    $0x1,%esi
 1df:\tcall   1e4 <time_get_put_page+0xc4>
\t\t\t1e0: R_X86_64_PLT32\t__devmap_pin_get-0x4
 1e4:\tjmp    164 <time_get_put_page+0x44>
 1e9:\tmov    (%rbx),%rax
 1ec:\tshr    $0x3e,%rax
 1f0:\tcmp    $0x3,%rax
 1f4:\tjne    176 <time_get_put_page+0x56>
 1f6:\tmov    $0x1,%esi
 1fb:\tmov    %rbx,%rdi
 1fe:\tcall   203 <time_get_put_page+0xe3>
\t\t\t1ff: R_X86_64_PLT32\t__devmap_pin_put-0x4
 203:\ttest   %eax,%eax
 205:\tjne    145 <time_get_put_page+0x25>
 20b:\tjmp    17c <time_get_put_page+0x5c>
"""

# readelf -rW, fine module: the first entries of .rela__jump_table.
FINE_JUMP_TABLE = """\
Relocation section '.rela__jump_table' at offset 0x24f8 contains 15 entries:
    Offset             Info             Type               Symbol's Value  Symbol's Name + Addend
0000000000000000  0000000100000002 R_X86_64_PC32          0000000000000000 .text + 162
0000000000000004  0000000100000002 R_X86_64_PC32          0000000000000000 .text + 1cd
0000000000000008  0000003500000018 R_X86_64_PC64          0000000000000000 devmap_pin_key + 2
0000000000000010  0000000100000002 R_X86_64_PC32          0000000000000000 .text + 172
0000000000000014  0000000100000002 R_X86_64_PC32          0000000000000000 .text + 1a9
0000000000000018  0000002d00000018 R_X86_64_PC64          0000000000000000 devmap_managed_key + 2
0000000000000020  0000000100000002 R_X86_64_PC32          0000000000000000 .text + 174
0000000000000024  0000000100000002 R_X86_64_PC32          0000000000000000 .text + 1e9
0000000000000028  0000003500000018 R_X86_64_PC64          0000000000000000 devmap_pin_key + 2
"""

# llvm-mca -mtriple=x86_64 -mcpu=znver3 -iterations=100 on three instructions.
MCA_SUMMARY = """\
Iterations:        100
Instructions:      300
Total Cycles:      109
Total uOps:        300

Dispatch Width:    6
uOps Per Cycle:    2.75
IPC:               2.75
Block RThroughput: 1.0
"""


def load_module():
    spec = importlib.util.spec_from_file_location("site_mca", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mca = load_module()
BASE_KO = os.path.join(TOP, "build", "kernels", "baseline", "bench-module", "devmap_bench.ko")
FINE_KO = os.path.join(TOP, "build", "kernels", "fine", "bench-module", "devmap_bench.ko")
# One turn of the loop on an ordinary page, as offsets of the instructions
# given to llvm-mca: load the page, get (lock incl), put (lock decl, jne back
# taken), loop increment (je out not taken).
BASE_TURN = [0x14d, 0x150, 0x154, 0x158, 0x15b, 0x15f, 0x163, 0x167, 0x16b, 0x16d, 0x171,
             0x173, 0x177, 0x145, 0x148, 0x14b]
FINE_OFF = [0x14d, 0x150, 0x154, 0x158, 0x15a, 0x15e, 0x162, 0x164, 0x168, 0x16c, 0x16e,
            0x172, 0x174, 0x176, 0x17a, 0x145, 0x148, 0x14b]
FINE_ON = [0x14d, 0x150, 0x154, 0x158, 0x15a, 0x15e, 0x1cd, 0x1d0, 0x1d4, 0x1d8, 0x164,
           0x168, 0x16c, 0x16e, 0x172, 0x1e9, 0x1ec, 0x1f0, 0x1f4, 0x176, 0x17a, 0x145,
           0x148, 0x14b]
SITES = {0x162: 0x1cd, 0x174: 0x1e9}


def emitted(turn):
    return [s.insn.off for s in turn if s.emit]


class TestParsing(unittest.TestCase):
    def test_relocations_belong_to_their_instruction(self):
        insns = {i.off: i for i in mca.parse_objdump(FINE_OBJDUMP)}
        self.assertEqual(insns[0x120].relocs, [])     # the other functions' relocations
        self.assertEqual(insns[0x134].relocs, ["ktime_get"])
        self.assertEqual(insns[0x182].relocs, ["__folio_put"])
        self.assertEqual(insns[0x18c].relocs, ["ktime_get"])
        self.assertEqual(insns[0x15e].text, "lock incl 0x34(%rdi)")

    def test_timed_region(self):
        insns = mca.parse_objdump(FINE_OBJDUMP)
        first, last = mca.timed_region(insns)
        self.assertEqual((insns[first].off, insns[last].off), (0x139, 0x18a))

    def test_jump_table(self):
        self.assertEqual(mca.parse_jump_table(FINE_JUMP_TABLE), SITES)
        self.assertEqual(mca.jump_sites(FINE_JUMP_TABLE)[0x172], ("devmap_managed_key", 0x1a9))

    def test_parse_mca(self):
        r = mca.parse_mca(MCA_SUMMARY)
        self.assertEqual((r["per_iter"], r["cycles_per_iter"], r["rthroughput"]), (3, 1.09, 1.0))
        with self.assertRaises(mca.McaError):
            mca.parse_mca("Iterations: 100\n")

    def test_version(self):
        self.assertEqual(mca.mca_version("Debian LLVM version 14.0.6\n  Optimized build.\n"), "14.0.6")


class TestPath(unittest.TestCase):
    def test_baseline_turn(self):
        turn = mca.walk(mca.parse_objdump(BASE_OBJDUMP))
        self.assertEqual(emitted(turn), BASE_TURN)
        self.assertTrue(all(s.emit for s in turn))

    def test_fine_key_off_keeps_the_nops(self):
        turn = mca.walk(mca.parse_objdump(FINE_OBJDUMP), SITES, key_on=False)
        self.assertEqual(emitted(turn), FINE_OFF)
        self.assertEqual(len(FINE_OFF) - len(BASE_TURN), 2)

    def test_fine_key_on_takes_the_blocks(self):
        turn = mca.walk(mca.parse_objdump(FINE_OBJDUMP), SITES, key_on=True)
        self.assertEqual(emitted(turn), FINE_ON)
        self.assertEqual([s.insn.off for s in turn if not s.emit], [0x162, 0x174])
        self.assertEqual(mca.site_blocks(turn, SITES),
                         [(0x162, 0x1cd, [0x1cd, 0x1d0, 0x1d4, 0x1d8]),
                          (0x174, 0x1e9, [0x1e9, 0x1ec, 0x1f0, 0x1f4])])

    def test_assembly_is_plain(self):
        turn = mca.walk(mca.parse_objdump(FINE_OBJDUMP), SITES, key_on=True)
        lines = mca.assembly(turn).splitlines()
        self.assertEqual(len(lines), len(FINE_ON) + 1)
        self.assertEqual(lines[-1], ".Lend:")
        self.assertIn("lock incl 0x34(%rdi)", lines)
        self.assertIn("shr $0x3e,%rax", lines)
        self.assertEqual(lines[FINE_ON.index(0x1d8)], "jne .Lend")
        self.assertEqual(lines[FINE_ON.index(0x14b)], "je .Lend")
        self.assertEqual(lines[FINE_ON.index(0x172)], "nop")   # xchg %ax,%ax: the 2-byte NOP
        self.assertFalse(any("<" in l or "R_X86" in l or "xchg" in l for l in lines), lines)
        no_branch = mca.assembly(turn, branches=False).splitlines()
        self.assertEqual(len(no_branch), len(FINE_ON) + 1 - 4)

    def test_other_conditions_refused(self):
        text = FINE_OBJDUMP.replace(" 17a:\tjne    145", " 17a:\tjg     145")
        with self.assertRaisesRegex(mca.McaError, "only je/jne"):
            mca.walk(mca.parse_objdump(text), SITES)

    def test_no_timer_refused(self):
        text = FINE_OBJDUMP.replace("ktime_get", "something_else")
        with self.assertRaisesRegex(mca.McaError, "ktime_get"):
            mca.walk(mca.parse_objdump(text))

    def test_call_on_the_path_refused(self):
        # the refcount test made to fall through to __folio_put
        text = FINE_OBJDUMP.replace(" 17a:\tjne    145", " 17a:\tje     145")
        with self.assertRaisesRegex(mca.McaError, "call"):
            mca.walk(mca.parse_objdump(text), SITES)


class TestCommand(unittest.TestCase):
    def run_script(self, *args, env=None):
        return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True,
                              env=env, timeout=120)

    def test_llvm_mca_missing(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = self.run_script("a.ko", "b.ko", env=dict(os.environ, PATH=tmp))
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr.strip().splitlines(),
                         ["site-mca.py: error: llvm-mca not found (Debian package llvm)"])

    @unittest.skipUnless(shutil.which("llvm-mca") and shutil.which("objdump"), "needs llvm-mca, objdump")
    def test_module_missing(self):
        proc = self.run_script("/nonexistent/a.ko", "/nonexistent/b.ko")
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertIn("a.ko", proc.stderr)

    @unittest.skipUnless(shutil.which("llvm-mca"), "llvm-mca is not installed")
    def test_llvm_mca_reads_the_sequences(self):
        insns = mca.parse_objdump(FINE_OBJDUMP)
        for key_on, n in ((False, len(FINE_OFF)), (True, len(FINE_ON))):
            for cpu in mca.CPUS:
                r = mca.llvm_mca(mca.assembly(mca.walk(insns, SITES, key_on)), cpu)
                self.assertEqual(r["per_iter"], n)
                self.assertGreater(r["cycles_per_iter"], 0)

    @unittest.skipUnless(shutil.which("llvm-mca") and os.path.isfile(BASE_KO) and os.path.isfile(FINE_KO),
                         "needs llvm-mca and the bench modules in build/")
    def test_on_built_modules(self):
        proc = self.run_script(BASE_KO, FINE_KO)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        self.assertRegex(lines[0], r"^Static estimate by llvm-mca \(LLVM \S+\), not a measurement: "
                                   r"it models the instructions, not the cache, the atomics' real "
                                   r"cost or the emulated CPU$")
        for row in ("(b)-(a)", "(c)-(a)"):
            for cpu in mca.CPUS:
                self.assertTrue(any(l.startswith(row) and cpu in l for l in lines), (row, cpu))


if __name__ == "__main__":
    unittest.main()
