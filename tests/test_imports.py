"""Imports from outside: the questionnaire round trip, the bad-workbook corpus, answers CSV both ways, JSON,
and the `ddmt template` / `ddmt import` / `ddmt answers` commands."""

from __future__ import annotations

import argparse
import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
import pytest
from conftest import DATA, REPO
from defusedxml import EntitiesForbidden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_scale import examples
from test_workbook_guard import corpus

from toolkit.cli import commands
from toolkit.cli import imports as commands_imports
from toolkit.cli import main as cli
from toolkit.errors import DocumentError
from toolkit.io import imports, respondent_copies, workbook_guard
from toolkit.io.answers_csv import answers_to_csv, import_answers_csv
from toolkit.io.fields import CODES as IMPORT_CODES
from toolkit.io.imports import import_file, import_json, import_workbook
from toolkit.i18n import t
from toolkit.io import template as layout
from toolkit.io.template import column_letters, cover_cell, questionnaire_bytes
from toolkit.issues import Report
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_rubric, validate_assessment
from toolkit.model.validation import CODES as VALIDATION_CODES
from toolkit.safe import FORMULA_TRIGGERS, safe_text, write_text

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
SAMPLES = sorted((REPO / "sample_ministries").glob("*.json"))
BASE = json.loads((REPO / "sample_ministries" / "belmara-mfa-2025.json").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 4, 1)
HEADER = "indicator,level,value,na,na_reason,target,confidence,notes,evidence\n"


def problems(call: Callable[[], Any]) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        call()
    return [str(issue) for issue in caught.value.issues]


def blank(language: str = "en") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(questionnaire_bytes(RUBRIC, language)))


def rows_by_id(sheet: Any) -> dict[str, int]:
    letter = column_letters(RUBRIC)["indicator"]
    return {cell.value: cell.row for cell in sheet[letter][1:] if cell.value}


def saved(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def fill(language: str) -> bytes:
    """A questionnaire filled as a ministry would: cover, levels, N/A with a reason, evidence, metrics."""
    yes, high, medium = {"en": ("yes", "high", "medium"), "id": ("ya", "tinggi", "sedang")}[language]
    wb = blank(language)
    cover, sheet = wb.worksheets[0], wb.worksheets[1]
    cover[cover_cell("ministry_name")] = "Ministry of Foreign Affairs of Ruritania"
    cover[cover_cell("country")] = "Ruritania"
    cover[cover_cell("ministry_id")] = "ruritania-mfa"
    cover[cover_cell("iso3")] = "xrr"
    cover[cover_cell("region")] = "Central Plateau"
    cover[cover_cell("period")] = 2026
    cover[cover_cell("date")] = dt.date(2026, 3, 31)
    cover[cover_cell("assessors")] = "Director, Public Diplomacy; Head, Crisis Centre"
    col, row = column_letters(RUBRIC), rows_by_id(sheet)

    def put(indicator: str, **values: Any) -> None:
        for key, value in values.items():
            sheet[f"{col[key]}{row[indicator]}"] = value

    put("ins.official_accounts", answer=3, target=4, confidence=high,
        evidence="https://mfa.ruritania.example/accounts Account inventory\nInternal memo of 2026-02-01",
        notes="Nine handles still belong to former ambassadors.")
    put("ins.visual_storytelling", na=yes, na_reason="No visual unit: the presidency produces all visuals")
    put("cri.first_statement_hours", answer=4.5, confidence=medium)
    put("res.audience_concentration", answer=60)
    put("eth.attribution", answer=0)
    put("gov.strategy", answer="2")
    write_text(sheet[f"{col['notes']}{row['gov.strategy']}"], "=not a formula, typed as text")
    return saved(wb)


def expected_document(language: str) -> dict[str, Any]:
    return {
        "kind": "assessment", "format_version": 1, "id": "ruritania-mfa-2026",
        "rubric": {"id": "digital-diplomacy", "version": "1.0.0"},
        "ministry": {"id": "ruritania-mfa", "name": "Ministry of Foreign Affairs of Ruritania",
                     "country": "Ruritania", "iso3": "XRR", "region": "Central Plateau"},
        "period": "2026", "date": "2026-03-31", "status": "submitted",
        "assessors": ["Director, Public Diplomacy", "Head, Crisis Centre"], "language": language,
        "answers": {
            "ins.official_accounts": {
                "level": 3, "target": 4, "confidence": "high",
                "notes": "Nine handles still belong to former ambassadors.",
                "evidence": [{"kind": "url", "value": "https://mfa.ruritania.example/accounts",
                              "description": "Account inventory"},
                             {"kind": "text", "value": "Internal memo of 2026-02-01"}]},
            "ins.visual_storytelling": {"na": True,
                                        "na_reason": "No visual unit: the presidency produces all visuals"},
            "cri.first_statement_hours": {"value": 4.5, "confidence": "medium"},
            "res.audience_concentration": {"value": 60},
            "eth.attribution": {"level": 0},
            "gov.strategy": {"level": 2, "notes": "=not a formula, typed as text"},
        },
    }


# -- the questionnaire round trip ------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "id"])
def test_round_trip_gives_the_same_answers(language: str) -> None:
    doc = import_workbook(fill(language), "questionnaire.xlsx", today=TODAY)
    assert doc == expected_document(language)
    assert validate_assessment(doc, RUBRIC).valid


def test_a_blank_questionnaire_with_a_cover_imports_with_no_answers() -> None:
    wb = blank()
    cover = wb.worksheets[0]
    cover[cover_cell("ministry_name")] = "Ministère des Affaires étrangères"
    cover[cover_cell("country")] = "Maravu"
    cover[cover_cell("period")] = "2026-Q1"
    doc = import_workbook(saved(wb), "q.xlsx", today=TODAY)
    assert doc["answers"] == {} and doc["assessors"] == [] and doc["date"] == "2026-04-01"
    assert doc["ministry"] == {"id": "ministere-des-affaires-etrangeres", "name": "Ministère des Affaires étrangères",
                               "country": "Maravu"}
    assert doc["id"] == "ministere-des-affaires-etrangeres-2026-q1"


def test_the_workbook_must_match_the_rubric_given() -> None:
    data = fill("en")
    mini = load_rubric(DATA / "rubrics" / "mini.json")
    assert problems(lambda: import_workbook(data, "q.xlsx", rubric=mini)) == [
        "q.xlsx: About!B4: the workbook was made for rubric digital-diplomacy version 1.0.0, not mini version 1.0.0: "
        "make a new questionnaire for this rubric"]
    newer = dataclasses.replace(RUBRIC, version="1.1.0")
    assert problems(lambda: import_workbook(data, "q.xlsx", rubric=newer)) == [
        "q.xlsx: About!B5: the workbook was made for rubric digital-diplomacy version 1.0.0, not digital-diplomacy "
        "version 1.1.0: make a new questionnaire for this rubric"]
    assert import_workbook(data, "q.xlsx", rubric=RUBRIC, today=TODAY) == expected_document("en")


def test_a_mini_rubric_questionnaire_round_trips_with_its_rubric() -> None:
    mini = load_rubric(DATA / "rubrics" / "mini.json")
    wb = openpyxl.load_workbook(io.BytesIO(questionnaire_bytes(mini, "en")))
    cover, sheet = wb.worksheets[0], wb.worksheets[1]
    for field, value in (("ministry_name", "Test ministry"), ("country", "Testland"), ("period", "2026")):
        cover[cover_cell(field)] = value
    col = column_letters(mini)
    first = next(indicator for indicator in mini.indicators())
    sheet[f"{col['answer']}2"] = 1 if not first.is_metric else 1.5
    doc = import_workbook(saved(wb), "mini.xlsx", rubric=mini, today=TODAY)
    assert doc["rubric"] == {"id": "mini", "version": "1.0.0"}
    assert doc["answers"] == {first.id: {"value": 1.5} if first.is_metric else {"level": 1}}


def test_the_result_is_validated_by_the_documents_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.issues import Issue

    def invalid(doc: Any, rubric: Any, *, name: str) -> Report:
        return Report(name, "assessment", (Issue(name, "bad-value", "checked", path=("status",)),))

    monkeypatch.setattr(imports, "validate_assessment", invalid)
    assert problems(lambda: import_workbook(fill("en"), "q.xlsx")) == ["q.xlsx: $.status: checked"]


def test_the_xml_bomb_is_refused_even_past_the_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    _, data, _ = corpus().generated()["xml-bomb"]
    monkeypatch.setattr(imports, "check_workbook", lambda data, name, **_: None)
    assert problems(lambda: import_workbook(data, "questionnaire.xlsx")) == [
        "questionnaire.xlsx: the workbook's XML declares entities or a document type, which the parser refused "
        "(an XML bomb?)"]


def test_a_workbook_that_is_not_a_questionnaire() -> None:
    assert problems(lambda: import_workbook(saved(openpyxl.Workbook()), "other.xlsx")) == [
        'other.xlsx: this workbook is not a ddmt questionnaire (no "About" sheet): make one with "ddmt template" '
        "or on the app's import page"]


def test_a_questionnaire_of_a_future_format() -> None:
    wb = blank()
    wb["About"]["B3"] = 2
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx")) == [
        'q.xlsx: About!B3: questionnaire format 2 is not read by this version of ddmt (it reads format 1): make a new '
        'questionnaire with "ddmt template"']


def test_error_values_and_a_renamed_sheet() -> None:
    wb = blank()
    cover = wb.worksheets[0]
    for field, value in (("ministry_name", "M"), ("country", "C"), ("period", "2026")):
        cover[cover_cell(field)] = value
    wb.worksheets[1]["K2"] = "#DIV/0!"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx")) == [
        "q.xlsx: Questionnaire!K2: an error value (#DIV/0!) where a value belongs"]
    wb.worksheets[1].title = "Answers"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx")) == ['q.xlsx: the sheet "Questionnaire" is missing']


# -- the corpus: every bad file, every message exact, nothing imported -----------------------------

CASES = list(corpus().CASES)


@pytest.mark.parametrize("case", CASES)
def test_corpus(case: str) -> None:
    file_name, data, expected = corpus().generated()[case]
    base = copy.deepcopy(BASE)
    lines = problems(lambda: import_file(data, file_name, base_document=base))
    assert lines == list(expected)
    assert base == BASE  # the base assessment is never changed


def test_corpus_codes_are_from_the_closed_sets() -> None:
    known = set(workbook_guard.CODES) | set(IMPORT_CODES) | set(VALIDATION_CODES)
    for case, (file_name, data, _) in corpus().generated().items():
        with pytest.raises(DocumentError) as caught:
            import_file(data, file_name, base_document=BASE)
        assert {issue.code for issue in caught.value.issues} <= known, case


# -- answers CSV -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_answers_csv_round_trip_changes_nothing(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    rubric = find_rubric(doc["rubric"]["id"], doc["rubric"]["version"])  # 1.0.0 or 1.1.0: its own
    text = answers_to_csv(doc, rubric)
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == HEADER.strip().split(",")
    assert [record[0] for record in records[1:]] == [indicator.id for indicator in rubric.indicators()]
    assert import_answers_csv(text.encode("utf-8"), "answers.csv", doc) == doc


def test_answers_csv_neutralises_formulas_and_reads_them_back() -> None:
    doc = copy.deepcopy(BASE)
    doc["answers"]["ins.official_accounts"]["notes"] = '=HYPERLINK("https://evil.example","click")'
    doc["answers"]["ins.hashtag_campaigns"]["notes"] = "@SUM(1)"
    text = answers_to_csv(doc, RUBRIC)
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    assert import_answers_csv(text, "answers.csv", doc) == doc


def test_csv_keeps_na_as_text() -> None:
    """`NA` is Namibia, not a missing value: it stays "NA" wherever text belongs."""
    text = HEADER + 'ins.official_accounts,2,,yes,NA,,,NA,"NA"\nrea.regional_platforms,,,,,,,NA,\n'
    doc = import_answers_csv(text.replace(",2,,yes", ",,,yes").encode(), "answers.csv", BASE)
    assert doc["answers"]["ins.official_accounts"] == {
        "na": True, "na_reason": "NA", "notes": "NA", "evidence": [{"kind": "text", "value": "NA"}]}
    assert doc["answers"]["rea.regional_platforms"] == {"notes": "NA"}


def test_csv_with_a_byte_order_mark_semicolons_and_crlf() -> None:
    text = "\ufeff" + HEADER.replace(",", ";") + "ins.official_accounts;4;;;;4;high;Revised;\r\n"
    doc = import_answers_csv(text.replace("\n", "\r\n").encode("utf-8"), "answers.csv", BASE)
    assert doc["answers"]["ins.official_accounts"] == {"level": 4, "target": 4, "confidence": "high",
                                                       "notes": "Revised"}


def test_csv_rows_replace_answers_and_an_empty_row_clears_one() -> None:
    text = HEADER + "ins.visual_storytelling,1,,,,,,,\nins.hashtag_campaigns,,,,,,,,\n"
    doc = import_answers_csv(text.encode(), "answers.csv", BASE)
    assert doc["answers"]["ins.visual_storytelling"] == {"level": 1}
    assert "ins.hashtag_campaigns" not in doc["answers"]
    assert doc["answers"]["ins.official_accounts"] == BASE["answers"]["ins.official_accounts"]
    assert list(doc["answers"]) == [key for key in (i.id for i in RUBRIC.indicators()) if key in doc["answers"]]


def test_csv_evidence_written_back_keeps_its_details_and_new_lines_are_added() -> None:
    kept = BASE["answers"]["ins.official_accounts"]["evidence"][0]
    line = f"{kept['value']} {kept['description']}"
    text = HEADER + f'ins.official_accounts,3,,,,,,,"{line}\nhttps://new.example/page New page\nA new memo"\n'
    doc = import_answers_csv(text.encode(), "answers.csv", BASE)
    assert doc["answers"]["ins.official_accounts"]["evidence"] == [
        kept, {"kind": "url", "value": "https://new.example/page", "description": "New page"},
        {"kind": "text", "value": "A new memo"}]


def test_csv_file_evidence_round_trips_but_cannot_be_added() -> None:
    doc = copy.deepcopy(BASE)
    item = {"kind": "file", "name": "strategy.pdf", "sha256": "a" * 64, "sensitivity": "restricted"}
    doc["answers"]["gov.strategy"]["evidence"] = [item]
    assert import_answers_csv(answers_to_csv(doc, RUBRIC), "answers.csv", doc) == doc
    text = HEADER + "gov.strategy,3,,,,,,,file: other.pdf\n"
    assert problems(lambda: import_answers_csv(text, "answers.csv", doc)) == [
        'answers.csv: row 2: evidence "file: other.pdf" is not allowed: give an http:// or https:// address or a '
        "plain description: attach files in the app"]


def test_csv_from_the_model_and_without_a_rubric() -> None:
    from toolkit.model.assessment import Assessment

    model = Assessment.from_dict(BASE)
    text = answers_to_csv(model)
    assert text == answers_to_csv(BASE)
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + len(BASE["answers"])
    assert "cri.first_statement_hours,,4," in text  # an integral value is written without ".0"


@pytest.mark.parametrize(("notes", "cell"), [("'=1+1", "''=1+1"), ("''=1+1", "'''=1+1"), ("' =1", "'' =1"),
                                             ("'plain", "'plain"), ("=1+1", "'=1+1"), ("'X=1", "'X=1"),
                                             ("' \t=1", "' \t=1")])
def test_an_authors_own_leading_apostrophe_survives_the_csv(notes: str, cell: str) -> None:
    """The export adds one apostrophe where the author's text starts with one before a formula trigger, so the
    import can always tell the export's apostrophe from the author's."""
    doc = copy.deepcopy(BASE)
    doc["answers"]["ins.official_accounts"]["notes"] = notes
    text = answers_to_csv(doc, RUBRIC)
    record = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "ins.official_accounts")
    assert record[HEADER.strip().split(",").index("notes")] == cell
    assert import_answers_csv(text, "answers.csv", doc) == doc


def test_metric_values_are_written_as_typed() -> None:
    doc = copy.deepcopy(BASE)
    doc["answers"] = {"cri.first_statement_hours": {"value": 4.0}, "res.audience_concentration": {"value": 62.5}}
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(answers_to_csv(doc)))}
    assert rows == {"indicator": "value", "cri.first_statement_hours": "4", "res.audience_concentration": "62.5"}
    doc["answers"] = {"cri.first_statement_hours": {"value": 1e15}, "res.audience_concentration": {"value": -1e15}}
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(answers_to_csv(doc)))}
    assert rows["cri.first_statement_hours"] == rows["res.audience_concentration"][1:] == "1000000000000000.0"


def test_csv_size_and_row_limits() -> None:
    from toolkit.io import answers_csv
    assert problems(lambda: import_answers_csv(b"x" * (answers_csv.MAX_BYTES + 1), "a.csv", BASE)) == [
        "a.csv: the file is larger than the limit of 5,000,000 bytes"]
    assert _codes(lambda: import_answers_csv(b"x" * answers_csv.MAX_BYTES, "a.csv", BASE)) == ["csv-malformed"]
    at_limit = ("indicator\n" + "\n" * answers_csv.MAX_ROWS).encode()
    assert import_answers_csv(at_limit, "a.csv", BASE) == BASE
    assert problems(lambda: import_answers_csv(at_limit + b"\n", "a.csv", BASE)) == ["a.csv: more than 10,000 rows"]


def test_csv_that_cannot_be_read_is_named_for_what_it_is() -> None:
    assert problems(lambda: import_answers_csv((HEADER + 'ins.official_accounts,3,,,,,,"a"b,\n').encode(), "a.csv",
                                               BASE)) == ["a.csv: row 2: malformed CSV: ',' expected after '\"'"]
    utf16 = "\ufeffindicator\n".encode("utf-16-be")
    assert problems(lambda: import_answers_csv(utf16, "a.csv", BASE)) == [
        'a.csv: not UTF-8 text: the file is UTF-16 text (Excel\'s "Unicode Text"); save it as "CSV UTF-8"']
    assert problems(lambda: import_answers_csv(b"indicator\nins.official\x00\n", "a.csv", BASE)) == [
        "a.csv: this is binary data, not CSV text"]
    for empty in (b"   \n  ", "", "\ufeff\n"):
        assert problems(lambda empty=empty: import_answers_csv(empty, "a.csv", BASE)) == ["a.csv: the file is empty"]
    assert problems(lambda: import_answers_csv(b"indicator,notes\nins.official_accounts,\x81\x8d\n", "a.csv",
                                               BASE)) == [
        'a.csv: line 2, column 23: not UTF-8 text: byte 0x81 is not UTF-8; save it as "CSV UTF-8"']  # not cp1252
    with_bom = import_answers_csv("\ufeffindicator,level\nins.official_accounts,1\n", "a.csv", BASE)
    assert with_bom["answers"]["ins.official_accounts"] == {"level": 1}


def test_csv_rows_and_header_problems_are_located() -> None:
    tabbed = HEADER.replace(",", "\t") + "ins.official_accounts\t3\t\n"
    assert problems(lambda: import_answers_csv(tabbed, "a.csv", BASE)) == [
        "a.csv: row 2: 3 fields, but the header has 9 (a stray tab? put text that contains one in double quotes)"]
    semi = HEADER.replace(",", ";") + "ins.official_accounts;3;\n"
    assert problems(lambda: import_answers_csv(semi, "a.csv", BASE)) == [
        'a.csv: row 2: 3 fields, but the header has 9 (a stray ";"? put text that contains one in double quotes)']
    assert problems(lambda: import_answers_csv("indicator,level\n,2\n", "a.csv", BASE)) == [
        "a.csv: row 2: an answer in a row without an indicator id"]
    assert problems(lambda: import_answers_csv("indicator,Level,level\n", "a.csv", BASE)) == [
        'a.csv: row 1: the column "level" appears twice']
    assert problems(lambda: import_answers_csv("level\n", "a.csv", BASE)) == [
        'a.csv: row 1: the column "indicator" is missing (the columns are: indicator, level, value, na, na_reason, '
        "target, confidence, notes, evidence)"]
    tie = "indicator;level,value\nins.official_accounts;2,\n"  # one known name either way: the comma wins
    assert [line.split(": ", 2)[2][:30] for line in problems(lambda: import_answers_csv(tie, "a.csv", BASE))] == [
        'unknown column "indicator;leve', 'the column "indicator" is miss']


def test_a_base_that_names_no_rubric_is_refused_under_its_own_name() -> None:
    unnamed = copy.deepcopy(BASE)
    del unnamed["rubric"]
    assert problems(lambda: import_answers_csv(HEADER, "a.csv", unnamed)) == [
        'base assessment: $: missing required property "rubric"']
    unnamed["rubric"] = {"id": "digital-diplomacy"}
    assert problems(lambda: import_answers_csv(HEADER, "a.csv", unnamed)) == [
        'base assessment: $.rubric: missing required property "version"']
    unnamed["rubric"] = "digital-diplomacy"
    assert problems(lambda: import_answers_csv(HEADER, "a.csv", unnamed, base_name="base.json")) == [
        'base.json: $.rubric: expected an object, got the string "digital-diplomacy"']

def test_a_header_with_quoted_names_is_read_with_its_own_delimiter() -> None:
    doc = import_answers_csv('"indicator";"level"\nins.official_accounts;2\n', "a.csv", BASE)
    assert doc["answers"]["ins.official_accounts"] == {"level": 2}

def test_an_invalid_base_is_reported_under_its_own_name() -> None:
    base = copy.deepcopy(BASE)
    base["answers"]["nope"] = {"level": 1}
    lines = problems(lambda: import_answers_csv(HEADER, "answers.csv", base))
    assert lines == ['base assessment: $.answers.nope: unknown indicator "nope"']


def test_a_csv_needs_its_base() -> None:
    assert problems(lambda: import_file(HEADER.encode(), "answers.csv")) == [
        "answers.csv: a CSV file holds only answers: give the assessment they belong to"]



def _codes(call: Callable[[], Any]) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        call()
    return [issue.code for issue in caught.value.issues]


@pytest.mark.parametrize("extension", [".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".XLSM"])
def test_a_file_named_as_a_workbook_is_read_as_one_whatever_it_holds(extension: str) -> None:
    """CSV text named .xlsm is refused as not a workbook, not quietly imported as answers onto the base."""
    data = (HEADER + "ins.official_accounts,3,,,,,high,,\n").encode()
    assert problems(lambda: import_file(data, "answers" + extension, base_document=BASE)) == [
        f"answers{extension}: this is text (a CSV file with the wrong extension?), not an Excel .xlsx workbook: "
        "import it as a .csv file"]


@pytest.mark.parametrize("name", ["upload.dat", "upload"])
def test_a_file_without_a_known_extension_is_read_by_its_first_bytes(name: str) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Root Entry".encode("utf-16-le").ljust(128, b"\0")
    assert _codes(lambda: import_file(ole, name, base_document=BASE)) == ["legacy-workbook"]
    assert _codes(lambda: import_file(questionnaire_bytes(RUBRIC, "en"), name, base_document=BASE)) == [
        "missing-field", "missing-field", "missing-field"]  # a questionnaire: its empty cover is read
    assert _codes(lambda: import_file(b'  {"kind": "x"}', name, base_document=BASE)) == ["unknown-kind"]
    csv_text = (HEADER + "ins.official_accounts,3,,,,,high,,\n").encode()
    assert import_file(csv_text, name, base_document=BASE)["answers"]["ins.official_accounts"] == {
        "level": 3, "confidence": "high"}


@pytest.mark.parametrize("extension", [".csv", ".tsv", ".txt"])
def test_a_file_named_as_text_is_read_as_answers_whatever_its_first_bytes(extension: str) -> None:
    for data in (b'{"kind": "x"}', b'PK{"kind": "x"}'):
        assert _codes(lambda: import_file(data, "upload" + extension, base_document=BASE)) == [
            "csv-header", "csv-header"]
    assert _codes(lambda: import_file(b'PK{"kind": "x"}', "upload.json", base_document=BASE)) == ["malformed-json"]


def test_import_file_passes_the_rubric_the_date_and_the_language_on() -> None:
    mini = load_rubric(DATA / "rubrics" / "mini.json")
    assert _codes(lambda: import_file(fill("en"), "q.xlsx", rubric=mini)) == ["other-rubric"]
    wb = _covered(blank())
    assert import_file(saved(wb), "q.xlsx", today=TODAY)["date"] == TODAY.isoformat()
    assert problems(lambda: import_file(b"", "q.xlsx", lang="id")) == [
        f"q.xlsx: {t('guard_empty-file', 'id')}"]
    data = (REPO / "sample_ministries" / "belmara-mfa-2025.json").read_bytes()
    assert {issue.code for issue in caught_issues(lambda: import_file(data, "b.json", rubric=mini))} == {
        "rubric-mismatch"}  # checked against the rubric given, not the one the document names


def caught_issues(call: Callable[[], Any]) -> list[Any]:
    with pytest.raises(DocumentError) as caught:
        call()
    return list(caught.value.issues)


@pytest.mark.parametrize(("length", "shown"), [(40, "=" + "1+" * 19 + "1"), (41, "=" + "1+" * 18 + "...")])
def test_a_long_formula_is_shown_whole_up_to_40_characters_then_cut(length: int, shown: str) -> None:
    wb = _covered(blank())
    formula = ("=" + "1+" * 20)[:length - 1] + "1"
    assert len(formula) == length
    wb.worksheets[1]["K2"] = formula
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        f"q.xlsx: Questionnaire!K2: a formula ({shown}) where a value belongs: type the value"]

def test_a_respondents_copy_is_refused_by_its_stamp_or_by_its_mirror_alone() -> None:
    """Either record of the respondent is enough: the About sheet's rows, or the custom properties mirroring them."""
    from toolkit.io.template import RespondentCopy
    from toolkit.model.assessment import Assessment
    round_ = Assessment.from_dict(json.loads((REPO / "sample_ministries" / "tumbaro-mfa-2025.json").read_text()))
    press = next(item.respondent for item in round_.responses if item.respondent.id == "press")
    copy_ = questionnaire_bytes(RUBRIC, "en", RespondentCopy(round_.id, round_.ministry, round_.period, press))
    message = ('this questionnaire was made for respondent "press" ("Press officer") of round "tumbaro-mfa-2025": '
               "import it into that round as their response, not as a round of its own")
    wb = openpyxl.load_workbook(io.BytesIO(copy_))
    wb.custom_doc_props = type(wb.custom_doc_props)()
    assert problems(lambda: import_workbook(saved(wb), "press.xlsx")) == [f"press.xlsx: About!B10: {message}"]
    wb = openpyxl.load_workbook(io.BytesIO(copy_))
    for row in wb["About"].iter_rows(min_row=2):
        if row[0].value in ("respondent_id", "respondent_name", "round_id"):
            row[0].value = row[1].value = None
    assert problems(lambda: import_workbook(saved(wb), "press.xlsx")) == [f"press.xlsx: About!B2: {message}"]

def test_a_period_that_makes_no_id_gives_the_round_id_its_ministry_and_round() -> None:
    wb = _covered(blank())
    wb.worksheets[0][cover_cell("period")] = "§"
    doc = import_workbook(saved(wb), "q.xlsx", today=TODAY)
    assert (doc["id"], doc["period"]) == ("m-round", "§")

def _rezipped(data: bytes, part: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == part else source.read(info.filename))
    return out.getvalue()


def test_a_workbook_openpyxl_cannot_read_is_refused_with_the_reason_in_the_workbooks_language() -> None:
    broken = _rezipped(questionnaire_bytes(RUBRIC, "en"), "xl/workbook.xml", b"<workbook")
    assert problems(lambda: import_workbook(broken, "q.xlsx")) == [
        "q.xlsx: the workbook cannot be read: ParseError: unclosed token: line 1, column 0"]
    assert problems(lambda: import_workbook(broken, "q.xlsx", lang="id")) == [  # before its language is known
        "q.xlsx: buku kerja ini tidak dapat dibaca: ParseError: unclosed token: line 1, column 0"]
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:T200"/>'
             b'<sheetData><row r="1"><c r="A1"')  # opens, then fails once its rows are read, after the About sheet
    lazy = _rezipped(questionnaire_bytes(RUBRIC, "id"), "xl/worksheets/sheet2.xml", sheet)
    assert problems(lambda: import_workbook(lazy, "q.xlsx")) == [
        "q.xlsx: buku kerja ini tidak dapat dibaca: ParseError: unclosed token: line 1, column 125"]


def test_an_id_made_from_a_long_ministry_name_ends_cleanly() -> None:
    wb = _covered(blank())
    wb.worksheets[0][cover_cell("ministry_name")] = "A" * 63 + " Bureau"
    assert import_workbook(saved(wb), "q.xlsx", today=TODAY)["ministry"]["id"] == "a" * 63
    wb.worksheets[0][cover_cell("ministry_name")] = "(" + "A" * 70  # cut after the leading hyphen goes
    assert import_workbook(saved(wb), "q.xlsx", today=TODAY)["ministry"]["id"] == "a" * 64

def test_import_file_passes_the_rubric_and_the_language_to_a_csv() -> None:
    assert problems(lambda: import_file(HEADER.encode(), "a.csv", lang="id")) == [
        f"a.csv: {t('imp_csv-needs-base', 'id')}"]
    mini = load_rubric(DATA / "rubrics" / "mini.json")
    assert {issue.code for issue in caught_issues(lambda: import_file(HEADER.encode(), "a.csv", base_document=BASE,
                                                                      rubric=mini))} == {"rubric-mismatch"}

# -- JSON -------------------------------------------------------------------------------------------

def test_json_import() -> None:
    data = (REPO / "sample_ministries" / "belmara-mfa-2025.json").read_bytes()
    assert import_file(data, "belmara.json") == BASE
    broken = copy.deepcopy(BASE)
    broken["rubric"]["version"] = "0.9.0"
    assert problems(lambda: import_json(json.dumps(broken).encode(), "old.json")) == [
        'old.json: $.rubric.version: rubric "digital-diplomacy" version 0.9.0 is not available (available: 1.0.0, 1.1.0)']
    assert problems(lambda: import_json(b'{"kind": "assessment",}', "bad.json")) == [
        "bad.json: line 1, column 23: malformed JSON: expecting property name enclosed in double quotes"]



def test_json_that_is_not_an_assessment_is_refused_naming_the_file() -> None:
    assert problems(lambda: import_json(b"[1]", "list.json")) == ["list.json: $: expected an object, got a list"]
    assert problems(lambda: import_json(b'{"kind": "rubrik"}', "kind.json")) == [
        'kind.json: $.kind: unknown kind "rubrik": expected "rubric" or "assessment"']


def test_json_whose_rubric_is_not_named_in_full_is_refused_by_the_documents_checks() -> None:
    as_text = copy.deepcopy(BASE)
    as_text["rubric"] = "digital-diplomacy"
    assert problems(lambda: import_json(json.dumps(as_text).encode(), "a.json")) == [
        'a.json: $.rubric: expected an object, got the string "digital-diplomacy"']
    no_version = copy.deepcopy(BASE)
    del no_version["rubric"]["version"]
    assert problems(lambda: import_json(json.dumps(no_version).encode(), "a.json")) == [
        'a.json: $.rubric: missing required property "version"']


def test_json_answers_are_checked_against_the_rubric_it_names() -> None:
    """A level off the scale is only seen with the rubric: the one the document names is looked up."""
    doc = copy.deepcopy(BASE)
    doc["answers"]["ins.official_accounts"] = {"level": 9}
    assert problems(lambda: import_json(json.dumps(doc).encode(), "a.json")) == [
        'a.json: $.answers["ins.official_accounts"].level: 9 is not a level of the scale (0 to 4)']
    with pytest.raises(DocumentError) as caught:
        import_json(json.dumps(doc).encode(), "a.json", rubric=RUBRIC)
    assert [issue.code for issue in caught.value.issues] == ["not-on-scale"]


def test_json_of_an_unavailable_rubric_has_the_validation_code() -> None:
    old = copy.deepcopy(BASE)
    old["rubric"]["version"] = "0.9.0"
    with pytest.raises(DocumentError) as caught:
        import_json(json.dumps(old).encode(), "old.json")
    assert [(issue.code, issue.path) for issue in caught.value.issues] == [("rubric-not-found", ("rubric", "version"))]

# -- the commands, through the real command line ----------------------------------------------------

@pytest.fixture
def ddmt(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`ddmt ARGS` in-process, with these commands wired in if the command line does not have them yet."""
    original = cli.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        sub = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
        if "template" not in sub.choices:
            commands_imports.add_parsers(sub)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)
    for name in ("run_template", "run_import", "run_answers"):
        if not hasattr(commands, name):
            monkeypatch.setattr(commands, name, getattr(commands_imports, name), raising=False)

    def run(*args: str | Path) -> tuple[int, str, str]:
        try:
            status = cli.main([str(arg) for arg in args])
        except SystemExit as stop:
            status = int(stop.code or 0)
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.mark.parametrize("language", ["en", "id"])
def test_cli_template(ddmt: Callable[..., tuple[int, str, str]], tmp_path: Path, language: str) -> None:
    out = tmp_path / "questionnaire.xlsx"
    status, stdout, stderr = ddmt("template", "--xlsx", out, "--lang", language)
    assert (status, stderr) == (0, "")
    # the newest shipped version: a new questionnaire answers the current rubric
    assert stdout == f"{out}: questionnaire for digital-diplomacy 1.1.0 (59 indicators, {language})\n"
    assert openpyxl.load_workbook(out).sheetnames[1] == {"en": "Questionnaire", "id": "Kuesioner"}[language]


def test_cli_template_with_a_rubric_file(ddmt: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    out = tmp_path / "mini.xlsx"
    status, stdout, _ = ddmt("template", "--xlsx", out, "--rubric", DATA / "rubrics" / "mini.json")
    assert status == 0 and "questionnaire for mini 1.0.0" in stdout
    status, _, stderr = ddmt("template", "--xlsx", tmp_path / "missing" / "q.xlsx")
    assert status == 1 and "does not exist" in stderr


def test_cli_import_writes_the_assessment(ddmt: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    source, out = tmp_path / "filled.xlsx", tmp_path / "ruritania.json"
    source.write_bytes(fill("en"))
    status, stdout, stderr = ddmt("import", source, "--out", out)
    assert (status, stderr) == (0, "")
    assert stdout == f"{source}: imported Ministry of Foreign Affairs of Ruritania, 2026: 6 answered -> {out}\n"
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["answers"] == expected_document("en")["answers"]
    status, _, _ = ddmt("validate", out)
    assert status == 0


def test_cli_import_of_a_bad_workbook_writes_nothing(ddmt: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    file_name, data, expected = corpus().generated()["level-out-of-range"]
    source, out = tmp_path / file_name, tmp_path / "out.json"
    source.write_bytes(data)
    status, stdout, stderr = ddmt("import", source, "--out", out)
    assert status == 1 and stdout == ""
    assert stderr.splitlines() == [line.replace(file_name, str(source), 1) for line in expected]
    assert not out.exists() and list(tmp_path.iterdir()) == [source]


def test_cli_import_of_an_indonesian_workbook_answers_in_indonesian(ddmt: Callable[..., tuple[int, str, str]],
                                                                      tmp_path: Path) -> None:
    """The command line speaks English, but the problems are for the person who filled in the workbook."""
    file_name, data, expected = corpus().generated()["indonesian-errors"]
    source, out = tmp_path / file_name, tmp_path / "out.json"
    source.write_bytes(data)
    status, stdout, stderr = ddmt("import", source, "--out", out)
    assert status == 1 and stdout == ""
    assert stderr.splitlines() == [line.replace(file_name, str(source), 1) for line in expected]
    assert "Kuesioner!K3: tingkat 9 tidak diizinkan (0-4)" in stderr
    assert not out.exists()


_PLACEHOLDER = re.compile(r"{([a-z_]+)[^}]*}")


@pytest.mark.parametrize(("codes", "prefix"), [(IMPORT_CODES, "imp_"), (workbook_guard.CODES, "guard_"),
                                               (respondent_copies.CODES, "resp_")])
def test_every_import_problem_has_an_indonesian_message_with_the_same_fields(codes: dict[str, Any],
                                                                            prefix: str) -> None:
    for code in codes:
        english, indonesian = t(prefix + code, "en"), t(prefix + code, "id")
        assert indonesian != english or code == "csv-header", code  # csv-header is its detail alone
        assert sorted(_PLACEHOLDER.findall(english)) == sorted(_PLACEHOLDER.findall(indonesian)), code


def test_the_workbooks_language_wins_over_the_callers() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(fill("en")))
    row = rows_by_id(wb.worksheets[1])["ins.official_accounts"]
    wb.worksheets[1][f"{column_letters(RUBRIC)['answer']}{row}"] = 9
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", lang="id")) == [
        f"q.xlsx: Questionnaire!K{row}: level 9 is not allowed (0-4)"]
    # before the workbook's own language is known, the caller's language is all there is
    assert problems(lambda: import_workbook(b"", "q.xlsx", lang="id")) == ["q.xlsx: berkas ini kosong"]
    assert problems(lambda: import_workbook(saved(openpyxl.Workbook()), "q.xlsx", lang="id")) == [
        'q.xlsx: buku kerja ini bukan kuesioner ddmt (tidak ada lembar "About"): buat kuesioner dengan '
        '"ddmt template" atau di halaman impor aplikasi']


def test_csv_problems_are_in_the_language_of_the_assessment_they_change() -> None:
    base = copy.deepcopy(BASE) | {"language": "id"}
    text = "indicator,level\nins.official_accounts,7\nins.oficial_accounts,1\n"
    assert problems(lambda: import_answers_csv(text.encode(), "jawaban.csv", base)) == [
        "jawaban.csv: baris 2: tingkat 7 tidak diizinkan (0-4)",
        'jawaban.csv: baris 3: indikator "ins.oficial_accounts" tidak dikenal (maksud Anda "ins.official_accounts"?)']


# -- answers CSV in the assessment's language, and the places its problems name ---------------------

ID_BASE = copy.deepcopy(BASE) | {"language": "id"}
ID_COLUMNS = "(kolomnya: indicator, level, value, na, na_reason, target, confidence, notes, evidence)"


@pytest.mark.parametrize(("data", "expected"), [
    (b"x" * 5_000_001, "jawaban.csv: berkas ini melebihi batas 5.000.000 bita"),
    ("\ufeffindicator\n".encode("utf-16-le"),
     'jawaban.csv: bukan teks UTF-8: berkas ini teks UTF-16 ("Unicode Text" dari Excel); simpan sebagai "CSV UTF-8"'),
    (b"  \n ", "jawaban.csv: berkas ini kosong"),
    ("\ufeff \r\n", "jawaban.csv: berkas ini kosong"),
    (b"%PDF-1.7\nindicator\n", "jawaban.csv: ini adalah dokumen PDF, bukan teks CSV"),
    (b"PK\x03\x04" + bytes(30),
     "jawaban.csv: ini adalah arsip zip (buku kerja .xlsx?), bukan teks CSV: impor sebagai buku kerja (.xlsx)"),
    (b"indicator\nins.official\x00\n", "jawaban.csv: ini adalah data biner, bukan teks CSV"),
    (b"indicator,notes\nins.official_accounts,caf\xe9\n",
     'jawaban.csv: baris 2, kolom 26: bukan teks UTF-8: bita 0xE9 bukan UTF-8; tampaknya teks Windows-1252 (ANSI) atau '
     'Latin-1; simpan sebagai "CSV UTF-8"'),
    (("indicator\n" + "\n" * 10_001).encode(), "jawaban.csv: lebih dari 10.000 baris"),
    ((HEADER + 'ins.official_accounts,3,,,,,,"a"b,\n').encode(),
     "jawaban.csv: baris 2: CSV rusak: ',' expected after '\"'"),
], ids=["too-large", "utf-16", "empty", "empty-text", "pdf", "workbook", "binary", "cp1252", "too-many-rows", "malformed"])
def test_a_csv_that_cannot_be_read_is_named_in_the_assessments_language(data: bytes, expected: str) -> None:
    assert problems(lambda: import_answers_csv(data, "jawaban.csv", ID_BASE)) == [expected]


def test_csv_header_problems_are_in_the_assessments_language() -> None:
    assert problems(lambda: import_answers_csv("indicatr,levl,level,level\n", "jawaban.csv", ID_BASE)) == [
        f'jawaban.csv: baris 1: kolom "indicatr" tidak dikenal (maksud Anda "indicator"?) {ID_COLUMNS}',
        f'jawaban.csv: baris 1: kolom "levl" tidak dikenal (maksud Anda "level"?) {ID_COLUMNS}',
        'jawaban.csv: baris 1: kolom "level" muncul dua kali',
        f'jawaban.csv: baris 1: kolom "indicator" tidak ada {ID_COLUMNS}']


def test_every_bad_csv_row_is_reported_in_the_assessments_language() -> None:
    """Each refused row is reported and the rows after it are still read; a blank line is only skipped."""
    text = ("indicator,level\n"
            "\n"
            "ins.official_accounts,1,x\n"
            "ins.visual_storytelling\n"
            ",2\n"
            ",3\n"
            "ins.hashtag_campaigns,1\n"
            "ins.hashtag_campaigns,2\n"
            "ins.hashtag_campaigns,3\n"
            "ins.official_accounts,7\n")
    stray = "(ada \",\" yang terselip? apit teks yang memuatnya dengan tanda petik ganda)"
    assert problems(lambda: import_answers_csv(text, "jawaban.csv", ID_BASE)) == [
        f"jawaban.csv: baris 3: 3 kolom, padahal judulnya memuat 2 {stray}",
        f"jawaban.csv: baris 4: 1 kolom, padahal judulnya memuat 2 {stray}",
        "jawaban.csv: baris 5: ada jawaban di baris tanpa kode indikator",
        "jawaban.csv: baris 6: ada jawaban di baris tanpa kode indikator",
        'jawaban.csv: baris 8: indikator "ins.hashtag_campaigns" dijawab dua kali (pertama di baris 7)',
        'jawaban.csv: baris 9: indikator "ins.hashtag_campaigns" dijawab dua kali (pertama di baris 7)',
        "jawaban.csv: baris 10: tingkat 7 tidak diizinkan (0-4)"]


def test_a_blank_line_between_csv_rows_is_skipped() -> None:
    doc = import_answers_csv("indicator,level\nins.official_accounts,1\n\n,\nins.hashtag_campaigns,4\n", "a.csv", BASE)
    assert (doc["answers"]["ins.official_accounts"], doc["answers"]["ins.hashtag_campaigns"]) == ({"level": 1},
                                                                                                  {"level": 4})


def test_a_byte_that_is_not_utf8_is_located_by_line_and_column() -> None:
    later = (b"indicator,notes\nins.official_accounts,ok\nins.visual_storytelling,\x81\nins.hashtag_campaigns,x\n"
             b"gov.strategy,y\n")  # lines after it too, more than before it
    assert problems(lambda: import_answers_csv(later, "a.csv", BASE)) == [
        'a.csv: line 3, column 25: not UTF-8 text: byte 0x81 is not UTF-8; save it as "CSV UTF-8"']
    after_an_empty_first_line = b"\nindicator,\x81\n"
    assert problems(lambda: import_answers_csv(after_an_empty_first_line, "a.csv", BASE)) == [
        'a.csv: line 2, column 11: not UTF-8 text: byte 0x81 is not UTF-8; save it as "CSV UTF-8"']


def test_binary_data_is_looked_for_in_the_first_4096_bytes() -> None:
    """A NUL byte in the first 4 KiB makes the file binary data; one further on is a control character, dropped."""
    start = b"indicator,notes\nins.official_accounts,"
    assert problems(lambda: import_answers_csv(start + b"a" * (4095 - len(start)) + b"\x00b\n", "a.csv", BASE)) == [
        "a.csv: this is binary data, not CSV text"]
    doc = import_answers_csv(start + b"a" * (4096 - len(start)) + b"\x00b\n", "a.csv", BASE)
    assert doc["answers"]["ins.official_accounts"] == {"notes": "a" * (4096 - len(start)) + "b"}


def test_a_column_name_glued_to_other_text_counts_for_no_delimiter() -> None:
    """"indicatorX" is not the name "indicator": only ";" splits this header into a known name, so ";" is used."""
    assert problems(lambda: import_answers_csv("notes;level,indicatorX\n", "jawaban.csv", ID_BASE)) == [
        f'jawaban.csv: baris 1: kolom "level,indicatorx" tidak dikenal {ID_COLUMNS}',
        f'jawaban.csv: baris 1: kolom "indicator" tidak ada {ID_COLUMNS}']


def test_a_line_end_inside_quotes_is_read_as_written() -> None:
    """The reader sees the file's own line ends (CR LF inside a quoted cell stays CR LF), as the csv module needs."""
    assert problems(lambda: import_answers_csv('indicator,level\n"ins.official\r\naccounts",1\n', "a.csv", BASE)) == [
        'a.csv: row 2: unknown indicator "ins.official\\x0d\\naccounts" (did you mean "ins.official_accounts"?)']


def test_a_csv_with_carriage_returns_alone_as_line_ends_is_read() -> None:
    """Excel's "CSV (Macintosh)" ends each line with a carriage return alone."""
    text = 'indicator,level,notes\rins.official_accounts,1,"two\rlines"\rins.hashtag_campaigns,4,\r'
    doc = import_answers_csv(text.encode(), "answers.csv", BASE)
    assert (doc["answers"]["ins.official_accounts"], doc["answers"]["ins.hashtag_campaigns"]) == (
        {"level": 1, "notes": "two\nlines"}, {"level": 4})

def test_answers_csv_rows_end_in_a_line_feed_and_na_is_written_yes() -> None:
    doc = copy.deepcopy(BASE)
    doc["answers"] = {"ins.visual_storytelling": {"na": True, "na_reason": "No visual unit"},
                      "ins.official_accounts": {"level": 2}}
    assert answers_to_csv(doc) == (HEADER + "ins.visual_storytelling,,,yes,No visual unit,,,,\n"
                                   "ins.official_accounts,2,,,,,,,\n")


def test_the_imported_assessment_shares_nothing_with_its_base() -> None:
    """Changing the result (its ministry, a kept answer's evidence) leaves the base assessment as it was."""
    base = copy.deepcopy(BASE)
    doc = import_answers_csv("indicator,level\nins.hashtag_campaigns,1\n", "a.csv", base)
    doc["ministry"]["name"] = "Changed"
    doc["answers"]["ins.official_accounts"]["evidence"].append({"kind": "text", "value": "Added"})
    doc["answers"]["ins.official_accounts"]["evidence"][0]["description"] = "Changed"
    assert base == BASE


def test_cli_import_csv_needs_a_base(ddmt: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    status, stdout, _ = ddmt("answers", REPO / "sample_ministries" / "belmara-mfa-2025.json")
    assert status == 0
    answers.write_text(stdout.replace("ins.visual_storytelling,3,", "ins.visual_storytelling,4,"), encoding="utf-8")
    status, _, stderr = ddmt("import", answers, "--out", tmp_path / "x.json")
    assert status == 2 and "--base" in stderr
    out = tmp_path / "belmara.json"
    status, _, stderr = ddmt("import", answers, "--out", out, "--base",
                             REPO / "sample_ministries" / "belmara-mfa-2025.json")
    assert (status, stderr) == (0, "")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["answers"]["ins.visual_storytelling"]["level"] == 4
    doc["answers"]["ins.visual_storytelling"]["level"] = 3
    assert doc == BASE


def test_cli_import_of_a_missing_file(ddmt: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    status, _, stderr = ddmt("import", tmp_path / "nope.xlsx", "--out", tmp_path / "out.json")
    assert status == 1 and stderr == f"{tmp_path / 'nope.xlsx'}: cannot read the file: no such file\n"


# -- properties -------------------------------------------------------------------------------------

VISIBLE = st.text(min_size=1, max_size=40).filter(lambda text: safe_text(text).strip() != "")


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=st.text(max_size=40), reason=VISIBLE, evidence=VISIBLE)
def test_any_text_survives_the_answers_csv(notes: str, reason: str, evidence: str) -> None:
    """Export then import gives back every text (control characters out, ends trimmed), never a formula."""
    doc = copy.deepcopy(BASE)
    doc["answers"]["ins.official_accounts"] = {"level": 2, "notes": notes,
                                               "evidence": [{"kind": "text", "value": evidence}]}
    doc["answers"]["ins.visual_storytelling"] = {"na": True, "na_reason": reason}
    text = answers_to_csv(doc, RUBRIC)
    for record in list(csv.reader(io.StringIO(text)))[1:]:
        for column in ("na_reason", "notes", "evidence"):  # the text columns
            cell = record[HEADER.strip().split(",").index(column)]
            assert not cell.startswith(FORMULA_TRIGGERS) and not cell.lstrip(" ").startswith(FORMULA_TRIGGERS[:4])
    back = import_answers_csv(text, "answers.csv", doc)
    first = back["answers"]["ins.official_accounts"]
    assert first.get("notes") == (safe_text(notes).strip() or None)
    assert first["evidence"] == [{"kind": "text", "value": evidence}]  # kept as it was: the line matches
    assert back["answers"]["ins.visual_storytelling"] == {"na": True, "na_reason": safe_text(reason).strip()}


def test_csv_strips_control_characters_and_names_hostile_files() -> None:
    text = HEADER + "ins.official_accounts,2,,,,,,a\x07b\x00c,\n"
    doc = import_answers_csv(text, "answers.csv", BASE)
    assert doc["answers"]["ins.official_accounts"]["notes"] == "abc"
    assert problems(lambda: import_answers_csv(HEADER + "nope,1,,,,,,,\n", "evil\r\nname.csv", BASE)) == [
        'evil\\x0d\\x0aname.csv: row 2: unknown indicator "nope"']


def test_either_language_is_accepted_in_any_workbook() -> None:
    wb = blank("en")
    cover, sheet = wb.worksheets[0], wb.worksheets[1]
    for field, value in (("ministry_name", "M"), ("country", "C"), ("period", "2026")):
        cover[cover_cell(field)] = value
    col = column_letters(RUBRIC)
    sheet[f"{col['na']}2"], sheet[f"{col['na_reason']}2"], sheet[f"{col['confidence']}3"] = "Ya", "Tidak ada", "TINGGI"
    sheet[f"{col['na']}4"] = True
    sheet[f"{col['na_reason']}4"] = "Boolean typed in"
    doc = import_workbook(saved(wb), "q.xlsx", today=TODAY)
    assert doc["answers"] == {"ins.official_accounts": {"na": True, "na_reason": "Tidak ada"},
                              "ins.visual_storytelling": {"confidence": "high"},
                              "ins.hashtag_campaigns": {"na": True, "na_reason": "Boolean typed in"}}


# -- each refusal, shown to bite -------------------------------------------------------------------

def _covered(wb: openpyxl.Workbook) -> openpyxl.Workbook:
    cover = wb.worksheets[0]
    for field, value in (("ministry_name", "M"), ("country", "C"), ("period", "2026")):
        cover[cover_cell(field)] = value
    return wb


def test_an_indicator_answered_on_two_rows_is_refused_not_taken_from_the_later_row() -> None:
    wb = _covered(blank())
    sheet, col = wb.worksheets[1], column_letters(RUBRIC)
    row = rows_by_id(sheet)
    first, second = row["ins.official_accounts"], row["ins.visual_storytelling"]
    sheet[f"{col['answer']}{first}"] = 1
    sheet[f"{col['indicator']}{second}"] = "ins.official_accounts"
    sheet[f"{col['answer']}{second}"] = 4
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        f"q.xlsx: Questionnaire!{col['indicator']}{second}: indicator \"ins.official_accounts\" is answered twice "
        f"(first at Questionnaire!{col['indicator']}{first})"]


def test_an_indicator_on_two_csv_rows_is_refused() -> None:
    text = HEADER + "ins.official_accounts,1,,,,,,,\nins.official_accounts,4,,,,,,,\n"
    assert problems(lambda: import_answers_csv(text.encode(), "answers.csv", base_document=BASE)) == [
        'answers.csv: row 3: indicator "ins.official_accounts" is answered twice (first at row 2)']


@pytest.mark.parametrize("typed", ["20260131", "2026-1-31", "2026-02-30", "31-01-2026"])
def test_a_cover_date_not_written_as_yyyy_mm_dd_is_refused(typed: str) -> None:
    wb = _covered(blank())
    wb.worksheets[0][cover_cell("date")] = typed
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        f'q.xlsx: Cover!{cover_cell("date")}: date "{typed}" is not a date in the form YYYY-MM-DD']


def test_a_cover_date_written_as_text_in_the_right_form_is_taken() -> None:
    wb = _covered(blank())
    wb.worksheets[0][cover_cell("date")] = "2026-01-31"
    assert import_workbook(saved(wb), "q.xlsx", today=TODAY)["date"] == "2026-01-31"


def test_a_web_address_written_wrongly_is_refused_not_kept_as_text() -> None:
    """"kemlu.example/..." or "http//..." kept as text would count as evidence no one can open."""
    text = (HEADER + 'ins.official_accounts,3,,,,,,,"kemlu.example/siaran-pers Press releases"\n'
            + 'ins.hashtag_campaigns,2,,,,,,,http//kemlu.example/tagar\n'
            + 'ins.visual_storytelling,2,,,,,,,"Annual report.pdf\nkemlu.go.id"\n')
    message = ("looks like a web address but is not one: write it in full, starting with https:// "
               "(kept as text it would count as evidence no one can open)")
    assert problems(lambda: import_answers_csv(text, "answers.csv", BASE)) == [
        f'answers.csv: row 2: evidence "kemlu.example/siaran-pers Press releases" {message}',
        f'answers.csv: row 3: evidence "http//kemlu.example/tagar" {message}']
    fixed = text.replace("kemlu.example/siaran-pers", "https://kemlu.example/siaran-pers").replace(
        "http//", "https://")
    doc = import_answers_csv(fixed, "answers.csv", BASE)
    assert doc["answers"]["ins.official_accounts"]["evidence"][-1] == {
        "kind": "url", "value": "https://kemlu.example/siaran-pers", "description": "Press releases"}
    assert doc["answers"]["ins.visual_storytelling"]["evidence"] == [  # descriptions and bare names stay text
        {"kind": "text", "value": "Annual report.pdf"}, {"kind": "text", "value": "kemlu.go.id"}]


def test_an_xml_bomb_openpyxl_meets_is_refused_in_the_callers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the guard, openpyxl meets the bomb while opening the workbook, before its stamp is read: the caller's language."""
    _, data, _ = corpus().generated()["xml-bomb"]
    monkeypatch.setattr(imports, "check_workbook", lambda data, name, **_: None)
    assert problems(lambda: import_workbook(data, "questionnaire.xlsx", lang="id")) == [
        "questionnaire.xlsx: XML buku kerja ini mendeklarasikan entitas atau tipe dokumen, yang ditolak pengurai (bom XML?)"]


def test_an_xml_bomb_is_named_wherever_it_sits_in_the_chain_of_errors() -> None:
    """openpyxl may raise its own error from the parser's refusal, or while handling it: either way it is a bomb."""
    def raised(make: Callable[[], None]) -> BaseException:
        with pytest.raises(Exception) as caught:
            make()
        return caught.value

    def explicitly() -> None:
        try:
            raise EntitiesForbidden("lol", None, None, None, None, None)
        except EntitiesForbidden as error:
            raise ValueError("Unable to read workbook") from error

    def implicitly() -> None:
        try:
            raise EntitiesForbidden("lol", None, None, None, None, None)
        except EntitiesForbidden:
            raise ValueError("Unable to read workbook")  # noqa: B904 - the implicit chain is the case here

    for error in (raised(explicitly), raised(implicitly)):
        assert imports._unreadable("q.xlsx", error, "en").code == "xml-refused"
    assert imports._unreadable("q.xlsx", ValueError("bad"), "en").code == "unreadable-workbook"


def _sheet_with_a_date(value: str) -> bytes:
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1"><c r="A1" t="d"><v>{value}</v></c></row></sheetData></worksheet>').encode()


@pytest.mark.parametrize(("value", "reason"), [
    ("2026-XX", "ValueError: Invalid datetime value 2026-XX"),  # a reason ending in X keeps it
    ("TBC: ", "ValueError: Invalid datetime value TBC"),  # a trailing colon and space go
])
def test_the_reason_openpyxl_gives_is_shown_without_a_dangling_colon(value: str, reason: str) -> None:
    data = _rezipped(questionnaire_bytes(RUBRIC, "en"), "xl/worksheets/sheet2.xml", _sheet_with_a_date(value))
    assert problems(lambda: import_workbook(data, "q.xlsx")) == [f"q.xlsx: the workbook cannot be read: {reason}"]


def test_a_long_reason_is_cut_to_120_characters() -> None:
    template = questionnaire_bytes(RUBRIC, "en")
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        book = archive.read("xl/workbook.xml").replace(b'state="visible"', b'state="bogus"', 1)
    issues = caught_issues(lambda: import_workbook(_rezipped(template, "xl/workbook.xml", book), "q.xlsx"))
    reason = str(issues[0]).removeprefix("q.xlsx: the workbook cannot be read: ")
    assert (len(reason), reason[:36], reason[-3:]) == (120, "ValueError: Unable to read workbook:", "...")


def test_only_the_covers_input_block_is_read_whatever_lies_below_it() -> None:
    """A cell far below the cover's fields that openpyxl cannot even parse is never read: the import goes through."""
    data = saved(_covered(blank()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        cover = archive.read("xl/worksheets/sheet1.xml")
    below = b'<row r="500"><c r="A500" t="d"><v>not a date</v></c></row></sheetData>'
    assert cover.count(b"</sheetData>") == 1
    data = _rezipped(data, "xl/worksheets/sheet1.xml", cover.replace(b"</sheetData>", below))
    assert import_workbook(data, "q.xlsx", today=TODAY)["ministry"]["name"] == "M"


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Cover!B6: the ministry identifier (it cannot be made from the name) is missing"),
    ("id", "Sampul!B6: pengenal kementerian (tidak dapat dibuat dari nama) belum diisi"),
])
def test_a_ministry_name_that_makes_no_id_asks_for_the_id_in_the_workbooks_language(language: str,
                                                                                   message: str) -> None:
    wb = _covered(blank(language))
    wb.worksheets[0][cover_cell("ministry_name")] = "外務省"  # nothing of it is left in ASCII
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [f"q.xlsx: {message}"]


def test_an_error_value_in_a_required_cover_field_is_reported_once_as_an_error_value() -> None:
    wb = _covered(blank())
    wb.worksheets[0][cover_cell("country")] = "#N/A"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        "q.xlsx: Cover!B5: an error value (#N/A) where a value belongs"]


def test_rows_are_read_down_to_the_slack_below_the_last_indicator_and_no_further() -> None:
    """A row typed by hand at the last row of the slack is read; below it nothing is (openpyxl parses one row more, to
    see where the block ends: a cell it cannot parse further down is never reached)."""
    last = 2 + sum(1 for _ in RUBRIC.indicators()) + imports.ROW_SLACK
    wb = _covered(blank())
    notes = column_letters(RUBRIC)["notes"]
    wb.worksheets[1][f"{notes}{last}"] = "typed far below"
    wb.worksheets[1][f"{notes}{last + 1}"] = "typed below the slack"  # not read: no issue
    data = saved(wb)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    below = f'<row r="{last + 2}"><c r="A{last + 2}" t="d"><v>not a date</v></c></row></sheetData>'.encode()
    data = _rezipped(data, "xl/worksheets/sheet2.xml", sheet.replace(b"</sheetData>", below))
    assert problems(lambda: import_workbook(data, "q.xlsx", today=TODAY)) == [
        f"q.xlsx: Questionnaire!{notes}{last}: an answer in a row without an indicator id"]


def test_a_web_address_without_a_host_is_refused_at_its_row_in_the_files_language() -> None:
    """"https://@" or "http://[::1" would be a link no one can open: refused at its row, not later by a JSON path."""
    text = HEADER + 'ins.official_accounts,3,,,,,,,"https://@ Portal"\nins.hashtag_campaigns,2,,,,,,,http://[::1\n'
    assert problems(lambda: import_answers_csv(text, "jawaban.csv", ID_BASE)) == [
        'jawaban.csv: baris 2: bukti "https://@ Portal" tampak seperti alamat web tetapi bukan: tulis lengkap, diawali '
        "https:// (jika disimpan sebagai teks, bukti ini tidak dapat dibuka siapa pun)",
        'jawaban.csv: baris 3: bukti "http://[::1" tampak seperti alamat web tetapi bukan: tulis lengkap, diawali '
        "https:// (jika disimpan sebagai teks, bukti ini tidak dapat dibuka siapa pun)"]


@pytest.mark.parametrize("gap", ["\t", "\u00a0", "  "])
def test_a_tab_or_a_no_break_space_ends_a_web_address_like_a_space(gap: str) -> None:
    text = HEADER + f'ins.official_accounts,3,,,,,,,"https://mfa.example/press{gap}Press releases"\n'
    doc = import_answers_csv(text, "answers.csv", BASE)
    assert doc["answers"]["ins.official_accounts"]["evidence"] == [
        {"kind": "url", "value": "https://mfa.example/press", "description": "Press releases"}]


def test_a_header_emptied_or_renamed_is_reported_in_the_workbooks_language() -> None:
    wb = _covered(blank("id"))
    wb.worksheets[1]["C1"] = None
    wb.worksheets[1]["D1"] = "Soal"
    layout_changed = "ada kolom yang ditambah, dipindah, atau diganti namanya"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        f'q.xlsx: Kuesioner!C1: seharusnya kolom "Indikator", ditemukan "": {layout_changed}',
        f'q.xlsx: Kuesioner!D1: seharusnya kolom "Pertanyaan", ditemukan "Soal": {layout_changed}']


def test_a_formula_in_the_indicator_column_is_reported_where_it_is() -> None:
    wb = _covered(blank())
    indicator = column_letters(RUBRIC)["indicator"]
    wb.worksheets[1][f"{indicator}2"] = "=B3"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        f"q.xlsx: Questionnaire!{indicator}2: a formula (=B3) where a value belongs: type the value"]


def test_a_repeated_indicator_and_a_row_without_one_are_reported_in_the_workbooks_language() -> None:
    wb = _covered(blank("id"))
    sheet, col = wb.worksheets[1], column_letters(RUBRIC)
    row = rows_by_id(sheet)
    first, second = row["ins.official_accounts"], row["ins.visual_storytelling"]
    sheet[f"{col['indicator']}{second}"] = "ins.official_accounts"
    below = max(row.values()) + 1
    sheet[f"{col['notes']}{below}"] = "catatan"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        f'q.xlsx: Kuesioner!{col["indicator"]}{second}: indikator "ins.official_accounts" dijawab dua kali '
        f'(pertama di Kuesioner!{col["indicator"]}{first})',
        f"q.xlsx: Kuesioner!{col['notes']}{below}: ada jawaban di baris tanpa kode indikator"]


@pytest.mark.parametrize(("language", "messages"), [
    ("en", ["Cover!B6: ministry identifier \"Kemlu RI\" is not lowercase letters, digits, '-', '_' and '.'",
            'Cover!B10: date "31-01-2026" is not a date in the form YYYY-MM-DD']),
    ("id", ["Sampul!B6: pengenal kementerian \"Kemlu RI\" bukan huruf kecil, angka, '-', '_' dan '.'",
            'Sampul!B10: tanggal "31-01-2026" bukan tanggal berformat TTTT-BB-HH']),
])
def test_a_ministry_id_and_a_date_in_the_wrong_form_are_refused_in_the_workbooks_language(language: str,
                                                                                          messages: list[str]) -> None:
    wb = _covered(blank(language))
    wb.worksheets[0][cover_cell("ministry_id")] = "Kemlu RI"
    wb.worksheets[0][cover_cell("date")] = "31-01-2026"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [f"q.xlsx: {m}" for m in messages]


def test_an_array_formula_is_shown_by_its_text_and_an_error_value_in_the_workbooks_language() -> None:
    from openpyxl.worksheet.formula import ArrayFormula
    wb = _covered(blank("id"))
    answer = column_letters(RUBRIC)["answer"]
    wb.worksheets[1][f"{answer}2"] = ArrayFormula(f"{answer}2", "=MAX(1,2)")
    wb.worksheets[1][f"{answer}3"] = "#N/A"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == [
        f"q.xlsx: Kuesioner!{answer}2: ada rumus (=MAX(1,2)) di tempat yang seharusnya berisi nilai: ketik nilainya",
        f"q.xlsx: Kuesioner!{answer}3: ada nilai galat (#N/A) di tempat yang seharusnya berisi nilai"]


@pytest.mark.parametrize(("sheet", "place"), [
    ("Questionnaire", "Questionnaire!K7"), ("My sheet", "'My sheet'!K7"), ("Bob's answers", "'Bob''s answers'!K7")])
def test_a_place_names_its_sheet_as_excel_writes_it_quoted_when_it_must_be(sheet: str, place: str) -> None:
    """Every sheet read today has a plain name; a translated name with a space or a quote is quoted as in a formula."""
    assert imports._place(sheet, "K", 7) == place


def test_a_missing_sheet_is_reported_in_the_workbooks_language() -> None:
    wb = _covered(blank("id"))
    wb.worksheets[1].title = "Jawaban"
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", today=TODAY)) == ['q.xlsx: lembar "Kuesioner" tidak ada']


def test_import_workbook_gives_the_document_the_status_asked_for() -> None:
    data = saved(_covered(blank()))
    assert import_workbook(data, "q.xlsx", today=TODAY)["status"] == "submitted"
    assert import_workbook(data, "q.xlsx", today=TODAY, status="draft")["status"] == "draft"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("format", "other", 'About!B2: this workbook is not a ddmt questionnaire (its About sheet does not say '
                        '"ddmt-questionnaire")'),
    ("language", "fr", 'About!B6: this workbook is not a ddmt questionnaire (unknown language "fr")'),
    ("rubric_id", None, "About!B4: this workbook is not a ddmt questionnaire (the rubric it was made for is not "
                        "recorded)"),
])
def test_a_stamp_that_is_not_a_questionnaires_is_refused_at_its_cell(key: str, value: Any, message: str) -> None:
    wb = blank()
    for row in wb["About"].iter_rows():
        if row[0].value == key:
            row[1].value = value
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx")) == [
        f"q.xlsx: {message}: make one with \"ddmt template\" or on the app's import page"]


def test_only_the_block_each_sheet_uses_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Padding far below and right of the stamp, the cover and the answers is never read: a workbook
    stuffed with cells out there costs no more to import than a plain one (the guard bounds its size,
    not its shape)."""
    wb = _covered(blank())
    for sheet in wb.worksheets:
        sheet.cell(row=2500, column=80, value="padding")
    data = saved(wb)
    reach: dict[str, list[int]] = {}
    iter_rows = ReadOnlyWorksheet.iter_rows

    def measured(self: ReadOnlyWorksheet, *args: Any, **kwargs: Any) -> Any:
        rows = reach.setdefault(self.title, [0, 0])
        for row in iter_rows(self, *args, **kwargs):
            rows[0], rows[1] = rows[0] + 1, max(rows[1], len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", measured)
    assert import_workbook(data, "q.xlsx", today=TODAY)["ministry"]["name"] == "M"
    about, cover, answers = reach["About"], reach[wb.worksheets[0].title], reach[wb.worksheets[1].title]
    assert about[0] <= imports._ABOUT_ROWS and about[1] <= 2
    assert cover[0] <= layout.COVER_FIRST_ROW + len(layout.COVER_FIELDS) and cover[1] <= 2
    last = layout.FIRST_ROW + len(list(RUBRIC.indicators())) + imports.ROW_SLACK
    assert answers[0] <= last and answers[1] <= len(column_letters(RUBRIC))


def _about_rows(wb: openpyxl.Workbook) -> dict[str, int]:
    return {row[0].value: row[0].row for row in wb["About"].iter_rows() if row[0].value}


_REMAKE_ID = 'buat kuesioner dengan "ddmt template" atau di halaman impor aplikasi'


@pytest.mark.parametrize(("key", "value", "message"), [
    ("format", "other", 'About!B2: buku kerja ini bukan kuesioner ddmt (lembar About-nya tidak menyebut '
                        f'"ddmt-questionnaire"): {_REMAKE_ID}'),
    ("format_version", 9, 'About!B3: format kuesioner 9 tidak dapat dibaca oleh versi ddmt ini (yang dibaca: '
                          'format 1): buat kuesioner baru dengan "ddmt template"'),
])
def test_a_stamp_problem_is_told_in_the_stamps_own_language(key: str, value: Any, message: str) -> None:
    wb = _covered(blank("id"))
    wb["About"][f"B{_about_rows(wb)[key]}"] = value
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", lang="en")) == [f"q.xlsx: {message}"]


@pytest.mark.parametrize(("key", "message"), [
    ("format", 'buku kerja ini bukan kuesioner ddmt (lembar About-nya tidak menyebut "ddmt-questionnaire")'),
    ("format_version", "buku kerja ini bukan kuesioner ddmt (versi formatnya tidak tercatat)"),
    ("rubric_id", "buku kerja ini bukan kuesioner ddmt (rubrik yang menjadi dasarnya tidak tercatat)"),
    ("rubric_version", "buku kerja ini bukan kuesioner ddmt (rubrik yang menjadi dasarnya tidak tercatat)"),
])
def test_a_stamp_row_that_is_gone_is_named_not_taken_for_another(key: str, message: str) -> None:
    """A key with no row is reported at the head of the value column, never at a neighbouring key's cell."""
    wb = _covered(blank("id"))
    wb["About"].delete_rows(_about_rows(wb)[key])
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx")) == [f"q.xlsx: About!B1: {message}: {_REMAKE_ID}"]


def test_a_stamp_without_its_language_says_so_in_the_callers_language() -> None:
    wb = _covered(blank("id"))
    wb["About"].delete_rows(_about_rows(wb)["language"])
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", lang="en")) == [
        "q.xlsx: About!B1: this workbook is not a ddmt questionnaire (the language it was made in is not "
        "recorded): make one with \"ddmt template\" or on the app's import page"]


@pytest.mark.parametrize(("change", "read"), [
    (lambda ws: ws.delete_rows(1), True),  # the stamp's first key in row 1
    (lambda ws: ws.insert_rows(1, 34), True),  # "language" in row 40, the last one read
    (lambda ws: ws.insert_rows(1, 35), False),  # "language" in row 41, past the rows read
])
def test_the_stamp_is_read_by_its_keys_anywhere_in_its_first_forty_rows(change: Callable[[Any], None],
                                                                        read: bool) -> None:
    wb = _covered(blank("id"))
    change(wb["About"])
    data = saved(wb)
    if read:
        assert import_workbook(data, "q.xlsx", today=TODAY)["language"] == "id"
    else:
        assert [issue.place for issue in caught_issues(lambda: import_workbook(data, "q.xlsx"))] == ["About!B1"]


def test_a_stamp_key_given_twice_is_read_from_its_first_row() -> None:
    wb = _covered(blank("id"))
    wb["About"]["A20"], wb["About"]["B20"] = "language", "en"
    assert import_workbook(saved(wb), "q.xlsx", today=TODAY)["language"] == "id"


def test_a_formula_in_the_stamp_is_refused_at_its_cell() -> None:
    wb = _covered(blank("id"))
    wb["About"][f"B{_about_rows(wb)['language']}"] = '="id"'
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx")) == [
        'q.xlsx: About!B6: a formula (="id") where a value belongs: type the value',
        "q.xlsx: About!B6: this workbook is not a ddmt questionnaire (the language it was made in is not "
        "recorded): make one with \"ddmt template\" or on the app's import page"]


@pytest.mark.parametrize(("key", "value", "given", "message"), [
    ("rubric_version", "9.9.9", None, "About!B5: buku kerja ini dibuat untuk rubrik digital-diplomacy versi 9.9.9, "
                                      "yang tidak tersedia (yang tersedia: 1.0.0, 1.1.0)"),
    ("rubric_id", "other-rubric", None, "About!B4: buku kerja ini dibuat untuk rubrik other-rubric versi 1.0.0, "
                                        "yang tidak tersedia"),
    ("rubric_version", None, None, "About!B5: buku kerja ini bukan kuesioner ddmt (rubrik yang menjadi dasarnya "
                                   f"tidak tercatat): {_REMAKE_ID}"),
    (None, None, "1.1.0", "About!B5: buku kerja ini dibuat untuk rubrik digital-diplomacy versi 1.0.0, bukan "
                          "digital-diplomacy versi 1.1.0: buat kuesioner baru untuk rubrik ini"),
])
def test_a_rubric_the_stamp_names_wrongly_is_told_at_its_cell_in_the_stamps_language(
        key: str | None, value: Any, given: str | None, message: str) -> None:
    wb = _covered(blank("id"))
    if key:
        wb["About"][f"B{_about_rows(wb)[key]}"] = value
    rubric = find_rubric("digital-diplomacy", given) if given else None
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", rubric=rubric, lang="en")) == [f"q.xlsx: {message}"]


@pytest.mark.parametrize(("language", "place", "detail"), [
    (None, "About!B1", "bahasa pembuatannya tidak tercatat"), ("fr", "About!B6", 'bahasa "fr" tidak dikenal')])
def test_a_stamp_in_no_known_language_is_refused_in_the_readers_language(language: str | None, place: str,
                                                                          detail: str) -> None:
    wb = _covered(blank("en"))
    if language is None:
        wb["About"].delete_rows(_about_rows(wb)["language"])
    else:
        wb["About"][f"B{_about_rows(wb)['language']}"] = language
    assert problems(lambda: import_workbook(saved(wb), "q.xlsx", lang="id")) == [
        f"q.xlsx: {place}: buku kerja ini bukan kuesioner ddmt ({detail}): {_REMAKE_ID}"]
