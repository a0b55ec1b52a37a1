"""host/report.py and host/check-exact.py in layers.  A module imports only
from its own layer or the ones before it, by name (no star import):

  data      fmt, stats, variants, units, runfolder, compare
            the run folder, statistics of its cells, a variant against
            the reference
  judge     exact, aa, jobs, safety, answer, instrument
            exact cells (one tolerance), the A/A check, the same counts
            with guests side by side (jobs), who is safe, which variant the
            answer names; instrument: check-exact.py's checks
  sections  phrases, tables, repro, runinfo, hotpath, static, costs, problems,
            answer_text, verdict, summary, cover
            the report's text (summary: its first screen), per-variant prose made from the Variant
            fields of host/experiment.py, never from a variant's name
  plots     plotdata, gnuplot
  cli       cli: the report as a whole and the command line
"""

LAYERS = (
    ("data", ("fmt", "stats", "variants", "units", "runfolder", "compare")),
    ("judge", ("exact", "aa", "jobs", "safety", "answer", "instrument")),
    ("sections", ("phrases", "tables", "repro", "runinfo", "hotpath", "static", "costs", "problems",
                  "answer_text", "verdict", "summary", "cover")),
    ("plots", ("plotdata", "gnuplot")),
    ("cli", ("cli",)),
)
