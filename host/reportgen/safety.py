"""Judge: who is safe, from functional.csv."""


def correctness_summary(run):
    """{variant: (crashes, FAIL texts, number of tests run)} from
    functional.csv; a crash is (test, outcome), the outcome an oops or a
    fatal warning.  A test that skipped as promised did not run."""
    out = {v: ([], [], 0) for v in run.variants}
    for r in run.functional or []:
        crashes, fails, n = out.setdefault(r["variant"], ([], [], 0))
        if r["outcome"] == "skip" == r["expected"]:
            continue
        if r["outcome"] in ("oops", "warning"):
            crashes.append((r["test"], r["outcome"]))
        if r["outcome"] != r["expected"]:
            fails.append(f"{r['test']} expected {r['expected']} got {r['outcome']}")
        out[r["variant"]] = (crashes, fails, n + 1)
    return out


def safe_variants(run):
    """Variants that ran every functional test as promised and never oopsed."""
    return [v for v, (crashes, fails, n) in correctness_summary(run).items()
            if n and not crashes and not fails]


def skipped(run, variant):
    """How many of VARIANT's tests skipped as promised."""
    return sum(1 for r in run.functional or []
               if r["variant"] == variant and r["outcome"] == "skip" == r["expected"])
