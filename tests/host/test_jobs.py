"""reportgen.jobs: trials booted at different JOBS must agree (host/reportgen/jobs.py)."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "host"))
from reportgen.jobs import checks  # noqa: E402
from reportgen.runfolder import load_run  # noqa: E402


def judge(jobs, hot, unbind, clock="icount"):
    """hot: {trial: count}; unbind: {trial: [ms, ...]}; one variant, one case each."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "manifest.txt"), "w") as f:
            f.write(f"clock={clock}\ntrials={len(hot)}\n" + (f"jobs={jobs}\n" if jobs else ""))
        with open(os.path.join(d, "samples.csv"), "w") as f:
            f.write("variant,group,case,trial,rep,value,unit,status\n")
            for t, v in hot.items():
                for rep in (1, 2):
                    f.write(f"fine,hotpath,get_put_page:ordinary,{t},{rep},{v:.2f},ns/pair,ok\n")
            for t, vals in unbind.items():
                for rep, v in enumerate(vals, 1):
                    f.write(f"fine,unbind,maps=1,{t},{rep},{v:.3f},ms,ok\n")
        return checks(load_run(d))


class Jobs(unittest.TestCase):
    def test_same_counts_and_no_unbind_shift_pass(self):
        out = judge("1 2", {1: 18.0, 2: 18.0}, {1: [30.1, 31.0], 2: [33.5, 34.0]})
        self.assertEqual([ok for ok, _ in out], [True, True], out)
        self.assertIn("jobs=1 and jobs=2", out[0][1])
        self.assertIn("+3.2 ms, within a 4 ms tick", out[1][1])
        self.assertIn("# fine unbind maps=1: jobs=1: 30.1..31.0, jobs=2: 33.5..34.0 ms", out[1][1])

    def test_a_count_that_moves_fails(self):
        out = judge("1 2", {1: 18.0, 2: 18.5}, {})
        self.assertFalse(out[0][0])
        self.assertIn("differ in fine get_put_page:ordinary", out[0][1])

    def test_an_unbind_shift_fails(self):
        out = judge("1 2", {1: 18.0, 2: 18.0}, {1: [30.0, 30.5], 2: [40.0, 41.0]})
        self.assertFalse(out[1][0], out)
        self.assertIn("+10.2 ms", out[1][1])

    def test_nothing_to_judge_without_two_jobs(self):
        self.assertEqual(judge("2 2", {1: 18.0, 2: 19.0}, {}), [])
        self.assertEqual(judge(None, {1: 18.0, 2: 19.0}, {}), [])
        self.assertEqual(judge("1 2", {1: 18.0, 2: 19.0}, {}, clock="wall"), [])


if __name__ == "__main__":
    unittest.main()
