"""Plain-text and CSV renderings of results for the command line.

The library returns result objects and records; this module only turns records into text, so the
command line stays a thin layer and the formats are testable without a terminal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from toolkit.reports.safe import FORMULA_TRIGGERS, csv_cell
from toolkit.rubric import Rubric

__all__ = ["FORMULA_TRIGGERS", "csv_text", "fmt_percent", "fmt_score", "table"]


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


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with formula triggers neutralised, so a spreadsheet never runs a cell as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


SCORE_COLUMNS = ("assessment", "ministry_id", "ministry", "iso3", "period", "node", "depth", "score",
                 "evidence_score", "stage", "completeness", "status")


def score_csv(records: Sequence[dict], rubric_of: Mapping[str, Rubric]) -> str:
    """Tidy scores, one row per assessment and node (overall first): `ddmt score --format csv` and the app."""
    rows = []
    for record in records:
        rubric = rubric_of[record["assessment"]]
        ministry = record["ministry"]
        head = [record["assessment"], ministry["id"], ministry["name"], ministry.get("iso3"), record["period"]]
        overall = record["overall"]
        rows.append(head + ["overall", 0, overall["score"], overall["evidence_score"], overall["stage"],
                            overall["completeness"], None])
        for node, depth in rubric.nodes():
            item = record["nodes"][node.id]
            rows.append(head + [node.id, depth, item["score"], item["evidence_score"], item["stage"],
                                item["completeness"], item["status"]])
    return csv_text(SCORE_COLUMNS, rows)
