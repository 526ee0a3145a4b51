"""The store's and the review workflow's rules at their edges: each test here was written against a
mutant of the code that every other test let through (issue 17), so it names the rule it guards.

Every test runs on SQLite and on PostgreSQL (the `backend` fixture of tests/pg.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import Backend, only

from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.store import review
from toolkit.store.records import MAX_TEXT
from toolkit.store.store import MAX_PERIOD, ConflictError, StorageError, Store

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


@only("sqlite")  # PostgreSQL keeps the bytes in the database (tests/test_file_contents.py)
def test_a_damaged_stored_file_is_written_again_on_the_next_upload(store: Store) -> None:
    sha256, _ = store.put_file(PDF, "report.pdf")
    path = store.file_path(sha256)
    path.write_bytes(PDF[:10])  # a torn write, or a disk that lost the tail
    assert store.put_file(PDF, "report.pdf") == (sha256, "application/pdf")
    assert path.read_bytes() == PDF and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
