"""The review workflow in the store: one-way status, answers frozen outside drafts, review comments,
and reopening as a new version with the old one intact. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from pg import Backend

from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.store import review
from toolkit.store.store import NotFoundError, StorageError, Store
from toolkit.store.tables import DuplicateRow, review_comments

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_IDS = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
LEVEL_ID, OTHER_ID = LEVEL_IDS[0], LEVEL_IDS[1]
MINISTRY = Ministry(id="test-mfa", name="Ministry of Tests", country="Testland", fictional=True)


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def round_id(store: Store) -> str:
    """A draft with one answer and one evidence item."""
    store.create_ministry(MINISTRY, user="admin")
    new = store.create_assessment("test-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                  user="ana")
    store.save_answer(new, LEVEL_ID, {"level": 2, "notes": "first"}, expected_version=0, user="ana")
    store.add_evidence(new, LEVEL_ID, Evidence(kind="url", value="https://example.org/a"), expected_version=1,
                       user="ana")
    return new


def test_the_status_moves_forward_only(store, round_id):
    with pytest.raises(StorageError, match="a draft round cannot become reviewed"):
        store.set_status(round_id, "reviewed", user="ana")
    store.set_status(round_id, "draft", user="ana")  # no move, nothing recorded
    store.set_status(round_id, "submitted", user="ana")
    with pytest.raises(StorageError, match="does not go back to draft: reopen it"):
        store.set_status(round_id, "draft", user="ana")
    store.set_status(round_id, "reviewed", user="rina")
    for wrong in ("draft", "submitted"):
        with pytest.raises(StorageError):
            store.set_status(round_id, wrong, user="ana")
    assert store.load(round_id).status == "reviewed"
    assert [(e.field, e.old, e.new) for e in store.history(round_id) if e.field == "status"] == [
        ("status", "draft", "submitted"), ("status", "submitted", "reviewed")]


def test_answers_and_evidence_change_only_in_a_draft(store, round_id):
    store.set_status(round_id, "submitted", user="ana")
    with pytest.raises(StorageError, match="is submitted"):
        store.save_answer(round_id, LEVEL_ID, {"level": 4}, expected_version=2, user="ana")
    with pytest.raises(StorageError, match="is submitted"):
        store.add_evidence(round_id, LEVEL_ID, Evidence(kind="text", value="x"), expected_version=2, user="ana")
    with pytest.raises(StorageError, match="is submitted"):
        store.remove_evidence(round_id, LEVEL_ID, 0, expected_version=2, user="ana")
    stored = store.get_answer(round_id, LEVEL_ID)
    assert (stored.answer.level, stored.version, len(stored.answer.evidence)) == (2, 2, 1)


def test_reviewers_accept_challenge_and_comment_on_submitted_rounds(store, round_id):
    with pytest.raises(StorageError, match="reviewers comment on submitted rounds"):
        review.add_comment(store, round_id, LEVEL_ID, "accept", None, user="rina")
    store.set_status(round_id, "submitted", user="ana")
    accepted = review.add_comment(store, round_id, LEVEL_ID, "accept", "", user="rina")
    challenged = review.add_comment(store, round_id, OTHER_ID, "challenge", "  No evidence\nfor this. ",
                                    user="rina")
    assert (accepted.verdict, accepted.text, challenged.text) == ("accept", None, "No evidence for this.")
    with pytest.raises(StorageError, match="a challenge needs a text"):
        review.add_comment(store, round_id, LEVEL_ID, "challenge", "   ", user="rina")
    with pytest.raises(StorageError, match='^"reject" is not a review verdict: use one of accept, challenge, comment$'):
        review.add_comment(store, round_id, LEVEL_ID, "reject", "no", user="rina")
    with pytest.raises(StorageError, match="not an indicator"):
        review.add_comment(store, round_id, "nope.nope", "comment", "hm", user="rina")
    with pytest.raises(NotFoundError, match='^no assessment with the id "missing"$'):
        review.add_comment(store, "missing", LEVEL_ID, "comment", "hm", user="rina")
    with pytest.raises(StorageError, match=f"^{LEVEL_ID}: the comment holds \\\\ud800, half of a UTF-16 "):
        review.add_comment(store, round_id, LEVEL_ID, "comment", "half \ud800 a character", user="rina")
    with pytest.raises(StorageError, match="^the change: the name of the person making it holds \\\\udfff, "):
        review.add_comment(store, round_id, LEVEL_ID, "accept", None, user="rina\udfff")
    found = review.comments(store, round_id)
    assert [(c.indicator_id, c.user, c.verdict) for c in found] == [
        (LEVEL_ID, "rina", "accept"), (OTHER_ID, "rina", "challenge")]
    assert any(e.field == "review" and e.indicator_id == OTHER_ID for e in store.history(round_id))
    store.set_status(round_id, "reviewed", user="rina")
    with pytest.raises(StorageError, match="is reviewed"):
        review.add_comment(store, round_id, LEVEL_ID, "comment", "late", user="rina")


def test_reopening_makes_a_new_draft_version_and_keeps_the_old_one(store, round_id):
    with pytest.raises(StorageError, match="still a draft"):
        review.reopen(store, round_id, user="ana")
    with pytest.raises(NotFoundError, match='^no assessment with the id "missing"$'):
        review.reopen(store, "missing", user="ana")
    store.set_status(round_id, "submitted", user="ana")
    review.add_comment(store, round_id, LEVEL_ID, "challenge", "Show the inventory", user="rina")
    store.set_status(round_id, "reviewed", user="rina")
    before = store.to_document(round_id)
    new_id = review.reopen(store, round_id, user="ana")
    assert new_id == f"{round_id}-v2"

    old, new = store.load(round_id), store.load(new_id)
    assert (old.status, old.version, old.parent_id) == ("reviewed", 1, None)
    assert (new.status, new.version, new.parent_id) == ("draft", 2, round_id)
    assert new.answers == old.answers and new.ministry == old.ministry and new.period == old.period
    assert store.to_document(round_id) == before  # the old version is exactly as it was
    assert review.info(store, round_id) == review.VersionInfo(round_id, round_id, 1, None, new_id)
    assert review.info(store, new_id) == review.VersionInfo(new_id, round_id, 2, round_id, None)
    assert review.info(store, round_id).superseded and not review.info(store, new_id).superseded
    assert review.lineage(store, new_id) == [new_id, round_id]
    created = store.history(new_id)[0]
    assert (created.field, json.loads(created.new)) == ("created", {"reopened_from": round_id, "version": 2,
                                                                      "answers": 1})
    assert new.date == created.at[:10] and len(new.date) == 10  # the day it was reopened, as YYYY-MM-DD
    reopened = store.history(round_id)[-1]
    assert (reopened.field, reopened.old, reopened.new) == ("reopened", None, new_id)

    # The new draft is editable; the old one is not, and its status is frozen.
    saved = store.save_answer(new_id, LEVEL_ID, {"level": 3}, expected_version=2, user="ana")
    assert saved.answer.level == 3 and store.get_answer(round_id, LEVEL_ID).answer.level == 2
    with pytest.raises(StorageError, match="was reopened as"):
        store.set_status(round_id, "submitted", user="ana")
    with pytest.raises(StorageError, match="already reopened"):
        review.reopen(store, round_id, user="ana")

    summaries = {s.id: s for s in store.assessments("test-mfa")}
    assert (summaries[round_id].version, summaries[round_id].superseded_by) == (1, new_id)
    assert (summaries[new_id].version, summaries[new_id].parent_id, summaries[new_id].superseded_by) == (
        2, round_id, None)
    assert store.history(new_id)[0].field == "created"
    assert store.history(round_id)[-1].field == "reopened"


def test_a_reopened_version_is_reopened_again_from_the_newest(store, round_id):
    store.set_status(round_id, "submitted", user="ana")
    second = review.reopen(store, round_id, user="ana")
    store.set_status(second, "submitted", user="ana")
    third = review.reopen(store, second, user="ana")
    assert third == f"{round_id}-v3"
    assert store.load(third).version == 3 and store.load(third).parent_id == second
    assert review.lineage(store, third) == [third, second, round_id]
    assert review.info(store, second) == review.VersionInfo(second, round_id, 2, round_id, third)
    with pytest.raises(StorageError, match=f'^"{second}" was reopened as "{third}"; this version is kept'):
        store.set_status(second, "reviewed", user="rina")  # a middle version is frozen too


def test_a_team_round_is_reopened_with_its_respondents_and_their_answers(store):
    """A team round's responses go with the new version; the old version keeps its own."""
    sample = json.loads((REPO / "sample_ministries" / "tumbaro-mfa-2025.json").read_text())
    team_round = store.import_document(sample, user="admin")
    before = store.load(team_round).responses
    assert before  # the sample is a team round
    store.set_status(team_round, "submitted", user="ana")
    newer = review.reopen(store, team_round, user="ana")
    assert store.load(newer).responses == before and store.load(team_round).responses == before


def test_the_same_round_is_reopened_once_even_at_the_same_moment(store, round_id):
    """The parent link is unique: a second version of the same parent cannot be written."""
    store.set_status(round_id, "submitted", user="ana")
    review.reopen(store, round_id, user="ana")
    from sqlalchemy import insert

    from toolkit.store.tables import assessment_versions

    with pytest.raises(DuplicateRow), store._write() as connection:
        connection.execute(insert(assessment_versions).values(assessment_id=round_id, root_id=round_id,
                                                               version=9, parent_id=round_id))


def test_rounds_never_reopened_are_version_one(store, round_id):
    assert store.load(round_id).version == 1
    assert all(s.version == 1 and s.parent_id is None and s.superseded_by is None for s in store.assessments())


def test_a_comment_is_stored_and_audited_as_it_was_returned(store, round_id):
    """What add_comment returns is what comments() reads back and what the audit trail says."""
    store.set_status(round_id, "submitted", user="ana")
    challenged = review.add_comment(store, round_id, OTHER_ID, "challenge", "  No evidence\nfor this. ", user=" rina ")
    accepted = review.add_comment(store, round_id, LEVEL_ID, "accept", None, user="rina")
    assert (challenged.assessment_id, challenged.indicator_id, challenged.user, challenged.verdict,
            challenged.text) == (round_id, OTHER_ID, "rina", "challenge", "No evidence for this.")
    assert isinstance(challenged.id, int) and challenged.id < accepted.id
    assert challenged.at.endswith("Z") and challenged.at <= accepted.at
    assert review.comments(store, round_id) == [challenged, accepted]
    trail = [(e.at, e.user, e.indicator_id, e.old, json.loads(e.new)) for e in store.history(round_id)
             if e.field == "review"]
    assert trail == [(challenged.at, "rina", OTHER_ID, None, {"verdict": "challenge", "text": "No evidence for this."}),
                     (accepted.at, "rina", LEVEL_ID, None, {"verdict": "accept", "text": None})]


def test_comments_of_a_round_and_its_earlier_versions_are_read_together_oldest_first(store, round_id):
    """The review panel shows a reopened round's comments with its parents' (workspace.comments)."""
    store.set_status(round_id, "submitted", user="ana")
    first = review.add_comment(store, round_id, LEVEL_ID, "challenge", "Show the inventory", user="rina")
    newer = review.reopen(store, round_id, user="ana")
    store.set_status(newer, "submitted", user="ana")
    second = review.add_comment(store, newer, LEVEL_ID, "accept", None, user="rina")
    assert review.comments(store, [newer, round_id]) == [first, second]
    assert review.comments(store, (newer,)) == [second] and review.comments(store, []) == []
    # A comment stamped before `first` but written after `second` (its transaction waited for the
    # write lock, or another server's clock is behind) is still the oldest: the order is by time, ...
    late = _insert_comment(store, newer, OTHER_ID, at="2000-01-01T00:00:00.000Z")
    # ... and comments stamped at the same moment keep the order they were written in.
    tied = [_insert_comment(store, ids, indicator, at=second.at)
            for ids, indicator in ((newer, OTHER_ID), (round_id, OTHER_ID), (newer, LEVEL_ID))]
    assert [c.id for c in review.comments(store, [round_id, newer])] == [late, first.id, second.id, *tied]


def _insert_comment(store, assessment_id, indicator_id, *, at):
    """A comment row written directly, with a stamp of our choosing; returns its id."""
    from sqlalchemy import insert

    with store._write() as connection:
        return connection.execute(insert(review_comments).values(
            assessment_id=assessment_id, indicator_id=indicator_id, user="rina", at=at, verdict="comment",
            text="written late").returning(review_comments.c.id)).scalar_one()


def test_versions_lists_the_reopened_rounds_of_one_ministry_or_of_all(store, round_id):
    store.create_ministry(Ministry(id="other-mfa", name="Other Ministry", country="Testland", fictional=True),
                          user="admin")
    other = store.create_assessment("other-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                    user="ana")
    store.set_status(round_id, "submitted", user="ana")
    newer = review.reopen(store, round_id, user="ana")
    expected = {round_id: (1, None, newer), newer: (2, round_id, None)}
    with store._read() as connection:
        assert review.versions(connection) == expected
        assert review.versions(connection, "test-mfa") == expected
        assert review.versions(connection, "other-mfa") == {}
    every = {s.id: (s.version, s.parent_id, s.superseded_by) for s in store.assessments()}
    assert every == {**expected, other: (1, None, None)}


def test_only_a_draft_passes_the_draft_check_that_carry_and_migrate_use(store, round_id):
    later = store.create_assessment("test-mfa", "2027", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                    user="ana")
    with store._read() as connection:
        review.require_draft(connection, round_id)
    store.set_status(round_id, "submitted", user="ana")
    with store._read() as connection:
        with pytest.raises(StorageError, match=f'^"{round_id}" is submitted: its answers are kept as they are; '
                                               'reopen it as a new version to change them$'):
            review.require_draft(connection, round_id)
        review.require_draft(connection, later)  # the other round is still a draft
        with pytest.raises(NotFoundError, match='^no assessment with the id "missing"$'):
            review.require_draft(connection, "missing")
