"""Statistics of a cell's samples, and the order of cases and statuses."""
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import experiment

# Display order of the tokens that make up case names (split on ':' and '=');
# unknown tokens sort after these, numbers numerically.
CASE_TOKENS = experiment.case_tokens()
# Failed-cell listing order: what broke the guest first, deliberate gaps last.
SEVERITY = ("crash", "hang", "timeout", "warning", "failed", "no row", "skipped", "unsupported")


def percentile(values, q):
    """Quantile q (0..1) with linear interpolation between closest ranks
    (numpy's default 'linear' method): h = (n-1)q, x[floor h] + frac(h) * step."""
    xs = sorted(values)
    h = (len(xs) - 1) * q
    i = math.floor(h)
    if i + 1 >= len(xs):
        return xs[-1]
    return xs[i] + (h - i) * (xs[i + 1] - xs[i])


def pct_change(new, base):
    return (new - base) / base * 100 if base else None


@dataclass
class Cell:
    """All rows of one (variant, group, case): ok values and non-ok statuses."""
    values: list = field(default_factory=list)
    bad: Counter = field(default_factory=Counter)
    bad_trials: dict = field(default_factory=lambda: defaultdict(set))
    units: set = field(default_factory=set)

    @cached_property
    def stats(self):
        if not self.values:
            return None
        return {"n": len(self.values), "median": percentile(self.values, 0.5),
                "p25": percentile(self.values, 0.25), "p75": percentile(self.values, 0.75),
                "min": min(self.values), "max": max(self.values)}

    def problem(self):
        """What stands in place of numbers: e.g. 'crash ×3', or 'no row'."""
        if not self.bad:
            return "no row"
        return ", ".join(f"{s} ×{n}" for s, n in sorted(self.bad.items(), key=status_key))

    def n_text(self):
        n = str(self.stats["n"] if self.stats else 0)
        return f"{n} (+{self.problem()})" if self.stats and self.bad else n


def status_key(item):
    base = item[0].split(":", 1)[0]
    return (SEVERITY.index(base) if base in SEVERITY else len(SEVERITY), item[0])


def case_key(case):
    key = []
    for tok in re.split(r"[:=]", case):
        if tok in CASE_TOKENS:
            key.append((0, CASE_TOKENS.index(tok), ""))
        elif re.fullmatch(r"[0-9.]+", tok):
            key.append((1, float(tok), ""))
        else:
            key.append((2, 0, tok))
    return key
