"""host/report.py in parts, each building on the ones before it:
common, fmt, stats, runfolder, compare, sections, exact, costs, verdict,
plots, cli."""
