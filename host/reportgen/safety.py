"""Judge: who is safe, from functional.csv."""


def correctness_summary(run):
    """{variant: (crashes, FAIL texts, number of tests)} from functional.csv;
    a crash is (test, outcome), the outcome an oops or a fatal warning."""
    out = {v: ([], [], 0) for v in run.variants}
    for r in run.functional or []:
        crashes, fails, n = out.setdefault(r["variant"], ([], [], 0))
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
