"""The blank questionnaire workbook: a rubric's indicators to be answered offline, then imported back.

Three sheets: a cover (the ministry, the round, and how to fill it in), the questionnaire (one row
per indicator: the question and every level descriptor visible, then the yellow input cells with
drop-downs), and a hidden "About" sheet stamping the format, the rubric id and version and the
language, which `toolkit.io.imports` reads first. The same stamp is in the workbook's custom properties
and defined names (`ddmt_rubric_id`, ...), for anyone looking from outside.

A questionnaire may be made for one respondent of a team round (SPEC 12, `RespondentCopy`): the stamp
then also names the round, the ministry and the respondent (`round_id`, `ministry_id`,
`respondent_id`, `respondent_name`, `respondent_unit`), the cover is filled from the round and
locked, and `toolkit.io.respondent_import` brings the filled copy back as that respondent's response.

Only the input cells are unlocked; the sheets are protected without a password and the workbook's
structure is locked, so nothing moves by accident. The layout (sheet names, columns, cover rows) is
public here because the importer reads by it: change it only together with `FORMAT_VERSION`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from toolkit import __version__
from toolkit.i18n import LANGUAGES, t
from toolkit.model.assessment import Ministry, Respondent
from toolkit.model.rubric import Indicator, Node, Rubric, text_in
from toolkit.safe import safe_text, write_text

FORMAT = "ddmt-questionnaire"
FORMAT_VERSION = 1
ABOUT_SHEET = "About"
HEADER_ROW = 1
FIRST_ROW = 2
COVER_FIRST_ROW = 4
COVER_INPUT_COLUMN = "B"
COVER_FIELDS = ("ministry_name", "country", "ministry_id", "iso3", "region", "period", "date", "assessors")
REQUIRED_FIELDS = frozenset({"ministry_name", "country", "period"})
INPUTS = ("answer", "target", "confidence", "na", "na_reason", "evidence", "notes")
CONFIDENCES = ("high", "medium", "low")
INSTRUCTIONS = tuple(f"qn_how_{number}" for number in range(1, 10))

_WIDTHS = {"dimension": 18, "indicator": 27, "title": 24, "question": 46, "unit": 12, "level": 36,
           "answer": 17, "target": 12, "confidence": 14, "na": 13, "na_reason": 28, "evidence": 40, "notes": 30}
_LINE_HEIGHT = 15.0  # points per line of 11-point text
_MAX_ROW_HEIGHT = 409.0  # Excel's limit
_COMMENT_SIZE = (360, 200)  # width and height of a comment box, in points


@dataclass(frozen=True)
class Column:
    """One questionnaire column: its key (`level_0`, `answer`, ...), header text and width."""

    key: str
    header: str
    width: float


@dataclass(frozen=True)
class RespondentCopy:
    """Who a questionnaire is for: one respondent of one round, whose cover the round fills and locks."""

    round_id: str
    ministry: Ministry
    period: str
    respondent: Respondent

    def stamp(self) -> dict[str, str]:
        """The About sheet's extra keys (the importer checks each against the round and the mirrors)."""
        return {"round_id": self.round_id, "ministry_id": self.ministry.id, "respondent_id": self.respondent.id,
                "respondent_name": self.respondent.name, "respondent_unit": self.respondent.unit or ""}

    def cover(self) -> dict[str, str]:
        """The cover's values, field by field, as the round gives them."""
        who = self.respondent.name + (f" ({self.respondent.unit})" if self.respondent.unit else "")
        return {"ministry_name": self.ministry.name, "country": self.ministry.country,
                "ministry_id": self.ministry.id, "iso3": self.ministry.iso3 or "", "region": self.ministry.region or "",
                "period": self.period, "date": "", "assessors": who}


def sheet_names(language: str) -> tuple[str, str]:
    """The cover and questionnaire sheet names in `language`."""
    return t("qn_sheet_cover", language), t("qn_sheet_questionnaire", language)


def columns(rubric: Rubric, language: str) -> list[Column]:
    """The questionnaire's columns, left to right: what is asked, one column per level, then the inputs."""
    cols = [Column(key, t(f"qn_col_{key}", language), _WIDTHS[key])
            for key in ("dimension", "indicator", "title", "question", "unit")]
    cols += [Column(f"level_{level.value}", t("qn_col_level", language, value=level.value,
                                              label=text_in(level.label, language)), _WIDTHS["level"])
             for level in rubric.scale]
    cols += [Column(key, t(f"qn_col_{key}", language), _WIDTHS[key]) for key in INPUTS]
    return cols


def column_letters(rubric: Rubric, language: str = "en") -> dict[str, str]:
    """Column key -> letter (`answer` -> `L` for a five-level scale)."""
    return {column.key: get_column_letter(index) for index, column in enumerate(columns(rubric, language), 1)}


def cover_cell(field: str) -> str:
    """The cover cell holding a field's answer, e.g. `B4` for the ministry's name."""
    return f"{COVER_INPUT_COLUMN}{COVER_FIRST_ROW + COVER_FIELDS.index(field)}"


def choices(language: str) -> tuple[dict[bool, str], dict[str, str]]:
    """The N/A choices (True/False -> yes/no) and the confidence labels (code -> label) in `language`."""
    return ({True: t("qn_yes", language), False: t("qn_no", language)},
            {code: t(f"qn_{code}", language) for code in CONFIDENCES})


def indicator_rows(rubric: Rubric, language: str) -> Iterator[tuple[str, Indicator]]:
    """Every indicator in rubric order with its dimension path (`Dimension › Sub-dimension`)."""
    def walk(node: Node, trail: tuple[str, ...]) -> Iterator[tuple[str, Indicator]]:
        trail = (*trail, text_in(node.title, language))
        for child in node.dimensions:
            yield from walk(child, trail)
        for indicator in node.indicators:
            yield " › ".join(trail), indicator
    for top in rubric.dimensions:
        yield from walk(top, ())


def questionnaire_bytes(rubric: Rubric, language: str = "en", respondent: RespondentCopy | None = None) -> bytes:
    """The blank questionnaire as .xlsx bytes (for a download); for one respondent of a round if given."""
    buffer = BytesIO()
    build_questionnaire(rubric, language, respondent).save(buffer)
    return buffer.getvalue()


def write_questionnaire(rubric: Rubric, target: str | os.PathLike[str] | IO[bytes], language: str = "en") -> None:
    """Write the blank questionnaire to a path or a binary stream."""
    build_questionnaire(rubric, language).save(target)


def build_questionnaire(rubric: Rubric, language: str = "en", respondent: RespondentCopy | None = None) -> Workbook:
    """The blank questionnaire workbook for `rubric`, its texts and instructions in `language`."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    wb = Workbook()
    for style in _styles():
        wb.add_named_style(style)
    cover_name, sheet_name = sheet_names(language)
    cover = wb.active
    cover.title = cover_name
    _cover(cover, rubric, language, sheet_name, respondent)
    _questionnaire(wb.create_sheet(sheet_name), rubric, language)
    _about(wb, rubric, language, respondent)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)  # no password: against accidents, not people
    title = text_in(rubric.title, language)
    wb.properties.title = t("qn_title", language, rubric=title)
    wb.properties.creator = f"ddmt {__version__}"
    wb.properties.language = language
    return wb


def _styles() -> list[NamedStyle]:
    """The named styles, defined once and reused by every cell."""
    thin = Side(style="thin", color="B7B7B7")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    top_wrap = Alignment(wrap_text=True, vertical="top")
    return [
        NamedStyle("ddmt title", font=Font(size=16, bold=True, color="1F3864")),
        NamedStyle("ddmt subtitle", font=Font(italic=True, color="595959"), alignment=Alignment(wrap_text=False)),
        NamedStyle("ddmt section", font=Font(bold=True, size=12, color="FFFFFF"),
                   fill=PatternFill("solid", fgColor="1F3864"), alignment=Alignment(vertical="center")),
        NamedStyle("ddmt header", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="1F3864"),
                   border=box, alignment=Alignment(wrap_text=True, vertical="center", horizontal="center")),
        NamedStyle("ddmt text", border=box, alignment=top_wrap),
        NamedStyle("ddmt label", font=Font(bold=True), border=box, alignment=top_wrap),
        NamedStyle("ddmt muted", font=Font(italic=True, color="595959"), fill=PatternFill("solid", fgColor="F2F2F2"),
                   border=box, alignment=top_wrap),
        NamedStyle("ddmt input", fill=PatternFill("solid", fgColor="FFF2CC"), border=box, alignment=top_wrap,
                   protection=Protection(locked=False)),
    ]


def _protect(ws: Worksheet) -> None:
    """Protect a sheet without a password; people may still resize rows and columns."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _print_setup(ws: Worksheet, title: str, language: str, *, landscape: bool, paper: int) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = paper
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.right.text = t("qn_footer", language)


def _cover(ws: Worksheet, rubric: Rubric, language: str, sheet_name: str, respondent: RespondentCopy | None) -> None:
    title = t("qn_title", language, rubric=text_in(rubric.title, language))
    write_text(ws["A1"], title)
    ws["A1"].style = "ddmt title"
    subtitle = t("qn_subtitle", language, id=rubric.id, version=rubric.version)
    if respondent is not None:
        subtitle += " " + t("qn_respondent_subtitle", language, name=respondent.respondent.name,
                            round=respondent.round_id)
    write_text(ws["A2"], subtitle)
    ws["A2"].style = "ddmt subtitle"
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 58
    _section(ws, COVER_FIRST_ROW - 1, t("qn_cover_fields", language))
    iso3 = DataValidation(type="textLength", operator="equal", formula1="3", allow_blank=True,
                          showErrorMessage=True, showInputMessage=True,
                          error=t("qn_prompt_iso3", language), prompt=t("qn_prompt_iso3", language))
    ws.add_data_validation(iso3)
    for field in COVER_FIELDS:
        row = COVER_FIRST_ROW + COVER_FIELDS.index(field)
        label = t(f"qn_field_{field}", language) + (" *" if field in REQUIRED_FIELDS else "")
        write_text(ws.cell(row, 1), label)
        ws.cell(row, 1).style = "ddmt label"
        ws.cell(row, 2).style = "ddmt input"
        if respondent is not None:  # the round's own values, locked like the rest of the metadata
            write_text(ws.cell(row, 2), respondent.cover()[field])
            ws.cell(row, 2).style = "ddmt text"
        write_text(ws.cell(row, 3), t(f"qn_hint_{field}", language))
        ws.cell(row, 3).style = "ddmt muted"
        if field == "iso3":
            iso3.add(cover_cell(field))
        if field == "date":
            ws.cell(row, 2).number_format = "yyyy-mm-dd"
        ws.row_dimensions[row].height = _height(t(f"qn_hint_{field}", language), 58)
    how = COVER_FIRST_ROW + len(COVER_FIELDS) + 1
    _section(ws, how, t("qn_cover_how", language))
    for number, key in enumerate(INSTRUCTIONS, 1):
        row = how + number
        text = f"{number}. " + t(key, language, sheet=sheet_name)
        write_text(ws.cell(row, 1), text)
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = _height(text, 30 + 48 + 58)
    _protect(ws)
    _print_setup(ws, title, language, landscape=False, paper=ws.PAPERSIZE_A4)


def _section(ws: Worksheet, row: int, text: str) -> None:
    for column in (1, 2, 3):
        ws.cell(row, column).style = "ddmt section"
    write_text(ws.cell(row, 1), text)
    ws.row_dimensions[row].height = 20


def _questionnaire(ws: Worksheet, rubric: Rubric, language: str) -> None:
    cols = columns(rubric, language)
    letter = {column.key: get_column_letter(index) for index, column in enumerate(cols, 1)}
    for index, column in enumerate(cols, 1):
        cell = ws.cell(HEADER_ROW, index)
        write_text(cell, column.header)
        cell.style = "ddmt header"
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 64
    validations = _validations(ws, rubric, language)
    for row, (dimension, indicator) in enumerate(indicator_rows(rubric, language), FIRST_ROW):
        texts = _row_texts(rubric, indicator, dimension, language)
        for key, text in texts.items():
            cell = ws[f"{letter[key]}{row}"]
            write_text(cell, text)
            cell.style = "ddmt text"
        if indicator.is_metric:
            first, last = letter[f"level_{rubric.scale[0].value}"], letter[f"level_{rubric.scale[-1].value}"]
            for level in rubric.scale:
                ws[f"{letter[f'level_{level.value}']}{row}"].style = "ddmt muted"
            ws.merge_cells(f"{first}{row}:{last}{row}")
        else:
            _hint_comments(ws, rubric, indicator, row, letter, language)
        if indicator.guidance:
            ws[f"{letter['question']}{row}"].comment = _comment(
                t("qn_guidance", language) + ": " + text_in(indicator.guidance, language))
        for key in INPUTS:
            ws[f"{letter[key]}{row}"].style = "ddmt input"
        validations["value" if indicator.is_metric else "level"].add(f"{letter['answer']}{row}")
        for key in ("target", "confidence", "na"):
            validations[key].add(f"{letter[key]}{row}")
        # A metric's note spans the merged level columns.
        span = len(rubric.scale) if indicator.is_metric else 1
        ws.row_dimensions[row].height = max(
            _height(text, _WIDTHS["level"] * span if key.startswith("level_") else _WIDTHS[key])
            for key, text in texts.items())
    ws.freeze_panes = f"{letter['question']}{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _protect(ws)
    _print_setup(ws, t("qn_title", language, rubric=text_in(rubric.title, language)), language,
                 landscape=True, paper=ws.PAPERSIZE_A3)


def _row_texts(rubric: Rubric, indicator: Indicator, dimension: str, language: str) -> dict[str, str]:
    """What one indicator's row shows, by column key (inputs excluded)."""
    texts = {"dimension": dimension, "indicator": indicator.id, "title": text_in(indicator.title, language),
             "question": text_in(indicator.question, language)}
    if indicator.is_metric:
        unit = text_in(indicator.unit, language)
        texts["unit"] = unit
        texts[f"level_{rubric.scale[0].value}"] = t("qn_metric_note", language, unit=unit,
                                                     scoring=_scoring(indicator, language)).strip()
    else:
        for level in rubric.scale:
            text = indicator.levels.get(level.value)
            texts[f"level_{level.value}"] = text_in(text.descriptor, language) if text else ""
    return texts


def _scoring(indicator: Indicator, language: str) -> str:
    if indicator.goalposts is None:
        return ""
    low, high = (f"{bound:g}" for bound in indicator.goalposts)
    return t("qn_metric_higher" if indicator.direction > 0 else "qn_metric_lower", language, low=low, high=high)


def _hint_comments(ws: Worksheet, rubric: Rubric, indicator: Indicator, row: int, letter: dict[str, str],
                   language: str) -> None:
    for level in rubric.scale:
        text = indicator.levels.get(level.value)
        hint = text_in(text.evidence_hint, language) if text else ""
        if hint:
            ws[f"{letter[f'level_{level.value}']}{row}"].comment = _comment(
                t("qn_evidence_hint", language) + ": " + hint)


def _comment(text: str) -> Comment:
    comment = Comment(safe_text(text, limit=4000), f"ddmt {__version__}")
    comment.width, comment.height = _COMMENT_SIZE
    return comment


def _validations(ws: Worksheet, rubric: Rubric, language: str) -> dict[str, DataValidation]:
    """The drop-downs and number checks of the input columns, each added to the sheet once."""
    low, high = rubric.scale[0].value, rubric.scale[-1].value
    levels = ",".join(str(level.value) for level in rubric.scale)
    yes_no, confidence = choices(language)

    def listed(items: str, prompt: str, error: str) -> DataValidation:
        return DataValidation(type="list", formula1=f'"{items}"', allow_blank=True, showErrorMessage=True,
                              showInputMessage=True, prompt=prompt, error=error)

    found = {
        "level": listed(levels, t("qn_prompt_level", language, low=low, high=high),
                        t("qn_error_level", language, low=low, high=high)),
        "value": DataValidation(type="decimal", operator="between", formula1="-1000000000000",
                                formula2="1000000000000", allow_blank=True, showErrorMessage=True,
                                showInputMessage=True, prompt=t("qn_prompt_value", language),
                                error=t("qn_error_value", language)),
        "target": listed(levels, t("qn_prompt_target", language, low=low, high=high),
                         t("qn_error_level", language, low=low, high=high)),
        "confidence": listed(",".join(confidence.values()), t("qn_prompt_confidence", language),
                             t("qn_error_choice", language, choices=", ".join(confidence.values()))),
        "na": listed(f"{yes_no[True]},{yes_no[False]}", t("qn_prompt_na", language),
                     t("qn_error_choice", language, choices=f"{yes_no[True]}, {yes_no[False]}")),
    }
    for validation in found.values():
        ws.add_data_validation(validation)
    return found


def _about(wb: Workbook, rubric: Rubric, language: str, respondent: RespondentCopy | None = None) -> None:
    """The hidden stamp the importer reads first, mirrored in custom properties and defined names."""
    ws = wb.create_sheet(ABOUT_SHEET)
    stamp: dict[str, str | int] = {**about_stamp(rubric, language), **(respondent.stamp() if respondent else {})}
    write_text(ws["A1"], "key")
    write_text(ws["B1"], "value")
    for row, (key, value) in enumerate(stamp.items(), 2):
        write_text(ws.cell(row, 1), key)
        if isinstance(value, int):
            ws.cell(row, 2).value = value
        else:
            write_text(ws.cell(row, 2), value)
        wb.defined_names[f"ddmt_{key}"] = DefinedName(f"ddmt_{key}", attr_text=f"{ABOUT_SHEET}!$B${row}")
        prop = IntProperty if isinstance(value, int) else StringProperty
        wb.custom_doc_props.append(prop(name=f"ddmt.{key}", value=value))
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    ws.sheet_state = "hidden"
    _protect(ws)


def about_stamp(rubric: Rubric, language: str) -> dict[str, str | int]:
    """What the About sheet records, key by key (the importer checks each)."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "rubric_id": rubric.id,
            "rubric_version": rubric.version, "language": language, "generator": f"ddmt {__version__}"}


def _height(text: str, width: float) -> float:
    """A row height that shows `text` wrapped in a column `width` characters wide."""
    # Conservative: wrapping breaks at words, and the font may be wider than Calibri's.
    per_line = max(width * 0.95, 1)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in (text or "").split("\n"))
    return min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 6)
