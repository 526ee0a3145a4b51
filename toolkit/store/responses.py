"""Team rounds in the store (SPEC 12): the respondents of a round and their own answers.

A round may invite respondents (an id unique in the round, a name, a unit, and in password and
OIDC modes the account that answers as them). Each respondent's answers are saved as they go like
the round's own: one row per indicator with a version, every save a compare-and-set on it (two tabs
of one respondent never silently overwrite each other) and one audit row per changed field, named
`response <respondent>: <field>`. A respondent's answer is kept whole, in the document form
(`answer_document`), evidence included, so nothing of it is lost between the app, an import and an
export. `submitted_at` is set once the respondent submits; only then may they see the others'.

These are new tables only, so a database made before team rounds gains them on opening. The
operations take a store (`Transactions`, as `toolkit.store.review` does) and open their own
transactions; access is checked above, in `toolkit.access.team`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from toolkit.model.assessment import Answer, Assessment, Evidence, Respondent, Response
from toolkit.model.catalogue import find_rubric
from toolkit.model.semantics import ID
from toolkit.store import records as store_records
from toolkit.store import rows as store_rows
from toolkit.store.records import ConflictError, NotFoundError, StorageError, now_stamp
from toolkit.store.tables import assessments, metadata

MAX_RESPONDENTS = 50

respondents = Table(
    "respondents", metadata,
    Column("assessment_id", String, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("respondent_id", String, primary_key=True),
    Column("position", Integer, nullable=False),  # the order respondents were invited or listed in
    Column("name", Text, nullable=False),
    Column("unit", Text),
    Column("account", String),  # the user name that answers as this respondent (password and oidc modes)
    Column("submitted_at", String),
    Column("invited_at", String, nullable=False),
    Column("invited_by", Text, nullable=False),
)

response_answers = Table(
    "response_answers", metadata,
    Column("assessment_id", String, primary_key=True),
    Column("respondent_id", String, primary_key=True),
    Column("indicator_id", String, primary_key=True),
    Column("answer", JSON, nullable=False),  # the answer in the document form, evidence included
    Column("version", Integer, nullable=False),
    Column("updated_at", String, nullable=False),
    Column("updated_by", Text, nullable=False),
    ForeignKeyConstraint(["assessment_id", "respondent_id"],
                         ["respondents.assessment_id", "respondents.respondent_id"], ondelete="CASCADE"),
)


class Transactions(Protocol):
    def _read(self) -> AbstractContextManager[Connection]: ...

    def _write(self) -> AbstractContextManager[Connection]: ...


@dataclass(frozen=True)
class RespondentRecord:
    """A respondent as stored: who, the account answering as them, and when they submitted (None: not yet)."""

    assessment_id: str
    respondent: Respondent
    account: str | None
    submitted_at: str | None

    @property
    def id(self) -> str:
        return self.respondent.id


@dataclass(frozen=True)
class StoredResponseAnswer:
    """One respondent's answer with the version a save must name (0: never saved)."""

    indicator_id: str
    answer: Answer
    version: int
    updated_at: str = ""
    updated_by: str = ""


# ------------------------------------------------------------------------------------ operations

def invite(store: Transactions, assessment_id: str, respondent: Respondent, *, user: str,
           account: str | None = None) -> RespondentRecord:
    """Add a respondent to a round; StorageError if the id is taken or not an id."""
    if not isinstance(respondent.id, str) or not ID.match(respondent.id):
        raise StorageError(f"{store_records.show(respondent.id)} is not a respondent id: lowercase letters, "
                           "digits, '_', '.' and '-'")
    name = store_records.whole_text("respondent", "the name", (respondent.name or "").strip())
    if not name:
        raise StorageError("a respondent needs a name")
    unit = store_records.whole_text("respondent", "the unit", (respondent.unit or "").strip()) or None
    now = now_stamp()
    with store._write() as connection:
        store_rows.require_assessment(connection, assessment_id)
        taken = [row.respondent_id for row in connection.execute(
            select(respondents.c.respondent_id).where(respondents.c.assessment_id == assessment_id))]
        if respondent.id in taken:
            raise StorageError(f'the round already has a respondent "{respondent.id}"')
        if len(taken) >= MAX_RESPONDENTS:
            raise StorageError(f"a round holds at most {MAX_RESPONDENTS} respondents")
        connection.execute(insert(respondents).values(
            assessment_id=assessment_id, respondent_id=respondent.id, position=len(taken), name=name, unit=unit,
            account=account,
            invited_at=now, invited_by=user))
        store_rows.record(connection, now, user, assessment_id, None, f"respondent {respondent.id}", None,
                          {"name": name, "unit": unit, "account": account})
    return RespondentRecord(assessment_id, Respondent(respondent.id, name, unit), account, None)


def set_account(store: Transactions, assessment_id: str, respondent_id: str, account: str, *, user: str) -> bool:
    """Name the account that answers as a respondent; False if it already does. StorageError if another does."""
    with store._write() as connection:
        record = _respondent(connection, assessment_id, respondent_id)
        if record.account == account:
            return False
        if record.account is not None:
            raise StorageError(f'respondent "{respondent_id}" of round "{assessment_id}" is answered by the account '
                               f'"{record.account}" already')
        connection.execute(update(respondents).where(respondents.c.assessment_id == assessment_id,
                                                     respondents.c.respondent_id == respondent_id)
                           .values(account=account))
        store_rows.record(connection, now_stamp(), user, assessment_id, None, f"respondent {respondent_id}", None,
                          {"account": account})
    return True


def respondents_of(store: Transactions, assessment_id: str) -> list[RespondentRecord]:
    """The respondents of a round, in the order they were invited."""
    with store._read() as connection:
        return _respondents(connection, assessment_id)


def rounds_answered_by(store: Transactions, account: str) -> list[RespondentRecord]:
    """Every round an account answers in, as which respondent."""
    with store._read() as connection:
        rows = connection.execute(select(respondents).where(respondents.c.account == account)
                                  .order_by(respondents.c.assessment_id)).mappings().all()
    return [_record(row) for row in rows]


def response_answers_of(store: Transactions, assessment_id: str, respondent_id: str) -> dict[str, StoredResponseAnswer]:
    """A respondent's stored answers by indicator id."""
    with store._read() as connection:
        _respondent(connection, assessment_id, respondent_id)
        return _answers(connection, assessment_id, respondent_id)


def save_response_answer(store: Transactions, assessment_id: str, respondent_id: str, indicator_id: str,
                         changes: Mapping[str, Any], *, expected_version: int, user: str) -> StoredResponseAnswer:
    """Change a respondent's answer if its version is still `expected_version`; else ConflictError.

    `changes` holds answer fields as `Store.save_answer` takes them, or `evidence` (a list of
    Evidence, replacing the list). A submitted response does not change.
    """
    now = now_stamp()
    with store._write() as connection:
        record = _respondent(connection, assessment_id, respondent_id)
        if record.submitted_at is not None:
            raise StorageError(f"{respondent_id} has submitted; a submitted response does not change")
        indicator, scale = _indicator(connection, assessment_id, indicator_id)
        fields = {key: value for key, value in changes.items() if key != "evidence"}
        values = store_records.answer_changes(fields, indicator, scale)
        current = _answers(connection, assessment_id, respondent_id).get(indicator_id) or \
            StoredResponseAnswer(indicator_id, Answer(), 0)
        if current.version != expected_version:
            raise ConflictError(_as_stored(current))
        before = store_records.answer_document(current.answer)
        after_answer = _changed(current.answer, values)
        if "evidence" in changes:
            items = tuple(_checked_evidence(item, user, now) for item in changes["evidence"])
            after_answer = Answer(**{**after_answer.__dict__, "evidence": items})
        after = store_records.answer_document(after_answer)
        if after == before:
            return current
        row = {"answer": after, "version": current.version + 1, "updated_at": now, "updated_by": user}
        if current.version == 0:
            connection.execute(insert(response_answers).values(
                assessment_id=assessment_id, respondent_id=respondent_id, indicator_id=indicator_id, **row))
        else:
            done = connection.execute(update(response_answers).where(
                response_answers.c.assessment_id == assessment_id,
                response_answers.c.respondent_id == respondent_id,
                response_answers.c.indicator_id == indicator_id,
                response_answers.c.version == expected_version).values(**row))
            if done.rowcount != 1:
                raise ConflictError(_as_stored(current))
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                store_rows.record(connection, now, user, assessment_id, indicator_id,
                                  f"response {respondent_id}: {key}", before.get(key), after.get(key))
        return StoredResponseAnswer(indicator_id, after_answer, current.version + 1, now, user)


def submit_response(store: Transactions, assessment_id: str, respondent_id: str, *, user: str) -> str:
    """Mark a respondent's response submitted (once); returns the time."""
    now = now_stamp()
    with store._write() as connection:
        record = _respondent(connection, assessment_id, respondent_id)
        if record.submitted_at is not None:
            return record.submitted_at
        connection.execute(update(respondents).where(respondents.c.assessment_id == assessment_id,
                                                     respondents.c.respondent_id == respondent_id)
                           .values(submitted_at=now))
        store_rows.record(connection, now, user, assessment_id, None, f"response {respondent_id}: submitted",
                          None, now)
    return now


def put_response(store: Transactions, assessment_id: str, response: Response, *, user: str,
                 source: str | None = None) -> int:
    """Add or replace a whole response (a filled questionnaire); the respondent is invited if new.

    A filled copy that comes back counts as submitted (at its own time, else now). Returns how many
    answers it holds. Only that respondent's answers change, never the round's.
    """
    now = now_stamp()
    with store._write() as connection:
        _indicators = _rubric_of(connection, assessment_id)
        for indicator_id in response.answers:
            if indicator_id not in _indicators:
                raise StorageError(f"{indicator_id}: the round's rubric has no such indicator; nothing was imported")
        existing = connection.execute(select(respondents).where(
            respondents.c.assessment_id == assessment_id,
            respondents.c.respondent_id == response.respondent.id)).mappings().first()
        if existing is None:
            count = len(_respondents(connection, assessment_id))
            if count >= MAX_RESPONDENTS:
                raise StorageError(f"a round holds at most {MAX_RESPONDENTS} respondents; nothing was imported")
            connection.execute(insert(respondents).values(
                assessment_id=assessment_id, respondent_id=response.respondent.id, position=count,
                name=response.respondent.name,
                unit=response.respondent.unit, invited_at=now, invited_by=user,
                submitted_at=response.submitted_at or now))
        else:
            connection.execute(update(respondents).where(
                respondents.c.assessment_id == assessment_id,
                respondents.c.respondent_id == response.respondent.id).values(
                name=response.respondent.name, unit=response.respondent.unit,
                submitted_at=response.submitted_at or now))
        old = _answers(connection, assessment_id, response.respondent.id)
        connection.execute(delete(response_answers).where(
            response_answers.c.assessment_id == assessment_id,
            response_answers.c.respondent_id == response.respondent.id))
        rows = [{"assessment_id": assessment_id, "respondent_id": response.respondent.id, "indicator_id": key,
                 "answer": store_records.answer_document(_as_imported(answer, user, now)),
                 "version": (old[key].version + 1) if key in old else 1, "updated_at": now, "updated_by": user}
                for key, answer in response.answers.items()]
        if rows:
            connection.execute(insert(response_answers), rows)
        store_rows.record(connection, now, user, assessment_id, None, f"response {response.respondent.id}: imported",
                          None, {"source": source, "answers": len(rows)})
    return len(rows)


def insert_responses(connection: Connection, assessment: Assessment, who: str, now: str) -> None:
    """Write an imported round's responses inside the caller's transaction (the round row exists)."""
    for position, response in enumerate(assessment.responses):
        connection.execute(insert(respondents).values(
            assessment_id=assessment.id, respondent_id=response.respondent.id, position=position,
            name=response.respondent.name,
            unit=response.respondent.unit, submitted_at=response.submitted_at, invited_at=now, invited_by=who))
        rows = [{"assessment_id": assessment.id, "respondent_id": response.respondent.id, "indicator_id": key,
                 "answer": store_records.answer_document(_as_imported(answer, who, now)), "version": 1,
                 "updated_at": now, "updated_by": who}
                for key, answer in response.answers.items()]
        if rows:
            connection.execute(insert(response_answers), rows)


def copy_responses(connection: Connection, from_id: str, to_id: str) -> None:
    """A reopened round's respondents and their answers, as they were (inside the caller's transaction)."""
    for table in (respondents, response_answers):
        rows = [{**dict(row), "assessment_id": to_id} for row in connection.execute(
            select(table).where(table.c.assessment_id == from_id)).mappings()]
        if rows:
            connection.execute(insert(table), rows)


def responses_in(connection: Connection, assessment_id: str) -> tuple[Response, ...]:
    """A round's responses as the model holds them, inside the caller's transaction."""
    return tuple(Response(respondent=record.respondent,
                          answers={key: stored.answer for key, stored in
                                   _answers(connection, assessment_id, record.id).items()},
                          submitted_at=record.submitted_at)
                 for record in _respondents(connection, assessment_id))


# --------------------------------------------------------------------------------------- helpers

def _respondents(connection: Connection, assessment_id: str) -> list[RespondentRecord]:
    rows = connection.execute(select(respondents).where(respondents.c.assessment_id == assessment_id)
                              .order_by(respondents.c.position, respondents.c.respondent_id)).mappings().all()
    return [_record(row) for row in rows]


def _record(row: Mapping[str, Any]) -> RespondentRecord:
    return RespondentRecord(row["assessment_id"], Respondent(row["respondent_id"], row["name"], row["unit"]),
                            row["account"], row["submitted_at"])


def _respondent(connection: Connection, assessment_id: str, respondent_id: str) -> RespondentRecord:
    row = connection.execute(select(respondents).where(respondents.c.assessment_id == assessment_id,
                                                       respondents.c.respondent_id == respondent_id)).mappings().first()
    if row is None:
        raise NotFoundError(f'no respondent "{respondent_id}" in the round "{assessment_id}"')
    return _record(row)


def _answers(connection: Connection, assessment_id: str, respondent_id: str) -> dict[str, StoredResponseAnswer]:
    rows = connection.execute(select(response_answers).where(
        response_answers.c.assessment_id == assessment_id,
        response_answers.c.respondent_id == respondent_id)).mappings().all()
    return {row["indicator_id"]: StoredResponseAnswer(row["indicator_id"], _answer(row["answer"]), row["version"],
                                                      row["updated_at"], row["updated_by"]) for row in rows}


def _answer(doc: Mapping[str, Any]) -> Answer:
    return Assessment.from_dict({"id": "x", "rubric": {"id": "x", "version": "0"},
                                 "ministry": {"id": "x", "name": "x", "country": "x"}, "period": "x",
                                 "date": "x", "status": "draft", "answers": {"x": doc}}).answers["x"]


def _rubric_of(connection: Connection, assessment_id: str) -> dict[str, Any]:
    row = connection.execute(select(assessments.c.rubric_id, assessments.c.rubric_version)
                             .where(assessments.c.id == assessment_id)).first()
    if row is None:
        raise NotFoundError(f'no assessment with the id "{assessment_id}"')
    rubric = find_rubric(row.rubric_id, row.rubric_version)
    return {indicator.id: (indicator, [level.value for level in rubric.scale]) for indicator in rubric.indicators()}


def _indicator(connection: Connection, assessment_id: str, indicator_id: str) -> tuple[Any, Sequence[int]]:
    found = _rubric_of(connection, assessment_id).get(indicator_id)
    if found is None:
        raise StorageError(f"{indicator_id}: the round's rubric has no such indicator")
    return found


def _changed(answer: Answer, values: Mapping[str, Any]) -> Answer:
    return Answer(**{**answer.__dict__, **values})


def _checked_evidence(item: Evidence, user: str, now: str) -> Evidence:
    if item.kind == "file":
        raise StorageError("a respondent's evidence is a link or a text; files go to the consolidated answer")
    row = store_records.evidence_row(item, user, now)
    return Evidence(kind=row["kind"], value=row["value"], description=row["description"],
                    added_by=row["added_by"], added_at=row["added_at"], sensitivity=row["sensitivity"])


def _as_imported(answer: Answer, who: str, now: str) -> Answer:
    """An imported answer's evidence as added by the importer, now (SPEC 13); no files in a response."""
    for item in answer.evidence:
        if item.kind == "file":
            raise StorageError("a respondent's evidence is a link or a text, not a file; nothing was imported")
    return Answer(**{**answer.__dict__, "evidence": tuple(
        Evidence(**{**item.__dict__, "added_by": who, "added_at": now}) for item in answer.evidence)})


def _as_stored(current: StoredResponseAnswer) -> store_records.StoredAnswer:
    """A ConflictError carries a StoredAnswer: the respondent's current answer and version."""
    return store_records.StoredAnswer(current.indicator_id, current.answer, current.version,
                                      current.updated_at, current.updated_by)


