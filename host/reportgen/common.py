"""What every part of the report shares: imports, constants, the error."""

import argparse
import csv
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import experiment  # the variants and the benchmark, declared once

KNOWN_VARIANTS = tuple(experiment.names())
# (variant, reference) pairs whose get/put code is the same: an A/A check
AA_PAIRS = tuple((v.name, experiment.REFERENCE) for v in experiment.VARIANTS[1:] if v.stock_get_put)
from schema import HEADERS, LATER_KEYS, MANIFEST_KEYS  # noqa: F401  the run folder's, one place
# Display order of the tokens that make up case names (split on ':' and '=');
# unknown tokens sort after these, numbers numerically.
CASE_TOKENS = experiment.case_tokens()
# Failed-cell listing order: what broke the guest first, deliberate gaps last.
SEVERITY = ("crash", "hang", "timeout", "warning", "failed", "no row", "skipped", "unsupported")
# Groups whose cases differ by variant (a call site one policy never uses):
# a missing case there is a zero count, only a variant without any row is missing.
ZERO_IF_ABSENT = {"pins"}
HOT_OP = experiment.HOT_OP   # the op the 2015 thread argued about
HOT_CASES = ((f"{HOT_OP}:{experiment.KEY_ON}", "with a device-dax pgmap present"),
             (f"{HOT_OP}:{experiment.KEY_OFF}", "with no device-dax pgmap"))
# Under icount: the three situations a get/put pair can be in, cheapest first.
EXACT_CASES = ((f"{HOT_OP}:{experiment.KEY_OFF}", "with no device-dax pgmap (static key off)"),
               (f"{HOT_OP}:{experiment.KEY_ON}",
                "with a device-dax pgmap present (key on, ordinary page)"),
               (f"{HOT_OP}:{experiment.DEVICE_PAGE}", "on a device-dax page"))
# A/A check: coarse leaves the get/put code of these ops as baseline's, so
# coarse - baseline must count 0 instructions on them.
AA_CASES = tuple(f"{op}:{experiment.KEY_ON}" for op in experiment.GET_PUT_OPS)
# Under icount a hot-path cell is exact: samples differing by more than this
# (the values carry 2 decimals) are flagged, never averaged silently.
EXACT_TOL = 0.005
# Static metrics (static.csv) this report reads; others are listed as unused.
STATIC_METRICS = ("code_bytes", "hook_sites", "build_seconds")
# Cost groups whose samples still vary under icount, and why.
VARY_WHY = "I/O completion, timers, RCU callbacks and scheduling differ from boot to boot"
# Optional files quoted verbatim in the static-cost section.
EXTRA_FILES = ("mca.txt",)
BEGIN, END = "--- numbers: begin ---", "--- numbers: end ---"
DASH = "—"
GP_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "plots")


class ReportError(Exception):
    """Bad input: reported as one line, exit 1."""


