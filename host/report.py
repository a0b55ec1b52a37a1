#!/usr/bin/env python3
"""Turn one benchmark run folder into REPORT.md, plot data, plots and the
cover letter's headline numbers.

Purpose: answer the 2015 linux-mm question (coarse: a pgmap reference per
mapping, versus fine: a pgmap reference per page reference) from the numbers of one run
of `make bench`, printing nothing that is not in the data.

Usage:
  report.py RUN_DIR [--out REPORT.md] [--plots-dir plots]
            [--cover kernel-patches/0000-cover-letter.patch] [--no-gnuplot]
  report.py RUN_DIR --cover kernel-patches/0000-cover-letter.patch
                                        (the cover letter's numbers only)
  report.py --latest-run build/runs     (print the newest run folder by name)

Inputs (format: bench/FORMAT.md): RUN_DIR/manifest.txt and samples.csv are
required; static.csv, functional.csv, cells.csv, bloat-<variant>.txt and
mca.txt are optional (their sections say when one is
absent); plots/*.gp beside this script's parent directory are the gnuplot
scripts.

The manifest's `clock` decides how the numbers are read: `icount` (QEMU
-icount shift=0,sleep=off: one guest ns per guest instruction) makes the hot
path an exact instruction count, and the conclusion rests on those counts;
workload ops/s and GUP pages/s (per virtual second) are shown inverted, sample
by sample, as instructions per operation and per page (1e9 / value, lower is
better); anything else (`wall`, or an old run's free-text clock) is the noisy wall
clock, summarised by medians and p25-p75.

Outputs: the report (--out); the plots' data, data/<name>.dat, and (unless
--no-gnuplot) <name>.png and <name>.svg in --plots-dir; with --cover, only the
text between the cover letter's `--- numbers: begin ---` / `--- numbers: end
---` lines (`make cover`).  The run folder is only read.

Exit status: 0 on success; 1 with a one-line error on bad input (missing run
folder, missing manifest.txt or samples.csv, malformed CSV, cover letter
without markers); 1 after writing the report if gnuplot is missing or fails,
0 in that case only with --no-gnuplot (which does not run gnuplot at all).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reportgen.cli import main  # noqa: E402  (host/reportgen/__init__.py: its layers)

if __name__ == "__main__":
    sys.exit(main())
