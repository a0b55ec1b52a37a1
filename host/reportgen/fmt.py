"""Number formats and the Markdown table."""
import math

DASH = "—"


def fmt_ns(v):
    return f"{v:.2f}"


def fmt_sig3(v):
    """Three significant digits, thousands separated (ops/s, pages/s, counts of events)."""
    if v == 0 or not math.isfinite(v):
        return f"{v:g}"
    decimals = 2 - math.floor(math.log10(abs(v)))
    if decimals > 0:
        return f"{round(v, decimals):.{decimals}f}"
    return f"{round(v, decimals):,.0f}"


def fmt_ms(v):
    decimals = 3 if abs(v) < 10 else 2 if abs(v) < 100 else 1
    return f"{v:.{decimals}f}"


def fmt_insn(v):
    """Instructions per operation or page: whole numbers from 100 up, else 3 significant digits."""
    return f"{v:,.0f}" if math.isfinite(v) and abs(v) >= 100 else fmt_sig3(v)


def fmt_count(v):
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def fmt_signed(fmt, v):
    return ("-" if v < 0 else "+") + fmt(abs(v))


def fmt_pct(v, decimals=1):
    return f"{v:+.{decimals}f}%"


def perf_fmt(unit):
    return fmt_ms if unit == "msec" else fmt_sig3


def md_table(headers, rows, align=None):
    """The one Markdown table renderer. align: string of 'l'/'r' per column."""
    align = align or "l" + "r" * (len(headers) - 1)
    esc = [[str(c).replace("|", "\\|") for c in r] for r in [headers] + list(rows)]
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [esc[0], rule] + esc[1:]
    return "\n".join("| " + " | ".join(r) + " |" for r in lines)
