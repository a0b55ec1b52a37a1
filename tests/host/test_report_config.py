"""A run of another config (kernels named <variant>-<config>, `make bench
CONFIG=distro`) is read by variant, answers for its own config in a block
of REPORT.md of its own, and leaves the default config's page as it was;
the default config's report keeps that block.  The fio group is planned
only on a kernel whose .config has what fio needs."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "host"))
import experiment  # noqa: E402
from reportgen.runfolder import load_run  # noqa: E402

REPORT = os.path.join(TOP, "host", "report.py")
FIXTURE = os.path.join(HERE, "fixtures", "run-icount")


def as_config(run, config):
    """Rename the kernels of RUN (a default-config run) to <variant>-<config>."""
    names = load_run(run).variants
    pat = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    for f in ("samples.csv", "static.csv", "functional.csv", "cells.csv"):
        path = os.path.join(run, f)
        if not os.path.isfile(path):
            continue
        with open(path) as fh:
            lines = fh.read().splitlines()
        out = [lines[0]] + [pat.sub(lambda m: f"{m.group(1)}-{config}", l, count=1)
                            if l.split(",")[0] in names or f == "cells.csv" else l
                            for l in lines[1:]]
        with open(path, "w") as fh:
            fh.write("\n".join(out) + "\n")
    path = os.path.join(run, "manifest.txt")
    with open(path) as fh:
        text = fh.read()
    text = re.sub(r"^variants=(.*)$", lambda m: "variants=" + " ".join(
        f"{n}-{config}" for n in m.group(1).split()), text, flags=re.M)
    text = re.sub(r"^config_sha256_(\w+)=", rf"config_sha256_\1-{config}=", text, flags=re.M)
    with open(path, "w") as fh:
        fh.write(text)
    for n in names:
        b = os.path.join(run, f"bloat-{n}.txt")
        if os.path.isfile(b):
            os.rename(b, os.path.join(run, f"bloat-{n}-{config}.txt"))


class ConfigRun(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-config-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.lean = os.path.join(self.tmp, "lean")
        shutil.copytree(FIXTURE, self.lean)
        self.distro = os.path.join(self.tmp, "distro")
        shutil.copytree(FIXTURE, self.distro)
        as_config(self.distro, "distro")
        self.out = os.path.join(self.tmp, "out", "REPORT.md")
        self.plots = os.path.join(self.tmp, "out", "plots")

    def report(self, run, *extra):
        proc = subprocess.run([sys.executable, REPORT, run, "--out", self.out, "--plots-dir",
                               self.plots, "--no-gnuplot", *extra],
                              capture_output=True, text=True, timeout=120, cwd=self.tmp)
        return proc

    def page(self, run):
        proc = self.report(run)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(self.out) as f:
            return f.read()

    def test_read_by_variant(self):
        run = load_run(self.distro)
        self.assertEqual(run.config, "distro")
        self.assertEqual(run.variants, load_run(self.lean).variants)
        self.assertEqual(run.manifest["variants"], "baseline coarse fine")
        self.assertEqual(load_run(self.lean).config, "")
        # every cell as the default-config run reads it: rates turned into
        # instructions once, not twice
        lean = load_run(self.lean)
        for (v, g, c) in lean.cells:
            self.assertEqual(run.stats(v, g, c), lean.stats(v, g, c), (v, g, c))
        self.assertTrue(lean.cases("gup"))

    def test_block_beside_the_default_page(self):
        lean = self.page(self.lean)
        both = self.page(self.distro)
        begin = "<!-- config distro: begin"
        self.assertEqual(both.count(begin), 1)
        block = both[both.index(begin):both.index("<!-- config distro: end -->")]
        self.assertIn("## Answer on config distro (run distro)", block)
        self.assertIn("config distro: Debian's", block)
        self.assertNotIn("config lean", block)
        # the default config's page around it is unchanged, the block after its Answer
        self.assertEqual(both.replace(both[both.index(begin):both.index("-->", both.index(
            "<!-- config distro: end")) + 3] + "\n\n", ""), lean)
        self.assertLess(both.index("## Answer\n"), both.index(begin))
        self.assertLess(both.index(begin), both.index("## Correctness"))
        self.assertTrue(os.path.isfile(os.path.join(self.plots, "distro", "details.md")))
        # a new report of the default config keeps the block, once
        again = self.page(self.lean)
        self.assertEqual(again, both)
        # and a new run of the config replaces it
        self.assertEqual(self.page(self.distro), both)

    def test_zone_test_named_on_a_numa_config_only(self):
        # the distro config has NUMA: its block names what fine's zone tests
        # cost (key on minus key off), from its own cells; lean has no NUMA
        from reportgen.exact import KEY_OFF_CASE, KEY_ON_CASE, exact_diff
        from reportgen.fmt import fmt_ns, fmt_signed
        run = load_run(self.distro)
        on, off = (exact_diff(run, "fine", c)[0] for c in (KEY_ON_CASE, KEY_OFF_CASE))
        both = self.page(self.distro)
        self.assertIn(f"fine pays {fmt_signed(fmt_ns, on)} instructions per get/put pair on an "
                      f"ordinary page, {fmt_signed(fmt_ns, on - off)} beyond its key-off cost", both)
        lean = self.page(self.lean)   # keeps the distro block: look outside it
        self.assertNotIn("The zone test on a NUMA kernel",
                         lean[:lean.index("<!-- config distro: begin")])

    def test_no_cover_numbers_from_another_config(self):
        cover = os.path.join(self.tmp, "cover.patch")
        with open(cover, "w") as f:
            f.write("--- numbers: begin ---\n--- numbers: end ---\n")
        proc = subprocess.run([sys.executable, REPORT, self.distro, "--cover", cover],
                              capture_output=True, text=True, timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertIn("config distro", proc.stderr)

    def test_answer_names_what_the_run_did_not_build(self):
        text = self.page(self.lean)
        missing = [v.name for v in experiment.VARIANTS
                   if v.name not in load_run(self.lean).variants]
        self.assertTrue(missing)
        self.assertIn(f"Not in this run: {', '.join(missing)}", text)


class FioReport(ConfigRun):
    def add_fio(self, run, value=None):
        """fio rows for every variant of RUN: VALUE ns/io (fine 10% more),
        or skipped as on a kernel without SYSVIPC."""
        with open(os.path.join(run, "manifest.txt")) as f:
            kernels = re.search(r"^variants=(.*)$", f.read(), re.M).group(1).split()
        with open(os.path.join(run, "samples.csv"), "a") as f:
            for v in kernels:
                for c in experiment.FIO_CASES:
                    if value is None:
                        f.write(f"{v},fio,{c},1,,,,skipped:the kernel has no CONFIG_SYSVIPC\n")
                        continue
                    for rep in (1, 2):
                        x = value * (1.1 if v.startswith("fine") else 1)
                        f.write(f"{v},fio,{c},1,{rep},{x:.3f},ns/io,ok\n")

    def test_skipped_everywhere_is_one_line(self):
        self.add_fio(self.lean)
        text = self.page(self.lean)
        fio = text[text.index("\n## fio\n"):]
        fio = fio[:fio.index("\n## ", 1)]
        self.assertIn("fio did not run in this run: skipped where the kernel has no "
                      "CONFIG_SYSVIPC.", fio)
        self.assertNotIn("fio, O_DIRECT", text)

    def test_in_the_key_table_where_it_ran(self):
        self.add_fio(self.distro, 4000)
        block = self.page(self.distro)
        block = block[block.index("<!-- config distro: begin"):]
        self.assertIn("fio, O_DIRECT reads into a device-dax buffer (`odirect:devdax`)", block)
        self.assertIn("+400 instructions per I/O (+10.0%)", block)


class FioPlan(unittest.TestCase):
    def plan(self, kconfig_lines):
        with tempfile.NamedTemporaryFile("w", suffix=".config") as f:
            f.write("".join(l + "\n" for l in kconfig_lines))
            f.flush()
            return {c: a for g, c, a in experiment.plan("fine", f.name) if g == "fio"}

    def test_needs_sysvipc(self):
        without = self.plan(["CONFIG_MODULES=y", "# CONFIG_SYSVIPC is not set"])
        self.assertEqual(set(without), set(experiment.FIO_CASES))
        for action in without.values():
            self.assertEqual(action, "skip:the kernel has no CONFIG_SYSVIPC (fio's shmget)")
        self.assertEqual(set(self.plan(["CONFIG_SYSVIPC=y"]).values()), {"run"})

    def test_no_config_no_skip(self):
        self.assertEqual({a for g, _, a in experiment.plan("fine") if g == "fio"}, {"run"})


class SeriesNote(unittest.TestCase):
    """A run says so when the series changed since the commit it was made at."""

    def test_changed_unchanged_unknown(self):
        from reportgen.cli import series_note
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)

        def git(*args):
            return subprocess.run(["git", "-C", tmp, "-c", "user.name=t", "-c", "user.email=t@t",
                                   *args], check=True, capture_output=True, text=True).stdout.strip()
        git("init", "-q")
        os.mkdir(os.path.join(tmp, "kernel-patches"))
        for text in ("v1\n", "v2\n"):
            with open(os.path.join(tmp, "kernel-patches", "0001-x.patch"), "w") as f:
                f.write(text)
            git("add", "-A")
            git("commit", "-qm", text)
        old, new = git("rev-parse", "HEAD~1"), git("rev-parse", "HEAD")

        class Run:
            manifest = {}
        Run.manifest = {"git_commit": old}
        self.assertIn(f"as of commit {old[:12]}, which kernel-patches/ has changed since",
                      series_note(Run, tmp))
        Run.manifest = {"git_commit": new}
        self.assertEqual(series_note(Run, tmp), "")
        # the cover letter is not the series
        with open(os.path.join(tmp, "kernel-patches", "0000-cover-letter.patch"), "w") as f:
            f.write("numbers\n")
        git("add", "-A")
        git("commit", "-qm", "cover")
        self.assertEqual(series_note(Run, tmp), "")
        Run.manifest = {"git_commit": "0123456789abcdef0123456789abcdef01234567"}
        self.assertEqual(series_note(Run, tmp), "")


if __name__ == "__main__":
    unittest.main()
