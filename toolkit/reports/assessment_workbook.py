"""The consultant workbook for one assessment (SPEC section 8).

Sheets: Summary, Dimensions (radar and bar charts, colour scale), Indicators, Evidence register,
Roadmap, Methodology and Data (tidy). Every score is computed here in Python from the *whole*
assessment; the sharing level then decides which evidence the workbook shows, and the Summary says
what was left out. Interface words come from `toolkit.i18n`, rubric texts from the rubric, both in
the chosen language.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import IO

import numpy as np

from toolkit.engine.coverage import evidence_coverage
from toolkit.engine.results import Scores
from toolkit.engine.rating import gate_lines, gate_title, record_unevaluated_lines
from toolkit.engine.roadmap import ANSWER, EVIDENCE, AnswerGroup, gaps, plan, targets
from toolkit.engine.scoring import score
from toolkit.i18n import t
from toolkit.i18n.formatting import format_date
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Indicator, Node, Rubric, text_in
from toolkit.reports import parts
from toolkit.reports.model import Area, Cell, Chart, ColourScale, Workbook
from toolkit.reports.respondents_sheet import respondents_sheet
from toolkit.reports.sharing import DEFAULT_SHARE, LeftOut, check_level, share_assessment
from toolkit.reports.xlsx import workbook_bytes, write_workbook


def build_assessment_workbook(assessment: Assessment, rubric: Rubric, *, lang: str = "en",
                              share: str = DEFAULT_SHARE, generated: dt.date | None = None
                              ) -> tuple[Workbook, LeftOut]:
    """The workbook model for one assessment, and what the sharing level left out."""
    check_level(share)
    scores = score(rubric, [assessment])  # before sharing: hidden evidence keeps backing its level
    record = scores.to_records()[0]
    shown, left_out = share_assessment(assessment, share)
    header = parts.header_line(assessment.ministry.name, assessment.period)
    footer = parts.footer_text(share, lang)
    book = Workbook(title=f"{t('xl_assessment_title', lang)}: {assessment.ministry.name} {assessment.period}",
                    subject=f"{rubric.id} {rubric.version}", language=lang)
    coverage = evidence_coverage(scores)[0]
    _summary(book, assessment, rubric, record, coverage, share, left_out, lang, generated, header, footer)
    _dimensions(book, rubric, record, coverage, lang, header, footer)
    _indicators(book, shown, rubric, scores, record, lang, header, footer)
    _evidence(book, shown, rubric, lang, header, footer)
    _roadmap(book, rubric, scores, lang, header, footer)
    respondents_sheet(book, shown, rubric, lang, header, footer)  # team rounds only
    parts.methodology_sheet(book, rubric, scores.normalisation, lang, header, footer)
    parts.data_sheet(book, [record], rubric, lang, header, footer)
    return book, left_out


def write_assessment_workbook(assessment: Assessment, rubric: Rubric, path: str | os.PathLike[str] | IO[bytes],
                              *, lang: str = "en", share: str = DEFAULT_SHARE,
                              generated: dt.date | None = None) -> LeftOut:
    """Write the consultant workbook to `path`; returns what the sharing level left out."""
    book, left_out = build_assessment_workbook(assessment, rubric, lang=lang, share=share, generated=generated)
    write_workbook(book, path)
    return left_out


def assessment_workbook_bytes(assessment: Assessment, rubric: Rubric, *, lang: str = "en",
                              share: str = DEFAULT_SHARE, generated: dt.date | None = None) -> bytes:
    """The consultant workbook as bytes, for a download button."""
    book, _ = build_assessment_workbook(assessment, rubric, lang=lang, share=share, generated=generated)
    return workbook_bytes(book)


# ------------------------------------------------------------------------------------------ sheets

def _summary(book: Workbook, assessment: Assessment, rubric: Rubric, record: dict, coverage: np.ndarray,
             share: str, left_out: LeftOut, lang: str, generated: dt.date | None, header: str, footer: str) -> None:
    sheet = book.add_sheet(t("xl_sheet_summary", lang))
    parts.setup_print(sheet, header, footer, None)
    sheet.landscape = False
    sheet.column_widths([30, 80])
    overall = record["overall"]
    sheet.line(t("xl_assessment_title", lang), "title", 2)
    sheet.line(assessment.ministry.name, "subtitle", 2)
    sheet.line(text_in(rubric.title, lang), "note", 2)
    sheet.blank()
    if assessment.ministry.fictional:
        sheet.line(t("xl_fictional", lang), "warning", 2)
    sheet.append(Cell(t("xl_confidentiality", lang), "warning"),
                 Cell(parts.confidentiality_text(share, lang), "warning"))
    sheet.blank()
    parts.summary_pairs(sheet, [
        (t("ministry", lang), assessment.ministry.name),
        (t("xl_country", lang), assessment.ministry.country),
        (t("period", lang), assessment.period),
        (t("xl_assessment", lang), assessment.id),
        (t("xl_rubric", lang), f"{rubric.id} {rubric.version} — {text_in(rubric.title, lang)}"),
        (t("xl_date", lang), assessment.date),
        (t("xl_status", lang), parts.workflow_text(assessment.status, lang)),
        (t("xl_assessors", lang), "; ".join(assessment.assessors) or parts.DASH),
        (t("xl_generated", lang), format_date(generated or dt.date.today(), lang)),  # as the PDF dates it
    ])
    sheet.blank()
    parts.summary_pairs(sheet, [
        (t("xl_overall_score", lang), Cell(overall["score"], "score_big")),
        (t("stage", lang), parts.stage_label(rubric, overall["stage"], lang, overall["completeness"])),
        (t("xl_evidence_score", lang), Cell(overall["evidence_score"], "score_big")),
        (t("xl_completeness", lang), Cell(overall["completeness"], "percent_left")),
        (t("xl_coverage", lang), Cell(_nan_none(coverage[0]), "percent_left")),
    ])
    gates = (gate_lines(rubric, record["gates"]["claimed"], record["gates"]["evidence"], lang)
             + record_unevaluated_lines(rubric, record, lang))
    if gates:
        parts.summary_pairs(sheet, [(t("xl_gates", lang) if k == 0 else "", line) for k, line in enumerate(gates)])
    sheet.blank()
    parts.summary_pairs(sheet, [
        (t("xl_sharing", lang), parts.sharing_text(share, lang)),
        (t("xl_left_out", lang), parts.left_out_text(left_out, lang)),
    ])
    sheet.blank()
    sheet.line(t("xl_no_formulas", lang), "note", 2)


def _dimensions(book: Workbook, rubric: Rubric, record: dict, coverage: np.ndarray, lang: str,
                header: str, footer: str) -> None:
    sheet = book.add_sheet(t("xl_sheet_dimensions", lang))
    parts.setup_print(sheet, header, footer)
    headers = [t("dimension", lang), t("xl_weight", lang), t("chart_claimed", lang), t("evidence_backed", lang),
               t("stage", lang), t("xl_completeness", lang), t("xl_coverage", lang), t("xl_status", lang)]
    rows = []
    for k, node in enumerate(rubric.dimensions):
        item = record["nodes"][node.id]
        rows.append((text_in(node.title, lang), node.weight, item["score"], item["evidence_score"],
                     parts.stage_label(rubric, item["stage"], lang, item["completeness"]), item["completeness"],
                     _nan_none(coverage[1 + k]), parts.status_text(item["status"], lang)))
    area = sheet.table(headers, rows, ["wrap", "weight", "score", "score", "text", "percent", "percent", "text"])
    sheet.column_widths([38, 9, 12, 14, 14, 13, 13, 12])
    sheet.freeze = (2, 2)
    sheet.heights[1] = 30
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 3, area.last_row, 4)))
    note_row = sheet.line(t("xl_dimensions_note", lang), "note", len(headers))
    if rows:
        categories = Area(area.first_row, 1, area.last_row, 1)
        series = (Area(1, 3, area.last_row, 3), Area(1, 4, area.last_row, 4))
        anchor = note_row + 2
        # Side by side under the table: the radar over columns A-D, the bars from column E on.
        sheet.charts.append(Chart("radar", t("xl_radar_title", lang), categories, series, (anchor, 1),
                                  width_cm=13.5, height_cm=9.5))
        sheet.charts.append(Chart("bar", t("xl_bar_title", lang), categories, series, (anchor, 5),
                                  y_title=t("xl_score", lang), width_cm=12.5, height_cm=9.5))


def _indicators(book: Workbook, shown: Assessment, rubric: Rubric, scores: Scores, record: dict, lang: str,
                header: str, footer: str) -> None:
    sheet = book.add_sheet(t("xl_sheet_indicators", lang))
    parts.setup_print(sheet, header, footer)
    target, gap = targets(scores)[0].tolist(), gaps(scores)[0].tolist()
    headers = [t("dimension", lang), t("xl_id", lang), t("xl_indicator", lang), t("xl_level", lang),
               t("xl_label", lang), t("xl_target", lang), t("xl_gap", lang), t("xl_confidence", lang),
               t("xl_evidence_count", lang), t("xl_status", lang), t("chart_claimed", lang),
               t("evidence_backed", lang), t("xl_na_reason", lang)]
    rows = []
    for k, (indicator, path) in enumerate(_indicators_with_path(rubric, lang)):
        answer = shown.answer(indicator.id)
        item = record["indicators"][indicator.id]
        if indicator.is_metric:
            value, label = item.get("value"), text_in(indicator.unit, lang)
        else:
            value = item.get("level")
            label = rubric.level_label(value, lang) if value is not None else parts.DASH
        rows.append((path, indicator.id, text_in(indicator.title, lang), value, label,
                     _int_or_none(target[k]), _int_or_none(gap[k]), parts.confidence_text(answer.confidence, lang),
                     len(answer.evidence), parts.status_text(item["status"], lang), item["score"],
                     item["evidence_score"], answer.na_reason or None))
    styles = ["wrap", "text", "wrap", "number", "text", "integer", "integer", "text", "integer", "text",
              "score", "score", "wrap"]
    area = sheet.table(headers, rows, styles)
    sheet.column_widths([24, 24, 44, 9, 14, 8, 6, 11, 9, 13, 9, 10, 30])
    sheet.freeze = (2, 4)
    sheet.heights[1] = 30
    sheet.autofilter = Area(1, 1, area.last_row, area.last_col)
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 11, area.last_row, 12)))


def _evidence(book: Workbook, shown: Assessment, rubric: Rubric, lang: str, header: str, footer: str) -> None:
    sheet = book.add_sheet(t("xl_sheet_evidence", lang))
    parts.setup_print(sheet, header, footer)
    area = sheet.table(parts.evidence_headers(lang), parts.evidence_rows(shown, rubric, lang))
    sheet.column_widths(parts.EVIDENCE_WIDTHS)
    sheet.freeze = (2, 3)
    if area.empty:
        sheet.append(Cell(t("xl_evidence_none", lang), "note"))
    else:
        sheet.autofilter = Area(1, 1, area.last_row, area.last_col)


def _roadmap(book: Workbook, rubric: Rubric, scores: Scores, lang: str, header: str, footer: str) -> None:
    sheet = book.add_sheet(t("xl_sheet_roadmap", lang))
    parts.setup_print(sheet, header, footer)
    headers = [t("xl_order", lang), t("xl_id", lang), t("xl_indicator", lang), t("xl_action", lang),
               t("xl_current", lang), t("xl_next", lang), t("xl_target", lang), t("xl_gap", lang),
               t("xl_next_descriptor", lang), t("xl_priority", lang)]
    rows = []
    for number, step in enumerate(plan(scores, 0), 1):
        if isinstance(step, AnswerGroup):  # one row per dimension with answers missing (engine.roadmap.plan)
            dimension = text_in(rubric.dimensions[step.position].title, lang)
            rows.append((number, step.dimension_id, "; ".join(text_in(i.title, lang) for i in step.indicators),
                         t("roadmap_answer_group", lang, count=step.count, dimension=dimension),
                         parts.DASH, parts.DASH, None, None, parts.DASH, None))
            continue
        if step.kind == ANSWER:  # a critical control not answered (plan keeps it on its own row)
            action, current, nxt = t("xl_action_answer", lang), parts.DASH, parts.DASH
            descriptor = text_in(step.indicator.question, lang)
        elif step.kind == EVIDENCE:
            action = t("roadmap_attach_evidence", lang, level=parts.level_text(rubric, step.level, lang))
            current = nxt = parts.level_text(rubric, step.level, lang)
            descriptor = text_in(step.descriptor.descriptor, lang) if step.descriptor else parts.DASH
        elif step.indicator.is_metric:
            unit = text_in(step.indicator.unit, lang)
            action = t("roadmap_reach_value", lang, value=f"{step.next_value:g}", unit=unit)
            current, nxt = f"{step.value:g} {unit}", f"{step.next_value:g} {unit}"
            descriptor = parts.DASH
        else:
            action = t("xl_action_improve", lang)
            current = parts.level_text(rubric, step.level, lang)
            nxt = parts.level_text(rubric, step.next_level, lang)
            descriptor = text_in(step.descriptor.descriptor, lang) if step.descriptor else parts.DASH
        if step.gates:
            reason = "gate_roadmap_unevaluated" if step.kind == ANSWER else "gate_roadmap_reason"
            action += " · " + "; ".join(t(reason, lang, title=gate_title(rubric, gate_id, lang))
                                        for gate_id in step.gates)
        rows.append((number, step.indicator_id, text_in(step.indicator.title, lang), action, current, nxt,
                     step.target, step.gap, descriptor, step.priority))
    styles = ["integer", "text", "wrap", "wrap", "wrap", "wrap", "integer", "integer", "wrap", "decimal"]
    area = sheet.table(headers, rows, styles)
    sheet.column_widths([5, 22, 32, 16, 16, 16, 7, 6, 60, 9])
    sheet.freeze = (2, 4)
    sheet.heights[1] = 30
    sheet.blank()
    # Across the table, not in the narrow first column, where it printed as a one-word strip.
    sheet.line(t("xl_roadmap_note" if rows else "xl_roadmap_done", lang), "note", len(headers))
    if not area.empty:
        sheet.autofilter = Area(1, 1, area.last_row, area.last_col)


# ----------------------------------------------------------------------------------------- helpers

def _indicators_with_path(rubric: Rubric, lang: str) -> list[tuple[Indicator, str]]:
    """Indicators in rubric order with the titles of the nodes above them (`Dimension › Sub`)."""
    found: list[tuple[Indicator, str]] = []

    def walk(node: Node, path: tuple[str, ...]) -> None:
        here = (*path, text_in(node.title, lang))
        for child in node.dimensions:
            walk(child, here)
        found.extend((indicator, " › ".join(here)) for indicator in node.indicators)

    for top in rubric.dimensions:
        walk(top, ())
    return found


def _nan_none(value: float) -> float | None:
    return None if value != value else float(value)


def _int_or_none(value: float) -> int | None:
    return None if value != value else int(value)
