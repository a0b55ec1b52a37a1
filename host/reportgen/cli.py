"""The report as a whole, and the command line."""
import argparse
import dataclasses
import os
import re
import subprocess
import sys

from experiment import REFERENCE as REF
from .costs import section_fio, section_gup, section_unbind, section_workloads
from .cover import cover_lines, read_cover, write_cover
from .gnuplot import Plots, render_plots
from .hotpath import section_before, section_hotpath
from .plotdata import write_plotdata
from .problems import section_problems
from .runfolder import ReportError, latest_run, load_run
from .runinfo import section_correctness, section_manifest, section_method
from .static import section_static
from .answer import priced
from .summary import config_limits, headline, key_table, section_answer, zone_test_text
from .verdict import section_conclusion


# Beside the plots: every table in full.
DETAILS = "details.md"


def policies_title(run):
    """'A or b', 'A, b or c': the run's variants other than the reference."""
    names = [v for v in run.variants if v != REF] or ["no patched variant"]
    text = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
    return text[0].upper() + text[1:]


def build_report(run, plots, details):
    """REPORT.md: the answer first, then the evidence in brief; DETAILS is
    the path of the file with every table (build_details), as linked."""
    note = f"\n\n*Plots are missing: {plots.missing}.*" if plots.missing else ""
    sections = [
        f"# {policies_title(run)} pinning of device-dax pages: run {run.run_id}{note}",
        section_answer(run), series_note(run),
        f"Every table of the run in full, where this page shows one in brief (n and min–max "
        f"per cell, perf, unbind phases, pins by call site, code growers, each failed cell, "
        f"the manifest): [{details}]({details}).\n\n"
        + plots.embed("headline", "each policy's get/put cost beside its unbind latency"),
        section_correctness(run, brief=True),
        section_hotpath(run, plots), section_before(run), section_static(run, plots, brief=True),
        section_workloads(run, brief=True), section_fio(run, brief=True), section_gup(run, plots, brief=True),
        section_unbind(run, plots, brief=True), section_conclusion(run),
        section_problems(run, brief=True), section_method(run),
    ]
    return "\n\n".join(x for x in sections if x) + "\n"


def block_marks(config):
    """The lines around the block of REPORT.md that a run of CONFIG (not
    the default config) writes; the rest of the page is the default
    config's run's."""
    return (f"<!-- config {config}: begin (make report RUN=<a run of {config}>) -->",
            f"<!-- config {config}: end -->")


def series_note(run, top=None):
    """A sentence if the series in TOP's kernel-patches/ (this checkout's)
    changed since the commit the run was made at; "" if it did not, or the
    commit is unknown there."""
    commit = run.manifest.get("git_commit", "").strip()
    top = top or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not commit:
        return ""
    try:
        # the patches and their order; the cover letter's numbers are make cover's
        r = subprocess.run(["git", "-C", top, "diff", "--quiet", commit, "--", "kernel-patches",
                            ":(exclude)kernel-patches/0000-cover-letter.patch"],
                           capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    if r.returncode != 1:       # 0: unchanged; other: not a commit of this repository
        return ""
    return (f"Its kernels were built from the series as of commit {commit[:12]}, which "
            f"kernel-patches/ has changed since (`git diff {commit[:12]} -- kernel-patches`).")


def build_config_block(run, plots, details):
    """The block of a run of a config other than the default one: its own
    answer, key table and limits, fio and code size in brief, the rest in
    DETAILS."""
    begin, end = block_marks(run.config)
    p = priced()
    lead = (f"Is {p.name}'s per-reference pinning worth its get/put cost? " if p else "")
    own = [f"- {x}" for x in config_limits(run)]
    body = [f"## Answer on config {run.config} (run {run.run_id})",
            f"{lead}{headline(run)}", series_note(run), key_table(run), zone_test_text(run),
            "Limits beside those of the Answer above (the same clock, findings and scenarios):\n\n"
            + "\n".join(own) if own else "",
            f"Every table of this run in full (fio, code size and hook sites, workloads, GUP, "
            f"unbind, the annotated objdump of one get/put site): [{details}]({details})."]
    return begin + "\n" + "\n\n".join(x for x in body if x) + "\n" + end


def config_blocks(text):
    """{config: block} of the config blocks in a REPORT.md's TEXT."""
    out = {}
    for m in re.finditer(r"^<!-- config (\S+): begin .*?^<!-- config \1: end -->$", text,
                         re.M | re.S):
        out[m.group(1)] = m.group(0)
    return out


def with_blocks(report, blocks):
    """REPORT (the default config's page, or an older page) with BLOCKS
    ({config: block}) right after its Answer section, in place of any
    block of the same config it had."""
    old = config_blocks(report)
    for config, block in blocks.items():
        if config in old:     # placed anew: an older page may have it elsewhere
            report = report.replace("\n\n" + old[config], "").replace(old[config], "")
        answer = report.find("\n## Answer\n")
        at = report.find("\n\n## ", answer + 1) if answer >= 0 else -1
        report = (report[:at] + "\n\n" + block + report[at:] if at >= 0
                  else report.rstrip("\n") + "\n\n" + block + "\n")
    return report


def read_text(path):
    if not os.path.isfile(path):
        return ""
    with open(path) as f:
        return f.read()


def build_details(run, plots):
    """Every table of the run, in full: what REPORT.md shows in brief."""
    sections = [
        f"# Every table of run {run.run_id}",
        section_manifest(run), section_method(run), section_correctness(run),
        section_hotpath(run, plots),
        section_static(run, plots), section_workloads(run), section_fio(run), section_gup(run, plots),
        section_unbind(run, plots), section_problems(run),
    ]
    return "\n\n".join(x for x in sections if x) + "\n"


def parse_args(argv):
    p = argparse.ArgumentParser(description="Write REPORT.md and plots from a run folder.")
    p.add_argument("run_dir", nargs="?", help="build/runs/<id>")
    p.add_argument("--out", help="the report (default REPORT.md, none with --cover alone)")
    p.add_argument("--plots-dir", default="plots")
    p.add_argument("--cover", help="cover letter whose numbers block is rewritten")
    p.add_argument("--no-gnuplot", action="store_true", help="do not render plots")
    p.add_argument("--latest-run", metavar="RUNS_DIR", help="print the newest run folder and exit")
    args = p.parse_args(argv)
    if not args.run_dir and not args.latest_run:
        p.error("RUN_DIR or --latest-run is required")
    if args.out is None and not args.cover:
        args.out = "REPORT.md"
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        if args.latest_run:
            print(latest_run(args.latest_run))
            return 0
        run = load_run(args.run_dir)
        if run.config and args.cover:
            raise ReportError(f"the cover letter's numbers come from a run of the default config, "
                              f"not of config {run.config}")
        cover = read_cover(args.cover) if args.cover else None
        if args.out is None:
            write_cover(args.cover, cover, cover_lines(run))
            return 0
        out_dir = os.path.dirname(os.path.abspath(args.out))
        os.makedirs(out_dir, exist_ok=True)
        # a run of another config: its plots and details in a folder of its own
        plots_dir = os.path.join(args.plots_dir, run.config) if run.config else args.plots_dir
        dats, gpvars = write_plotdata(run, os.path.join(plots_dir, "data"))
        plots = Plots(os.path.relpath(os.path.abspath(plots_dir), out_dir), dats, gpvars)
        if args.no_gnuplot:
            plots.missing = "not rendered (--no-gnuplot)"
        else:
            render_plots(plots, plots_dir, " ".join(run.variants))
        details = os.path.join(plots_dir, DETAILS)
        with open(details, "w") as f:   # beside the plots: they are in its folder
            f.write(build_details(run, dataclasses.replace(plots, rel_dir=".")))
        details_rel = os.path.relpath(os.path.abspath(details), out_dir)
        old = read_text(args.out)
        if run.config:
            page = with_blocks(old, {run.config: build_config_block(run, plots, details_rel)})
        else:
            page = with_blocks(build_report(run, plots, details_rel), config_blocks(old))
        with open(args.out, "w") as f:
            f.write(page)
        if cover:
            write_cover(args.cover, cover, cover_lines(run))
    except (ReportError, OSError) as e:
        print(f"report.py: error: {e}", file=sys.stderr)
        return 1
    if plots.missing and not args.no_gnuplot:
        print(f"report.py: warning: {plots.missing}; {args.out} written without them", file=sys.stderr)
        return 1
    return 0

