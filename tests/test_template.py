"""The blank questionnaire workbook, reopened with openpyxl: sheets, stamp, texts, drop-downs, protection, print."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import openpyxl
import pytest
from conftest import DATA

from toolkit.i18n import t
from toolkit.io.template import (
    COVER_FIELDS,
    FIRST_ROW,
    INPUTS,
    INSTRUCTIONS,
    build_questionnaire,
    column_letters,
    columns,
    cover_cell,
    questionnaire_bytes,
    write_questionnaire,
)
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import Rubric, text_in

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
INDICATORS = list(RUBRIC.indicators())
LETTER = column_letters(RUBRIC)


def reopen(rubric: Rubric = RUBRIC, language: str = "en") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(questionnaire_bytes(rubric, language)))


@pytest.fixture(scope="module", params=["en", "id"])
def workbook(request: pytest.FixtureRequest) -> tuple[str, openpyxl.Workbook]:
    return request.param, reopen(language=request.param)


def test_sheets_and_the_hidden_stamp(workbook: tuple[str, openpyxl.Workbook]) -> None:
    language, wb = workbook
    names = {"en": ["Cover", "Questionnaire", "About"], "id": ["Sampul", "Kuesioner", "About"]}[language]
    assert wb.sheetnames == names
    assert [ws.sheet_state for ws in wb] == ["visible", "visible", "hidden"]
    assert wb.active.title == names[0]
    about = {row[0]: row[1] for row in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about == {"format": "ddmt-questionnaire", "format_version": 1, "rubric_id": "digital-diplomacy",
                     "rubric_version": "1.0.0", "language": language, "generator": "ddmt 0.1.0"}
    props = {prop.name: prop.value for prop in wb.custom_doc_props}
    assert props["ddmt.rubric_id"] == "digital-diplomacy" and props["ddmt.rubric_version"] == "1.0.0"
    assert props["ddmt.language"] == language
    assert wb.defined_names["ddmt_rubric_version"].attr_text == "About!$B$5"
    assert wb.security.lockStructure


def test_one_row_per_indicator_with_every_descriptor(workbook: tuple[str, openpyxl.Workbook]) -> None:
    language, wb = workbook
    ws = wb.worksheets[1]
    assert [cell.value for cell in ws[1]] == [column.header for column in columns(RUBRIC, language)]
    ids = [ws[f"{LETTER['indicator']}{row}"].value for row in range(FIRST_ROW, FIRST_ROW + len(INDICATORS))]
    assert ids == [indicator.id for indicator in INDICATORS]
    assert ws.max_row == FIRST_ROW + len(INDICATORS) - 1
    for row, indicator in enumerate(INDICATORS, FIRST_ROW):
        assert ws[f"{LETTER['question']}{row}"].value == text_in(indicator.question, language)
        assert ws[f"{LETTER['title']}{row}"].value == text_in(indicator.title, language)
        if indicator.is_metric:
            assert ws[f"{LETTER['unit']}{row}"].value == text_in(indicator.unit, language)
            note = ws[f"{LETTER['level_0']}{row}"].value
            assert note.startswith(t("qn_metric_note", language, unit="", scoring="").split("{")[0][:6])
            assert f"{LETTER['level_0']}{row}:{LETTER['level_4']}{row}" in {str(r) for r in ws.merged_cells.ranges}
        else:
            for level in RUBRIC.scale:
                cell = ws[f"{LETTER[f'level_{level.value}']}{row}"]
                assert cell.value == text_in(indicator.levels[level.value].descriptor, language)
                assert cell.comment is not None  # the evidence hint
    headers = [cell.value for cell in ws[1]]
    assert t("qn_col_level", language, value=3, label=text_in(RUBRIC.scale[3].label, language)) in headers


def test_metric_note_gives_the_goalposts() -> None:
    ws = reopen().worksheets[1]
    row = FIRST_ROW + [indicator.id for indicator in INDICATORS].index("cri.first_statement_hours")
    assert ws[f"{LETTER['level_0']}{row}"].value == (
        "Metric: type the measured number in hours. 1 or less scores 100; 24 or more scores 0.")


def _validations(ws: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row in cell_range.rows:
                for cell in row:
                    found.setdefault(f"{openpyxl.utils.get_column_letter(cell[1])}{cell[0]}", []).append(validation)
    return found


def test_drop_downs_on_every_input(workbook: tuple[str, openpyxl.Workbook]) -> None:
    language, wb = workbook
    ws = wb.worksheets[1]
    found = _validations(ws)
    yes, no = t("qn_yes", language), t("qn_no", language)
    confidences = ",".join(t(f"qn_{code}", language) for code in ("high", "medium", "low"))
    for row, indicator in enumerate(INDICATORS, FIRST_ROW):
        (answer,) = found[f"{LETTER['answer']}{row}"]
        if indicator.is_metric:
            assert (answer.type, answer.operator) == ("decimal", "between")
        else:
            assert (answer.type, answer.formula1) == ("list", '"0,1,2,3,4"')
        assert [v.formula1 for v in found[f"{LETTER['target']}{row}"]] == ['"0,1,2,3,4"']
        assert [v.formula1 for v in found[f"{LETTER['confidence']}{row}"]] == [f'"{confidences}"']
        assert [v.formula1 for v in found[f"{LETTER['na']}{row}"]] == [f'"{yes},{no}"']
        for key in ("answer", "target", "confidence", "na"):
            (validation,) = found[f"{LETTER[key]}{row}"]
            assert validation.showErrorMessage and validation.allow_blank and not validation.showDropDown
            assert validation.error and validation.prompt


def test_only_inputs_are_unlocked(workbook: tuple[str, openpyxl.Workbook]) -> None:
    _, wb = workbook
    cover, ws, about = wb.worksheets
    for sheet in (cover, ws, about):
        assert sheet.protection.sheet and not sheet.protection.password
    for row in range(FIRST_ROW, FIRST_ROW + len(INDICATORS)):
        for column in columns(RUBRIC, "en"):
            cell = ws[f"{LETTER[column.key]}{row}"]
            assert cell.protection.locked is (column.key not in INPUTS), cell.coordinate
    assert [cover[cover_cell(field)].protection.locked for field in COVER_FIELDS] == [False] * len(COVER_FIELDS)
    assert cover["A4"].protection.locked and ws["A1"].protection.locked


def test_layout_frozen_sized_printable(workbook: tuple[str, openpyxl.Workbook]) -> None:
    _, wb = workbook
    cover, ws, _ = wb.worksheets
    assert ws.freeze_panes == "D2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    for column in columns(RUBRIC, "en"):
        assert ws.column_dimensions[LETTER[column.key]].width == column.width
    assert all(ws.row_dimensions[row].height for row in range(FIRST_ROW, FIRST_ROW + len(INDICATORS)))
    assert cover.page_setup.orientation == "portrait" and cover.column_dimensions["B"].width == 48
    assert ws["A1"].style == "ddmt header" and ws[f"{LETTER['answer']}2"].style == "ddmt input"
    assert {"ddmt header", "ddmt input", "ddmt text", "ddmt muted"} <= set(wb.named_styles)


def test_cover_fields_and_instructions_in_the_language(workbook: tuple[str, openpyxl.Workbook]) -> None:
    language, wb = workbook
    cover = wb.worksheets[0]
    labels = [cover[cover_cell(field).replace("B", "A")].value for field in COVER_FIELDS]
    assert labels[0] == t("qn_field_ministry_name", language) + " *"
    assert labels[2] == t("qn_field_ministry_id", language)
    texts = [cell.value for cell in cover["A"] if isinstance(cell.value, str)]
    for number, key in enumerate(INSTRUCTIONS, 1):
        assert f"{number}. " + t(key, language, sheet=wb.sheetnames[1]) in texts
    assert cover["A1"].value == t("qn_title", language, rubric=text_in(RUBRIC.title, language))


def test_languages_differ_and_unknown_ones_are_refused() -> None:
    english, indonesian = reopen(language="en").worksheets[1], reopen(language="id").worksheets[1]
    assert english["D2"].value != indonesian["D2"].value
    with pytest.raises(ValueError):
        build_questionnaire(RUBRIC, "fr")


def test_no_text_becomes_a_formula() -> None:
    """A hostile rubric's texts stay text: the template has no formula cell at all."""
    doc = json.loads((DATA / "rubrics" / "mini.json").read_text(encoding="utf-8"))
    hostile = copy.deepcopy(doc)
    hostile["title"] = {"en": "=cmd|' /C calc'!A0", "id": "+1+1"}
    first = hostile["dimensions"][0]
    first["title"] = {"en": "@SUM(1,2)", "id": "-2+3"}
    rubric = Rubric.from_dict(hostile)
    for language in ("en", "id"):
        wb = reopen(rubric, language)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
        assert wb.worksheets[0]["A1"].value.startswith(("=cmd", "+1+1"))


def test_nested_dimensions_show_their_path() -> None:
    mini = Rubric.from_dict(json.loads((DATA / "rubrics" / "mini.json").read_text(encoding="utf-8")))
    ws = reopen(mini).worksheets[1]
    dimensions = {ws[f"A{row}"].value for row in range(FIRST_ROW, ws.max_row + 1)}
    assert "Dimension A › Sub-dimension A" in dimensions


def test_write_to_a_path(tmp_path: Any) -> None:
    target = tmp_path / "q.xlsx"
    write_questionnaire(RUBRIC, target, "id")
    assert openpyxl.load_workbook(target).sheetnames == ["Sampul", "Kuesioner", "About"]
