"""test_collect_boot.py: bench/host/collect-boot.py turns one boot's raw files
into samples.csv rows: guest rows pass through, bpftrace phase lines become
numbered unbind_phase rows, pin maps become pins rows, and planned cases
without a row are reported with the boot's status instead of vanishing."""
import os
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECT = os.path.join(TOP, "bench", "host", "collect-boot.py")


def collect(files, status):
    with tempfile.TemporaryDirectory() as d:
        for name, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        out = subprocess.run([sys.executable, COLLECT, d, "fine", "2", status],
                             capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


class CollectBoot(unittest.TestCase):
    files = {
        "plan.csv": "hotpath,get_put_page:ordinary,run\nunbind,idle,run\nunbind,maps=16,run\n",
        "samples.part.csv": "hotpath,get_put_page:ordinary,1,12.50,ns/pair,ok\n"
                            "unbind,idle,1,3.000,ms,ok\n"
                            "unbind,inflight=10,,,,skipped:known use-after-free\n",
        "perf/tee.2.csv": "# started on Sun Nov 29\n\n"
                          "812.44,msec,task-clock,812443000,100.00,0.999,CPUs utilized\n"
                          "<not supported>,,cycles,0,100.00,,\n",
        "phases.out": "Attaching 6 probes...\n"
                      "phase u:idle revoke 1500000\nphase u:idle wait 2000\n"
                      "phase u:idle teardown 9000000\nphase u:idle revoke 1000000\n",
        "pins.out": "@pin[try_grab_folio]: 32\n@unpin[gup_put_folio]: 30\n",
    }

    def test_rows(self):
        rows = collect(self.files, "ok")
        self.assertIn("fine,hotpath,get_put_page:ordinary,2,1,12.50,ns/pair,ok", rows)
        self.assertIn("fine,unbind_phase,idle:revoke,2,1,1.500,ms,ok", rows)
        self.assertIn("fine,unbind_phase,idle:revoke,2,2,1.000,ms,ok", rows)
        self.assertIn("fine,unbind_phase,idle:wait,2,1,0.002,ms,ok", rows)
        self.assertIn("fine,pins,pin:try_grab_folio,2,1,32,count,ok", rows)
        self.assertIn("fine,pins,unpin:gup_put_folio,2,1,30,count,ok", rows)
        self.assertIn("fine,unbind,inflight=10,2,,,,skipped:known use-after-free", rows)

    def test_perf_parsed_on_the_host(self):
        rows = collect(self.files, "ok")
        self.assertIn("fine,perf,tee:task-clock,2,2,812.44,msec,ok", rows)
        self.assertIn("fine,perf,tee:cycles,2,2,,,unsupported", rows)
        self.assertEqual(2, sum(r.startswith("fine,perf,") for r in rows))

    def test_missing_case_is_failed_when_the_guest_was_fine(self):
        self.assertIn("fine,unbind,maps=16,2,,,,failed", collect(self.files, "ok"))

    def test_missing_case_carries_the_crash(self):
        rows = collect(self.files, "crash")
        self.assertIn("fine,unbind,maps=16,2,,,,crash", rows)
        self.assertNotIn("fine,unbind,idle,2,,,,crash", rows)


if __name__ == "__main__":
    unittest.main()
