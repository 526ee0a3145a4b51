"""Plain-text and CSV renderings of results for the command line.

The library returns result objects and records; this module only turns records into text, so the
command line stays a thin layer and the formats are testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit.research.tidy import SCORE_COLUMNS, score_csv  # noqa: F401 - the score CSV, for the commands
from toolkit.safe import FORMULA_TRIGGERS, csv_text

__all__ = ["FORMULA_TRIGGERS", "SCORE_COLUMNS", "csv_text", "fmt_percent", "fmt_score", "score_csv", "table"]


def fmt_score(value: float | None) -> str:
    """One decimal for display; an em dash where no score can be computed."""
    return "—" if value is None else f"{value:.1f}"


def fmt_percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


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
