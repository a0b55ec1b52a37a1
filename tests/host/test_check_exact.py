"""Host tests of host/check-exact.py on run folders written here."""
import os
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(TOP, "host", "check-exact.py")

# instructions per pair: (baseline, coarse, fine) per case
GOOD = {
    "get_put_page:ordinary": (12, 12, 20),
    "get_put_page:ordinary-nodev": (12, 12, 14),
    "get_put_page:devdax": (12, 12, 60),
    "folio_get_put:ordinary": (5, 5, 13),
    "folio_get_put:ordinary-nodev": (5, 5, 7),
    "folio_get_put:devdax": (5, 5, 50),
    "pin_unpin:ordinary": (600, 600, 620),
}


def write_run(d, cells, clock="icount", varying=None):
    with open(os.path.join(d, "manifest.txt"), "w") as f:
        f.write(f"clock={clock}\ntrials=2\n")
    with open(os.path.join(d, "samples.csv"), "w") as f:
        f.write("variant,group,case,trial,rep,value,unit,status\n")
        for case, vals in cells.items():
            for variant, v in zip(("baseline", "coarse", "fine"), vals):
                for rep in (1, 2):
                    val = v + (0.24 if (variant, case, rep) == varying else 0)
                    f.write(f"{variant},hotpath,{case},1,{rep},{val:.2f},ns/pair,ok\n")


def write_unbind(d, ranges):
    """Unbind samples, {variant: (low, high)} of case idle, appended."""
    with open(os.path.join(d, "samples.csv"), "a") as f:
        for variant, (lo, hi) in ranges.items():
            for rep, v in enumerate((lo, (lo + hi) / 2, hi), 1):
                f.write(f"{variant},unbind,idle,1,{rep},{v:.3f},ms,ok\n")


def check(cells, unbind=None, **kw):
    with tempfile.TemporaryDirectory() as d:
        write_run(d, cells, **kw)
        if unbind:
            write_unbind(d, unbind)
        p = subprocess.run([sys.executable, SCRIPT, d], capture_output=True, text=True)
        return p.returncode, p.stdout


class CheckExact(unittest.TestCase):
    def test_good_run_passes(self):
        rc, out = check(GOOD)
        self.assertEqual(rc, 0, out)
        self.assertNotIn("not ok", out)
        self.assertIn("ok - A/A: coarse get_put_page:ordinary = baseline", out)

    def test_coarse_differing_fails_aa(self):
        cells = dict(GOOD, **{"get_put_page:ordinary": (12, 13, 20)})
        rc, out = check(cells)
        self.assertEqual(rc, 1)
        self.assertIn("not ok - A/A: coarse get_put_page:ordinary", out)

    def test_key_off_cost_beyond_nops_fails(self):
        cells = dict(GOOD, **{"folio_get_put:ordinary-nodev": (5, 5, 9)})
        rc, out = check(cells)
        self.assertEqual(rc, 1)
        self.assertIn("not ok - fine folio_get_put, key off", out)

    def test_coarse_differing_fails_gup_aa(self):
        cells = dict(GOOD, **{"pin_unpin:ordinary": (600, 601, 620)})
        rc, out = check(cells)
        self.assertEqual(rc, 1)
        self.assertIn("not ok - A/A GUP: coarse pin_unpin:ordinary = baseline", out)

    def test_unbind_aa(self):
        """A variant whose unbind is baseline's (none) must overlap it."""
        rc, out = check(GOOD, unbind={"baseline": (40, 55), "none": (50, 60)})
        self.assertEqual(rc, 0, out)
        self.assertIn("ok - A/A unbind: none idle overlaps baseline", out)
        # apart by less than a jiffy (4 ms): not told apart
        rc, out = check(GOOD, unbind={"baseline": (40, 55), "none": (58.5, 60)})
        self.assertEqual(rc, 0, out)
        rc, out = check(GOOD, unbind={"baseline": (40, 55), "none": (59.5, 60)})
        self.assertEqual(rc, 1)
        self.assertIn("not ok - A/A unbind: none idle overlaps baseline within a 4 ms tick", out)

    def test_varying_cell_fails(self):
        rc, out = check(GOOD, varying=("baseline", "get_put_page:ordinary", 2))
        self.assertEqual(rc, 1)
        self.assertIn("not ok - baseline get_put_page:ordinary: exact", out)

    def test_wall_clock_run_fails(self):
        rc, out = check(GOOD, clock="wall")
        self.assertEqual(rc, 1)
        self.assertIn("not ok - run is on the instruction clock", out)

    def test_hidden_hook_fails(self):
        cells = dict(GOOD, **{"get_put_page:devdax": (12, 12, 20)})
        rc, out = check(cells)
        self.assertEqual(rc, 1)
        self.assertIn("not ok - fine get_put_page, device-dax page", out)


if __name__ == "__main__":
    unittest.main()
