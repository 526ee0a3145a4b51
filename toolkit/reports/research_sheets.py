"""The research sheets of the comparison workbook: Sensitivity and Consistency (SPEC sections 5 and 8).

Both read the JSON shapes of `ddmt compare` (SPEC 6): `sensitivity` as `Sensitivity.to_dict()` and
`consistency` as `toolkit.research.tidy.consistency_record`, so the command line (which has that object
already) and the app (which converts its results) write the same sheets. Warnings are rendered
again from their code and values in the workbook's language; dimensions and indicators are named
by their titles, with their ids beside them for whoever goes on to the JSON or CSV.

Sensitivity: the leave-one-out table (left) and the Sobol table (right) side by side under one
frozen header row, the settings and how to read them below. Consistency: warnings first, then
Cronbach's alpha per dimension, the correlation matrix of the overall and top-level dimension
scores on a fixed -1..1 colour scale, and the coverage of every indicator with its correlation with
its own dimension.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from toolkit.i18n import t
from toolkit.model.rubric import Rubric
from toolkit.reports import parts
from toolkit.reports.model import Area, Cell, ColourScale, Sheet, Workbook
from toolkit.research.consistency import subject_names, warning_message
from toolkit.research.uncertainty import INPUTS

# Diverging scale for correlations (red negative, white none, blue positive), and the alpha scale
# (red at 0, amber at the threshold, green at 1).
CORRELATION_SCALE = {"low": -1.0, "mid": 0.0, "high": 1.0, "low_colour": "F8696B", "mid_colour": "FFFFFF",
                     "high_colour": "5A8AC6"}
GOOD_LOW = {"low_colour": "63BE7B", "mid_colour": "FFEB84", "high_colour": "F8696B"}  # 0 is best
NUMBER_WIDTH = 15
NOTE_SPAN = 11
HEADER_CHARS = 0.9  # bold header characters per unit of column width, less the indent: wraps early


def _fit_header(sheet: Sheet, row: int) -> None:
    """Set a header row tall enough for its wrapped labels (the writer's estimate is for body text)."""
    lines = 1
    for col, cell in enumerate(sheet.rows[row - 1], 1):
        if cell.style == "header" and isinstance(cell.value, str):
            per_line = max(int((sheet.widths.get(col, 8.43) - 2) * HEADER_CHARS), 1)
            words, count, used = cell.value.split(), 1, 0
            for word in words:  # greedy word wrap, as a spreadsheet does
                if used and used + 1 + len(word) > per_line:
                    count, used = count + 1, len(word)
                else:
                    used += (1 if used else 0) + len(word)
            lines = max(lines, count)
    sheet.heights[row] = round(lines * 10 * 1.3 + 4, 1)


def sensitivity_sheet(book: Workbook, sensitivity: Mapping[str, Any], rubric: Rubric, assessments: int,
                      lang: str, header: str, footer: str) -> Sheet:
    """Leave-one-out (node, mean absolute rank change) and Sobol indices with their bootstrap intervals."""
    sheet = book.add_sheet(t("xl_sheet_sensitivity", lang))
    parts.setup_print(sheet, header, footer, 2)
    names = subject_names(rubric, lang)
    loo = list(sensitivity["leave_one_out"].items())
    sobol = list(sensitivity["sobol"].items())
    gap = 4  # the Sobol table starts in column E, one empty column after the leave-one-out table
    sheet.append(Cell(t("xl_loo_heading", lang, depth=sensitivity["depth"]), "subtitle"), Cell(None, "subtitle"),
                 Cell(None, "subtitle"), Cell(None),
                 Cell(t("xl_sobol_heading", lang, samples=sensitivity["samples"]), "subtitle"),
                 *[Cell(None, "subtitle")] * 6)
    sheet.merges += [Area(1, 1, 1, 3), Area(1, gap + 1, 1, gap + 7)]
    first, total = t("research_sobol_first", lang), t("research_sobol_total", lang)
    heads = [t("xl_id", lang), t("research_loo_node", lang), t("research_loo_change", lang), None,
             t("research_sobol_input", lang), first, t("research_sobol_low", lang, name=first),
             t("research_sobol_high", lang, name=first), total, t("research_sobol_low", lang, name=total),
             t("research_sobol_high", lang, name=total)]
    sheet.append(*[Cell(h, "header") if h is not None else Cell() for h in heads])
    for k in range(max(len(loo), len(sobol))):
        row: list[Cell] = [Cell(), Cell(), Cell(), Cell()]
        if k < len(loo):
            node, change = loo[k]
            row[:3] = [Cell(node, "text"), Cell(names.get(node, node), "wrap"), Cell(change, "weight")]
        if k < len(sobol):
            name, index = sobol[k]
            label = t(f"research_input_{name}", lang) if name in INPUTS else name
            row += [Cell(label, "wrap"), Cell(index["first"], "weight"), Cell(index["first_ci"][0], "weight"),
                    Cell(index["first_ci"][1], "weight"), Cell(index["total"], "weight"),
                    Cell(index["total_ci"][0], "weight"), Cell(index["total_ci"][1], "weight")]
        sheet.append(*row)
    if loo:
        # 0 (no rank moved) green, half the field amber, the whole field red.
        worst = max(assessments - 1, 1)
        sheet.colour_scales.append(ColourScale(Area(3, 3, 2 + len(loo), 3), low=0, mid=worst / 2, high=worst,
                                               **GOOD_LOW))
    sheet.freeze = (3, 1)
    sheet.column_widths([24, 34, NUMBER_WIDTH, 3, 26] + [NUMBER_WIDTH] * 6)
    _fit_header(sheet, 2)
    sheet.blank()
    sheet.line(t("xl_sensitivity_settings", lang, samples=sensitivity["samples"], seed=sensitivity["seed"],
                 spread=sensitivity["spread"], depth=sensitivity["depth"]), "note", NOTE_SPAN)
    sheet.line(t("xl_loo_note", lang), "note", NOTE_SPAN)
    sheet.line(t("xl_sobol_note", lang), "note", NOTE_SPAN)
    return sheet


def consistency_sheet(book: Workbook, consistency: Mapping[str, Any], rubric: Rubric, lang: str,
                      header: str, footer: str) -> Sheet:
    """Warnings, Cronbach's alpha per dimension, dimension correlations and indicator coverage."""
    sheet = book.add_sheet(t("xl_sheet_consistency", lang))
    parts.setup_print(sheet, header, footer, None)
    names = subject_names(rubric, lang)
    settings = consistency["settings"]
    span = max(9, 2 + len(_matrix_keys(consistency, rubric)))  # the coverage table, or the matrix if wider
    sheet.column_widths([24, 40, 22] + [NUMBER_WIDTH] * (span - 3))
    sheet.line(t("consistency_title", lang), "title", span)
    sheet.line(t("consistency_scope", lang, count=consistency["assessments"],
                 periods=", ".join(consistency["periods"]) or parts.DASH), "subtitle", span)
    sheet.blank()

    sheet.line(t("consistency_warnings", lang), "subtitle", span)
    warnings = consistency["warnings"]
    for item in warnings:
        sheet.line(warning_message(item["code"], item["subject"], item["values"], lang, names), "warning", span)
    if not warnings:
        sheet.line(t("consistency_no_warnings", lang), "note", span)
    sheet.blank()

    _alpha_table(sheet, consistency, names, lang, span)
    sheet.blank()
    _correlation_table(sheet, consistency, rubric, names, lang, span)
    sheet.blank()
    _coverage_table(sheet, consistency, names, lang, span)
    sheet.blank()
    sheet.line(t("xl_consistency_note", lang, min_pairs=settings["min_pairs"], threshold=settings["alpha_threshold"]),
               "note", span)
    return sheet


def _alpha_table(sheet: Sheet, consistency: Mapping[str, Any], names: Mapping[str, str], lang: str,
                 span: int) -> None:
    threshold = consistency["settings"]["alpha_threshold"]
    sheet.line(t("consistency_alpha_title", lang, threshold=threshold), "subtitle", span)
    rows = [(node, "  " * (item["depth"] - 1) + names.get(node, node), item["depth"], item["indicators"],
             item["assessments"], item["alpha"]) for node, item in consistency["alpha"].items()]
    area = sheet.table([t("xl_id", lang), t("dimension", lang), t("xl_depth", lang),
                        t("consistency_indicators", lang), t("consistency_assessments_used", lang),
                        t("consistency_alpha", lang)], rows,
                       ["text", "wrap", "integer", "integer", "integer", "decimal"])
    _fit_header(sheet, area.first_row - 1)
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 6, area.last_row, 6), low=0, mid=threshold,
                                           high=1))
    if not rows:
        sheet.line(t("xl_alpha_none", lang), "note", span)


def _correlation_table(sheet: Sheet, consistency: Mapping[str, Any], rubric: Rubric, names: Mapping[str, str],
                       lang: str, span: int) -> None:
    sheet.line(t("consistency_corr_chart", lang), "subtitle", span)
    matrix = consistency["correlations"]["nodes"]
    shown = _matrix_keys(consistency, rubric)
    label = {key: t("overall", lang) if key == "overall" else names.get(key, key) for key in shown}
    rows = [(key, label[key], *[matrix[key][other] for other in shown]) for key in shown]
    area = sheet.table([t("xl_id", lang), t("dimension", lang), *[label[key] for key in shown]], rows,
                       ["text", "wrap", *["weight"] * len(shown)])
    _fit_header(sheet, area.first_row - 1)
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 3, area.last_row, area.last_col),
                                           **CORRELATION_SCALE))
    sheet.line(t("consistency_corr_note", lang, min_pairs=consistency["settings"]["min_pairs"]), "note", span)


def _matrix_keys(consistency: Mapping[str, Any], rubric: Rubric) -> list[str]:
    """The rows (and columns) of the correlation matrix shown: the overall and the top-level dimensions."""
    top = {node.id for node in rubric.dimensions}
    return [key for key in consistency["correlations"]["nodes"] if key == "overall" or key in top]


def _coverage_table(sheet: Sheet, consistency: Mapping[str, Any], names: Mapping[str, str], lang: str,
                    span: int) -> None:
    sheet.line(t("consistency_coverage_title", lang), "subtitle", span)
    crossed = consistency["correlations"]["indicator_nodes"]
    rows: Sequence[tuple[Any, ...]] = [
        (indicator, names.get(indicator, indicator), names.get(item["node"], item["node"]), item["answered"],
         item["missing"], item["na"], item["coverage"], item["coverage_applicable"],
         crossed.get(indicator, {}).get(item["node"]))
        for indicator, item in consistency["coverage"].items()]
    area = sheet.table([t("xl_id", lang), t("xl_indicator", lang), t("dimension", lang),
                        t("xl_status_answered", lang), t("xl_status_missing", lang), t("xl_status_na", lang),
                        t("consistency_share", lang), t("consistency_share_applicable", lang),
                        t("consistency_r_dimension", lang)], rows,
                       ["text", "wrap", "wrap", "integer", "integer", "integer", "percent", "percent", "weight"])
    _fit_header(sheet, area.first_row - 1)
    share = consistency["settings"]["min_share"]
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 7, area.last_row, 8), low=0, mid=share, high=1))
    sheet.colour_scales.append(ColourScale(Area(area.first_row, 9, area.last_row, 9), **CORRELATION_SCALE))
