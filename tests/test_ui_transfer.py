"""Import and export page (AppTest): problems are previewed with their place and nothing is written;
a valid file imports; the current and all assessments download as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from ui_support import (  # noqa: F401  (fixtures)
    REPO,
    SAMPLE_COUNT,
    TRANSFER,
    app_script,
    fresh_store,
    seeded_template,
    start,
    texts,
    ui_data,
)

from test_workbook_guard import corpus

from toolkit.model.documents import validate_assessment
from toolkit.ui.widgets import document_json, documents_zip, scores_csv

SAMPLE = REPO / "sample_ministries" / "maravu-mfa-2025.json"


def sample(**changes) -> dict:
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def upload(at, name: str, data: bytes):
    at.file_uploader[0].upload(name, data, "application/json")
    return at.run()


def problems(at) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in at.dataframe[0].value.itertuples(index=False)]


def test_malformed_json_is_located_and_nothing_is_written(ui_data, app_script):
    at = start(app_script, TRANSFER)
    upload(at, "broken.json", b'{"kind": "assessment",\n  "id": }')
    assert not at.exception
    assert any("Nothing was written" in e.value for e in at.error)
    assert problems(at) == [("broken.json", "line 2, column 9", "malformed JSON: expected a value")]
    assert next(b for b in at.button if b.label == "Import").disabled
    assert len(fresh_store().assessments()) == SAMPLE_COUNT


def test_invalid_answers_are_listed_with_their_json_paths(ui_data, app_script):
    doc = sample(id="maravu-mfa-2099")
    first = next(iter(doc["answers"]))
    doc["answers"][first] = {"level": 9, "evidence": [{"kind": "url", "value": "javascript:alert(1)"}]}
    at = start(app_script, TRANSFER)
    upload(at, "bad\x1b[31m.json", json.dumps(doc).encode())
    assert not at.exception
    found = problems(at)
    assert {place for _, place, _ in found} >= {f'$.answers["{first}"].level',
                                               f'$.answers["{first}"].evidence[0].value'}
    assert all(file == "bad_[31m.json" for file, _, _ in found)  # a hostile name is shown defused
    assert len(fresh_store().assessments()) == SAMPLE_COUNT


def test_an_existing_id_is_refused_before_import(ui_data, app_script):
    at = start(app_script, TRANSFER)
    upload(at, "maravu.json", SAMPLE.read_bytes())
    assert problems(at) == [("maravu.json", "$.id",
                             'an assessment with the id "maravu-mfa-2025" exists already; nothing was changed')]


def test_a_valid_file_imports_and_opens(ui_data, app_script):
    at = start(app_script, TRANSFER, user="Importer")
    upload(at, "new.json", json.dumps(sample(id="maravu-mfa-2099", period="2099")).encode())
    assert any("valid and can be imported" in s.value for s in at.success)
    assert len(fresh_store().assessments()) == SAMPLE_COUNT  # nothing before the button
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    assert "maravu-mfa-2099" in {s.id for s in fresh_store().assessments()}
    assert not at.dataframe  # the uploader was cleared: no stale "exists" preview
    next(b for b in at.button if b.label == "Open it").click().run()
    assert at.query_params["assessment"] == "maravu-mfa-2099"
    assert at.title[0].value == "Assess"


def test_an_import_waits_for_a_name_and_records_it(ui_data, app_script):
    """auth none, nobody named: the file is checked, but importing (a write) asks for a name first."""
    at = start(app_script, TRANSFER, user="")
    upload(at, "new.json", json.dumps(sample(id="maravu-mfa-2098", period="2098")).encode())
    assert any("valid and can be imported" in s.value for s in at.success)
    assert "Import" not in [b.label for b in at.button]
    assert any(text.startswith("Before your first change: give your name") for text in texts(at))
    at.text_input(key="state_name_typed").input("Ibu Sari")
    next(b for b in at.button if b.label == "Continue").click().run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    store = fresh_store()
    assert {entry.user for entry in store.history("maravu-mfa-2098")} == {"Ibu Sari"}


def test_an_indonesian_questionnaire_is_answered_in_indonesian_in_an_english_app(ui_data, app_script):
    """The preview lists a questionnaire's problems in the workbook's language, by sheet and cell."""
    file_name, data, expected = corpus().generated()["indonesian-errors"]
    at = start(app_script, TRANSFER)
    at.file_uploader[0].upload(file_name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    assert not at.exception
    assert any("Nothing was written" in e.value for e in at.error)  # the app's own words stay English
    assert [": ".join(row) for row in problems(at)] == list(expected)
    assert ("kuesioner.xlsx", "Kuesioner!K3", "tingkat 9 tidak diizinkan (0-4)") in problems(at)
    assert next(b for b in at.button if b.label == "Import").disabled
    assert len(fresh_store().assessments()) == SAMPLE_COUNT


def test_exports_for_the_current_assessment_and_for_all(ui_data, app_script):
    at = start(app_script, TRANSFER, assessment="tumbaro-mfa-2025")
    assert not at.exception
    labels = [button.label for button in at.get("download_button")]
    assert labels == ["Assessment (JSON)", "Consultant workbook (.xlsx)", "Scores (CSV)", "Report (.pdf)",
                      "Report (.html)", "Questionnaire for this respondent (.xlsx)", "Blank questionnaire (.xlsx)",
                      "All assessments (JSON files in a zip)", "All scores (CSV)"]  # tumbaro's is a team round
    store = fresh_store()
    document = json.loads(document_json(store, "tumbaro-mfa-2025"))
    assert validate_assessment(document).valid and document["id"] == "tumbaro-mfa-2025"
    rows = list(csv.DictReader(io.StringIO(scores_csv(store, ["tumbaro-mfa-2025"]))))
    assert rows[0]["node"] == "overall" and {row["assessment"] for row in rows} == {"tumbaro-mfa-2025"}
    with zipfile.ZipFile(io.BytesIO(documents_zip(store))) as archive:
        assert len(archive.namelist()) == SAMPLE_COUNT


def test_without_a_current_assessment_only_the_all_exports_show(ui_data, app_script):
    at = start(app_script, TRANSFER, language="id")
    assert not at.exception
    assert at.title[0].value == "Impor dan ekspor"
    assert [button.label for button in at.get("download_button")] == [
        "Kuesioner kosong (.xlsx)", "Semua asesmen (berkas JSON dalam zip)", "Semua skor (CSV)"]


def test_workbook_questionnaire_round_trip_and_shared_exports(tmp_path):
    """A blank questionnaire is refused with located problems, a filled one imports; exports honour sharing."""
    import io
    import json

    from conftest import REPO
    from openpyxl import load_workbook

    from toolkit.io.template import questionnaire_bytes
    from toolkit.model.catalogue import find_rubric
    from toolkit.store.store import Store
    from toolkit.ui.pages import transfer

    store = Store.open(f"sqlite:///{tmp_path / 'ddmt.sqlite3'}")
    rubric = find_rubric("digital-diplomacy", "1.0.0")
    blank = questionnaire_bytes(rubric, "en")
    _, problems = transfer.check_upload(store, blank, "blank.xlsx")
    assert problems and all(place for _, place, _ in problems)
    assert any("!" in place for _, place, _ in problems)  # located by sheet and cell
    book = load_workbook(io.BytesIO(blank))
    cover = book.worksheets[0]
    filled = {}
    for row in cover.iter_rows(min_row=1, max_row=20):
        label = str(row[0].value or "").lower()
        for key, value in (("ministry name", "Ministry of Foreign Affairs of Testland"), ("country", "Testland"),
                           ("period", "2027")):
            if label.startswith(key):
                row[1].value = value
                filled[key] = True
    buffer = io.BytesIO()
    book.save(buffer)
    assert sorted(filled) == ["country", "ministry name", "period"]  # the cover's labels were found
    doc, problems = transfer.check_upload(store, buffer.getvalue(), "filled.xlsx")
    assert problems == []
    assert doc is not None and doc["kind"] == "assessment" and doc["period"] == "2027"
    assert doc["ministry"]["name"] == "Ministry of Foreign Affairs of Testland" and doc["answers"] == {}
    sample = json.loads((REPO / "sample_ministries" / "orrinth-mfa-2025.json").read_text(encoding="utf-8"))
    public, left_out = transfer.share_document(sample, "public")
    assert left_out > 0
    assert all(item.get("sensitivity") == "public"
               for answer in public["answers"].values() for item in answer.get("evidence", []))



def test_report_downloads_take_branding_and_the_previous_round(ui_data, app_script):
    """The report's previous round defaults to the latest earlier round; the names reach the report."""
    from toolkit.reports.branding import Branding
    from toolkit.ui.report_downloads import report_bytes

    at = start(app_script, TRANSFER, assessment="tumbaro-mfa-2026")
    assert not at.exception
    assert at.selectbox(key="transfer_previous").value == "tumbaro-mfa-2025"
    at.text_input(key="transfer_prepared_by").input("Acme <b>Advisory</b>").run()
    assert not at.exception and not at.error
    page = report_bytes(fresh_store(), "tumbaro-mfa-2026", "tumbaro-mfa-2025", "id", "public",
                        Branding(prepared_by="Acme <b>Advisory</b>", colours={"brand": "#1F3864"}), "html").decode()
    assert "Acme &lt;b&gt;Advisory&lt;/b&gt;" in page and "Perubahan sejak putaran sebelumnya" in page
    assert "2025" in page.split("Perubahan sejak putaran sebelumnya", 2)[2]


def test_a_refused_logo_is_named_and_no_report_is_offered(ui_data, app_script):
    at = start(app_script, TRANSFER, assessment="tumbaro-mfa-2026")
    at.file_uploader(key="transfer_logo").upload("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
                                                 "image/svg+xml")
    at.run()
    assert not at.exception
    assert at.error[0].value == "This logo cannot be used:"
    assert "event handler (onload)" in " ".join(texts(at))
    assert "Report (.pdf)" not in [button.label for button in at.get("download_button")]


def test_a_respondents_copy_goes_to_their_response_only(ui_data, app_script):
    """The facilitator downloads a copy per respondent; uploaded back, it replaces that respondent's answers."""
    from test_respondent_copies import copy_for, filled

    from toolkit.access.roles import Principal
    from toolkit.access.team import TeamRound
    from toolkit.access.workspace import Workspace

    round_id = "tumbaro-mfa-2025"
    before = fresh_store()
    answers = before.load(round_id).answers
    others = {item.respondent.id: item for item in TeamRound(Workspace(before, Principal.of("x", (), is_admin=True)))
              .all_responses(round_id) if item.respondent.id != "press"}
    at = start(app_script, TRANSFER, assessment=round_id, user="")
    assert "Questionnaire for this respondent (.xlsx)" in [button.label for button in at.get("download_button")]
    upload(at, "press.xlsx", filled(copy_for()))
    assert not at.exception
    assert any("This is the questionnaire of Press officer (press), a respondent of round tumbaro-mfa-2025" in item.value
               and "2 answer(s)" in item.value for item in at.info)
    # Nobody named yet (auth none): the preview shows, the import waits for a name for the audit trail.
    assert "Import as Press officer's response" not in [b.label for b in at.button]
    at.text_input(key="state_name_typed").input("Ibu Sari")
    next(b for b in at.button if b.label == "Continue").click().run()
    assert at.query_params.get("name") in ("Ibu Sari", ["Ibu Sari"])
    next(b for b in at.button if b.label == "Import as Press officer's response").click().run()
    assert not at.exception
    assert any("Press officer's response in round tumbaro-mfa-2025 now holds 2 answer(s)" in s.value for s in at.success)
    after = fresh_store()
    team = TeamRound(Workspace(after, Principal.of("x", (), is_admin=True)))
    responses = {item.respondent.id: item for item in team.all_responses(round_id)}
    assert sorted(responses["press"].answers) == ["gov.strategy", "ins.official_accounts"]
    assert {key: value for key, value in responses.items() if key != "press"} == others
    assert after.load(round_id).answers == answers  # never the consolidated answers
    assert len(after.assessments()) == SAMPLE_COUNT  # and no new round


def test_a_respondents_copy_is_refused_to_those_who_do_not_facilitate_its_round(ui_data):
    from test_respondent_copies import copy_for, filled

    from toolkit.access.roles import Principal
    from toolkit.access.workspace import Workspace
    from toolkit.io.respondent_copies import copy_of
    from toolkit.ui.pages import transfer

    data = filled(copy_for())
    target = copy_of(data, "press.xlsx")
    store = fresh_store()
    for person in (Principal.of("amir", [("dravenia-mfa", "assessor")]), Principal.of("vic", [("tumbaro-mfa", "viewer")])):
        response, problems = transfer.check_response_upload(Workspace(store, person), data, "press.xlsx", target)
        assert response is None and problems == [
            ("press.xlsx", "About!B8", "this questionnaire is for round tumbaro-mfa-2025, which you do not facilitate "
                                       "(or which does not exist): nothing was imported")]
    facilitator = Workspace(store, Principal.of("fatima", [("tumbaro-mfa", "assessor")]))
    response, problems = transfer.check_response_upload(facilitator, data, "press.xlsx", target)
    assert problems == [] and response.respondent.id == "press"
