"""host/experiment.py: the declaration is consistent with the tree, and the
answers the shell scripts read from it are the ones they rely on."""
import os
import subprocess
import sys
import unittest

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(TOP, "host"))
import experiment  # noqa: E402


def cli(*args, env=None):
    return subprocess.run([sys.executable, os.path.join(TOP, "host", "experiment.py"), *args],
                          capture_output=True, text=True, env=env)


class Declaration(unittest.TestCase):
    def test_reference_is_unpatched_and_first(self):
        self.assertEqual("baseline", experiment.REFERENCE)
        self.assertEqual("", experiment.VARIANTS[0].policy)
        self.assertTrue(all(v.policy for v in experiment.VARIANTS[1:]))

    def test_policies_are_kconfig_entries_of_the_series(self):
        patches = ""
        for p in os.listdir(os.path.join(TOP, "kernel-patches")):
            if p.endswith(".patch"):
                with open(os.path.join(TOP, "kernel-patches", p)) as f:
                    patches += f.read()
        for v in experiment.VARIANTS[1:]:
            self.assertIn(f"+config {v.policy}\n", patches, v.name)

    def test_aa_partners_are_variants(self):
        names = experiment.names()
        for v in experiment.VARIANTS:
            if v.same_hot_path_as:
                self.assertIn(v.same_hot_path_as, names)

    def test_every_program_has_a_source_and_every_source_a_declaration(self):
        declared = {t.program for t in experiment.TESTS}
        on_disk = {f[:-2] for f in os.listdir(os.path.join(TOP, "tests", "guest"))
                   if f.startswith("test_") and f.endswith(".c")}
        self.assertEqual(on_disk, declared)

    def test_oopses_name_known_variants_and_a_function(self):
        names = experiment.names()
        for t in experiment.TESTS:
            for v, cases in t.oopses.items():
                self.assertIn(v, names)
                for o in cases:
                    self.assertEqual(t.program, o.program)
                    self.assertTrue(o.function and "." in o.case)
                    self.assertIn(o.sign, ("oops", "warning"))


class Answers(unittest.TestCase):
    def test_variants(self):
        self.assertEqual("baseline coarse fine busy", cli("variants").stdout.strip())
        self.assertEqual("coarse-debug fine-debug busy-debug", cli("variants", "--debug").stdout.strip())
        self.assertEqual("coarse fine busy", cli("variants", "--patched").stdout.strip())

    def test_unknown_variant_is_one_line_error(self):
        r = cli("check", "baseline-debug")
        self.assertEqual(1, r.returncode)
        self.assertEqual(1, len(r.stderr.strip().splitlines()))
        self.assertTrue(r.stderr.startswith("error: unknown variant 'baseline-debug'"))
        self.assertEqual(0, cli("check", "fine-debug").returncode)

    def test_source_and_kconfig(self):
        self.assertEqual("pristine", cli("source", "baseline").stdout.strip())
        self.assertEqual("patched", cli("source", "coarse-debug").stdout.strip())
        self.assertEqual("", cli("kconfig", "baseline").stdout.strip())
        self.assertEqual("CONFIG_DEVMAP_PIN_FINE=y", cli("kconfig", "fine-debug").stdout.strip())

    def test_suites_leave_out_what_oopses(self):
        for name in ("baseline", "coarse", "fine", "coarse-debug", "fine-debug"):
            v = experiment.variant(name)
            for align in ("4K", "2M"):
                suite = cli("suite", name, align).stdout.strip()
                for t in experiment.TESTS:
                    expected = (v.name not in t.oopses and t.only_align in ("", align)
                                and not t.own_boot)
                    self.assertEqual(expected, "build/bin/" + t.program + ";" in suite + ";",
                                     f"{name} {align} {t.program}")

    def test_own_boots_say_how_they_end(self):
        lines = cli("own-boots", "fine").stdout.split("\n")
        self.assertIn("test_shutdown reboot", lines)
        self.assertIn("test_killed_unbind alone", lines)
        for t in experiment.TESTS:
            self.assertIn(t.own_boot, ("", "alone", "reboot"), t.program)

    def test_oopses_only_on_production_builds(self):
        self.assertEqual(5, len(cli("oopses", "baseline").stdout.splitlines()))
        self.assertEqual(3, len(cli("oopses", "coarse").stdout.splitlines()))
        self.assertEqual("", cli("oopses", "fine").stdout)
        self.assertEqual("", cli("oopses", "coarse-debug").stdout)

    def test_environment_overrides_a_default(self):
        env = dict(os.environ, DEVMAP_CYCLES="200")
        self.assertIn("DEVMAP_CYCLES=200 build/bin/test_cycles", cli("suite", "fine", env=env).stdout)
        env.pop("DEVMAP_CYCLES")
        self.assertIn("DEVMAP_CYCLES=100 build/bin/test_cycles", cli("suite", "fine", env=env).stdout)


if __name__ == "__main__":
    unittest.main()
