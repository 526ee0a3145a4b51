"""The Respondents sheet of the consultant workbook (SPEC 12): who answered what, alpha, and how it was resolved.

For a team round only: each respondent (name, unit, submitted), Krippendorff's alpha (ordinal)
overall and per top-level dimension, then one row per level indicator some respondent answered:
each respondent's level, the range, the flag (a range of two levels or more) and the consolidated
level, with the respondents whose level it is (or "own" when it is nobody's: the facilitator's own).
The widest ranges come first, as on the app's consolidation page.
"""

from __future__ import annotations

from toolkit.i18n import t
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric, text_in
from toolkit.reports import parts
from toolkit.reports.model import Area, Cell, Workbook
from toolkit.research.agreement import round_agreement


def respondents_sheet(book: Workbook, assessment: Assessment, rubric: Rubric, lang: str, header: str,
                      footer: str) -> None:
    """Add the sheet when the round has responses; nothing otherwise."""
    if not assessment.responses:
        return
    result = round_agreement(rubric, assessment)
    sheet = book.add_sheet(t("xl_sheet_respondents", lang))
    parts.setup_print(sheet, header, footer, None)
    people = assessment.responses
    sheet.line(t("agreement_title", lang), "subtitle", 4)
    sheet.table([t("consolidate_respondent", lang), t("xl_respondent_id", lang), t("respond_invite_unit", lang),
                 t("xl_respondent_submitted", lang)],
                [[item.respondent.name, item.respondent.id, item.respondent.unit or parts.DASH,
                  item.submitted_at or parts.DASH] for item in people], ["wrap", "text", "wrap", "text"])
    sheet.blank()
    titles = {node.id: text_in(node.title, lang) for node in rubric.dimensions}
    sheet.table([t("agreement_scope", lang), t("agreement_alpha", lang)],
                [[t("agreement_overall", lang), _alpha(result.overall)],
                 *([titles[key], _alpha(value)] for key, value in result.dimensions.items())], ["wrap", "decimal"])
    sheet.line(t("agreement_caption", lang, level=t("agreement_level_ordinal", lang), respondents=len(people)),
               "note", 4)
    sheet.blank()
    headers = [t("xl_id", lang), t("agreement_indicator", lang), *(item.respondent.name for item in people),
               t("agreement_range", lang), t("xl_respondent_flag", lang), t("xl_respondent_consolidated", lang),
               t("xl_respondent_from", lang)]
    rows = []
    for spread in result.most_disagreed():
        consolidated = assessment.answer(spread.indicator).level
        same = [who for who, level in spread.levels.items() if level == consolidated]
        source = ", ".join(same) if same else (t("xl_respondent_own", lang) if consolidated is not None else parts.DASH)
        rows.append([spread.indicator, text_in(rubric.indicator(spread.indicator).title, lang),
                     *(spread.levels.get(item.respondent.id, parts.DASH) for item in people),
                     spread.range, "⚑" if spread.flag else "", parts.DASH if consolidated is None else consolidated,
                     source])
    area = sheet.table(headers, rows, ["text", "wrap", *(["integer"] * len(people)), "integer", "text", "integer",
                                       "wrap"])
    sheet.column_widths([24, 34, *([12] * len(people)), 9, 7, 13, 24])
    sheet.heights[area.first_row - 1] = 30
    if not area.empty:
        sheet.autofilter = Area(area.first_row - 1, 1, area.last_row, area.last_col)


def _alpha(value: float | None) -> Cell:
    return Cell(parts.DASH, "text") if value is None else Cell(value, "decimal")
