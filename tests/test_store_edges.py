"""The store's and the review workflow's rules at their edges: each test here was written against a
mutant of the code that every other test let through (issue 17), so it names the rule it guards.

Every test with a store runs on SQLite and on PostgreSQL (the `backend` fixture of tests/pg.py); the tests
of `toolkit.store.records` need no database.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pg import Backend, only
from sqlalchemy import event, select

from toolkit.errors import DocumentError, RubricNotFoundError
from toolkit.model.assessment import Answer, Assessment, Evidence, Ministry, Respondent, Response
from toolkit.model.catalogue import find_rubric
from toolkit.store import records, responses, review
from toolkit.store import rows as store_rows
from toolkit.store.records import MAX_TEXT, NotFoundError, StoredAnswer
from toolkit.store.store import MAX_PERIOD, ConflictError, StorageError, Store
from toolkit.store.tables import assessments

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_IDS = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
LEVEL_ID, OTHER_ID = LEVEL_IDS[0], LEVEL_IDS[1]
MINISTRY = Ministry(id="edge-mfa", name="Ministry of Edges (fictional)", country="Edgeland", fictional=True)
PDF = b"%PDF-1.7\n% a fictional ministry's report\n"


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def round_id(store: Store) -> str:
    """A draft with one answer (version 1) and two evidence items (version 3)."""
    store.create_ministry(MINISTRY, user="admin")
    new = store.create_assessment("edge-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                  user="ana")
    store.save_answer(new, LEVEL_ID, {"level": 2}, expected_version=0, user="ana")
    for number, version in ((1, 1), (2, 2)):
        store.add_evidence(new, LEVEL_ID, Evidence(kind="url", value=f"https://example.org/{number}"),
                           expected_version=version, user="ana")
    return new


# ------------------------------------------------------------------------------- the workflow

def test_a_reviewed_round_is_not_editable(store: Store, round_id: str) -> None:
    store.set_status(round_id, "submitted", user="ana")
    store.set_status(round_id, "reviewed", user="rina")
    with pytest.raises(StorageError, match=f'^"{round_id}" is reviewed: its answers are kept as they are'):
        store.save_answer(round_id, LEVEL_ID, {"level": 4}, expected_version=3, user="ana")
    with pytest.raises(StorageError, match="is reviewed"):
        store.remove_evidence(round_id, LEVEL_ID, 0, expected_version=3, user="ana")
    assert store.get_answer(round_id, LEVEL_ID).answer.level == 2


def test_a_reopened_version_takes_no_more_comments(store: Store, round_id: str) -> None:
    store.set_status(round_id, "submitted", user="ana")
    newer = review.reopen(store, round_id, user="ana")
    assert store.load(round_id).status == "submitted"  # the old version keeps its status
    with pytest.raises(StorageError, match=f'^"{round_id}" was reopened as "{newer}"; comment on the new version'):
        review.add_comment(store, round_id, LEVEL_ID, "comment", "too late", user="rina")
    assert review.comments(store, round_id) == []


def test_only_an_accept_may_come_without_text(store: Store, round_id: str) -> None:
    store.set_status(round_id, "submitted", user="ana")
    for verdict in ("comment", "challenge"):
        for empty in (None, "", "  \n "):
            with pytest.raises(StorageError, match=f"^{LEVEL_ID}: a {verdict} needs a text saying why$"):
                review.add_comment(store, round_id, LEVEL_ID, verdict, empty, user="rina")
    assert review.add_comment(store, round_id, LEVEL_ID, "accept", None, user="rina").text is None
    assert [c.verdict for c in review.comments(store, round_id)] == ["accept"]


def test_a_comment_may_be_exactly_as_long_as_the_limit(store: Store, round_id: str) -> None:
    store.set_status(round_id, "submitted", user="ana")
    longest = review.add_comment(store, round_id, LEVEL_ID, "comment", "x" * MAX_TEXT, user="rina")
    assert longest.text is not None and len(longest.text) == MAX_TEXT
    with pytest.raises(StorageError, match=f"^{OTHER_ID}: the comment is longer than the limit of 20,000 "):
        review.add_comment(store, round_id, OTHER_ID, "comment", "x" * (MAX_TEXT + 1), user="rina")


def test_notes_may_be_exactly_as_long_as_the_limit(store: Store, round_id: str) -> None:
    saved = store.save_answer(round_id, LEVEL_ID, {"notes": "n" * MAX_TEXT}, expected_version=3, user="ana")
    assert saved.answer.notes == "n" * MAX_TEXT
    with pytest.raises(StorageError, match="notes is longer than the limit of 20,000 characters"):
        store.save_answer(round_id, LEVEL_ID, {"notes": "n" * (MAX_TEXT + 1)}, expected_version=4, user="ana")


def test_a_period_may_be_exactly_as_long_as_the_limit(store: Store, round_id: str) -> None:
    longest = "p" * MAX_PERIOD
    new = store.create_assessment("edge-mfa", longest, rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                  user="ana")
    assert store.load(new).period == longest
    with pytest.raises(StorageError, match=r"at most 60 characters"):
        store.create_assessment("edge-mfa", longest + "p", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                user="ana")


# ------------------------------------------------------------------------- answers and evidence

@pytest.mark.parametrize("index", [-1, -2, 2, True])
def test_only_an_existing_evidence_position_is_removed(store: Store, round_id: str, index: object) -> None:
    with pytest.raises(StorageError, match=f"^{LEVEL_ID}: there is no evidence item {index}$"):
        store.remove_evidence(round_id, LEVEL_ID, index, expected_version=3, user="ana")  # type: ignore[arg-type]
    stored = store.get_answer(round_id, LEVEL_ID)
    assert stored.version == 3 and [item.value for item in stored.answer.evidence] == [
        "https://example.org/1", "https://example.org/2"]


def test_a_stale_save_conflicts_even_when_it_changes_nothing(store: Store, round_id: str) -> None:
    """A save based on version 1 of an answer now at version 3 is stale, whatever it says."""
    with pytest.raises(ConflictError) as raised:
        store.save_answer(round_id, LEVEL_ID, {"level": 2}, expected_version=1, user="budi")
    assert raised.value.current.version == 3
    with pytest.raises(ConflictError):
        store.add_evidence(round_id, LEVEL_ID, Evidence(kind="text", value="x"), expected_version=2, user="budi")


def test_a_save_changes_its_own_rounds_answer_and_no_other_at_the_same_version(store: Store, round_id: str) -> None:
    """The compare-and-set names the round: another round's answer to the same indicator, at the same version, stays."""
    other = store.create_assessment("edge-mfa", "2027", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                    user="budi")
    for version, changes in enumerate(({"level": 1}, {"level": 0}, {"notes": "theirs"})):
        store.save_answer(other, LEVEL_ID, changes, expected_version=version, user="budi")
    saved = store.save_answer(round_id, LEVEL_ID, {"level": 4, "notes": "ours"}, expected_version=3, user="ana")
    assert (saved.version, saved.answer.level, saved.answer.notes) == (4, 4, "ours")
    theirs = store.get_answer(other, LEVEL_ID)
    assert (theirs.version, theirs.answer.level, theirs.answer.notes, theirs.updated_by) == (3, 0, "theirs", "budi")
    assert store.get_answer(round_id, LEVEL_ID).answer.level == 4


def test_the_compare_and_set_itself_refuses_a_stale_version(store: Store, round_id: str) -> None:
    """`bump` checks the version again in its UPDATE: on PostgreSQL two saves can both pass `current` first."""
    with pytest.raises(ConflictError) as raised, store.engine.begin() as connection:
        store_rows.bump(connection, round_id, LEVEL_ID, 1, "2026-01-02T03:04:05.678Z", "budi", {"level": 0})
    theirs = raised.value.current
    assert (theirs.indicator_id, theirs.version, theirs.answer.level, theirs.updated_by) == (LEVEL_ID, 3, 2, "ana")
    assert [item.value for item in theirs.answer.evidence] == ["https://example.org/1", "https://example.org/2"]
    assert store.get_answer(round_id, LEVEL_ID) == theirs


@pytest.mark.parametrize("version", [True, -1, 1.0, "3", None])
def test_the_version_a_change_is_based_on_must_be_a_whole_number(store: Store, round_id: str, version: object) -> None:
    with pytest.raises(ValueError) as raised:
        store.save_answer(round_id, LEVEL_ID, {"level": 4}, expected_version=version, user="ana")  # type: ignore[arg-type]
    assert str(raised.value) == f"expected_version must be a whole number >= 0, not {version!r}"
    assert store.get_answer(round_id, LEVEL_ID).answer.level == 2


def test_a_change_marks_its_round_changed_by_whom_and_on_which_day(store: Store) -> None:
    """The round's `date` is the day it was last edited (the document format's meaning); other rounds keep theirs."""
    ids = [store.import_document(json.loads((SAMPLES / name).read_text(encoding="utf-8")), user="ana")
           for name in ("maravu-mfa-2024.json", "maravu-mfa-2025.json")]
    before = {round_id: store.load(round_id).date for round_id in ids}
    version = store.get_answer(ids[1], LEVEL_ID).version
    saved = store.save_answer(ids[1], LEVEL_ID, {"notes": "checked again"}, expected_version=version, user="budi")
    with store.engine.connect() as connection:
        rows = {row.id: row for row in connection.execute(select(assessments).where(assessments.c.id.in_(ids)))}
    assert (rows[ids[1]].updated_by, rows[ids[1]].updated_at, rows[ids[1]].date) == (
        "budi", saved.updated_at, saved.updated_at[:10])
    assert store.load(ids[1]).date == saved.updated_at[:10] != before[ids[1]]
    assert (rows[ids[0]].updated_by, store.load(ids[0]).date) == ("ana", before[ids[0]])


def test_an_answer_never_saved_is_version_0_saved_by_nobody(store: Store, round_id: str) -> None:
    assert store.get_answer(round_id, OTHER_ID) == StoredAnswer(OTHER_ID, Answer(), 0, "", "")
    with pytest.raises(ConflictError) as raised:
        store.save_answer(round_id, OTHER_ID, {"level": 1}, expected_version=2, user="ana")
    assert str(raised.value) == (f"{OTHER_ID}: someone else changed this answer first (now version 0); "
                                 "your change was not saved")


def test_a_respondent_is_invited_only_to_a_stored_round(store: Store, round_id: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        responses.invite(store, f"{round_id}-x", Respondent("rina", "Rina"), user="ana")
    assert str(raised.value) == f'no assessment with the id "{round_id}-x"'
    responses.invite(store, round_id, Respondent("rina", "Rina"), user="ana")
    assert [record.respondent.id for record in responses.respondents_of(store, round_id)] == ["rina"]
    assert responses.respondents_of(store, f"{round_id}-x") == []


@only("sqlite")  # PostgreSQL keeps the bytes in the database (tests/test_file_contents.py)
def test_a_damaged_stored_file_is_written_again_on_the_next_upload(store: Store) -> None:
    sha256, _ = store.put_file(PDF, "report.pdf")
    path = store.file_path(sha256)
    path.write_bytes(PDF[:10])  # a torn write, or a disk that lost the tail
    assert store.put_file(PDF, "report.pdf") == (sha256, "application/pdf")
    assert path.read_bytes() == PDF and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


# ------------------------------------------------------------------ order: asked for, never assumed

def _reverse_unordered(connection: object, _record: object) -> None:
    connection.execute("PRAGMA reverse_unordered_selects = ON")  # type: ignore[attr-defined]


@pytest.fixture
def reversed_store(tmp_path: Path) -> Iterator[Store]:
    """A SQLite store whose connections return the rows of a query without ORDER BY in reverse order.

    SQLite and PostgreSQL both happen to return index order, so a read that forgot its ORDER BY looks
    right everywhere else; here it comes out backwards.
    """
    opened = Store.open(None, data_dir=tmp_path)
    event.listen(opened.engine, "connect", _reverse_unordered)
    opened.engine.dispose()  # the connections opened so far lack the pragma
    yield opened
    opened.close()


def test_a_rounds_answers_come_by_indicator_id_whatever_order_the_database_returns(reversed_store: Store) -> None:
    store = reversed_store
    store.create_ministry(MINISTRY, user="admin")
    new = store.create_assessment("edge-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                  user="ana")
    chosen = LEVEL_IDS[:3]
    for indicator_id in (chosen[1], chosen[2], chosen[0]):
        store.save_answer(new, indicator_id, {"level": 1}, expected_version=0, user="ana")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA reverse_unordered_selects").scalar() == 1
    assert list(store.answers(new)) == sorted(chosen)
    assert [answer.indicator_id for answer in store.answers(new).values()] == sorted(chosen)
    assert list(store.load(new).answers) == sorted(chosen)


def test_the_history_respondents_and_comments_come_in_the_order_they_happened(reversed_store: Store) -> None:
    store = reversed_store
    store.create_ministry(MINISTRY, user="admin")
    new = store.create_assessment("edge-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                  user="ana")
    for version, level in enumerate((1, 2, 3)):
        store.save_answer(new, LEVEL_ID, {"level": level}, expected_version=version, user="ana")
    assert [entry.new for entry in store.history(new, LEVEL_ID)] == ["1", "2", "3"]
    for respondent_id in ("budi", "zara", "ana"):
        responses.invite(store, new, Respondent(respondent_id, respondent_id.title()), user="ana")
    assert [record.respondent.id for record in responses.respondents_of(store, new)] == ["budi", "zara", "ana"]
    store.set_status(new, "submitted", user="ana")
    for text in ("first", "second", "third"):
        review.add_comment(store, new, LEVEL_ID, "challenge", text, user="rina")
    assert [comment.text for comment in review.comments(store, new)] == ["first", "second", "third"]


# ------------------------------------------------------------- records: what a person typed, checked

# `toolkit.store.records` alone, without a database: each rule below is one a survivor of its
# mutation run let through, and each test is fast, so mutants of these functions are judged quickly.

METRIC_ID = next(indicator.id for indicator in RUBRIC.indicators() if indicator.is_metric)
SCALE = [level.value for level in RUBRIC.scale]
SAMPLES = Path(__file__).resolve().parent.parent / "sample_ministries"


def _changes(changes: dict[str, object], indicator_id: str = LEVEL_ID, scale: object = None) -> dict[str, object]:
    return records.answer_changes(changes, RUBRIC.indicator(indicator_id), SCALE if scale is None else scale)


@pytest.mark.parametrize(("indicator_id", "changes", "message"), [
    (METRIC_ID, {"level": 2}, f'{METRIC_ID}: a metric indicator takes a "value", not a "level"'),
    (LEVEL_ID, {"value": 2.5}, f'{LEVEL_ID}: a level indicator takes a "level", not a "value"'),
    (LEVEL_ID, {"level": 5}, f"{LEVEL_ID}: 5 is not a level of the scale (0 to 4)"),
    (LEVEL_ID, {"target": 5}, f"{LEVEL_ID}: 5 is not a level of the scale (0 to 4)"),
    (LEVEL_ID, {"level": -1}, f"{LEVEL_ID}: the level must be a whole number of 0 or more, not -1"),
    (LEVEL_ID, {"target": True}, f"{LEVEL_ID}: the target must be a whole number of 0 or more, not true"),
    (LEVEL_ID, {"level": 2.0}, f"{LEVEL_ID}: the level must be a whole number of 0 or more, not 2.0"),
    (METRIC_ID, {"value": True}, f"{METRIC_ID}: the value must be a finite number, not true"),
    (METRIC_ID, {"value": "3"}, f'{METRIC_ID}: the value must be a finite number, not "3"'),
    (METRIC_ID, {"value": float("inf")}, f"{METRIC_ID}: the value must be a finite number, not Infinity"),
    (LEVEL_ID, {"na": "yes"}, f'{LEVEL_ID}: N/A must be true or false, not "yes"'),
    (LEVEL_ID, {"na": 1}, f"{LEVEL_ID}: N/A must be true or false, not 1"),
    (LEVEL_ID, {"confidence": "certain"}, f'{LEVEL_ID}: confidence must be one of high, medium, low, not "certain"'),
    (LEVEL_ID, {"notes": 5}, f"{LEVEL_ID}: notes must be text, not 5"),
    (LEVEL_ID, {"na_reason": "r" * (MAX_TEXT + 1)}, f"{LEVEL_ID}: na_reason is longer than the limit of 20,000 "
                                                      "characters"),
])
def test_each_answer_field_is_refused_with_a_message_naming_it(indicator_id: str, changes: dict[str, object],
                                                               message: str) -> None:
    with pytest.raises(StorageError) as raised:
        _changes(changes, indicator_id)
    assert str(raised.value) == message


def test_answer_changes_are_normalised_field_by_field() -> None:
    assert _changes({"level": 0, "target": 4, "na": None, "na_reason": "", "confidence": None, "notes": "n"}) == {
        "level": 0, "target": 4, "na": False, "na_reason": None, "confidence": None, "notes": "n"}
    assert _changes({"level": None, "target": None, "value": None, "na": True, "confidence": "low"}) == {
        "level": None, "target": None, "value": None, "na": True, "confidence": "low"}
    value = _changes({"value": 3, "target": 2}, METRIC_ID)  # a metric's target is a level, unchecked here
    assert value == {"value": 3.0, "target": 2} and type(value["value"]) is float
    assert _changes({"level": 9}, scale=[]) == {"level": 9}  # no scale known: any whole number
    assert _changes({"na_reason": "r" * MAX_TEXT}) == {"na_reason": "r" * MAX_TEXT}
    with pytest.raises(ValueError) as raised:
        _changes({"levle": 1, "note": "x"})
    assert str(raised.value) == ("not answer fields: levle, note (use level, value, na, na_reason, target, "
                                 "confidence, notes)")


@pytest.mark.parametrize(("char", "shown"), [
    ("\x07", "U+0007 (a control character)"), ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\u2028", "U+2028 (LINE SEPARATOR)"), ("\u2029", "U+2029 (PARAGRAPH SEPARATOR)"),
    ("\ue000", "U+E000 (a control character)"), ("\u0378", "U+0378 (a control character)"),
])
def test_a_label_holding_a_hidden_or_reordering_character_is_refused(char: str, shown: str) -> None:
    with pytest.raises(StorageError) as raised:
        records.visible_label("edge-mfa", "the period", f"2026{char}")
    assert str(raised.value) == (f"edge-mfa: the period holds {shown}, a character that hides or reorders text; "
                                 "nothing was saved")
    assert records.visible_label("edge-mfa", "the period", "2026 Q1 – Révision") == "2026 Q1 – Révision"
    assert records.visible_label("edge-mfa", "the region", None) is None


@pytest.mark.parametrize(("ministry", "message"), [
    (Ministry(id="Edge MFA", name="n", country="c"), '"Edge MFA" is not a valid ministry id (lowercase letters, '
                                                     'digits, "_", "." and "-", starting with a letter or digit)'),
    (Ministry(id=7, name="n", country="c"), "7 is not a valid ministry id"),  # type: ignore[arg-type]
    (Ministry(id="edge", name=" \n", country="c"), "a ministry needs a name"),
    (Ministry(id="edge", name=None, country="c"), "a ministry needs a name"),  # type: ignore[arg-type]
    (Ministry(id="edge", name="n", country=""), "a ministry needs a country"),
    (Ministry(id="edge", name="n\u200b", country="c"), "edge: the name holds U+200B"),
    (Ministry(id="edge", name="n", country="c\u202e"), "edge: the country holds U+202E"),
    (Ministry(id="edge", name="n", country="c", iso3="idn"), '"idn" is not a three-letter ISO country code like "IDN"'),
    (Ministry(id="edge", name="n", country="c", iso3=360), '360 is not a three-letter ISO country code'),  # type: ignore[arg-type]
    (Ministry(id="edge", name="n", country="c", region=5), "a ministry's region must be text"),  # type: ignore[arg-type]
    (Ministry(id="edge", name="n", country="c", region="r\u2028"), "edge: the region holds U+2028"),
])
def test_a_ministry_is_refused_with_the_reason(ministry: Ministry, message: str) -> None:
    with pytest.raises(StorageError) as raised:
        records.check_ministry(ministry)
    assert str(raised.value).startswith(message)


def test_a_ministry_passes_and_becomes_a_row_and_back() -> None:
    full = Ministry(id="edge-mfa", name="Ministry of Edges", country="Edgeland", iso3="XEG", region="North",
                    fictional=1)  # type: ignore[arg-type]
    for ministry in (full, Ministry(id="e.1_x-y", name="n", country="c")):
        assert records.check_ministry(ministry) is None
    row = records.ministry_row(full, "2026-01-02T03:04:05.678Z", "ana")
    assert row == {"id": "edge-mfa", "name": "Ministry of Edges", "country": "Edgeland", "iso3": "XEG",
                   "region": "North", "fictional": True, "created_at": "2026-01-02T03:04:05.678Z", "created_by": "ana"}
    assert row["fictional"] is True
    back = records.ministry(row | {"fictional": 1})
    assert back == full and back.fictional is True


@pytest.mark.parametrize(("label", "tail"), [
    ("2026", "2026"), ("2026 Q1 / Révision", "2026-q1-r-vision"), ("  --Révision 2026__ ", "r-vision-2026"),
    ("a" * 39 + " b", "a" * 39), ("a" * 40 + "bc", "a" * 40), ("!!!", "round"), ("v1.2_x", "v1.2_x"),
    ("-- " + "a" * 39 + "b", "a" * 39 + "b"),  # what is stripped first does not count towards the 40
])
def test_a_period_becomes_the_tail_of_a_round_id(label: str, tail: str) -> None:
    assert records.slug(label) == tail


def test_an_answer_and_its_evidence_become_rows_and_back() -> None:
    item = Evidence(kind="file", name="C:\\scans\\Report.PDF", sha256="AB" * 32, description="d", added_by="ana",
                    added_at="2026-01-02T03:04:05.678Z", sensitivity="restricted")
    answer = Answer(level=2, na=False, na_reason=None, target=3, confidence="low", notes="n",
                    evidence=(Evidence(kind="url", value="https://example.org/1"), item))
    document = Assessment(id="edge-mfa-2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                          ministry=MINISTRY, period="2026", date="2026-01-02", status="draft", assessors=("Ana",),
                          answers={LEVEL_ID: answer, METRIC_ID: Answer(value=3.5)}, language="en", notes="round")
    assert records.assessment_row(document, "NOW", "budi") == {
        "id": "edge-mfa-2026", "ministry_id": "edge-mfa", "rubric_id": RUBRIC.id, "rubric_version": RUBRIC.version,
        "period": "2026", "date": "2026-01-02", "status": "draft", "assessors": ["Ana"], "language": "en",
        "notes": "round", "created_at": "NOW", "created_by": "budi", "updated_at": "NOW", "updated_by": "budi"}
    answer_rows, evidence_rows = records.answer_rows(document, "NOW", "budi")
    fields = {"na": False, "na_reason": None, "confidence": None, "notes": None, "version": 1, "updated_at": "NOW",
              "updated_by": "budi", "assessment_id": "edge-mfa-2026"}
    assert answer_rows == [
        {**fields, "indicator_id": LEVEL_ID, "level": 2, "value": None, "target": 3, "confidence": "low", "notes": "n"},
        {**fields, "indicator_id": METRIC_ID, "level": None, "value": 3.5, "target": None}]
    place = {"assessment_id": "edge-mfa-2026", "indicator_id": LEVEL_ID}
    assert evidence_rows == [
        {**place, "position": 0, "kind": "url", "value": "https://example.org/1", "name": None, "sha256": None,
         "description": None, "added_by": None, "added_at": None, "sensitivity": "internal"},
        {**place, "position": 1, "kind": "file", "value": None, "name": "Report.PDF", "sha256": "ab" * 32,
         "description": "d", "added_by": "ana", "added_at": "2026-01-02T03:04:05.678Z", "sensitivity": "restricted"}]
    stored = [records.evidence_item(row) for row in evidence_rows]
    assert stored == [Evidence(kind="url", value="https://example.org/1"), replace(item, name="Report.PDF",
                                                                                 sha256="ab" * 32)]
    back = records.answer({**answer_rows[1], "value": 3, "na": 0}, ())
    assert back == Answer(value=3.0) and type(back.value) is float and back.na is False
    assert records.answer(answer_rows[0], stored) == replace(answer, evidence=tuple(stored))
    assert records.answer_fields(answer) == {key: value for key, value in answer_rows[0].items() if key in (
        "level", "value", "na", "na_reason", "target", "confidence", "notes")}
    row = {"id": "edge-mfa-2026", "ministry_id": "edge-mfa", "name": MINISTRY.name, "country": MINISTRY.country,
           "iso3": None, "region": None, "fictional": 1, "rubric_id": RUBRIC.id, "rubric_version": RUBRIC.version,
           "period": "2026", "date": "2026-01-02", "status": "draft", "assessors": ["Ana"], "language": "en",
           "notes": "round"}
    loaded = records.assessment(row, document.answers)
    assert loaded == document and loaded.ministry.fictional is True and (loaded.version, loaded.parent_id) == (1, None)
    reopened = records.assessment(row | {"assessors": None, "version": 2, "parent_id": "edge-mfa-2025"}, {})
    assert (reopened.assessors, reopened.version, reopened.parent_id) == ((), 2, "edge-mfa-2025")


HALF_PAIR = "holds \\ud800, half of a UTF-16 surrogate pair and not a character; nothing was saved"


@pytest.mark.parametrize(("item", "message"), [
    (Evidence(kind="link", value="https://example.org"), '"link" is not a kind of evidence: use url, text, file'),
    (Evidence(kind="url", value="https://example.org", sensitivity="secret"),
     '"secret" is not a sensitivity: use public, internal, restricted'),
    (Evidence(kind="url", value=None), '"" is not a web address starting with http:// or https://'),
    (Evidence(kind="url", value="ftp://example.org/x"), 'the URL scheme "ftp" is not allowed: only http and https'),
    (Evidence(kind="url", value="https://example.org/\ud800"), f"evidence: the link {HALF_PAIR}"),
    (Evidence(kind="text", value=None), "the evidence text is empty"),
    (Evidence(kind="text", value=" \n "), "the evidence text is empty"),
    (Evidence(kind="text", value=5), "evidence: the text must be text, not 5"),  # type: ignore[arg-type]
    (Evidence(kind="text", value="x" * (MAX_TEXT + 1)), "evidence: the text is longer than the limit of 20,000 "
                                                       "characters"),
    (Evidence(kind="text", value="x", description="d\ud800"), f"evidence: the description {HALF_PAIR}"),
    (Evidence(kind="file", sha256="ab" * 31), f'"{"ab" * 31}" is not a SHA-256 hash of a stored file'),
    (Evidence(kind="file", sha256=None), "null is not a SHA-256 hash of a stored file"),
    (Evidence(kind="file", sha256="g" * 64), f'"{"g" * 64}" is not a SHA-256 hash of a stored file'),
])
def test_an_evidence_item_is_refused_with_the_reason(item: Evidence, message: str) -> None:
    with pytest.raises(StorageError) as raised:
        records.evidence_row(item, "ana", "NOW")
    assert str(raised.value) == message


def test_an_evidence_row_keeps_what_the_store_knows_not_what_the_item_claims() -> None:
    claimed = {"added_by": "mallory", "added_at": "1999-01-01T00:00:00Z"}
    row = records.evidence_row(Evidence(kind="url", value=" https://example.org/a ", description="", **claimed),
                               "ana", "NOW")
    assert row == {"kind": "url", "value": "https://example.org/a", "name": None, "sha256": None, "description": None,
                   "added_by": "ana", "added_at": "NOW", "sensitivity": "internal"}
    row = records.evidence_row(Evidence(kind="text", value=" seen ", description="d", sensitivity="public",
                                        **claimed), "ana", "NOW")
    assert row == {"kind": "text", "value": " seen ", "name": None, "sha256": None, "description": "d",
                   "added_by": "ana", "added_at": "NOW", "sensitivity": "public"}
    row = records.evidence_row(Evidence(kind="file", value="ignored", name="../x/\u202eReport.pdf", sha256="AB" * 32,
                                        sensitivity="restricted", **claimed), "ana", "NOW")
    assert row == {"kind": "file", "value": None, "name": "Report.pdf", "sha256": "ab" * 32, "description": None,
                   "added_by": "ana", "added_at": "NOW", "sensitivity": "restricted"}
    assert records.evidence_row(Evidence(kind="file", sha256="ab" * 32, name=""), "ana", "NOW")["name"] is None


def test_the_audit_trail_shows_values_as_text_and_non_ascii_as_it_is() -> None:
    row = {"kind": "text", "value": "Révision été", "name": None, "sha256": None, "description": "Ωmega",
           "sensitivity": "internal", "added_by": "ana", "added_at": "NOW"}
    assert records.evidence_text(row) == ('{"kind": "text", "value": "Révision été", "description": "Ωmega", '
                                          '"sensitivity": "internal"}')
    assert records.audit_text(None) is None and records.audit_text("été") == "été"
    assert records.audit_text(2) == "2" and records.audit_text(False) == "false"
    assert records.audit_text({"b": "é", "a": [1, None]}) == '{"a": [1, null], "b": "é"}'


def test_a_conflict_says_who_changed_the_answer_first() -> None:
    theirs = StoredAnswer(LEVEL_ID, Answer(level=3), 4, "2026-01-02T03:04:05.678Z", "budi")
    assert str(ConflictError(theirs)) == (f"{LEVEL_ID}: budi at 2026-01-02T03:04:05.678Z changed this answer first "
                                          "(now version 4); your change was not saved")
    assert ConflictError(theirs).current is theirs
    nobody = StoredAnswer(LEVEL_ID, Answer(), 0, "", "")
    assert str(ConflictError(nobody)) == (f"{LEVEL_ID}: someone else changed this answer first (now version 0); "
                                          "your change was not saved")


def test_a_change_needs_a_person_named_and_a_time_the_document_format_accepts() -> None:
    assert records.person_name("  Ana \n  Maria\t") == "Ana Maria"
    for nobody in ("", " \n\t", None, 5):
        with pytest.raises(StorageError) as raised:
            records.person_name(nobody)  # type: ignore[arg-type]
        assert str(raised.value) == "a change needs the name of the person making it"
    before = datetime.now(UTC) - timedelta(seconds=5)
    stamp = records.now_stamp()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stamp)
    assert before <= datetime.fromisoformat(stamp.replace("Z", "+00:00")) <= datetime.now(UTC)


def _in_order(value: object) -> object:
    """A document as nested (key, value) lists, so order counts; 36 and 36.0 alike, as JSON has them."""
    if isinstance(value, dict):
        return [(key, _in_order(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_in_order(item) for item in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value


@pytest.mark.parametrize("sample", ["tumbaro-mfa-2025.json", "maravu-mfa-2025.json"])
def test_a_document_read_and_written_again_is_the_same_document_in_the_same_order(sample: str) -> None:
    doc = json.loads((SAMPLES / sample).read_text(encoding="utf-8"))
    assessment = records.validated_assessment(doc, sample)
    assert assessment.source_file == sample
    written = records.assessment_document(assessment, list(doc["answers"]))
    assert written == doc  # respondents' answers follow the round's order, which the samples do not keep
    assert _in_order(written | {"responses": []}) == _in_order(doc | {"responses": []})
    assert records.validated_assessment(doc, None).source_file is None


def test_a_document_lists_answers_in_the_order_given_then_by_id() -> None:
    scan = Evidence(kind="file", name="scan.pdf", sha256="ab" * 32, sensitivity="restricted")
    answers = {"b.x": Answer(level=1, evidence=(scan,)), "a.x": Answer(na=True, na_reason="r"), "c.x": Answer(),
               "d.x": Answer()}
    team = Response(Respondent("r1", "Rina"), {"c.x": Answer(level=0), "a.x": Answer(level=2)})
    bare = Response(Respondent("r2", "Budi", unit="Press"), {}, submitted_at="2026-01-02T03:04:05.678Z")
    document = Assessment(id="x-2026", rubric_id="r", rubric_version="1.0.0",
                          ministry=Ministry(id="x", name="X", country="Y", fictional=False), period="2026",
                          date="2026-01-02", status="draft", answers=answers, responses=(team, bare))
    doc = records.assessment_document(document, ["c.x", "b.x"])
    assert list(doc) == ["kind", "format_version", "id", "rubric", "ministry", "period", "date", "status",
                         "assessors", "answers", "responses"]
    assert doc["ministry"] == {"id": "x", "name": "X", "country": "Y"}
    assert list(doc["answers"]) == ["c.x", "b.x", "a.x", "d.x"]
    assert doc["answers"]["a.x"] == {"na": True, "na_reason": "r"} and doc["answers"]["c.x"] == {}
    assert _in_order(doc["answers"]["b.x"]) == _in_order({"level": 1, "evidence": [
        {"kind": "file", "name": "scan.pdf", "sha256": "ab" * 32, "sensitivity": "restricted"}]})
    assert _in_order(doc["responses"]) == _in_order([
        {"respondent": {"id": "r1", "name": "Rina"}, "answers": {"c.x": {"level": 0}, "a.x": {"level": 2}}},
        {"respondent": {"id": "r2", "name": "Budi", "unit": "Press"}, "answers": {},
         "submitted_at": "2026-01-02T03:04:05.678Z"}])
    assert "responses" not in records.assessment_document(replace(document, responses=()))


@pytest.mark.parametrize(("rubric", "code", "path"), [
    ({"id": RUBRIC.id, "version": "9.9.9"}, "rubric-not-found", ("rubric", "version")),
    ({"id": "no-such-rubric", "version": RUBRIC.version}, "rubric-not-found", ("rubric", "id")),
])
def test_a_document_naming_a_rubric_not_in_the_catalogue_says_which_part_is_unknown(
        rubric: dict[str, str], code: str, path: tuple[str, ...]) -> None:
    doc = json.loads((SAMPLES / "maravu-mfa-2025.json").read_text(encoding="utf-8")) | {"rubric": rubric}
    with pytest.raises(DocumentError) as raised:
        records.validated_assessment(doc, "up.json")
    with pytest.raises(RubricNotFoundError) as missing:
        find_rubric(rubric["id"], rubric["version"])
    assert [(issue.file, issue.code, issue.message, issue.path) for issue in raised.value.issues] == [
        ("up.json", code, str(missing.value), path)]


def test_a_documents_issues_come_in_the_documents_order_the_rubric_lookup_included() -> None:
    doc = json.loads((SAMPLES / "maravu-mfa-2025.json").read_text(encoding="utf-8")) | {
        "rubric": {"id": RUBRIC.id, "version": "9.9.9"}, "period": 5, "status": "finished"}
    with pytest.raises(DocumentError) as raised:
        records.validated_assessment(doc, "up.json")
    assert [(issue.code, issue.path) for issue in raised.value.issues] == [
        ("rubric-not-found", ("rubric", "version")), ("wrong-type", ("period",)), ("bad-value", ("status",))]


@pytest.mark.parametrize("rubric", [None, "digital-diplomacy", {"id": RUBRIC.id}, {"id": 1, "version": "1.0.0"}])
def test_a_document_with_a_malformed_rubric_gets_the_schema_issues_alone(rubric: object) -> None:
    doc = json.loads((SAMPLES / "maravu-mfa-2025.json").read_text(encoding="utf-8")) | {"rubric": rubric}
    with pytest.raises(DocumentError) as raised:
        records.validated_assessment(doc, "up.json")
    assert raised.value.issues and all(issue.code != "rubric-not-found" for issue in raised.value.issues)


def test_a_document_that_is_not_an_object_is_one_issue() -> None:
    for name, label in (("up.json", "up.json"), (None, "<document>")):
        with pytest.raises(DocumentError) as raised:
            records.validated_assessment([1], name)
        assert [(issue.file, issue.code, issue.message, issue.path) for issue in raised.value.issues] == [
            (label, "wrong-type", "expected an object, got [1]", ())]
