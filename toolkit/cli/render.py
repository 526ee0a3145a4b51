"""Plain-text and CSV renderings of results for the command line.

The library returns result objects and records; this module only turns records into text, so the
command line stays a thin layer and the formats are testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit.i18n.formatting import format_number, format_percent
from toolkit.research.tidy import SCORE_COLUMNS, score_csv  # noqa: F401 - the score CSV, for the commands
from toolkit.safe import FORMULA_TRIGGERS, csv_text

__all__ = ["FORMULA_TRIGGERS", "SCORE_COLUMNS", "csv_text", "fmt_percent", "fmt_score", "score_csv", "table"]


def fmt_score(value: float | None, lang: str = "en") -> str:
    """One decimal in the reader's locale (37.5, 37,5) for a text table; an em dash where there is no score.

    Tables only: JSON and CSV keep '.' decimals for machines.
    """
    return format_number(value, lang)


def fmt_percent(value: float | None, lang: str = "en") -> str:
    """A share (0..1) as a whole percentage for a text table, rounded down; an em dash when missing.

    Down, as the not-rated rule reads it: 79.6 % complete never shows as the 80 % a rule needs, and
    the column agrees with the stage's "not rated: 79 % complete" beside it.
    """
    return format_percent(value, lang, floor=True)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], align: str | None = None) -> str:
    """A fixed-width text table; `align` holds one `l` or `r` per column (default: first left)."""
    rows = [list(map(str, row)) for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    align = align or "l" + "r" * (len(headers) - 1)

    def line(cells: Sequence[str]) -> str:
        parts = [c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(cells, widths, align, strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    return "\n".join(out)
