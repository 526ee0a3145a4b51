"""The store on real databases: round trips, versions and conflicts, the audit trail, concurrency.

Every test that takes `store` or `backend` runs twice, on SQLite and on a throwaway PostgreSQL
server (`tests/pg.py`); `@only(...)` keeps the few that check one database's settings to it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pg import Backend, only
from sqlalchemy import event, text

from toolkit.errors import DocumentError, RubricNotFoundError
from toolkit.model.assessment import Assessment, Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import validate_assessment
from toolkit.store.store import ConflictError, NotFoundError, StorageError, Store

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_ministries"
SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))
RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_IDS = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
METRIC_ID = next(indicator.id for indicator in RUBRIC.indicators() if indicator.is_metric)
LEVEL_ID = LEVEL_IDS[0]
MINISTRY = Ministry(id="test-mfa", name="Ministry of Tests", country="Testland", iso3="XTS", fictional=True)
URL = "https://example.org/report"


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def round_id(store: Store) -> str:
    store.create_ministry(MINISTRY, user="ana")
    return store.create_assessment("test-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                   user="ana", assessors=["Ana", "  Budi "])


def sample(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------ opening

def test_open_uses_the_data_folder_and_sets_the_pragmas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DDMT_DATA_DIR", str(tmp_path / "data"))
    store = Store.open()
    try:
        assert (tmp_path / "data" / "ddmt.sqlite3").is_file()
        with store.engine.connect() as connection:
            pragma = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
            version = connection.exec_driver_sql("SELECT version FROM schema_version").scalar()
        assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10000}
        assert version == 1
    finally:
        store.close()


def test_database_url_setting_overrides_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DDMT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DDMT_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere' / 'app.db'}")
    store = Store.open()
    store.close()
    assert (tmp_path / "elsewhere" / "app.db").is_file()
    assert not (tmp_path / "data" / "ddmt.sqlite3").exists()
    assert store.files_dir == tmp_path / "data" / "files"


@only("sqlite")
def test_writes_begin_immediate_and_reads_do_not(store: Store, round_id: str) -> None:
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=0, user="ana")
    assert seen[0] == "BEGIN IMMEDIATE"
    seen.clear()
    store.load(round_id)
    assert seen[0] == "BEGIN"


@only("postgresql")
def test_postgresql_sessions_are_read_committed_and_wait_at_most_the_busy_timeout(backend: Backend,
                                                                                  tmp_path: Path) -> None:
    store = backend.open(tmp_path, busy_timeout=2.5)
    try:
        with store.engine.connect() as connection:
            settings = [connection.execute(text(f"SHOW {name}")).scalar()
                        for name in ("transaction_isolation", "lock_timeout")]
        assert settings == ["read committed", "2500ms"]
        # A bare postgresql:// URL gets the driver the toolkit installs, not psycopg2.
        bare = Store.open((backend.url(tmp_path) or "").replace("+psycopg", ""), data_dir=tmp_path)
        assert bare.engine.dialect.driver == "psycopg"
        bare.close()
    finally:
        store.close()


def test_a_newer_schema_is_refused(backend: Backend, tmp_path: Path) -> None:
    store = backend.open(tmp_path)
    with store.engine.begin() as connection:
        connection.execute(text("INSERT INTO schema_version VALUES (99, '2030-01-01')"))
    store.close()
    with pytest.raises(StorageError, match="newer version"):
        backend.open(tmp_path)


# ------------------------------------------------------------------------ round trips

def test_seed_load_and_export_round_trip_every_sample(backend: Backend, store: Store, tmp_path: Path) -> None:
    assert store.seed_samples(SAMPLES) == len(SAMPLE_FILES)
    assert store.seed_samples(SAMPLES) == 0  # only into an empty database
    docs = [sample(path) for path in SAMPLE_FILES]
    assert sorted(m.id for m in store.ministries()) == sorted({doc["ministry"]["id"] for doc in docs})
    summaries = {summary.id: summary for summary in store.assessments()}
    fresh = backend.open(tmp_path / "fresh")
    try:
        for doc in docs:
            expected = Assessment.from_dict(doc)
            assert store.load(doc["id"]) == expected
            exported = store.to_document(doc["id"])
            assert exported == doc
            own = find_rubric(doc["rubric"]["id"], doc["rubric"]["version"])  # 1.0.0 or 1.1.0: in its own order
            assert list(exported["answers"]) == [i for i in (x.id for x in own.indicators()) if i in doc["answers"]]
            assert fresh.import_document(exported, user="importer") == doc["id"]
            imported = fresh.load(doc["id"])
            assert imported.status == "draft"  # only the review workflow moves a round on (SPEC 13)
            assert all(item.added_by == "importer" for answer in imported.answers.values() for item in answer.evidence)
            assert imported == _as_imported(expected, imported)
            answered = sum(1 for answer in expected.answers.values() if answer.status != "missing")
            assert summaries[doc["id"]].answered == answered
            assert summaries[doc["id"]].ministry_name == doc["ministry"]["name"]
    finally:
        fresh.close()
    assert len(store.assessments("tumbaro-mfa")) == 3


def _as_imported(expected: Assessment, imported: Assessment) -> Assessment:
    """`expected` as an import stores it: a draft, evidence added by the importer at the import's time."""
    stamp = next((item.added_at for answer in imported.answers.values() for item in answer.evidence), None)
    answers = {key: replace(answer, evidence=tuple(replace(item, added_by="importer", added_at=stamp)
                                                   for item in answer.evidence))
               for key, answer in expected.answers.items()}
    return replace(expected, status="draft", answers=answers)


def test_an_edited_assessment_exports_a_valid_document_that_round_trips(backend: Backend, store: Store,
                                                                        round_id: str, tmp_path: Path) -> None:
    store.save_answer(round_id, LEVEL_ID, {"level": 2, "target": 3, "confidence": "high", "notes": "ok"},
                      expected_version=0, user="ana")
    store.save_answer(round_id, METRIC_ID, {"value": 12}, expected_version=0, user="ana")
    store.save_answer(round_id, LEVEL_IDS[1], {"na": True, "na_reason": "no embassy"}, expected_version=0, user="ana")
    store.add_evidence(round_id, LEVEL_ID, Evidence(kind="url", value=URL), expected_version=1, user="budi")
    doc = store.to_document(round_id)
    assert validate_assessment(doc, RUBRIC).valid
    assert doc["assessors"] == ["Ana", "Budi"]
    assert doc["answers"][LEVEL_ID]["evidence"][0]["added_by"] == "budi"
    fresh = backend.open(tmp_path / "fresh")
    try:
        fresh.import_document(doc, user="importer")
        assert fresh.load(round_id) == _as_imported(store.load(round_id), fresh.load(round_id))
    finally:
        fresh.close()


def test_a_save_survives_reopening_the_database(backend: Backend, tmp_path: Path) -> None:
    first = backend.open(tmp_path)
    first.create_ministry(MINISTRY, user="ana")
    round_id = first.create_assessment("test-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                       user="ana")
    saved = first.save_answer(round_id, LEVEL_ID, {"level": 3}, expected_version=0, user="ana")
    first.close()
    second = backend.open(tmp_path)
    try:
        assert second.answers(round_id)[LEVEL_ID] == saved
        assert second.load(round_id).answer(LEVEL_ID).level == 3
    finally:
        second.close()


# ---------------------------------------------------------------- versions and conflicts

def test_the_second_of_two_savers_gets_a_conflict_with_the_first_ones_answer(store: Store, round_id: str) -> None:
    store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=0, user="ana")
    first = store.save_answer(round_id, LEVEL_ID, {"level": 2}, expected_version=1, user="ana")
    with pytest.raises(ConflictError) as raised:
        store.save_answer(round_id, LEVEL_ID, {"level": 4}, expected_version=1, user="budi")
    assert raised.value.current == first
    assert raised.value.current.answer.level == 2 and raised.value.current.version == 2
    assert "ana" in str(raised.value)
    assert store.answers(round_id)[LEVEL_ID] == first  # nothing overwritten
    assert [entry.new for entry in store.history(round_id, LEVEL_ID)] == ["1", "2"]


def test_two_first_saves_of_one_answer_conflict(store: Store, round_id: str) -> None:
    first = store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=0, user="ana")
    with pytest.raises(ConflictError) as raised:
        store.save_answer(round_id, LEVEL_ID, {"level": 3}, expected_version=0, user="budi")
    assert raised.value.current == first


def test_a_save_based_on_a_version_never_stored_conflicts_with_the_empty_answer(store: Store, round_id: str) -> None:
    with pytest.raises(ConflictError) as raised:
        store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=3, user="ana")
    assert raised.value.current.version == 0 and raised.value.current.answer.status == "missing"


def test_a_save_that_changes_nothing_writes_nothing(store: Store, round_id: str) -> None:
    saved = store.save_answer(round_id, LEVEL_ID, {"level": 1, "notes": ""}, expected_version=0, user="ana")
    again = store.save_answer(round_id, LEVEL_ID, {"level": 1, "notes": None}, expected_version=1, user="budi")
    assert again == saved
    assert [entry.field for entry in store.history(round_id, LEVEL_ID)] == ["level"]


def test_evidence_changes_bump_the_version(store: Store, round_id: str) -> None:
    added = store.add_evidence(round_id, LEVEL_ID, Evidence(kind="url", value=f"  {URL} "),
                               expected_version=0, user="ana")
    assert added.version == 1 and added.answer.evidence[0].value == URL
    text = Evidence(kind="text", value="minutes of the board", sensitivity="restricted")
    second = store.add_evidence(round_id, LEVEL_ID, text, expected_version=1, user="ana")
    assert second.version == 2 and [item.kind for item in second.answer.evidence] == ["url", "text"]
    with pytest.raises(ConflictError):
        store.add_evidence(round_id, LEVEL_ID, text, expected_version=1, user="budi")
    removed = store.remove_evidence(round_id, LEVEL_ID, 0, expected_version=2, user="budi")
    assert removed.version == 3 and [item.kind for item in removed.answer.evidence] == ["text"]
    with pytest.raises(StorageError, match="no evidence item 5"):
        store.remove_evidence(round_id, LEVEL_ID, 5, expected_version=3, user="budi")
    entries = store.history(round_id, LEVEL_ID)
    assert [(entry.user, entry.old is None, entry.new is None) for entry in entries] == [
        ("ana", True, False), ("ana", True, False), ("budi", False, True)]
    assert json.loads(entries[2].old) == {"kind": "url", "value": URL, "sensitivity": "internal"}


def test_evidence_count_is_limited_per_indicator(backend: Backend, tmp_path: Path) -> None:
    store = backend.open(tmp_path, max_evidence=2)
    try:
        store.create_ministry(MINISTRY, user="ana")
        round_id = store.create_assessment("test-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                           user="ana")
        for version in (0, 1):
            store.add_evidence(round_id, LEVEL_ID, Evidence(kind="text", value="x"), expected_version=version,
                               user="ana")
        with pytest.raises(StorageError, match="at most 2 evidence items"):
            store.add_evidence(round_id, LEVEL_ID, Evidence(kind="text", value="x"), expected_version=2, user="ana")
        doc = store.to_document(round_id)
        doc["id"] = "test-mfa-copy"
        doc["answers"][LEVEL_ID]["evidence"].append({"kind": "text", "value": "one too many"})
        with pytest.raises(StorageError, match="the limit is 2"):
            store.import_document(doc, user="ana")
        assert [summary.id for summary in store.assessments()] == [round_id]
    finally:
        store.close()


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                 "file:///etc/passwd", "ftp://example.org/x", "java\tscript:alert(1)",
                                 "//example.org/x", "example.org", "http:/x", ""])
def test_evidence_urls_must_be_http_or_https(store: Store, round_id: str, url: str) -> None:
    with pytest.raises(StorageError):
        store.add_evidence(round_id, LEVEL_ID, Evidence(kind="url", value=url), expected_version=0, user="ana")
    assert store.get_answer(round_id, LEVEL_ID).version == 0


def test_file_evidence_needs_a_stored_file_and_keeps_a_display_name(store: Store, round_id: str) -> None:
    missing = Evidence(kind="file", name="a.pdf", sha256="0" * 64)
    with pytest.raises(StorageError, match="not uploaded"):
        store.add_evidence(round_id, LEVEL_ID, missing, expected_version=0, user="ana")
    sha256, _ = store.put_file(b"%PDF-1.7\n...", "../../etc/report.pdf")
    with pytest.raises(StorageError, match="not uploaded"):  # stored, but uploaded into no ministry
        store.add_evidence(round_id, LEVEL_ID, Evidence(kind="file", sha256=sha256), expected_version=0, user="ana")
    assert store.put_file(b"%PDF-1.7\n...", "report.pdf", ministry_id="test-mfa", user="ana")[0] == sha256
    saved = store.add_evidence(round_id, LEVEL_ID, Evidence(kind="file", sha256=sha256.upper()),
                               expected_version=0, user="ana")
    assert (saved.answer.evidence[0].name, saved.answer.evidence[0].sha256) == ("report.pdf", sha256)
    renamed = store.add_evidence(round_id, LEVEL_ID, Evidence(kind="file", name="C:\\x\\\u202egpj.exe", sha256=sha256),
                                 expected_version=1, user="ana")
    assert renamed.answer.evidence[1].name == "gpj.exe"


# --------------------------------------------------------------------- checks on values

@pytest.mark.parametrize(("indicator", "changes", "message"), [
    (METRIC_ID, {"level": 2}, "takes a \"value\""),
    (LEVEL_ID, {"value": 2.5}, "takes a \"level\""),
    (LEVEL_ID, {"level": 9}, "not a level of the scale"),
    (LEVEL_ID, {"level": -1}, "whole number"),
    (LEVEL_ID, {"level": True}, "whole number"),
    (LEVEL_ID, {"target": 9}, "not a level of the scale"),
    (METRIC_ID, {"value": float("nan")}, "finite number"),
    (LEVEL_ID, {"confidence": "certain"}, "confidence must be one of"),
    (LEVEL_ID, {"na": "yes"}, "true or false"),
    (LEVEL_ID, {"notes": "x" * 20_001}, "longer than the limit"),
    ("no.such_indicator", {"level": 1}, "not an indicator"),
])
def test_invalid_values_are_refused(store: Store, round_id: str, indicator: str, changes: dict[str, Any],
                                    message: str) -> None:
    with pytest.raises(StorageError, match=message):
        store.save_answer(round_id, indicator, changes, expected_version=0, user="ana")
    assert store.history(round_id, indicator) == []


HALF = "half \ud800 a character"  # a lone surrogate: a Python str can hold it, no UTF-8 text or database can


def _half(where: str, label: str) -> str:
    return (f"^{where}: {label} holds \\\\ud800, half of a UTF-16 surrogate pair and not a character; "
            "nothing was saved$")


@pytest.mark.parametrize("field", ["notes", "na_reason"])
def test_a_lone_surrogate_in_an_answer_is_refused_by_name(store: Store, round_id: str, field: str) -> None:
    with pytest.raises(StorageError, match=_half(LEVEL_ID, field)) as raised:
        store.save_answer(round_id, LEVEL_ID, {"level": 1, field: HALF}, expected_version=0, user="ana")
    str(raised.value).encode("utf-8")
    assert store.get_answer(round_id, LEVEL_ID).version == 0 and store.history(round_id, LEVEL_ID) == []


def test_a_lone_surrogate_in_names_and_labels_is_refused_by_name(store: Store, round_id: str) -> None:
    before = store.history(round_id)
    for ministry, label in ((replace(MINISTRY, id="other", name=HALF), "the name"),
                            (replace(MINISTRY, id="other", country=HALF), "the country"),
                            (replace(MINISTRY, id="other", region=HALF), "the region")):
        with pytest.raises(StorageError, match=_half("other", label)):
            store.create_ministry(ministry, user="ana")
    with pytest.raises(StorageError, match=_half("test-mfa", "the period")):
        store.create_assessment("test-mfa", HALF, rubric_id=RUBRIC.id, rubric_version=RUBRIC.version, user="ana")
    with pytest.raises(StorageError, match=_half("test-mfa", "an assessor's name")):
        store.create_assessment("test-mfa", "2027", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version, user="ana",
                                assessors=["Ana", HALF])
    with pytest.raises(StorageError, match=_half("the change", "the name of the person making it")):
        store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=0, user=HALF)
    assert [ministry.id for ministry in store.ministries()] == ["test-mfa"]
    assert [summary.id for summary in store.assessments()] == [round_id]
    assert store.history(round_id) == before


def test_a_lone_surrogate_in_an_imported_document_is_a_located_issue(store: Store) -> None:
    doc = sample(SAMPLE_FILES[0])
    doc["ministry"]["name"] = HALF
    with pytest.raises(DocumentError) as raised:
        store.import_document(doc, user="ana", name="upload.json")
    assert [str(issue) for issue in raised.value.issues] == [
        "upload.json: $.ministry.name: not UTF-8 text: \\ud800 is half of a UTF-16 surrogate pair, not a character"]
    assert store.assessments() == [] and store.ministries() == []


def test_a_lone_surrogate_that_reaches_the_database_is_still_a_storage_error(store: Store, round_id: str) -> None:
    """The last line of defence, for a value no check names: an id looked up, say."""
    with pytest.raises(StorageError, match="half of a UTF-16 surrogate pair") as raised:
        store.get_answer("x\ud800", LEVEL_ID)
    str(raised.value).encode("utf-8")


def test_unknown_fields_are_a_programming_error(store: Store, round_id: str) -> None:
    with pytest.raises(ValueError, match="not answer fields: levle"):
        store.save_answer(round_id, LEVEL_ID, {"levle": 1}, expected_version=0, user="ana")


def test_missing_things_are_not_found(store: Store, round_id: str) -> None:
    with pytest.raises(NotFoundError):
        store.load("nope")
    with pytest.raises(LookupError):
        store.save_answer("nope", LEVEL_ID, {"level": 1}, expected_version=0, user="ana")
    with pytest.raises(NotFoundError):
        store.create_assessment("nope", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version, user="ana")
    with pytest.raises(RubricNotFoundError):
        store.create_assessment("test-mfa", "2026", rubric_id=RUBRIC.id, rubric_version="9.9.9", user="ana")


# ------------------------------------------------------------------------------ the audit trail

def test_every_change_is_audited(store: Store, round_id: str) -> None:
    store.save_answer(round_id, LEVEL_ID, {"level": 1, "confidence": "low"}, expected_version=0, user="ana")
    store.save_answer(round_id, LEVEL_ID, {"level": 2, "confidence": "low", "na": False}, expected_version=1,
                      user="budi")
    store.save_answer(round_id, LEVEL_ID, {"confidence": None}, expected_version=2, user="budi")
    store.set_status(round_id, "submitted", user="citra")
    store.set_status(round_id, "submitted", user="citra")  # no change, no row
    entries = store.history(round_id)
    assert [(e.user, e.indicator_id, e.field, e.old, e.new) for e in entries[1:]] == [
        ("ana", LEVEL_ID, "level", None, "1"),
        ("ana", LEVEL_ID, "confidence", None, "low"),
        ("budi", LEVEL_ID, "level", "1", "2"),
        ("budi", LEVEL_ID, "confidence", "low", None),
        ("citra", None, "status", "draft", "submitted"),
    ]
    created = entries[0]
    assert (created.user, created.field, json.loads(created.new or "")["period"]) == ("ana", "created", "2026")
    assert all(entry.at.endswith("Z") and entry.at[:4].isdigit() for entry in entries)
    assert entries == sorted(entries, key=lambda entry: entry.at)
    assert store.load(round_id).status == "submitted"


def test_imports_are_audited(store: Store) -> None:
    store.seed_samples(SAMPLES)
    entry = store.history("maravu-mfa-2025")[0]
    assert (entry.user, entry.field) == ("sample data", "imported")
    assert json.loads(entry.new or "") == {"answers": 51, "source": "maravu-mfa-2025.json"}


# ------------------------------------------------------------------------- rounds and imports

def test_new_rounds_get_unique_ids_and_start_as_drafts(store: Store, round_id: str) -> None:
    assert round_id == "test-mfa-2026"
    again = store.create_assessment("test-mfa", " 2026 ", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                    user="ana")
    odd = store.create_assessment("test-mfa", "2026 Q1 / Révision", rubric_id=RUBRIC.id,
                                  rubric_version=RUBRIC.version, user="ana")
    assert (again, odd) == ("test-mfa-2026-2", "test-mfa-2026-q1-r-vision")
    summary = store.assessments("test-mfa")[0]
    assert (summary.status, summary.answered, summary.fictional, summary.period) == ("draft", 0, True, "2026")
    with pytest.raises(StorageError, match="already exists"):
        store.create_ministry(MINISTRY, user="ana")
    with pytest.raises(StorageError, match="ISO country code"):
        store.create_ministry(replace(MINISTRY, id="other", iso3="xx"), user="ana")
    with pytest.raises(StorageError, match="needs a period"):
        store.create_assessment("test-mfa", "  ", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version, user="ana")


def test_an_invalid_document_is_refused_with_every_issue(store: Store) -> None:
    doc = sample(SAMPLE_FILES[0])
    doc["status"] = "finished"
    doc["answers"][LEVEL_ID] = {"level": 9, "evidence": [{"kind": "url", "value": "javascript:alert(1)"}]}
    with pytest.raises(DocumentError) as raised:
        store.import_document(doc, user="ana", name="upload.json")
    assert {issue.code for issue in raised.value.issues} == {"bad-value", "not-on-scale", "unsafe-url"}
    assert all(issue.file == "upload.json" for issue in raised.value.issues)
    doc = sample(SAMPLE_FILES[0]) | {"rubric": {"id": RUBRIC.id, "version": "9.9.9"}}
    with pytest.raises(DocumentError, match="not available"):
        store.import_document(doc, user="ana")
    assert store.assessments() == [] and store.ministries() == []


def test_an_existing_id_is_refused_and_nothing_changes(store: Store) -> None:
    doc = sample(SAMPLE_FILES[0])
    store.import_document(doc, user="ana")
    before = store.load(doc["id"])
    changed = doc | {"status": "draft", "answers": {}}
    with pytest.raises(StorageError, match="already exists"):
        store.import_document(changed, user="budi")
    assert store.load(doc["id"]) == before
    assert [entry.user for entry in store.history(doc["id"])] == ["ana"]


# ----------------------------------------------------------------------------- faults and load

def test_a_locked_database_is_a_plain_storage_error_and_nothing_is_written(backend: Backend,
                                                                          tmp_path: Path) -> None:
    store = backend.open(tmp_path, busy_timeout=0.2)
    try:
        store.create_ministry(MINISTRY, user="ana")
        round_id = store.create_assessment("test-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                           user="ana")
        with backend.write_lock(tmp_path):  # another process holding the write lock too long
            with pytest.raises(StorageError, match="busy") as raised:
                store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=0, user="ana")
            assert "nothing was saved" in str(raised.value)
            assert store.get_answer(round_id, LEVEL_ID).version == 0  # reads go on
        assert store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=0, user="ana").version == 1
    finally:
        store.close()


def test_concurrent_saves_of_one_answer_let_exactly_one_win(store: Store, round_id: str) -> None:
    """The compare-and-set under real concurrency: SQLite's write lock, PostgreSQL's row lock and re-check."""
    base = store.save_answer(round_id, LEVEL_ID, {"level": 1}, expected_version=0, user="ana")
    savers = 6
    start = threading.Barrier(savers)
    won: list[int] = []
    conflicts: list[ConflictError] = []
    errors: list[BaseException] = []

    def save(number: int) -> None:
        try:
            start.wait()
            store.save_answer(round_id, LEVEL_ID, {"notes": f"saver {number}"}, expected_version=base.version,
                              user=f"saver {number}")
            won.append(number)
        except ConflictError as conflict:
            conflicts.append(conflict)
        except BaseException as error:  # collected so the test reports it
            errors.append(error)

    threads = [threading.Thread(target=save, args=(number,)) for number in range(savers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(won) == 1 and len(conflicts) == savers - 1
    stored = store.get_answer(round_id, LEVEL_ID)
    assert (stored.version, stored.answer.notes) == (2, f"saver {won[0]}")
    assert all(conflict.current == stored for conflict in conflicts)
    assert [entry.new for entry in store.history(round_id, LEVEL_ID)] == ["1", f"saver {won[0]}"]


def test_threads_sharing_one_store_save_different_answers(store: Store, round_id: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def save(indicators: list[str]) -> None:
        try:
            start.wait()
            for indicator in indicators:
                store.save_answer(round_id, indicator, {"level": 1}, expected_version=0, user="t")
        except BaseException as error:  # collected so the test reports it
            errors.append(error)

    threads = [threading.Thread(target=save, args=(LEVEL_IDS[i::4][:6],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.answers(round_id)) == 24


def _writer(url: str | None, data_dir: str, number: int, writers: int, start: Any, results: Any) -> None:
    """One process: open (and seed) the shared store, then save its own share of answers."""
    try:
        store = Store.open(url, data_dir=data_dir)
        seeded = store.seed_samples(SAMPLES)
        start.wait(timeout=30)
        for indicator in LEVEL_IDS[number::writers]:
            version = store.get_answer("belmara-mfa-2026", indicator).version
            store.save_answer("belmara-mfa-2026", indicator, {"notes": f"writer {number}"},
                              expected_version=version, user=f"writer {number}")
        store.close()
        results.put((number, seeded, None))
    except BaseException as error:  # reported to the parent, which fails the test with it
        results.put((number, 0, repr(error)))


def _save_then_die(url: str | None, data_dir: str) -> None:
    store = Store.open(url, data_dir=data_dir)
    version = store.get_answer("belmara-mfa-2026", LEVEL_ID).version
    store.save_answer("belmara-mfa-2026", LEVEL_ID, {"notes": "saved before the crash"}, expected_version=version,
                      user="killed")
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no clean-up: as if the server were killed


def test_processes_seed_once_and_save_concurrently_without_locking_errors(backend: Backend, tmp_path: Path) -> None:
    # fork: children start in milliseconds; the parent holds no connection to this database to inherit.
    context = multiprocessing.get_context("fork")
    writers = 4
    url = backend.url(tmp_path)
    start, results = context.Barrier(writers), context.Queue()
    processes = [context.Process(target=_writer, args=(url, str(tmp_path), number, writers, start, results))
                 for number in range(writers)]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    assert [error for _, _, error in outcomes] == [None] * writers
    assert sum(seeded for _, seeded, _ in outcomes) == len(SAMPLE_FILES)  # exactly one process seeded
    killed = context.Process(target=_save_then_die, args=(url, str(tmp_path)))
    killed.start()
    killed.join(timeout=30)
    assert killed.exitcode == -signal.SIGKILL
    store = backend.open(tmp_path)
    try:
        stored = store.answers("belmara-mfa-2026")
        for number in range(writers):
            for indicator in LEVEL_IDS[number::writers][1 if number == 0 else 0:]:
                assert stored[indicator].answer.notes == f"writer {number}"
        assert stored[LEVEL_ID].answer.notes == "saved before the crash"
        assert store.history("belmara-mfa-2026", LEVEL_ID)[-1].user == "killed"
        assert len(store.assessments()) == len(SAMPLE_FILES)
    finally:
        store.close()
