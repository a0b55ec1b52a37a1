"""A variant declared only in host/experiment.py reaches the report: its
"who pays" point, its A/A check, its correctness, the answer when the rules
choose it, the cover letter and check-exact's checks, with no change to
host/reportgen.  The test declares throwaway variants by patching
experiment.VARIANTS and runs the generator in this process."""
import dataclasses
import io
import os
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stdout
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "host"))
import experiment  # noqa: E402
from reportgen import cli  # noqa: E402
from reportgen.instrument import checks  # noqa: E402
from reportgen.runfolder import load_run  # noqa: E402
from test_report import section  # noqa: E402  one '## title' reader for the report tests

REF = experiment.REFERENCE
# Patched, but holding the pgmap by nothing: stock 6.12's behaviour with the
# open-race fix (the shape of the series-v9 "none" variant).
SPARE = experiment.Variant("spare", policy="DEVMAP_PIN_SPARE", open_race_fix=True,
                           pays="nobody; a reference that outlives its mapping reaches freed "
                                "struct pages after unbind")


class ThrowawayVariant(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-variant-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def run_with(self, name, samples_from, functional_from):
        """run-icount plus NAME: the samples of SAMPLES_FROM, the functional
        outcomes of FUNCTIONAL_FROM, coarse's code size."""
        run = os.path.join(tempfile.mkdtemp(dir=self.tmp), "run")
        shutil.copytree(os.path.join(HERE, "fixtures", "run-icount"), run)
        for file, source in (("samples.csv", samples_from), ("functional.csv", functional_from),
                             ("static.csv", "coarse")):
            path = os.path.join(run, file)
            with open(path) as f:
                lines = f.read().splitlines()
            lines += [name + l[len(source):] for l in lines if l.startswith(source + ",")]
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
        with open(os.path.join(run, "manifest.txt")) as f:
            manifest = f.read().replace("variants=baseline coarse fine",
                                        f"variants=baseline coarse fine {name}")
        with open(os.path.join(run, "manifest.txt"), "w") as f:
            f.write(manifest)
        return run

    def report(self, run):
        out = os.path.join(self.tmp, "REPORT.md")
        with redirect_stdout(io.StringIO()):
            rc = cli.main([run, "--out", out, "--plots-dir", os.path.join(self.tmp, "plots"),
                           "--no-gnuplot"])
        self.assertEqual(rc, 0)
        with open(out) as f:
            return f.read()

    def declared(self, *extra):
        return mock.patch.object(experiment, "VARIANTS", experiment.VARIANTS + extra)

    def test_undeclared_variant_gets_no_point(self):
        # the same run without the declaration: a name the report knows nothing about
        end = section(self.report(self.run_with("spare", REF, REF)), "Conclusion")
        self.assertNotIn("Who pays with spare", end)
        self.assertNotIn("A/A check, spare", end)

    def test_declared_variant_in_the_conclusion(self):
        run = self.run_with("spare", REF, REF)
        with self.declared(SPARE):
            text = self.report(run)
            lines = [desc for ok, desc in checks(load_run(run)) if ok]
        end = section(text, "Conclusion")
        self.assertTrue(text.startswith("# Coarse, fine or spare pinning"))
        self.assertIn("| spare − baseline (instructions per pair) |", end)
        self.assertIn("spare: oops in 2 of 5 tests", end)
        self.assertIn("Who pays with spare: its get_put_page pair changes by +0.00 instructions per "
                      "pair with no device-dax pgmap (static key off)", end)
        self.assertIn("— 0, as expected of a policy that leaves get_page()/put_page() alone; "
                      "code +128 bytes", end)
        self.assertIn("A/A check, spare − baseline in instructions per pair", end)
        self.assertNotIn("spare, which the 2015 thread did not argue", end)   # it pins nothing
        self.assertIn("A/A: spare get_put_page:ordinary = baseline (12.0 vs 12.0 instructions/pair)",
                      lines)
        # not safe (its expected oopses), so the answer stays with fine
        self.assertIn("Per-reference pinning (fine): fine is the only variant", end)

    def test_declared_variant_chosen_by_the_rules(self):
        # busy's behaviour under another name, safe, at baseline's get/put
        # count: the rules name it, in words made from its fields
        lazy = dataclasses.replace(next(v for v in experiment.VARIANTS if v.holds == "busy-page"),
                                   name="lazy", policy="DEVMAP_PIN_LAZY",
                                   pays="the first pin of an idle page")
        without = [v for v in experiment.VARIANTS if v.holds != "busy-page"]
        run = self.run_with("lazy", REF, "fine")
        with mock.patch.object(experiment, "VARIANTS", tuple(without) + (lazy,)):
            end = section(self.report(run), "Conclusion")
        self.assertIn("\nlazy, which the 2015 thread did not argue, pins per busy page: the model the kernel "
                      "took for device-private pages in v6.1, measured beside them.", end)
        self.assertIn("Who pays with lazy: its get_put_page pair changes by", end)
        self.assertIn("pin_user_pages_fast()/unpin_user_page() of a device-dax page that is already "
                      "busy", end)
        self.assertIn("Per-busy-page pinning (lazy), on this run's kernels (config lean: ", end)
        self.assertIn("): it ran every functional test as promised", end)
        self.assertIn("On no hot-path or GUP case does lazy cost more than fine.", end)
        self.assertIn("it pays on the first pin of an idle page (not timed by this run)", end)
        self.assertIn("a kernel like this run's should select lazy: it protects what fine protects", end)


    def lazy_report(self, findings, distribution):
        """The report of a run where lazy (busy's behaviour) is chosen, with
        FINDINGS declared and the run's config a distribution's or not."""
        lazy = dataclasses.replace(next(v for v in experiment.VARIANTS if v.holds == "busy-page"),
                                   name="lazy", policy="DEVMAP_PIN_LAZY")
        without = [v for v in experiment.VARIANTS if v.holds != "busy-page"]
        configs = tuple(dataclasses.replace(c, distribution=distribution) if c.default else c
                        for c in experiment.CONFIGS)
        run = self.run_with("lazy", REF, "fine")
        with mock.patch.object(experiment, "VARIANTS", tuple(without) + (lazy,)), \
                mock.patch.object(experiment, "CONFIGS", configs), \
                mock.patch.object(experiment, "FINDINGS", findings):
            return self.report(run)

    def test_distribution_claim_needs_a_distribution_config(self):
        text = self.lazy_report((), distribution=False)
        self.assertIn("**Answer: lazy, for kernels like this run's (config lean:", text[:2000])
        self.assertIn("No claim for distribution kernels: it measured no distribution config.",
                      text[:2000])
        self.assertNotIn("a distribution kernel should select", text)

    def test_distribution_claim_when_measured_and_nothing_open(self):
        text = self.lazy_report((), distribution=True)
        self.assertIn("**Answer: lazy, for distribution kernels.**", text[:2000])
        self.assertIn("On these numbers a distribution kernel should select lazy",
                      section(text, "Conclusion"))

    def test_open_finding_blocks_the_distribution_claim(self):
        finding = experiment.Finding(("busy-page",), "it breaks on a path nobody ran",
                                     "mm/nowhere.c nothing()")
        text = self.lazy_report((finding,), distribution=True)
        self.assertIn("No claim for distribution kernels: 1 open finding from reading the 6.12 "
                      "source stands against lazy", text[:2000])
        self.assertIn("Not tested here, from reading 6.12 (mm/nowhere.c nothing()): under lazy, it "
                      "breaks on a path nobody ran. Status: open.", section(text, "Answer"))
        answered = dataclasses.replace(finding, status="fixed in the series")
        text = self.lazy_report((answered,), distribution=True)
        self.assertIn("**Answer: lazy, for distribution kernels.**", text[:2000])
        self.assertIn("Status: fixed in the series.", section(text, "Answer"))
        # a fix that was not run leaves the finding open
        untested = dataclasses.replace(finding, status="open: patch 9 fixes it, not run")
        text = self.lazy_report((untested,), distribution=True)
        self.assertIn("No claim for distribution kernels: 1 open finding", text[:2000])
        self.assertIn("Status: open: patch 9 fixes it, not run.", section(text, "Answer"))
        # seen outside the matrix: said so, and still open
        seen = dataclasses.replace(finding, seen="a hand-built kernel warned")
        text = self.lazy_report((seen,), distribution=True)
        self.assertIn("From reading 6.12 (mm/nowhere.c nothing()), and seen here outside the "
                      "matrix (a hand-built kernel warned): under lazy, it breaks on a path "
                      "nobody ran. Status: open.", section(text, "Answer"))
        self.assertIn("No claim for distribution kernels: 1 open finding", text[:2000])

    def test_finding_shown_by_a_test_reads_as_tested_only_when_it_passed(self):
        finding = experiment.Finding(("busy-page",), "it breaks on a path nobody ran",
                                     "mm/nowhere.c nothing()", status="fixed by patch 9",
                                     shown_by="test_balance")
        text = section(self.lazy_report((finding,), distribution=True), "Answer")
        self.assertIn("From reading 6.12 (mm/nowhere.c nothing()), and tested in this run "
                      "(test_balance): under lazy, it breaks on a path nobody ran. "
                      "Status: fixed by patch 9.", text)
        # no rows of the test in the run: not tested, and open
        absent = dataclasses.replace(finding, shown_by="test_absent")
        text = section(self.lazy_report((absent,), distribution=True), "Answer")
        self.assertIn("Not tested here, from reading 6.12 (mm/nowhere.c nothing()): under lazy",
                      text)
        self.assertIn("Status: open: fixed by patch 9; but test_absent did not pass on lazy", text)


if __name__ == "__main__":
    unittest.main()
