"""Questionnaires per respondent (SPEC 12, offline): made for one respondent of one round, a filled copy comes
back as that respondent's response only; copies of another round or ministry, for an unknown respondent, or
with changed ids on the About sheet are refused, naming the file and the cell."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import REPO

from toolkit.cli import main as cli
from toolkit.errors import DocumentError
from toolkit.io.imports import import_workbook
from toolkit.io.respondent_copies import import_response
from toolkit.io.template import RespondentCopy, column_letters, cover_cell, questionnaire_bytes
from toolkit.model.assessment import Answer, Assessment, Evidence, Respondent
from toolkit.model.catalogue import find_rubric

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
ROUND_FILE = REPO / "sample_ministries" / "tumbaro-mfa-2025.json"
ROUND = Assessment.from_dict(json.loads(ROUND_FILE.read_text()))
PRESS = next(item.respondent for item in ROUND.responses if item.respondent.id == "press")
FILE = "press.xlsx"


def copy_for(respondent: Respondent = PRESS, round_: Assessment = ROUND, language: str = "en") -> bytes:
    return questionnaire_bytes(RUBRIC, language, RespondentCopy(round_.id, round_.ministry, round_.period, respondent))


def filled(data: bytes, **about: str) -> bytes:
    """The copy as a respondent sends it back: two answers, and any About cells changed as `about` says."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet, letters = wb.worksheets[1], column_letters(RUBRIC)
    rows = {cell.value: cell.row for cell in sheet[letters["indicator"]][1:] if cell.value}
    sheet[f"{letters['answer']}{rows['ins.official_accounts']}"] = 4
    sheet[f"{letters['evidence']}{rows['ins.official_accounts']}"] = "https://mfa.tumbaro.example/accounts"
    sheet[f"{letters['answer']}{rows['gov.strategy']}"] = 1
    sheet[f"{letters['notes']}{rows['gov.strategy']}"] = "no written strategy yet"
    keys = {row[0].value: row[1] for row in wb["About"].iter_rows(min_row=2)}
    for key, value in about.items():
        keys[key].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def refusal(call: Any) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        call()
    return [str(issue) for issue in caught.value.issues]


def test_the_copy_names_the_respondent_and_locks_the_round_on_its_cover() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(copy_for()))
    about = {row[0]: row[1] for row in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert (about["round_id"], about["ministry_id"], about["respondent_id"], about["respondent_name"],
            about["respondent_unit"]) == ("tumbaro-mfa-2025", "tumbaro-mfa", "press", "Press officer",
                                          "Press and information")
    props = {prop.name: prop.value for prop in wb.custom_doc_props}
    assert props["ddmt.respondent_id"] == "press" and props["ddmt.round_id"] == "tumbaro-mfa-2025"
    cover = wb.worksheets[0]
    assert cover[cover_cell("ministry_name")].value == ROUND.ministry.name
    assert cover[cover_cell("period")].value == "2025"
    assert cover[cover_cell("assessors")].value == "Press officer (Press and information)"
    assert all(cover[cover_cell(field)].protection.locked for field in ("ministry_name", "period", "assessors"))
    assert "Press officer" in cover["A2"].value and wb["About"].sheet_state == "hidden"


def test_a_filled_copy_is_that_respondents_response() -> None:
    response = import_response(filled(copy_for()), FILE, ROUND, RUBRIC)
    assert response.respondent == PRESS
    assert dict(response.answers) == {
        "ins.official_accounts": Answer(level=4, evidence=(Evidence("url", "https://mfa.tumbaro.example/accounts"),)),
        "gov.strategy": Answer(level=1, notes="no written strategy yet")}


def test_a_copy_is_never_imported_as_a_round() -> None:
    assert refusal(lambda: import_workbook(filled(copy_for()), FILE)) == [
        'press.xlsx: About!B10: this questionnaire was made for respondent "press" ("Press officer") of round '
        '"tumbaro-mfa-2025": import it into that round as their response, not as a round of its own']


def test_a_copy_is_refused_in_the_language_it_was_made_in() -> None:
    assert refusal(lambda: import_workbook(filled(copy_for(language="id")), FILE, lang="en")) == [
        'press.xlsx: About!B10: kuesioner ini dibuat untuk responden "press" ("Press officer") pada putaran '
        '"tumbaro-mfa-2025": impor ke putaran tersebut sebagai jawaban '
        'responden itu, bukan sebagai putaran tersendiri']


def test_an_ordinary_questionnaire_is_not_a_respondents() -> None:
    assert refusal(lambda: import_response(questionnaire_bytes(RUBRIC), "blank.xlsx", ROUND, RUBRIC)) == [
        "blank.xlsx: About!B2: this questionnaire was not made for a respondent: import it as a round, or make one "
        "for the respondent"]


def test_changed_ids_on_the_about_sheet_are_refused() -> None:
    """Changing the respondent to another one of the round would otherwise overwrite that one's answers."""
    assert refusal(lambda: import_response(filled(copy_for(), respondent_id="it"), FILE, ROUND, RUBRIC)) == [
        'press.xlsx: About!B10: respondent_id "it" differs from the questionnaire as it was made ("press"): the '
        "About sheet was changed; send the respondent a new copy"]
    assert refusal(lambda: import_response(filled(copy_for(), round_id="other-2025"), FILE, ROUND, RUBRIC)) == [
        'press.xlsx: About!B8: round_id "other-2025" differs from the questionnaire as it was made '
        '("tumbaro-mfa-2025"): the About sheet was changed; send the respondent a new copy']


def test_a_copy_of_another_round_or_ministry_is_refused() -> None:
    later = Assessment.from_dict({**json.loads(ROUND_FILE.read_text()), "id": "tumbaro-mfa-2026", "period": "2026"})
    assert refusal(lambda: import_response(filled(copy_for()), FILE, later, RUBRIC)) == [
        'press.xlsx: About!B8: this questionnaire is for round "tumbaro-mfa-2025", not "tumbaro-mfa-2026": import '
        "it into its own round"]
    other = json.loads((REPO / "sample_ministries" / "dravenia-mfa-2025.json").read_text())
    elsewhere = Assessment.from_dict({**other, "id": "tumbaro-mfa-2025"})  # the same round id, another ministry
    assert refusal(lambda: import_response(filled(copy_for()), FILE, elsewhere, RUBRIC)) == [
        'press.xlsx: About!B9: this questionnaire is for ministry "tumbaro-mfa", not "dravenia-mfa"']


def test_a_copy_for_a_respondent_the_round_does_not_have_is_refused() -> None:
    others = [item.respondent for item in ROUND.responses if item.respondent.id != "press"]
    assert refusal(lambda: import_response(filled(copy_for()), FILE, ROUND, RUBRIC, respondents=others)) == [
        'press.xlsx: About!B10: respondent "press" is not a respondent of round "tumbaro-mfa-2025": invite them '
        "first, or use the copy made for them"]


# -- the command line ---------------------------------------------------------------------------------

def ddmt(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    try:
        status = cli.main([str(arg) for arg in args])
    except SystemExit as stop:
        status = int(stop.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def fill_file(path: Path) -> None:
    path.write_bytes(filled(path.read_bytes()))


def test_the_command_line_round_trip_per_respondent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    press, legal = tmp_path / "press.xlsx", tmp_path / "legal.xlsx"
    assert ddmt(capsys, "template", "--xlsx", press, "--round", ROUND_FILE, "--respondent", "press")[0] == 0
    assert ddmt(capsys, "template", "--xlsx", legal, "--round", ROUND_FILE, "--respondent", "legal",
                "--respondent-name", "Legal adviser", "--respondent-unit", "Legal")[0] == 0
    fill_file(press)
    fill_file(legal)
    status, out, err = ddmt(capsys, "import", press, "--into", ROUND_FILE, "--out", tmp_path / "one.json")
    assert (status, err) == (0, "") and "updated the response of Press officer (press): 2 answers" in out
    status, out, _ = ddmt(capsys, "import", legal, "--into", tmp_path / "one.json", "--out", tmp_path / "two.json")
    assert status == 0 and "added the response of Legal adviser (legal)" in out
    before, after = json.loads(ROUND_FILE.read_text()), json.loads((tmp_path / "two.json").read_text())
    assert after["answers"] == before["answers"]  # never the consolidated answers
    by_id = {item["respondent"]["id"]: item for item in after["responses"]}
    assert by_id["press"]["answers"] == by_id["legal"]["answers"] == {
        "ins.official_accounts": {"level": 4, "evidence": [{"kind": "url", "value": "https://mfa.tumbaro.example/accounts",
                                                            "sensitivity": "internal"}]},
        "gov.strategy": {"level": 1, "notes": "no written strategy yet"}}
    assert by_id["legal"]["respondent"] == {"id": "legal", "name": "Legal adviser", "unit": "Legal"}
    assert [item for item in after["responses"] if item["respondent"]["id"] not in ("press", "legal")] == \
        [item for item in before["responses"] if item["respondent"]["id"] != "press"]
    assert ddmt(capsys, "validate", tmp_path / "two.json")[0] == 0


def test_the_command_line_refuses_what_does_not_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    press = tmp_path / "press.xlsx"
    ddmt(capsys, "template", "--xlsx", press, "--round", ROUND_FILE, "--respondent", "press")
    status, _, err = ddmt(capsys, "import", press, "--out", tmp_path / "x.json")
    assert status == 1 and "made for respondent \"press\"" in err and "About!B10" in err
    dravenia = REPO / "sample_ministries" / "dravenia-mfa-2025.json"
    status, _, err = ddmt(capsys, "import", press, "--into", dravenia, "--out", tmp_path / "y.json")
    assert status == 1 and 'About!B8: this questionnaire is for round "tumbaro-mfa-2025"' in err
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "y.json").exists()
    status, _, err = ddmt(capsys, "template", "--xlsx", tmp_path / "n.xlsx", "--round", ROUND_FILE,
                          "--respondent", "nobody")
    assert status == 2 and "give --respondent-name" in err
    status, _, err = ddmt(capsys, "template", "--xlsx", tmp_path / "n.xlsx", "--respondent", "press")
    assert status == 2 and "--round and --respondent go together" in err
