"""host/experiment.py: the declaration is consistent with the tree, and the
answers the shell scripts read from it are the ones they rely on."""
import os
import re
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

    def test_behaviour_is_declared(self):
        for v in experiment.VARIANTS:
            self.assertIn(v.holds, experiment.HOLDERS, v.name)
            self.assertTrue(v.pays, v.name)
            # a hook in get/put is what makes it not the reference's code
            self.assertEqual(v.stock_get_put, not v.hook_nops, v.name)
        ref = experiment.VARIANTS[0]
        self.assertTrue(ref.stock_get_put and ref.stock_gup and not ref.open_race_fix)

    def test_every_program_has_a_source_and_every_source_a_declaration(self):
        declared = {t.program for t in experiment.TESTS}
        on_disk = {f[:-2] for f in os.listdir(os.path.join(TOP, "tests", "guest"))
                   if f.startswith("test_") and f.endswith(".c")}
        self.assertEqual(on_disk, declared)

    def test_oopses_name_a_behaviour_and_a_function(self):
        for t in experiment.TESTS:
            if t.oopses:
                self.assertTrue(hasattr(experiment.VARIANTS[0], t.oopses_unless), t.program)
                for o in t.oopses:
                    self.assertEqual(t.program, o.program)
                    self.assertTrue(o.function and "." in o.case)
                    self.assertIn(o.sign, ("oops", "warning"))


class Answers(unittest.TestCase):
    def test_variants(self):
        self.assertEqual("baseline none coarse fine busy", cli("variants").stdout.strip())
        self.assertEqual("coarse-debug fine-debug busy-debug", cli("variants", "--debug").stdout.strip())
        self.assertEqual("none coarse fine busy", cli("variants", "--patched").stdout.strip())

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
                    expected = (not experiment.oopses_on(t, v) and t.only_align in ("", align)
                                and not t.own_boot)
                    self.assertEqual(expected, "build/bin/" + t.program + ";" in suite + ";",
                                     f"{name} {align} {t.program}")

    def test_own_boots_say_how_they_end(self):
        lines = cli("own-boots", "fine").stdout.split("\n")
        self.assertIn("test_shutdown reboot", lines)
        self.assertIn("test_killed_unbind alone", lines)
        with open(os.path.join(TOP, "tests", "run-functional.sh")) as f:
            script = f.read()
        for t in experiment.TESTS:
            # every kind of own boot is one that run-functional.sh boots
            # ("alone" is its default case)
            self.assertTrue(t.own_boot in ("", "alone") or f"\t{t.own_boot})" in script,
                            t.program)

    def test_oopses_only_on_production_builds(self):
        self.assertEqual(5, len(cli("oopses", "baseline").stdout.splitlines()))
        self.assertEqual(3, len(cli("oopses", "coarse").stdout.splitlines()))
        self.assertEqual("", cli("oopses", "fine").stdout)
        self.assertEqual("", cli("oopses", "coarse-debug").stdout)

    def test_env_says_what_the_policy_does(self):
        env = dict(line.split("=", 1) for line in cli("env", "busy-debug").stdout.split())
        self.assertEqual("busy-page", env["DEVMAP_HOLDS"])
        self.assertEqual("1", env["DEVMAP_WAITS_FOR_REFS"])
        self.assertEqual("debug", env["DEVMAP_CONFIG"])
        env = dict(line.split("=", 1) for line in cli("env", "coarse").stdout.split())
        self.assertEqual(("0", "0"), (env["DEVMAP_REVOKES"], env["DEVMAP_WAITS_FOR_REFS"]))

    def test_env_names_the_kernels_own_folder(self):
        # the guest loads build/kernels/<DEVMAP_KERNEL>/bench-module/devmap_bench.ko:
        # fine-distro's programs once looked in fine's folder and failed
        for _, _, k in experiment.kernels():
            self.assertEqual(k, experiment.env(k)["DEVMAP_KERNEL"])
        lib = open(os.path.join(TOP, "guest", "lib", "devdax.c")).read()
        self.assertIn('getenv("DEVMAP_KERNEL")', lib)
        self.assertRegex(lib, r'"build/kernels/%s/bench-module/devmap_bench.ko",\s*kernel\(\)->dir')

    def test_environment_overrides_a_default(self):
        env = dict(os.environ, DEVMAP_CYCLES="200")
        self.assertIn("DEVMAP_CYCLES=200 build/bin/test_cycles", cli("suite", "fine", env=env).stdout)
        env.pop("DEVMAP_CYCLES")
        self.assertIn("DEVMAP_CYCLES=100 build/bin/test_cycles", cli("suite", "fine", env=env).stdout)


    def test_holder_delay_is_the_benchmarks(self):
        # the report quotes experiment.HOLDER_UNMAP_MS as the maps= holder's delay
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                           "unbind_latency.c")
        with open(src) as f:
            m = re.search(r"#define HOLD_AFTER_START\s+([0-9.]+)", f.read())
        self.assertIsNotNone(m, "HOLD_AFTER_START not found in bench/unbind_latency.c")
        self.assertEqual(experiment.HOLDER_UNMAP_MS, round(float(m.group(1)) * 1000))

    def test_every_finding_names_a_model_and_a_source(self):
        for f in experiment.FINDINGS:
            self.assertTrue(f.holds and set(f.holds) <= set(experiment.HOLDERS), f)
            self.assertTrue(f.source and f.what, f)


if __name__ == "__main__":
    unittest.main()
