"""The variants of host/experiment.py as the report reads them: by what
they do.  Read at call time, so that a variant added to experiment.VARIANTS
is seen without touching the report."""
import experiment


def declared():
    """Every declared Variant, in matrix order (the reference first)."""
    return experiment.VARIANTS


def known_names():
    return [v.name for v in experiment.VARIANTS]


def behaviour(name):
    """The Variant declared as NAME, or None (a run's variant no longer declared)."""
    return next((v for v in experiment.VARIANTS if v.name == name), None)


def in_run(run, exclude=()):
    """The Variants of the run's variants other than the reference and EXCLUDE, run order."""
    return [v for v in (behaviour(n) for n in run.variants)
            if v and v.name != experiment.REFERENCE and v.name not in exclude]


def configs(run):
    """The Configs of the run's kernels, in declaration order; a name no
    longer declared counts as the default config's."""
    if run.config:
        return [experiment.config(run.config)]
    names = set()
    for n in run.variants:
        try:
            names.add(experiment.kernel(n)[0].name)
        except ValueError:
            names.add(experiment.default_config().name)
    return [c for c in experiment.CONFIGS if c.name in names]


def findings(v):
    """The declared findings (experiment.FINDINGS) that concern V's model."""
    return experiment.findings(v)


def finding_status(run, f):
    """F's status in RUN: a status that a functional test must show
    (f.shown_by) stands only if the run has its rows and every one of them
    passed on each variant of the run that F concerns; else it is open."""
    if not f.shown_by:
        return f.status
    case = f.shown_by.removeprefix("test_") + "."
    names = [v.name for v in in_run(run) if f in findings(v)]
    rows = [r for r in run.functional or []
            if r["variant"] in names and r["test"].startswith(case)]
    shown = {r["variant"] for r in rows} - {r["variant"] for r in rows if r["outcome"] != "pass"}
    missing = [n for n in names if n not in shown]
    if not missing:
        return f.status
    return (f"open: {f.status}; but {f.shown_by} did not pass on "
            f"{' and '.join(missing)} in this run")
