"""Tests for host/report.py, the run-folder report generator.

Run from the repository root:
    python3 -m unittest discover -s tests/host -p 'test_*.py'

Fixtures (hand-written run folders in the format of bench/FORMAT.md):
  fixtures/run-small    every cell ok except an unsupported perf event; an
                        old run's free-text clock (read as wall)
  fixtures/run-crashed  the same run with crash, failed, timeout and skipped
                        cells, a crashed boot and an unexpected fine oops
  fixtures/run-icount   run-small under clock=icount: exact hot-path counts
                        (baseline = coarse; fine +2 key off, +8 key on, +44
                        on devdax), one varying cell (fine pin_unpin:ordinary
                        606.00-606.24), workload ops/s and GUP pages/s that
                        the report inverts to instructions per operation and
                        per page, and mca.txt (real output
                        of host/site-mca.py)
Each test runs the generator on its fixture as a subprocess, the way `make
report` does, with the report and plots (and their data/) in a temporary
directory; test_run_folder_untouched checks that the run folder is only read.
Only test_plots_render needs gnuplot.
"""

import difflib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
REPORT = os.path.join(TOP, "host", "report.py")
FIXTURES = os.path.join(HERE, "fixtures")
COVER = os.path.join(TOP, "kernel-patches", "0000-cover-letter.patch")
PLOTS = ("headline", "hotpath", "code_size", "unbind_inflight", "unbind_maps", "unbind_dist", "gup")


def load_module(name="stats"):
    """host/reportgen/NAME, imported the way report.py imports it."""
    sys.path.insert(0, os.path.join(TOP, "host"))
    return importlib.import_module(f"reportgen.{name}")


def section(text, title):
    """The body of '## title' up to the next level-2 heading."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-test-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.out = os.path.join(self.tmp, "out", "REPORT.md")
        self.plots = os.path.join(self.tmp, "out", "plots")

    def fixture(self, name):
        dst = os.path.join(self.tmp, name)
        shutil.copytree(os.path.join(FIXTURES, name), dst, dirs_exist_ok=True)
        return dst

    def run_report(self, *args, env=None):
        # in the temporary directory: a default --plots-dir lands there too
        return subprocess.run([sys.executable, REPORT, *args], capture_output=True,
                              text=True, env=env, timeout=120, cwd=self.tmp)

    def report(self, name, *extra):
        """Generate the report of fixture name without gnuplot; return its text."""
        return self.report_dir(self.fixture(name), *extra)

    def details(self, name, *extra):
        """The details file (every table in full) of fixture name."""
        return self.details_dir(self.fixture(name), *extra)

    def details_dir(self, run, *extra):
        self.report_dir(run, *extra)
        with open(os.path.join(self.plots, "details.md")) as f:
            return f.read()

    def report_dir(self, run, *extra):
        proc = self.run_report(run, "--out", self.out, "--plots-dir", self.plots, "--no-gnuplot", *extra)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(self.out) as f:
            return f.read()

    def edit(self, run, name, fn):
        """Rewrite run/name line by line: fn(line) -> new line."""
        path = os.path.join(run, name)
        with open(path) as f:
            lines = f.read().splitlines()
        with open(path, "w") as f:
            f.write("\n".join(fn(l) for l in lines) + "\n")

    def set_sample(self, run, variant, group, case, value):
        """Every sample of (variant, group, case) becomes value."""
        def fn(line):
            f = line.split(",")
            if f[:3] == [variant, group, case]:
                f[5] = value
            return ",".join(f)
        self.edit(run, "samples.csv", fn)

    def set_hot(self, run, variant, case, value):
        """Every hotpath sample of (variant, case) becomes value."""
        self.set_sample(run, variant, "hotpath", case, value)

    def assert_one_line_error(self, proc, word):
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertIn(word, proc.stderr)


class TestTables(ReportTest):
    def test_hotpath_table_by_hand(self):
        # get_put_page:ordinary, 3 trials x 2 reps per variant, sorted:
        #   baseline 10.0 10.4 10.8 11.2 11.6 14.0
        #   coarse    9.8 10.2 10.6 11.0 11.4 11.8
        #   fine     12.0 12.4 12.8 13.2 13.6 16.0
        # n = 6: median h = 2.5 -> x2 + 0.5(x3 - x2); p25 h = 1.25; p75 h = 3.75.
        # baseline: 11.00, p25 10.4 + .25*.4 = 10.50, p75 11.2 + .75*.4 = 11.50
        # coarse: 10.80, 10.30, 11.30; change (10.8 - 11) / 11 = -1.818% -> -1.8%
        # fine: 13.00, 12.50, 13.50; change (13 - 11) / 11 = +18.18% -> +18.2%
        hot = section(self.report("run-small"), "Hot path")
        table = hot.split("#### get_put_page:ordinary\n", 1)[1].split("####", 1)[0]
        self.assertIn("| baseline | 11.00 | 10.50–11.50 | 10.00–14.00 | 6 | — |", table)
        self.assertIn("| coarse | 10.80 | 10.30–11.30 | 9.80–11.80 | 6 | -1.8% |", table)
        self.assertIn("| fine | 13.00 | 12.50–13.50 | 12.00–16.00 | 6 | +18.2% |", table)

    def test_percentile_is_linear_interpolation(self):
        percentile = load_module().percentile
        self.assertEqual(percentile([4, 1, 3, 2], 0.25), 1.75)   # numpy.percentile(.., 25)
        self.assertEqual(percentile([4, 1, 3, 2], 0.5), 2.5)
        self.assertEqual(percentile([7], 0.75), 7)

    def test_correctness_matrix(self):
        text = section(self.report("run-small"), "Correctness")
        self.assertIn("| outliving.vmsplice_then_unbind | oops (expected) | oops (expected) | pass |", text)
        self.assertIn("| balance.fork | pass | FAIL: expected pass, got fail | pass |", text)

    def test_static_cost(self):
        text = section(self.details("run-small"), "Static cost")
        self.assertIn("| fine | 10,489,856 | +4,096 bytes (+0.039%) | +4,096 bytes; functions 3 added, "
                      "0 removed, 12 grown, 1 shrunk | 157 |", text)
        self.assertIn("Code size comes from symbol sizes and bloat-o-meter", text)
        fine = text.split("#### fine", 1)[1]
        self.assertIn("| `__devmap_pin_mod` | - | 612 | +612 |", fine)
        # 12 symbols grew: only the top 10 are listed.
        self.assertIn("`unpin_user_pages`", fine)
        self.assertNotIn("`memunmap_pages`", fine)

    def test_perf_unsupported_is_stated(self):
        text = section(self.details("run-small"), "Workloads")
        self.assertIn("not supported or not counted: `cycles` (baseline, coarse, fine)", text)

    def test_conclusion_from_numbers(self):
        text = section(self.report("run-small"), "Conclusion")
        self.assertIn("+2.00 ns/pair (+18.2%, outside baseline's p25–p75) with a device-dax pgmap present", text)
        self.assertIn("with 4 idle mappings unbind took baseline 3.500 ms, coarse 202.3 ms, fine 4.200 ms", text)
        self.assertIn("unbind waited at least D = 1000 ms (the reference's lifetime): fine;", text)


class TestFailures(ReportTest):
    def test_failed_cells_are_listed(self):
        text = section(self.details("run-crashed"), "Failed or missing cells")
        for row in ("| coarse | hotpath | get_put_page:devdax | crash | 3 | 1,2,3 |",
                    "| fine | hotpath | get_put_page:ordinary | crash | 3 | 1,2,3 |",
                    "| fine | hotpath | get_put_page:ordinary-nodev | timeout | 1 | 3 |",
                    "| fine | gup | gup_fast:devdax-2M | failed | 3 | 1,2,3 |",
                    "| baseline | unbind | inflight=1000 | skipped:known use-after-free | 3 | 1,2,3 |",
                    "| 4 | 2 | coarse | 4K | crash | 204 |"):
            self.assertIn(row, text)

    def test_failed_cells_stay_in_tables(self):
        text = self.details("run-crashed")
        hot = section(text, "Hot path").split("#### get_put_page:ordinary\n", 1)[1]
        self.assertIn("| fine | crash ×3 | — | — | 0 | — |", hot)
        self.assertIn("| gup_fast:devdax-2M | fine | failed ×3 | — | — | 0 | — |", section(text, "GUP throughput"))
        self.assertIn("| baseline | skipped:known use-after-free ×3 | — | — | 0 | — |", section(text, "Unbind latency"))
        self.assertIn("2 (+timeout ×1)", section(text, "Hot path"))

    def test_conclusion_says_missing(self):
        text = section(self.report("run-crashed"), "Conclusion")
        self.assertIn("missing (fine get_put_page:ordinary: crash ×3)", text)
        self.assertIn("baseline missing (skipped:known use-after-free ×3)", text)
        self.assertIn("No clear answer from this run", text)

    def test_unexpected_oops_is_fail(self):
        text = section(self.report("run-crashed"), "Correctness")
        self.assertIn("| outliving.vmsplice_then_unbind | oops (expected) | oops (expected) "
                      "| FAIL: expected pass, got oops |", text)

    def test_fatal_warning_named_as_such(self):
        run = self.fixture("run-small")
        with open(os.path.join(run, "functional.csv"), "a") as f:
            f.write("baseline,open_race.file_across_unbind_bind@4K,warning,warning,"
                    "WARNING: in refcount_warn_saturate\n")
        text = section(self.report_dir(run), "Conclusion")
        self.assertIn("baseline: oops or fatal warning in 3 of 6 tests (outliving.vmsplice_then_unbind, "
                      "outliving.pin_then_unbind, open_race.file_across_unbind_bind@4K (warning)), "
                      "all as promised; coarse: oops in 2 of 5 tests", text)

    def test_healed_unbind_follows_the_test(self):
        """The report says a killed unbind heals only where test_killed_unbind
        showed it: for every variant whose unbind waits for references."""
        run = self.fixture("run-icount")
        old = "a fatal signal ends the wait and leaves the device in use until reboot"
        healed = "the teardown ends by itself when the last one goes"
        self.assertIn(old, self.report_dir(run))
        with open(os.path.join(run, "functional.csv"), "a") as f:
            f.write("fine,global.killed_unbind_heals@4K,pass,fail,\n")
        text = self.report_dir(run)
        self.assertIn(old, text)
        self.assertNotIn(healed, text)
        with open(os.path.join(run, "functional.csv"), "a") as f:
            f.write("fine,global.killed_unbind_heals@2M,pass,pass,\n")
        self.assertNotIn(healed, self.report_dir(run))
        with open(os.path.join(run, "functional.csv"), "a") as f:
            f.write("fine,global.killed_unbind_heals@4K,pass,pass,\n")
        self.assertNotIn(healed, self.report_dir(run))
        self.edit(run, "functional.csv", lambda line: line.replace(",pass,fail,", ",pass,pass,"))
        text = self.report_dir(run)
        self.assertIn(healed, text)
        # Ctrl-C and the refused reuse of the namespace: each its own test
        self.assertIn("a fatal signal (kill -9) ends", text)
        self.assertNotIn("cannot be reused", text)
        with open(os.path.join(run, "functional.csv"), "a") as f:
            f.write("fine,global.interrupted_unbind_heals@4K,pass,pass,\n"
                    "fine,global.namespace_reuse_refused@4K,pass,fail,\n")
        text = self.report_dir(run)
        self.assertIn("a fatal signal (kill -9, Ctrl-C) ends", text)
        self.assertNotIn("cannot be reused", text)
        self.edit(run, "functional.csv", lambda line: line.replace(",pass,fail,", ",pass,pass,"))
        self.assertIn("its namespace cannot be reused meanwhile", self.report_dir(run))

    def test_no_failures_says_so(self):
        run = self.fixture("run-small")
        with open(os.path.join(run, "samples.csv")) as f:
            rows = [l for l in f if ",unsupported" not in l and ",pins," not in l]
        with open(os.path.join(run, "samples.csv"), "w") as f:
            f.writelines(rows)
        proc = self.run_report(run, "--out", self.out, "--no-gnuplot")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(self.out) as f:
            self.assertIn("None: every cell produced `ok` samples", f.read())


class TestInputErrors(ReportTest):
    def test_missing_samples(self):
        run = self.fixture("run-small")
        os.remove(os.path.join(run, "samples.csv"))
        proc = self.run_report(run, "--out", self.out, "--no-gnuplot")
        self.assert_one_line_error(proc, "samples.csv")
        self.assertFalse(os.path.exists(self.out))

    def test_missing_manifest(self):
        run = self.fixture("run-small")
        os.remove(os.path.join(run, "manifest.txt"))
        self.assert_one_line_error(self.run_report(run, "--out", self.out, "--no-gnuplot"), "manifest.txt")

    def test_missing_run_dir(self):
        proc = self.run_report(os.path.join(self.tmp, "nope"), "--out", self.out, "--no-gnuplot")
        self.assert_one_line_error(proc, "nope")

    def test_malformed_header(self):
        run = self.fixture("run-small")
        path = os.path.join(run, "functional.csv")
        with open(path) as f:
            lines = f.readlines()
        lines[0] = "variant,test,outcome\n"
        with open(path, "w") as f:
            f.writelines(lines)
        self.assert_one_line_error(self.run_report(run, "--out", self.out, "--no-gnuplot"),
                                   "malformed CSV header")

    def test_latest_run(self):
        runs = os.path.join(self.tmp, "runs")
        for name in ("20250101-090000", "20250102-080000"):
            os.makedirs(os.path.join(runs, name))
        proc = self.run_report("--latest-run", runs)
        self.assertEqual(proc.stdout.strip(), os.path.join(runs, "20250102-080000"))
        self.assert_one_line_error(self.run_report("--latest-run", os.path.join(self.tmp, "none")),
                                   "no run folder")


class TestIcount(ReportTest):
    """clock=icount: the hot path is an exact instruction count."""

    def test_clock_named(self):
        text = section(self.details("run-icount"), "How the run was made")
        self.assertIn("Clock for the whole run: `clock=icount`: QEMU -icount shift=0,sleep=off", text)
        old = section(self.details("run-small"), "How the run was made")
        self.assertIn("Clock for the whole run: wall (this run predates", old)

    def test_hot_table_in_instructions(self):
        hot = section(self.report("run-icount"), "Hot path")
        self.assertIn("| Case | baseline (instructions per pair) | coarse (instructions per pair) "
                      "| fine (instructions per pair) |", hot)
        self.assertIn("| get_put_page:ordinary-nodev | 12.00, max−min 0.00 | 12.00 (+0.00), max−min 0.00 "
                      "| 14.00 (+2.00), max−min 0.00 | 6 / 6 / 6 |", hot)
        self.assertIn("| get_put_page:devdax | 16.00, max−min 0.00 | 16.00 (+0.00), max−min 0.00 "
                      "| 60.00 (+44.00), max−min 0.00 |", hot)
        self.assertIn("minus those of an empty loop", hot)
        self.assertNotIn("ns/pair", hot.replace("`ns/pair`", ""))

    def test_varying_cell_flagged(self):
        hot = section(self.report("run-icount"), "Hot path")
        self.assertIn("| 606.00 (+6.00), ⚠ varies 606.00–606.24 |", hot)
        self.assertIn("1 of 18 cells is not exact (max − min > 0.005): fine `pin_unpin:ordinary` "
                      "606.00–606.24", hot)
        concl = section(self.report("run-icount"), "Conclusion")
        self.assertIn("| pin_unpin:ordinary | +0.00 | +6.00 (⚠ samples vary: not exact) |", concl)

    def test_aa_zero(self):
        text = self.report("run-icount")
        line = ("`get_put_page:ordinary` +0.00; `folio_get_put:ordinary` +0.00 — holds: 0 on both.")
        self.assertIn(line, section(text, "Hot path"))
        self.assertIn(line, section(text, "Conclusion"))

    def test_aa_follows_the_data(self):
        # A coarse that differs from baseline where their code is the same must
        # be reported as such: the A/A line is computed, not written in.
        run = self.fixture("run-icount")
        self.set_hot(run, "coarse", "get_put_page:ordinary", "13.00")
        cover = os.path.join(self.tmp, "cover.patch")
        shutil.copy(COVER, cover)
        text = self.report_dir(run, "--cover", cover)
        hot = section(text, "Hot path")
        self.assertIn("`get_put_page:ordinary` +1.00; `folio_get_put:ordinary` +0.00 — FAILS", hot)
        self.assertNotIn("holds: 0 on both", text)
        self.assertIn("| get_put_page:ordinary | +1.00 | +8.00 |", section(text, "Conclusion"))
        self.assertIn("not the expected 0", section(text, "Conclusion"))
        with open(cover) as f:
            self.assertIn("(NOT 0)", f.read())

    def test_aa_undecided_when_samples_vary(self):
        run = self.fixture("run-icount")
        self.edit(run, "samples.csv", lambda l: l.replace(
            "coarse,hotpath,folio_get_put:ordinary,2,1,10.00", "coarse,hotpath,folio_get_put:ordinary,2,1,10.50"))
        hot = section(self.report_dir(run), "Hot path")
        self.assertIn("`folio_get_put:ordinary` +0.00 (samples vary: not exact) — cannot be decided", hot)
        self.assertIn("⚠ varies 10.00–10.50", hot)

    def test_conclusion_in_instructions(self):
        text = section(self.report("run-icount"), "Conclusion")
        self.assertIn("+2.00 instructions per pair with no device-dax pgmap (static key off); "
                      "+8.00 instructions per pair with a device-dax pgmap present (key on, ordinary page); "
                      "+44.00 instructions per pair on a device-dax page.", text)
        self.assertIn("at an exact price on every kernel: +2.00 instructions per get_put_page pair "
                      "with no device-dax pgmap (static key off)", text)
        self.assertIn("— 0, as expected of a policy that leaves get_page()/put_page() alone", text)
        self.assertIn("code +4,096 bytes (+0.039%) (bloat-o-meter: +4,096 bytes; functions 3 added", text)
        self.assertIn("The key-off +2.00 is the two patched-out jumps of the pair", text)
        self.assertNotIn("ns/pair", text)
        self.assertNotIn("not measurable", self.report("run-icount"))

    def test_conclusion_follows_the_data(self):
        run = self.fixture("run-icount")
        self.set_hot(run, "fine", "get_put_page:ordinary-nodev", "12.00")
        text = section(self.report_dir(run), "Conclusion")
        self.assertIn("its get_put_page pair executes as many instructions as baseline's (+0.00 per pair)", text)
        self.assertNotIn("patched-out jumps", text)
        self.assertNotIn("exact price", text)

    def test_hook_explanation_needs_hook_sites(self):
        run = self.fixture("run-icount")
        self.edit(run, "static.csv", lambda l: "fine,hook_sites,0" if l.startswith("fine,hook_sites") else l)
        text = section(self.report_dir(run), "Conclusion")
        self.assertIn("+2.00 instructions per pair with no device-dax pgmap", text)
        self.assertNotIn("patched-out", text)

    def test_noisy_groups_state_spread(self):
        text = self.details("run-icount")
        unbind = section(text, "Unbind latency")
        self.assertIn("Unit: virtual ms: millions of guest instructions, plus the idle time QEMU skipped. "
                      "Not exact: under icount these samples still vary", unbind)
        self.assertIn("p25–p75 spans 0.1–9.1% of the median over 18 cells", unbind)
        self.assertIn("Median (virtual ms)", unbind)
        self.assertIn("Not exact: under icount", section(text, "GUP throughput"))
        self.assertIn("| task-clock | msec (virtual) |", section(text, "Workloads"))

    def test_gup_in_instructions_per_page(self):
        # gup_fast:ordinary, pages/s -> 1e9 / value per sample:
        #   baseline 2e6 2.1e6 2.05e6 -> 500 476.19 487.80: median 487.80, p25
        #   (476.19 + 487.80) / 2 = 482.00, p75 (487.80 + 500) / 2 = 493.90
        #   fine 1.8e6 1.85e6 1.9e6 -> 555.56 540.54 526.32: (540.54 - 487.80)
        #   / 487.80 = +10.8% (more instructions per page: worse)
        gup = section(self.details("run-icount"), "GUP throughput")
        self.assertIn("instructions per page (lower is better; samples.csv's `pages/s` per "
                      "virtual second, inverted sample by sample: 1e9 / value)", gup)
        self.assertIn("| Case | Variant | Median (instructions per page) |", gup)
        self.assertIn("| gup_fast:ordinary | baseline | 488 | 482–494 | 476–500 | 3 | — |", gup)
        self.assertIn("| gup_fast:ordinary | fine | 541 | 533–548 | 526–556 | 3 | +10.8% |", gup)
        self.assertIn("| gup_fast:devdax-2M | baseline | 20.0 | 19.8–20.2 | 19.6–20.4 | 3 | — |", gup)
        self.assertIn("Unit: guest instructions per page of the kernel's GUP and put only: "
                      "mm/gup_test.c times", gup)
        self.assertIn("Not exact: under icount these samples still vary (I/O completion, timers", gup)
        self.assertIn("p25–p75 spans", gup)
        self.assertNotIn("higher is better", gup)
        self.assertNotIn("Median (pages", gup)

    def test_workloads_in_instructions_per_operation(self):
        # pipe_splice, ops/s -> 1e9 / value per sample:
        #   baseline 123456 120000 125000 -> 8100.03 8333.33 8000: median
        #   8100.03, p25 8050.01, p75 8216.68; fine 110000 112345 111000 ->
        #   9090.91 8901.16 9009.01: (9009.01 - 8100.03) / 8100.03 = +11.2%
        work = section(self.details("run-icount"), "Workloads")
        self.assertIn("instructions per operation (lower is better;", work)
        self.assertIn("| Workload | Variant | Median (instructions per operation) |", work)
        self.assertIn("| pipe_splice | baseline | 8,100 | 8,050–8,217 | 8,000–8,333 | 3 | — |", work)
        self.assertIn("| pipe_splice | fine | 9,009 | 8,955–9,050 | 8,901–9,091 | 3 | +11.2% |", work)
        self.assertIn("Unit: guest instructions per operation, the kernel's and the user's work of "
                      "one operation together", work)
        self.assertIn("Not exact: under icount these samples still vary", work)
        self.assertNotIn("higher is better", work)

    def test_rates_inverted_per_sample(self):
        # p25 of the inverted samples is (1e9/2e6 + 1e9/2.05e6) / 2 = 481.9976771,
        # not 1e9 / p25 of the rates (1e9 / 2.025e6 = 493.8, or 481.93 for p75).
        run = self.fixture("run-icount")
        self.report_dir(run)
        with open(os.path.join(self.plots, "data", "gup.dat")) as f:
            lines = f.read().splitlines()
        self.assertIn("instructions per page", lines[0])
        self.assertTrue(lines[2].startswith("gup_fast:ordinary 487.804878 481.9976771 493.902439 "), lines[2])

    def test_wall_keeps_rates(self):
        text = self.details("run-small")
        gup, work = section(text, "GUP throughput"), section(text, "Workloads")
        self.assertIn("pages/s (higher is better).", gup)
        self.assertIn("| Case | Variant | Median (pages/s) |", gup)
        self.assertIn("ops/s (higher is better).", work)
        self.assertIn("| Workload | Variant | Median (ops/s) |", work)
        self.assertNotIn("instructions per", gup + work)

    def test_zero_rate_not_inverted(self):
        run = self.fixture("run-icount")
        self.edit(run, "samples.csv", lambda l: l.replace(
            "fine,gup,gup_fast:ordinary,2,1,1.85e+06", "fine,gup,gup_fast:ordinary,2,1,0"))
        text = self.details_dir(run)
        # fine's two samples left, 526.32 and 555.56: median 540.94, p25 533.63,
        # p75 548.25, (540.94 - 487.80) / 487.80 = +10.9%
        self.assertIn("| gup_fast:ordinary | fine | 541 | 534–548 | 526–556 | 2 (+rate ≤ 0 ×1) | +10.9% |",
                      section(text, "GUP throughput"))
        self.assertIn("| fine | gup | gup_fast:ordinary | rate ≤ 0 | 1 | 2 |", section(text, "Failed or missing cells"))

    def test_before_series_section(self):
        run = self.fixture("run-icount")
        before = os.path.join(run, "before")
        os.mkdir(before)
        with open(os.path.join(before, "manifest.txt"), "w") as f:
            f.write("clock=icount\nseries=v2\n")
        with open(os.path.join(run, "samples.csv")) as f:
            lines = f.read().splitlines()
        with open(os.path.join(before, "samples.csv"), "w") as f:
            f.write("\n".join([lines[0]] + [l.replace(",14.00,", ",21.00,") for l in lines
                                              if l.startswith("fine,hotpath,get_put_page:ordinary-nodev,")]) + "\n")
        with open(os.path.join(before, "static.csv"), "w") as f:
            f.write("variant,metric,value\nfine,code_bytes,10500000\nfine,hook_sites,386\n")
        text = section(self.report_dir(run), "Fine before and after this version of the series")
        self.assertIn("| get_put_page:ordinary-nodev | 12.00 | 21.00 (+9.00) | 14.00 (+2.00) |", text)
        self.assertIn("v2: code 10,500,000 bytes (+14,240 vs baseline), 386 hook sites", text)
        self.assertNotIn("Fine before and after", self.report("run-small"))

    def test_static_cost_and_extras(self):
        text = section(self.details("run-icount"), "Static cost")
        self.assertIn("| fine | 10,489,856 | +4,096 bytes (+0.039%) |", text)
        self.assertIn("`code_bytes` is the sum of the `nm -S` sizes", text)
        self.assertIn("and llvm-mca: a static estimate, not a measurement (mca.txt)", text)
        self.assertIn("```text\nStatic estimate by llvm-mca (LLVM ", text)
        self.assertRegex(text, r"\(c\)-\(a\) +znver3 +\+8 ")
        self.assertNotIn("llvm-mca", self.report("run-small"))

    def test_old_static_metrics_not_used(self):
        run = self.fixture("run-small")
        self.edit(run, "static.csv", lambda l: l.replace("code_bytes", "text_bytes").replace("hook_sites", "hot_sites"))
        text = section(self.report_dir(run), "Static cost")
        self.assertIn("| fine | missing | missing (no code_bytes for fine) |", text)
        self.assertIn("static.csv also holds `hot_sites`, `text_bytes`, not used here", text)

    def test_cover_letter(self):
        cover = os.path.join(self.tmp, "cover.patch")
        shutil.copy(COVER, cover)
        self.report("run-icount", "--cover", cover)
        with open(cover) as f:
            block = f.read().split("--- numbers: begin ---\n")[1].split("--- numbers: end ---")[0]
        self.assertIn("clock=icount", block)
        self.assertIn("  fine with no device-dax pgmap (static key off): +2.00\n", block)
        self.assertIn("  coarse on a device-dax page: +0.00\n", block)
        self.assertIn("(0 as required)", block)
        self.assertNotIn("ns/pair", block)

    def test_plotdata_differences(self):
        run = self.fixture("run-icount")
        self.report_dir(run)
        with open(os.path.join(self.plots, "data", "hotpath.dat")) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[1], "# idx case coarse_delta coarse_lo coarse_hi fine_delta fine_lo "
                         "fine_hi baseline_median")
        # the last column: baseline's own count, for scale
        self.assertTrue(any(l.startswith("2 get_put_page:ordinary-nodev 0 0 0 2 2 2 ") for l in lines), lines)
        self.assertTrue(any(l.startswith("6 pin_unpin:ordinary 0 0 0 6 6 6.24 ") for l in lines), lines)

    @unittest.skipUnless(shutil.which("gnuplot"), "gnuplot is not installed")
    def test_plots_render(self):
        proc = self.run_report(self.fixture("run-icount"), "--out", self.out, "--plots-dir", self.plots)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in PLOTS:
            for ext in ("png", "svg"):
                path = os.path.join(self.plots, f"{name}.{ext}")
                self.assertTrue(os.path.isfile(path) and os.path.getsize(path) > 0, path)
        with open(os.path.join(self.plots, "hotpath.svg")) as f:
            svg = f.read()
        self.assertIn("variant - baseline", svg)
        self.assertIn("+2.00", svg)
        with open(os.path.join(self.plots, "gup.svg")) as f:
            svg = f.read()
        self.assertIn("GUP cost: instructions per page", svg)
        self.assertNotIn("pages/s", svg)
        with open(self.out) as f:
            self.assertIn("![GUP cost: instructions per page, median with p25–p75](", f.read())


class TestBusy(ReportTest):
    """A fourth variant, busy, made from run-icount: baseline's samples (its
    get/put code is baseline's), fine's functional outcomes."""

    def busy_run(self):
        run = self.fixture("run-icount")

        def copy_rows(name, source):
            with open(os.path.join(run, name)) as f:
                lines = f.read().splitlines()
            extra = ["busy" + l[len(source):] for l in lines if l.startswith(source + ",")]
            with open(os.path.join(run, name), "w") as f:
                f.write("\n".join(lines + extra) + "\n")
        copy_rows("samples.csv", "baseline")
        copy_rows("functional.csv", "fine")
        copy_rows("static.csv", "coarse")
        self.edit(run, "manifest.txt",
                  lambda l: l + " busy" if l.startswith("variants=") else l)
        return run

    def test_busy_answer(self):
        text = self.report_dir(self.busy_run())
        self.assertTrue(text.startswith("# Coarse, fine or busy pinning"))
        end = section(text, "Conclusion")
        self.assertIn("busy, which the 2015 thread did not argue", end)
        self.assertIn("A/A check, busy − baseline", end)
        self.assertIn("Per-busy-page pinning (busy)", end)
        self.assertIn("a kernel like this run's should select busy", end)
        self.assertIn("This run makes no claim for distribution kernels: it measured no distribution config", end)
        self.assertIn("GUP of idle device-dax pages", end)
        self.assertNotIn("busy on ordinary pages", text)

    def test_busy_answer_follows_the_data(self):
        # one instruction more on a device-dax get/put and busy is no longer
        # the policy with baseline's get/put: no answer for busy
        run = self.busy_run()
        self.set_hot(run, "busy", "get_put_page:devdax", "17.00")
        end = section(self.report_dir(run), "Conclusion")
        self.assertIn("not the expected 0", end)
        self.assertNotIn("should select busy", end)

    def test_answer_and_limits_on_the_first_screen(self):
        # four variants, the findings against fine and busy: the whole Answer
        # section (the answer, its numbers, every limit) within 25 lines
        text = self.report_dir(self.busy_run())
        answer = section(text, "Answer").split("\n\nEvery table")[0].strip("\n")
        first = "\n".join(text.splitlines()[:25])
        self.assertIn(answer, first)
        self.assertIn("**Answer: busy, for kernels like this run's (config lean:", answer)
        self.assertIn("| busy | no oops in 5 tests, all as promised | +0.00 / +0.00 / +0.00 |", answer)
        self.assertIn("| fine | no oops in 5 tests, all as promised | +2.00 / +8.00 / +44.00 |", answer)
        self.assertIn("Limits:", answer)
        self.assertIn("Status: open: series v9 patch 18", answer)
        self.assertIn("2 open findings", answer)

    def test_finding_closed_only_by_its_test(self):
        # the KVM finding's fix stands only where test_kvm passed on busy
        run = self.busy_run()
        closed = "Status: series v9 patch 18 has KVM treat"
        self.assertNotIn(closed, self.report_dir(run))
        with open(os.path.join(run, "functional.csv"), "a") as f:
            for t in ("vm_runs_then_exits_then_unbind@npt0", "unbind_while_vm_maps@npt0"):
                f.write(f"busy,kvm.{t},pass,pass,\n")
        self.assertIn(closed, self.report_dir(run))
        self.edit(run, "functional.csv",
                  lambda l: l.replace("kvm.unbind_while_vm_maps@npt0,pass,pass,",
                                      "kvm.unbind_while_vm_maps@npt0,pass,warning,"))
        text = self.report_dir(run)
        self.assertNotIn(closed, text)
        self.assertIn("but test_kvm did not pass on busy in this run", text)

    def test_busy_heavier_workload_means_no_single_answer(self):
        # the whole workloads enter the rule: one where busy's middle half lies
        # above fine's and the run no longer names busy alone
        run = self.busy_run()
        text = self.report_dir(run)
        self.assertIn("**Answer: busy, for kernels like this run's", text[:3000])
        self.assertIn("In no whole workload of this run does busy cost more than "
                      "fine", section(text, "Conclusion"))
        self.set_sample(run, "busy", "workload", "vmsplice", "8.0e+04")
        text = self.report_dir(run)
        self.assertIn("**Answer: no single one from this run: busy or fine, by a kernel's mix of get/put "
                      "and GUP**", text[:3000])
        end = section(text, "Conclusion")
        self.assertIn("in whole workloads busy costs more than fine in `vmsplice` "
                      "(busy +", end)
        self.assertNotIn("should select busy", end)

    def test_key_off_workloads_are_said_and_weighed(self):
        # a workload run with the device unbound is named as such, and the
        # rule weighs it like the others
        run = self.busy_run()
        path = os.path.join(run, "samples.csv")
        with open(path) as f:
            lines = f.read().splitlines()
        extra = [l.replace(",workload,vmsplice,", ",workload,vmsplice:ordinary-nodev,", 1)
                 for l in lines if ",workload,vmsplice," in l]
        with open(path, "w") as f:
            f.write("\n".join(lines + extra) + "\n")
        text = self.report_dir(run)
        self.assertIn("Cases named `<workload>:ordinary-nodev` ran with the device unbound",
                      section(text, "Workloads"))
        self.assertIn("| vmsplice:ordinary-nodev |", section(text, "Workloads"))
        self.set_sample(run, "busy", "workload", "vmsplice:ordinary-nodev", "8.0e+04")
        text = self.report_dir(run)
        self.assertIn("costs more than fine in `vmsplice:ordinary-nodev`",
                      section(text, "Conclusion"))

    def test_busy_dearer_than_fine_is_said(self):
        # the run's numbers decide whether the answer says busy costs more than fine
        run = self.busy_run()
        end = section(self.report_dir(run), "Conclusion")
        self.assertIn("On no hot-path or GUP case does busy cost more than fine.", end)
        self.set_sample(run, "busy", "gup", "gup_fast:devdax-4K", "1.0e+06")
        self.set_hot(run, "busy", "pin_unpin:ordinary", "614.00")
        self.set_hot(run, "fine", "pin_unpin:ordinary", "606.00")
        end = section(self.report_dir(run), "Conclusion")
        self.assertIn("busy costs more than fine in `pin_unpin:ordinary` (busy +14.00 instructions per "
                      "pair, fine +6.00 instructions per pair", end)
        self.assertIn("`gup_fast:devdax-4K` (busy +", end)
        self.assertIn("Beside that path, busy changes `pin_unpin:ordinary` by +14.00 instructions per "
                      "pair (ordinary pages).", end)
        self.assertNotIn("On no hot-path or GUP case", end)

    def test_busy_ordinary_gup_explained(self):
        run = self.busy_run()
        self.set_sample(run, "busy", "gup", "gup_fast:ordinary", "2.1e+06")
        gup = section(self.report_dir(run), "GUP throughput")
        self.assertIn("busy on ordinary pages (`gup_fast:ordinary` -", gup)
        self.assertIn("try_grab_folio_fast() calls the idle-page grab", gup)


class TestCoverLetter(ReportTest):
    def cover_copy(self):
        path = os.path.join(self.tmp, "cover.patch")
        shutil.copy(COVER, path)
        return path

    def test_numbers_replaced(self):
        cover = self.cover_copy()
        with open(cover) as f:
            before = f.read()
        self.report("run-small", "--cover", cover)
        self.report("run-small", "--cover", cover)    # a second run replaces, not appends
        with open(cover) as f:
            after = f.read()
        head, rest = before.split("--- numbers: begin ---\n")
        tail = rest.split("--- numbers: end ---\n")[1]
        self.assertTrue(after.startswith(head + "--- numbers: begin ---\n"))
        self.assertTrue(after.endswith("--- numbers: end ---\n" + tail))
        block = after.split("--- numbers: begin ---\n")[1].split("--- numbers: end ---")[0]
        self.assertNotIn("(no benchmark run yet)", block)
        self.assertEqual(after.count("run run-small:"), 1)
        self.assertIn("  fine with a device-dax pgmap present: +2.00 ns/pair (+18.2%)", block)
        self.assertIn("fine +4,096 bytes", block)
        self.assertIn("  fine: no oops in 5 tests, all as promised", block)

    def test_cover_alone_writes_only_the_cover(self):
        cover = self.cover_copy()
        with_report = os.path.join(self.tmp, "with-report.patch")
        shutil.copy(COVER, with_report)
        self.report("run-small", "--cover", with_report)
        os.remove(self.out)
        proc = self.run_report(self.fixture("run-small"), "--cover", cover)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(cover) as f, open(with_report) as g:
            self.assertEqual(g.read(), f.read())
        self.assertFalse(os.path.exists(self.out))
        self.assertEqual(["cover.patch", "run-small", "with-report.patch"],
                         sorted(n for n in os.listdir(self.tmp) if n != "out"))
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "plots")))

    def test_markers_missing(self):
        cover = self.cover_copy()
        with open(cover) as f:
            text = f.read().replace("--- numbers: end ---\n", "")
        with open(cover, "w") as f:
            f.write(text)
        proc = self.run_report(self.fixture("run-small"), "--out", self.out, "--no-gnuplot",
                               "--cover", cover)
        self.assert_one_line_error(proc, "marker")


class TestGolden(ReportTest):
    """The whole report of each fixture, as recorded in tests/host/golden/: a
    change to the generator that moves a number shows here.  After a change
    meant to alter the report, regenerate with REGEN_GOLDEN=1 and review the
    diff."""

    def test_reports_as_recorded(self):
        for name in ("run-small", "run-crashed", "run-icount"):
            with self.subTest(fixture=name):
                text = self.report(name)
                golden = os.path.join(os.path.dirname(__file__), "golden", f"{name}.md")
                if os.environ.get("REGEN_GOLDEN") == "1":
                    with open(golden, "w") as f:
                        f.write(text)
                with open(golden) as f:
                    expected = f.read()
                if text != expected:
                    diff = "".join(difflib.unified_diff(expected.splitlines(True),
                                                        text.splitlines(True),
                                                        "golden", "now", n=1))
                    self.fail(f"{name}: the report changed:\n{diff[:3000]}")


class TestPlots(ReportTest):
    def test_plotdata_written(self):
        run = self.fixture("run-small")
        self.assertEqual(self.run_report(run, "--out", self.out, "--plots-dir", self.plots,
                                         "--no-gnuplot").returncode, 0)
        for name in PLOTS:
            with open(os.path.join(self.plots, "data", f"{name}.dat")) as f:
                lines = f.read().splitlines()
            self.assertTrue(lines[0].startswith("#") and lines[1].startswith("#"), name)
            self.assertGreater(len(lines), 2, name)

    def test_run_folder_untouched(self):
        run = self.fixture("run-icount")

        def snapshot():
            files = {}
            for d, _, names in os.walk(run):
                for n in names:
                    with open(os.path.join(d, n), "rb") as f:
                        files[os.path.relpath(os.path.join(d, n), run)] = f.read()
            return files

        before = snapshot()
        self.report_dir(run)
        self.assertEqual(before, snapshot())

    def test_gnuplot_missing_fails_but_writes_report(self):
        env = dict(os.environ, PATH=os.path.join(self.tmp, "empty-path"))
        proc = self.run_report(self.fixture("run-small"), "--out", self.out,
                               "--plots-dir", self.plots, env=env)
        self.assert_one_line_error(proc, "gnuplot")
        with open(self.out) as f:
            self.assertIn("Plots are missing: gnuplot is not installed", f.read())

    @unittest.skipUnless(shutil.which("gnuplot"), "gnuplot is not installed")
    def test_plots_render(self):
        proc = self.run_report(self.fixture("run-crashed"), "--out", self.out, "--plots-dir", self.plots)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for name in PLOTS:
            for ext in ("png", "svg"):
                path = os.path.join(self.plots, f"{name}.{ext}")
                self.assertTrue(os.path.isfile(path) and os.path.getsize(path) > 0, path)
        with open(self.out) as f:
            text = f.read()
        self.assertIn("](plots/hotpath.svg)", text)
        self.assertIn("![GUP throughput, median with p25–p75](plots/gup.svg)", text)
        with open(os.path.join(self.plots, "gup.svg")) as f:
            self.assertIn("GUP throughput: pages/s", f.read())


if __name__ == "__main__":
    unittest.main()
