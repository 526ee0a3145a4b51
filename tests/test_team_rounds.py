"""Team rounds in the store and behind access checks: respondents save as they go, see others only after
submitting, a respondent of one ministry sees nothing of another, the facilitator consolidates (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from pg import Backend

from toolkit.access.roles import AccessDenied, Principal
from toolkit.access.team import TeamRound
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Answer, Evidence, Respondent, Response
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import validate_assessment
from toolkit.store.records import ConflictError, NotFoundError, StorageError
from toolkit.store.store import Store

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVELS = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
SAMPLE = REPO / "sample_ministries" / "tumbaro-mfa-2025.json"


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    yield opened
    opened.close()


def team(store: Store, name: str, *grants: tuple[str, str], admin: bool = False) -> TeamRound:
    return TeamRound(Workspace(store, Principal.of(name, grants, is_admin=admin)))


@pytest.fixture
def rounds(store: Store) -> tuple[str, str]:
    ours = store.import_document(json.loads(SAMPLE.read_text()), user="admin")
    other = json.loads((REPO / "sample_ministries" / "dravenia-mfa-2025.json").read_text())
    theirs = store.import_document(other, user="admin")
    return ours, theirs


def test_a_round_with_responses_round_trips_through_the_store(store, rounds):
    ours, _ = rounds
    original = json.loads(SAMPLE.read_text())
    exported = store.to_document(ours)
    assert not validate_assessment(exported).issues
    assert [item["respondent"] for item in exported["responses"]] == [item["respondent"] for item in
                                                                       original["responses"]]
    assert [item["answers"] for item in exported["responses"]] == [item["answers"] for item in original["responses"]]
    assert exported["answers"] == store.to_document(ours)["answers"]  # only the consolidated answers are answers


def test_respondents_save_as_they_go_versioned_and_audited(store, rounds):
    ours, _ = rounds
    facilitator = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    facilitator.invite(ours, Respondent("cyber", "Cyber desk", "Cyber"), account="cyrus")
    cyrus = team(store, "cyrus")
    saved = cyrus.save(ours, "cyber", LEVELS[0], {"level": 3, "notes": "daily posts"}, expected_version=0)
    assert saved.version == 1 and saved.answer.level == 3
    with pytest.raises(ConflictError):
        cyrus.save(ours, "cyber", LEVELS[0], {"level": 1}, expected_version=0)  # a second tab, behind
    saved = cyrus.save(ours, "cyber", LEVELS[0], {"evidence": [Evidence("url", "https://mfa.example/a")]},
                       expected_version=1)
    assert saved.answer.evidence[0].added_by == "cyrus"
    with pytest.raises(StorageError, match="http"):
        cyrus.save(ours, "cyber", LEVELS[0], {"evidence": [Evidence("url", "javascript:alert(1)")]},
                   expected_version=2)
    fields = [(entry.user, entry.field, entry.new) for entry in store.history(ours, LEVELS[0])
              if entry.field.startswith("response cyber")]
    assert fields[:2] == [("cyrus", "response cyber: level", "3"), ("cyrus", "response cyber: notes", "daily posts")]
    assert store.get_answer(ours, LEVELS[0]).answer == store.load(ours).answers[LEVELS[0]]  # the round's unchanged
    assert store.load(ours).answers[LEVELS[0]].notes != "daily posts"


def test_a_respondent_sees_others_only_after_submitting_and_nothing_else(store, rounds):
    ours, theirs = rounds
    team(store, "fatima", ("tumbaro-mfa", "assessor")).invite(ours, Respondent("cyber", "Cyber desk"),
                                                              account="cyrus")
    cyrus = team(store, "cyrus")
    with pytest.raises(AccessDenied, match="once you have submitted"):
        cyrus.others(ours, "cyber")
    with pytest.raises(AccessDenied):
        cyrus.all_responses(ours)
    with pytest.raises(AccessDenied):
        cyrus.workspace.load(ours)  # not the consolidated answers either
    with pytest.raises(AccessDenied):
        cyrus.own_answers(ours, "press")  # not as another respondent
    for call in (lambda: cyrus.respondents(theirs), lambda: cyrus.own_answers(theirs, "press"),
                 lambda: cyrus.save(theirs, "press", LEVELS[0], {"level": 1}, expected_version=1),
                 lambda: cyrus.all_responses(theirs), lambda: cyrus.workspace.load(theirs)):
        with pytest.raises(AccessDenied):
            call()
    cyrus.save(ours, "cyber", LEVELS[0], {"level": 2}, expected_version=0)
    cyrus.submit(ours, "cyber")
    others = cyrus.others(ours, "cyber")
    assert {item.respondent.id for item in others} == {"press", "it", "consular", "embassy-east", "embassy-south",
                                                       "planning"}
    with pytest.raises(StorageError, match="submitted"):
        cyrus.save(ours, "cyber", LEVELS[0], {"level": 4}, expected_version=1)
    with pytest.raises(AccessDenied):
        cyrus.invite(ours, Respondent("x", "X"))  # respondents do not facilitate


def test_the_facilitator_consolidates_and_the_trail_names_the_sources(store, rounds):
    ours, _ = rounds
    reviewer = team(store, "rina", ("tumbaro-mfa", "reviewer"))
    assessor = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    viewer = team(store, "vic", ("tumbaro-mfa", "viewer"))
    press = next(item for item in assessor.all_responses(ours) if item.respondent.id == "press")
    indicator = "ins.cyber_diplomacy"
    current = store.get_answer(ours, indicator)
    assessor.put_response(ours, Response(press.respondent, {**press.answers, indicator: Answer(
        level=3, evidence=(Evidence("url", "https://mfa.example/cyber", description="statement"),))}))
    stored = assessor.consolidate(ours, indicator, expected_version=current.version, source="press", carry=[("press", 0)])
    assert stored.answer.level == 3
    assert stored.answer.evidence[-1].value == "https://mfa.example/cyber"
    assert stored.answer.evidence[-1].added_by == "fatima"
    trail = [entry for entry in store.history(ours, indicator) if entry.field == "consolidated"]
    assert json.loads(trail[-1].new) == {"from": ["press"]}
    with pytest.raises(StorageError, match="reason"):
        assessor.consolidate(ours, indicator, expected_version=stored.version, own={"level": 1})
    own = assessor.consolidate(ours, indicator, expected_version=stored.version, own={"level": 1},
                               reason="the embassies' view is older")
    assert own.answer.level == 1
    trail = [entry for entry in store.history(ours, indicator) if entry.field == "consolidated"]
    assert json.loads(trail[-1].new) == {"from": [], "reason": "the embassies' view is older"}
    assert reviewer.is_facilitator(ours) and assessor.is_facilitator(ours) and not viewer.is_facilitator(ours)
    with pytest.raises(AccessDenied):
        viewer.consolidate(ours, indicator, expected_version=own.version, source="press")
    assert len(viewer.all_responses(ours)) == 6  # a viewer of the ministry reads them


def test_a_consolidation_that_fails_midway_leaves_nothing_half_written(store, rounds):
    """The second carried evidence item is over the limit: the level, the first item and the trail all roll back."""
    ours, _ = rounds
    indicator = "ins.cyber_diplomacy"
    assessor = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    press = next(item for item in assessor.all_responses(ours) if item.respondent.id == "press")
    assessor.put_response(ours, Response(press.respondent, {**press.answers, indicator: Answer(level=3, evidence=(
        Evidence("url", "https://mfa.example/one"), Evidence("url", "https://mfa.example/two")))}))
    before = store.get_answer(ours, indicator)
    store.max_evidence = len(before.answer.evidence) + 1  # room for one carried item, not two
    trail = store.history(ours, indicator)
    assert before.answer.level != 3
    with pytest.raises(StorageError, match="at most"):
        assessor.consolidate(ours, indicator, expected_version=before.version, source="press",
                             carry=[("press", 0), ("press", 1)])
    assert store.get_answer(ours, indicator) == before
    assert store.history(ours, indicator) == trail
    store.max_evidence += 1  # with room for both, the same consolidation goes through whole
    stored = assessor.consolidate(ours, indicator, expected_version=before.version, source="press",
                                  carry=[("press", 0), ("press", 1)])
    assert stored.answer.level == 3 and len(stored.answer.evidence) == len(before.answer.evidence) + 2
    assert json.loads(store.history(ours, indicator)[-1].new) == {"from": ["press"]}


def test_an_imported_response_replaces_that_respondent_only(store, rounds):
    ours, _ = rounds
    assessor = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    before = {item.respondent.id: item for item in assessor.all_responses(ours)}
    consolidated = store.load(ours).answers
    count = assessor.put_response(ours, Response(Respondent("it", "IT services"), {LEVELS[0]: Answer(level=4)}))
    after = {item.respondent.id: item for item in assessor.all_responses(ours)}
    assert count == 1 and dict(after["it"].answers) == {LEVELS[0]: Answer(level=4)}
    assert {key: value for key, value in after.items() if key != "it"} == \
        {key: value for key, value in before.items() if key != "it"}
    assert store.load(ours).answers == consolidated
    assessor.put_response(ours, Response(Respondent("new-embassy", "Embassy West"), {LEVELS[1]: Answer(level=1)}))
    assert list(after) + ["new-embassy"] == [item.id for item in assessor.respondents(ours)]
    with pytest.raises(StorageError, match="no such indicator"):
        assessor.put_response(ours, Response(Respondent("it", "IT"), {"nope": Answer(level=1)}))


def test_a_database_made_before_team_rounds_opens_and_gains_them(tmp_path):
    store = Store.open(data_dir=tmp_path)
    store.close()
    with sqlite3.connect(tmp_path / "ddmt.sqlite3") as connection:
        connection.execute("DROP TABLE response_answers")
        connection.execute("DROP TABLE respondents")
    store = Store.open(data_dir=tmp_path)
    try:
        assessment_id = store.import_document(json.loads(SAMPLE.read_text()), user="admin")
        assert len(store.load(assessment_id).responses) == 6
    finally:
        store.close()


def test_backups_keep_the_respondents_and_their_answers(tmp_path):
    from toolkit.store import backup

    store = Store.open(data_dir=tmp_path / "a")
    try:
        assessment_id = store.import_document(json.loads(SAMPLE.read_text()), user="admin")
        TeamRound(Workspace(store, Principal.local("me"))).invite(assessment_id, Respondent("late", "Late joiner"))
        before = store.to_document(assessment_id)
        backup.backup(store, tmp_path / "b.tar.gz")
    finally:
        store.close()
    backup.restore(tmp_path / "b.tar.gz", data_dir=tmp_path / "c")
    restored = Store.open(data_dir=tmp_path / "c")
    try:
        assert restored.to_document(assessment_id) == before
        assert before["responses"][-1] == {"respondent": {"id": "late", "name": "Late joiner"}, "answers": {}}
    finally:
        restored.close()


def test_sharing_levels_apply_to_the_respondents_evidence_too():
    from toolkit.model.assessment import Assessment
    from toolkit.reports.sharing import share_assessment, share_document

    doc = json.loads(SAMPLE.read_text())
    doc["responses"][0]["answers"][LEVELS[0]] = {"level": 2, "evidence": [
        {"kind": "url", "value": "https://mfa.example/open", "sensitivity": "public"},
        {"kind": "text", "value": "internal memo", "sensitivity": "restricted"}]}
    shared, count = share_document(doc, "public")
    assert [item["value"] for item in shared["responses"][0]["answers"][LEVELS[0]]["evidence"]] == \
        ["https://mfa.example/open"]
    assert count >= 1
    model, _ = share_assessment(Assessment.from_dict(doc), "public")
    assert [item.value for item in model.responses[0].answers[LEVELS[0]].evidence] == ["https://mfa.example/open"]


def test_a_respondents_questionnaire_round_trips_into_their_response_only(store, rounds):
    """Offline per respondent through the store: the copy made for "it" comes back as its response, nothing else."""
    from test_respondent_copies import filled

    from toolkit.io.respondent_copies import import_response
    from toolkit.io.template import RespondentCopy, questionnaire_bytes

    ours, _ = rounds
    assessor = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    round_ = store.load(ours)
    it = next(record.respondent for record in assessor.respondents(ours) if record.id == "it")
    copy = questionnaire_bytes(RUBRIC, "en", RespondentCopy(ours, round_.ministry, round_.period, it))
    before = {item.respondent.id: item for item in assessor.all_responses(ours)}
    response = import_response(filled(copy), "it.xlsx", round_, RUBRIC,
                               respondents=[record.respondent for record in assessor.respondents(ours)])
    assert assessor.put_response(ours, response, source="it.xlsx") == 2
    after = {item.respondent.id: item for item in assessor.all_responses(ours)}
    assert sorted(after["it"].answers) == ["gov.strategy", "ins.official_accounts"]
    assert after["it"].answers["ins.official_accounts"].level == 4 and after["it"].submitted_at
    assert {key: value for key, value in after.items() if key != "it"} == \
        {key: value for key, value in before.items() if key != "it"}
    assert store.load(ours).answers == round_.answers  # never the consolidated answers
    trail = [entry for entry in store.history(ours) if entry.field == "response it: imported"]
    assert json.loads(trail[-1].new) == {"source": "it.xlsx", "answers": 2}
    with pytest.raises(AccessDenied):  # an assessor of another ministry may not put it into their round either
        team(store, "amir", ("dravenia-mfa", "assessor")).put_response(ours, response)
    with pytest.raises(AccessDenied):  # nor the respondent's own account
        team(store, "cyrus").put_response(ours, response)


# --- the access rules at their edges (issue 17, found by mutation testing) ----------------------------------

def test_a_round_that_does_not_exist_is_refused_like_one_of_another_ministry(store, rounds):
    """Who is not a global administrator cannot tell a missing round id from one they may not use."""
    ours, theirs = rounds
    fatima = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    fatima.invite(ours, Respondent("cyber", "Cyber desk"), account="cyrus")
    cyrus = team(store, "cyrus")
    for who in (cyrus, fatima):
        for round_id in (theirs, "dravenia-mfa-2099"):
            with pytest.raises(AccessDenied) as refused:
                who.save(round_id, "press", LEVELS[0], {"level": 1}, expected_version=0)
            assert str(refused.value) == "you may not answer as this respondent"
            with pytest.raises(AccessDenied) as refused:
                who.invite(round_id, Respondent("x", "X"))
            assert str(refused.value) == "only the round's facilitator (an assessor or reviewer) may do this"
    admin = team(store, "ada", admin=True)
    for call in (lambda: admin.own_answers("dravenia-mfa-2099", "press"),
                 lambda: admin.invite("dravenia-mfa-2099", Respondent("x", "X")),
                 lambda: admin.round_rubric("dravenia-mfa-2099")):
        with pytest.raises(NotFoundError, match='^no assessment with the id "dravenia-mfa-2099"$'):
            call()


def test_the_round_rubric_is_for_its_respondents_and_those_who_view_it(store):
    ours = store.import_document(json.loads(SAMPLE.read_text()), user="admin")  # the only round
    fatima = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    fatima.invite(ours, Respondent("cyber", "Cyber desk"), account="cyrus")
    expected = (RUBRIC.id, RUBRIC.version)
    assert team(store, "cyrus").round_rubric(ours) == expected
    assert team(store, "vic", ("tumbaro-mfa", "viewer")).round_rubric(ours) == expected
    with pytest.raises(AccessDenied, match="^you have no access to this ministry's assessments$"):
        team(store, "olga", ("dravenia-mfa", "assessor")).round_rubric(ours)


def test_respondents_see_their_round_and_answers_and_facilitators_answer_for_them(store, rounds):
    ours, theirs = rounds
    fatima = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    fatima.invite(ours, Respondent("cyber", "Cyber desk"), account="cyrus")
    cyrus = team(store, "cyrus")
    assert "cyber" in [record.id for record in cyrus.respondents(ours)]  # no ministry role: as its respondent
    with pytest.raises(AccessDenied, match="^you have no access to this ministry's assessments$"):
        cyrus.respondents(theirs)
    cyrus.save(ours, "cyber", LEVELS[0], {"level": 2}, expected_version=0)
    assert {key: value.answer.level for key, value in cyrus.own_answers(ours, "cyber").items()} == {LEVELS[0]: 2}
    assert fatima.own_answers(ours, "cyber")[LEVELS[0]].answer.level == 2
    # The facilitator answers on a respondent's behalf and reads the others before anyone submitted.
    assert fatima.may_answer_as(ours, "cyber") and not team(store, "vic", ("tumbaro-mfa", "viewer")).may_answer_as(
        ours, "cyber")
    fatima.save(ours, "cyber", LEVELS[1], {"level": 1}, expected_version=0)
    assert "cyber" not in {item.respondent.id for item in fatima.others(ours, "cyber")}
    with pytest.raises(AccessDenied) as refused:
        cyrus.others(ours, "cyber")
    assert str(refused.value) == "the others' answers show once you have submitted yours"


def test_a_consolidation_refuses_what_it_cannot_take_with_the_reason(store, rounds):
    ours, _ = rounds
    fatima = team(store, "fatima", ("tumbaro-mfa", "assessor"))
    press = next(item for item in fatima.all_responses(ours) if item.respondent.id == "press")
    indicator = "ins.cyber_diplomacy"
    fatima.put_response(ours, Response(press.respondent, {**press.answers, indicator: Answer(level=3, evidence=(
        Evidence("url", "https://mfa.example/cyber", description="statement", sensitivity="restricted"),))}))
    version = store.get_answer(ours, indicator).version
    for kwargs in ({}, {"source": "press", "own": {"level": 1}, "reason": "both"}):
        with pytest.raises(ValueError) as refused:
            fatima.consolidate(ours, indicator, expected_version=version, **kwargs)
        assert str(refused.value) == "consolidate takes either a respondent (source) or the facilitator's own answer"
    for kwargs, message in (
            ({"source": "nobody"}, f"{indicator}: nobody has not answered it"),
            ({"source": "press", "carry": [("press", 1)]}, f"{indicator}: press has no evidence item 2"),
            ({"source": "press", "carry": [("nobody", 0)]}, f"{indicator}: nobody has no evidence item 1"),
            ({"source": "press", "carry": [("press", -1)]}, f"{indicator}: press has no evidence item 0")):
        with pytest.raises(StorageError) as refused:
            fatima.consolidate(ours, indicator, expected_version=version, **kwargs)
        assert str(refused.value) == message
    unanswered = next(key for key in LEVELS if key not in press.answers)
    with pytest.raises(StorageError) as refused:
        fatima.consolidate(ours, unanswered, expected_version=store.get_answer(ours, unanswered).version,
                           own={"level": 1}, reason="mine", carry=[("press", 0)])
    assert str(refused.value) == f"{unanswered}: press has no evidence item 1"
    stored = fatima.consolidate(ours, indicator, expected_version=version, source="press", carry=[("press", 0)])
    carried = stored.answer.evidence[-1]
    assert (carried.kind, carried.value, carried.description, carried.sensitivity) == (
        "url", "https://mfa.example/cyber", "statement", "restricted")


def test_an_administrator_asking_for_the_respondents_of_a_missing_round_is_told_its_id(store, rounds):
    with pytest.raises(NotFoundError, match='^no assessment with the id "dravenia-mfa-2099"$'):
        team(store, "ada", admin=True).respondents("dravenia-mfa-2099")
    with pytest.raises(AccessDenied, match="^you have no access to this ministry's assessments$"):
        team(store, "olga", ("dravenia-mfa", "assessor")).respondents("dravenia-mfa-2099")
