"""The comparison workbook (SPEC section 8): several assessments of one rubric side by side.

Sheets: Summary, Ranking (ministries x dimensions with a colour scale, ranks, completeness, and
intervals when the comparison carries them), one sheet per top-level dimension (indicator scores
per assessment), the evidence register of every assessment (after sharing), Methodology and Data.

Intervals: the uncertainty analysis adds `overall_p05/p50/p95`, `rank_p05/p50/p95` and
`stage_probability {stage: p}` to each assessment of the comparison dict (SPEC section 6). The
Ranking sheet shows a column for each of them that is present (`INTERVAL_COLUMNS`) and nothing
when they are absent, so that analysis needs no change here.

Research sheets (`toolkit.reports.research_sheets`): a Sensitivity sheet when the dict holds
`sensitivity` (`ddmt compare --sensitivity`), a Consistency sheet when it holds `consistency`
(`--consistency`), after the dimension sheets. From a `Comparison`, the results themselves can be
passed (`uncertainty=`, `sensitivity=`, `consistency=`), as the app does with what it computed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from toolkit.engine.comparison import Comparison, compare
from toolkit.engine.coverage import evidence_coverage
from toolkit.engine.rating import gate_lines, is_rated
from toolkit.i18n import t
from toolkit.i18n.formatting import format_date
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Indicator, Node, Rubric, text_in
from toolkit.reports import parts, research_sheets
from toolkit.reports.model import Area, Cell, Chart, ColourScale, Workbook
from toolkit.reports.sharing import (
    DEFAULT_SHARE,
    LeftOut,
    check_level,
    evidence_owners,
    share_assessment,
    withhold_evidence,
)
from toolkit.reports.xlsx import workbook_bytes, write_workbook

if TYPE_CHECKING:
    from toolkit.research.consistency import Consistency
    from toolkit.research.sensitivity import Sensitivity
    from toolkit.research.uncertainty import Uncertainty

# (key in the comparison dict, i18n key, percentile, style): shown when present.
INTERVAL_COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("overall_p05", "xl_overall_p", 5, "score"),
    ("overall_p50", "xl_overall_p", 50, "score"),
    ("overall_p95", "xl_overall_p", 95, "score"),
    ("rank_p05", "xl_rank_p", 5, "number"),
    ("rank_p50", "xl_rank_p", 50, "number"),
    ("rank_p95", "xl_rank_p", 95, "number"),
)
STAGE_PROBABILITY = "stage_probability"


def build_comparison_workbook(comparison: Comparison | Mapping[str, Any], rubric: Rubric,
                              assessments: Sequence[Assessment], *, lang: str = "en", share: str = DEFAULT_SHARE,
                              generated: dt.date | None = None, uncertainty: Uncertainty | None = None,
                              sensitivity: Sensitivity | None = None,
                              consistency: Consistency | None = None,
                              evidence_of: Iterable[str] | str | None = None) -> tuple[Workbook, LeftOut]:
    """The comparison workbook model, and what the sharing level left out (all assessments together).

    `evidence_of`: the ids of the assessments whose evidence the workbook carries, or `"all"`;
    none by default (`toolkit.reports.sharing.evidence_owners`).

    `comparison` is a `Comparison` or its `ddmt compare` JSON object (possibly with intervals,
    `sensitivity` and `consistency`); from a dict, the assessments are scored again together, with
    the dict's normalisation. Results passed as arguments are merged in (intervals only into a
    `Comparison`, whose order they follow).
    """
    check_level(share)
    if isinstance(comparison, Comparison):
        from toolkit.research.tidy import compare_json

        result = comparison
        data: Mapping[str, Any] = compare_json(comparison, uncertainty, sensitivity, consistency, lang=lang)
    else:
        if uncertainty is not None:
            raise TypeError("pass the intervals inside the comparison dict, or pass a Comparison")
        data = _with_research(comparison, sensitivity, consistency, lang)
        # ranks given to rounds below min_completeness mean the dict was made with --rank-incomplete
        forced = any(item.get("rank") is not None and not is_rated(rubric, (item.get("overall") or {}).get("completeness"))
                     for item in data.get("assessments", []))
        result = compare(rubric, assessments, normalisation=data.get("normalisation"), rank_incomplete=forced)
    rubric = result.rubric
    rows = _rows_in_rank_order(result, data)
    records = result.scores.to_records()
    coverage = evidence_coverage(result.scores)
    owners = evidence_owners(result.assessments, evidence_of)
    shared: dict[int, Assessment] = {}
    left_out = LeftOut(share, {})
    withheld = 0
    for k, assessment in enumerate(result.assessments):
        if assessment.id in owners:
            shared[k], dropped = share_assessment(assessment, share)
            left_out = left_out + dropped
        else:
            shared[k], count = withhold_evidence(assessment)
            withheld += count

    header = parts.header_line(t("xl_comparison_title", lang), text_in(rubric.title, lang))
    footer = parts.footer_text(share, lang)
    book = Workbook(title=f"{t('xl_comparison_title', lang)}: {rubric.id} {rubric.version}",
                    subject=f"{rubric.id} {rubric.version}", language=lang)
    ctx = _Context(book, rubric, result, data, rows, records, lang, header, footer)
    _summary(ctx, share, left_out, generated, _owners_text(result.assessments, owners, withheld, lang))
    _ranking(ctx, coverage)
    _charts(ctx)
    for position, node in enumerate(rubric.dimensions):
        _dimension_sheet(ctx, node, position)
    if data.get("sensitivity"):
        research_sheets.sensitivity_sheet(book, data["sensitivity"], rubric, len(result.assessments), lang,
                                          header, footer)
    if data.get("consistency"):
        research_sheets.consistency_sheet(book, data["consistency"], rubric, lang, header, footer)
    if owners:
        _evidence(ctx, shared)
    parts.methodology_sheet(book, rubric, result.normalisation, lang, header, footer)
    parts.data_sheet(book, [records[k] for k, _ in rows], rubric, lang, header, footer)
    return book, left_out


def write_comparison_workbook(comparison: Comparison | Mapping[str, Any], rubric: Rubric,
                              assessments: Sequence[Assessment], path: str | os.PathLike[str] | IO[bytes],
                              lang: str = "en", share: str = DEFAULT_SHARE, *,
                              generated: dt.date | None = None, **research: Any) -> LeftOut:
    """Write the comparison workbook to `path`; returns what the sharing level left out.

    `research`: `uncertainty`, `sensitivity`, `consistency` and `evidence_of`, as for
    `build_comparison_workbook`.
    """
    book, left_out = build_comparison_workbook(comparison, rubric, assessments, lang=lang, share=share,
                                               generated=generated, **research)
    write_workbook(book, path)
    return left_out


def comparison_workbook_bytes(comparison: Comparison | Mapping[str, Any], rubric: Rubric,
                              assessments: Sequence[Assessment], *, lang: str = "en", share: str = DEFAULT_SHARE,
                              generated: dt.date | None = None, **research: Any) -> bytes:
    """The comparison workbook as bytes, for a download button (`research` as for `build_comparison_workbook`)."""
    book, _ = build_comparison_workbook(comparison, rubric, assessments, lang=lang, share=share,
                                        generated=generated, **research)
    return workbook_bytes(book)


def _with_research(data: Mapping[str, Any], sensitivity: Sensitivity | None, consistency: Consistency | None,
                   lang: str) -> Mapping[str, Any]:
    """The dict with the given results' JSON shapes set (the dict itself if none is given)."""
    if sensitivity is None and consistency is None:
        return data
    merged = dict(data)
    if sensitivity is not None:
        merged["sensitivity"] = sensitivity.to_dict()
    if consistency is not None:
        from toolkit.research.tidy import consistency_record

        merged["consistency"] = consistency_record(consistency, lang)
    return merged


# --------------------------------------------------------------------------------------- context

class _Context:
    """What every sheet builder needs, in one place."""

    def __init__(self, book: Workbook, rubric: Rubric, result: Comparison, data: Mapping[str, Any],
                 rows: list[tuple[int, Mapping[str, Any]]], records: list[dict], lang: str,
                 header: str, footer: str) -> None:
        self.book, self.rubric, self.result, self.data = book, rubric, result, data
        self.rows, self.records, self.lang, self.header, self.footer = rows, records, lang, header, footer


def _rows_in_rank_order(result: Comparison, data: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """(row in the comparison, its item in the dict), in the dict's (rank) order."""
    free: dict[str, list[int]] = {}
    for k, a in enumerate(result.assessments):
        free.setdefault(a.id, []).append(k)
    rows = []
    for item in data.get("assessments", []):
        waiting = free.get(item["assessment"])
        if waiting:
            rows.append((waiting.pop(0), item))
    return rows


# ---------------------------------------------------------------------------------------- sheets

def _owners_text(assessments: Sequence[Assessment], owners: frozenset[str], withheld: int, lang: str) -> str:
    """Whose evidence the workbook carries, and how much of the others' it withholds."""
    names = [parts.ministry_name(a) + f" ({a.period})" for a in assessments if a.id in owners]
    carried = "; ".join(names) if names else t("xl_evidence_of_none", lang)
    return t("xl_evidence_of_text", lang, carried=carried, withheld=withheld)


def _summary(ctx: _Context, share: str, left_out: LeftOut, generated: dt.date | None, owners: str) -> None:
    lang, rubric, result = ctx.lang, ctx.rubric, ctx.result
    sheet = ctx.book.add_sheet(t("xl_sheet_summary", lang))
    parts.setup_print(sheet, ctx.header, ctx.footer, None)
    sheet.landscape = False
    sheet.column_widths([30, 80])
    sheet.line(t("xl_comparison_title", lang), "title", 2)
    sheet.line(text_in(rubric.title, lang), "subtitle", 2)
    sheet.blank()
    if any(a.ministry.fictional for a in result.assessments):
        sheet.line(t("xl_fictional_some", lang), "warning", 2)
    sheet.append(Cell(t("xl_confidentiality", lang), "warning"),
                 Cell(parts.confidentiality_text(share, lang), "warning"))
    sheet.blank()
    parts.summary_pairs(sheet, [
        (t("xl_rubric", lang), f"{rubric.id} {rubric.version} — {text_in(rubric.title, lang)}"),
        (t("xl_normalisation", lang), result.normalisation),
        (t("xl_assessments", lang), str(len(result.assessments))),
        (t("xl_periods", lang), ", ".join(result.periods)),
        (t("xl_generated", lang), format_date(generated or dt.date.today(), lang)),  # as the PDF dates it
        (t("xl_sharing", lang), parts.sharing_text(share, lang)),
        (t("xl_left_out", lang), parts.left_out_text(left_out, lang)),
        (t("xl_evidence_of", lang), owners),
    ])
    sheet.blank()
    if result.mixed_periods:
        sheet.line(t("xl_mixed_periods", lang), "note", 2)
    if _interval_columns(ctx.data) or _stage_probabilities(ctx.data):
        sheet.line(t("xl_intervals_note", lang), "note", 2)
    if ctx.data.get("sensitivity"):
        sheet.line(t("xl_research_sensitivity", lang), "note", 2)
    found = ctx.data.get("consistency")
    if found:
        count = len(found["warnings"])
        sheet.line(t("xl_research_consistency", lang, count=count) if count else t("xl_research_consistent", lang),
                   "warning" if count else "note", 2)
    sheet.line(t("xl_no_formulas", lang), "note", 2)


def _ranking(ctx: _Context, coverage: Any) -> None:
    lang, rubric = ctx.lang, ctx.rubric
    sheet = ctx.book.add_sheet(t("xl_sheet_ranking", lang))
    parts.setup_print(sheet, ctx.header, ctx.footer)
    intervals = _interval_columns(ctx.data)
    stages = _stage_probabilities(ctx.data)
    headers = [t("rank", lang), t("ministry", lang), t("period", lang), t("overall", lang),
               t("evidence_backed", lang), t("stage", lang), t("xl_completeness", lang), t("xl_coverage", lang)]
    styles = ["integer", "wrap", "text", "score", "score", "text", "percent", "percent"]
    headers += [t(key, lang, p=p) for _, key, p, _ in intervals]
    styles += [style for *_, style in intervals]
    headers += [f"P({text_in(stage.label, lang)})" for stage in rubric.stages if stage.id in stages]
    styles += ["percent" for stage in rubric.stages if stage.id in stages]
    first_dim = len(headers) + 1
    headers += [text_in(node.title, lang) for node in rubric.dimensions]
    styles += ["score"] * len(rubric.dimensions)
    table = []
    for k, item in ctx.rows:
        record, a = ctx.records[k], ctx.result.assessments[k]
        overall = record["overall"]
        row: list[Any] = [item.get("rank"), Cell(parts.ministry_name(a), "wrap"), a.period, overall["score"],
                          overall["evidence_score"],
                          parts.stage_label(rubric, overall["stage"], lang, overall["completeness"]),
                          overall["completeness"], _nan_none(coverage[k][0])]
        row += [item.get(key) for key, *_ in intervals]
        probability = item.get(STAGE_PROBABILITY) or {}
        row += [probability.get(stage.id) for stage in rubric.stages if stage.id in stages]
        row += [record["nodes"][node.id]["score"] for node in rubric.dimensions]
        table.append(row)
    area = sheet.table(headers, table, styles)
    sheet.column_widths([7, 56, 10, 10, 12, 14, 13, 12])
    sheet.column_widths([10] * (first_dim - 9), first_col=9)
    sheet.column_widths([14] * len(rubric.dimensions), first_col=first_dim)
    sheet.freeze = (2, 3)
    sheet.autofilter = Area(1, 1, area.last_row, area.last_col)
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 4, area.last_row, 5)))
    sheet.colour_scales.append(ColourScale(Area(area.first_row, first_dim, area.last_row, area.last_col)))
    unranked = [f"{ctx.result.assessments[k].ministry.name} {ctx.result.assessments[k].period}"
                for k, item in ctx.rows if item.get("rank") is None and rubric.min_completeness is not None
                and not is_rated(rubric, ctx.records[k]["overall"]["completeness"])]
    if unranked:
        sheet.blank()
        sheet.line(t("unranked_note_app", lang, needed=round((rubric.min_completeness or 0) * 100),
                     names="; ".join(unranked)), "note", 6)
    gates = [f"{ctx.result.assessments[k].ministry.name} {ctx.result.assessments[k].period}: {line}"
             for k, _ in ctx.rows
             for line in gate_lines(rubric, ctx.records[k]["gates"]["claimed"], ctx.records[k]["gates"]["evidence"],
                                    lang)]
    if gates:
        sheet.blank()
        sheet.line(t("xl_gates", lang), "subtitle", 6)
        for line in gates:
            sheet.line(line, "note", 6)
    if any(a.ministry.fictional for a in ctx.result.assessments):
        sheet.blank()
        sheet.line(t("xl_fictional_some", lang), "note", 6)


CHART_LIMIT = 8  # ministries on the charts: more lines or bars than this cannot be told apart


def _charts(ctx: _Context) -> None:
    """Native charts of the dimensions: clustered bars per ministry and a radar overlay, over a
    small dimensions x ministries table (the first `CHART_LIMIT` in rank order)."""
    lang, rubric = ctx.lang, ctx.rubric
    sheet = ctx.book.add_sheet(t("xl_sheet_charts", lang))
    parts.setup_print(sheet, ctx.header, ctx.footer, None)  # no repeated header above the second chart
    sheet.landscape = False
    shown = ctx.rows[:CHART_LIMIT]
    names = [f"{parts.ministry_name(ctx.result.assessments[k])} ({ctx.result.assessments[k].period})"
             for k, _ in shown]
    rows = [[text_in(node.title, lang)] + [ctx.records[k]["nodes"][node.id]["score"] for k, _ in shown]
            for node in rubric.dimensions]
    area = sheet.table([t("dimension", lang), *names], rows, ["wrap"] + ["score"] * len(shown))
    sheet.column_widths([34] + [16] * len(shown))
    sheet.heights[1] = 45
    note = sheet.line(t("xl_charts_note", lang, count=len(shown), total=len(ctx.rows)), "note",
                      max(2, 1 + len(shown)))
    if rows and shown:
        categories = Area(area.first_row, 1, area.last_row, 1)
        series = tuple(Area(1, 2 + j, area.last_row, 2 + j) for j in range(len(shown)))
        sheet.charts.append(Chart("bar", t("xl_charts_bar_title", lang), categories, series, (note + 2, 1),
                                  y_title=t("xl_score", lang), width_cm=18, height_cm=11))
        sheet.charts.append(Chart("radar", t("xl_radar_title", lang), categories, series, (note + 25, 1),
                                  width_cm=18, height_cm=11))


def _dimension_sheet(ctx: _Context, node: Node, position: int) -> None:
    lang = ctx.lang
    sheet = ctx.book.add_sheet(text_in(node.title, lang))
    parts.setup_print(sheet, parts.header_line(ctx.header, text_in(node.title, lang)), ctx.footer)
    indicators = _indicators_under(node)
    headers = [t("rank", lang), t("ministry", lang), t("period", lang), text_in(node.title, lang)]
    headers += [text_in(indicator.title, lang) for indicator in indicators]
    styles = ["integer", "wrap", "text", "score"] + ["score"] * len(indicators)
    table = []
    for k, item in ctx.rows:
        record, a = ctx.records[k], ctx.result.assessments[k]
        table.append([item.get("rank"), Cell(parts.ministry_name(a), "wrap"), a.period,
                      record["nodes"][node.id]["score"]]
                     + [record["indicators"][indicator.id]["score"] for indicator in indicators])
    area = sheet.table(headers, table, styles)
    sheet.column_widths([7, 56, 10, 14] + [14] * len(indicators))
    sheet.freeze = (2, 4)
    sheet.autofilter = Area(1, 1, area.last_row, area.last_col)
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 4, area.last_row, area.last_col)))
    sheet.blank()
    sheet.line(t("xl_dimension_sheet_note", lang), "note", 4)


def _evidence(ctx: _Context, shared: Mapping[int, Assessment]) -> None:
    lang = ctx.lang
    sheet = ctx.book.add_sheet(t("xl_sheet_evidence", lang))
    parts.setup_print(sheet, ctx.header, ctx.footer)
    headers = [t("ministry", lang), t("period", lang), *parts.evidence_headers(lang)]

    def rows() -> Any:
        for k, _ in ctx.rows:
            a = shared[k]
            lead = (Cell(parts.ministry_name(a), "wrap"), Cell(a.period, "text"))
            yield from parts.evidence_rows(a, ctx.rubric, lang, lead)

    area = sheet.table(headers, rows())
    sheet.column_widths([30, 10, *parts.EVIDENCE_WIDTHS])
    sheet.freeze = (2, 5)
    if area.empty:
        sheet.append(Cell(t("xl_evidence_none", lang), "note"))
    else:
        sheet.autofilter = Area(1, 1, area.last_row, area.last_col)


# --------------------------------------------------------------------------------------- helpers

def _interval_columns(data: Mapping[str, Any]) -> list[tuple[str, str, int, str]]:
    items = data.get("assessments", [])
    return [column for column in INTERVAL_COLUMNS if any(column[0] in item for item in items)]


def _stage_probabilities(data: Mapping[str, Any]) -> set[str]:
    return {stage for item in data.get("assessments", []) for stage in (item.get(STAGE_PROBABILITY) or {})}


def _indicators_under(node: Node) -> list[Indicator]:
    """Every indicator below `node`, in rubric order."""
    found: list[Indicator] = []
    for child in node.dimensions:
        found.extend(_indicators_under(child))
    found.extend(node.indicators)
    return found


def _nan_none(value: float) -> float | None:
    return None if value != value else float(value)
