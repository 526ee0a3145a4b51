"""A new round that starts from an earlier one of the same ministry: its answers carried, to confirm.

Ministries assess every year, and re-entering sixty answers is why people stop. `start_round_from`
creates the round and copies every answer of the earlier round into it (level or value, N/A and
reason, target, confidence, notes and evidence, whose files stay where they are: the ministry already
holds them). When the earlier round used an older rubric version, the answers are migrated on the way
(`toolkit.model.migration`); answers the new version has no place for stay behind.

Each carried answer is marked "carried from <period>: confirm or change" (the `carried_answers`
table) until someone confirms it as it is or saves a change to it: a save raises the answer's
version above the version it was carried at, so the mark lapses without the save path knowing of it.
Carrying stays within one ministry. Access is checked above, in `toolkit.access.workspace`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select

from toolkit.model.catalogue import find_rubric
from toolkit.model.migration import migrate_answers, migration_table
from toolkit.store import review
from toolkit.store import rows as store_rows
from toolkit.store.records import NotFoundError, StorageError, answer_document, now_stamp, person_name
from toolkit.store.store import Store
from toolkit.store.tables import answers, assessments, carried_answers, evidence

_FIELDS = ("level", "value", "na_reason", "target", "confidence", "notes")
_EVIDENCE_FIELDS = ("kind", "value", "name", "sha256", "description", "added_by", "added_at", "sensitivity")


@dataclass(frozen=True)
class CarriedMark:
    """An answer carried from an earlier round and not yet confirmed or changed."""

    indicator_id: str
    from_assessment_id: str
    from_period: str


def carried_note(period: str) -> str:
    """The audit trail's words for a carried answer."""
    return f"carried from {period}"


def start_round_from(store: Store, ministry_id: str, period: str, *, source_id: str, rubric_id: str,
                     rubric_version: str, user: str, assessors: Sequence[str] = ()) -> str:
    """Create a draft round for the ministry with the answers of its earlier round `source_id`; returns its id.

    StorageError if the earlier round belongs to another ministry; MigrationError (before anything is
    written) if its answers cannot be taken to the new round's rubric version.
    """
    carried = _carried_documents(store, ministry_id, source_id, rubric_id, rubric_version)
    source_period = carried[0]
    new_id = store.create_assessment(ministry_id, period, rubric_id=rubric_id, rubric_version=rubric_version,
                                     user=user, assessors=assessors)
    now, who = now_stamp(), person_name(user)
    with store._write() as connection:
        for indicator_id, answer in carried[1].items():
            _insert_answer(connection, new_id, indicator_id, answer, now, who)
            connection.execute(insert(carried_answers).values(
                assessment_id=new_id, indicator_id=indicator_id, from_assessment_id=source_id,
                from_period=source_period, version=1, carried_at=now))
            store_rows.record(connection, now, who, new_id, indicator_id, "carried", None,
                              f"{carried_note(source_period)} ({source_id}){carried[2]}")
        store_rows.record(connection, now, who, new_id, None, "carried", None,
                          {"from": source_id, "period": source_period, "answers": len(carried[1])})
    return new_id


def carried(store: Store, assessment_id: str) -> dict[str, CarriedMark]:
    """The answers of a round still marked as carried (not confirmed, not changed since), by indicator."""
    query = (select(carried_answers).join(answers, and_(
        answers.c.assessment_id == carried_answers.c.assessment_id,
        answers.c.indicator_id == carried_answers.c.indicator_id,
        answers.c.version == carried_answers.c.version))
        .where(carried_answers.c.assessment_id == assessment_id))
    with store._read() as connection:
        return {row.indicator_id: CarriedMark(row.indicator_id, row.from_assessment_id, row.from_period)
                for row in connection.execute(query)}


def confirm(store: Store, assessment_id: str, indicator_ids: Sequence[str], *, user: str) -> int:
    """Confirm carried answers as they are (a draft round only); returns how many were still to confirm."""
    now, who = now_stamp(), person_name(user)
    pending = carried(store, assessment_id)
    done = 0
    with store._write() as connection:
        review.require_draft(connection, assessment_id)
        for indicator_id in indicator_ids:
            mark = pending.get(indicator_id)
            if mark is None:
                continue
            result = connection.execute(delete(carried_answers).where(
                carried_answers.c.assessment_id == assessment_id, carried_answers.c.indicator_id == indicator_id))
            if result.rowcount:
                done += 1
                store_rows.record(connection, now, who, assessment_id, indicator_id, "confirmed",
                                  carried_note(mark.from_period), "confirmed")
        if done:
            store_rows.touch(connection, assessment_id, now, who)
    return done


def _carried_documents(store: Store, ministry_id: str, source_id: str, rubric_id: str,
                       version: str) -> tuple[str, dict[str, Any], str]:
    """The earlier round's period, its answers as the new round takes them, and the audit's migration words."""
    with store._read() as connection:
        row = connection.execute(select(assessments.c.ministry_id, assessments.c.period, assessments.c.rubric_id,
                                        assessments.c.rubric_version)
                                 .where(assessments.c.id == source_id)).first()
        if row is None:
            raise NotFoundError(f'no assessment with the id "{source_id}"')
        if row.ministry_id != ministry_id:
            raise StorageError(f'"{source_id}" is a round of another ministry: a round starts only from its own '
                               "ministry's rounds")
        stored = store_rows.stored_answers(connection, source_id)
    documents = {key: answer_document(item.answer) for key, item in stored.items()}
    if (row.rubric_id, row.rubric_version) == (rubric_id, version):
        return row.period, documents, ""
    source, target = find_rubric(row.rubric_id, row.rubric_version), find_rubric(rubric_id, version)
    moved = migrate_answers(documents, source, target, migration_table(source, target))[0]
    return row.period, moved, f", migrated from {source.version}"


def _insert_answer(connection: Connection, assessment_id: str, indicator_id: str, answer: dict[str, Any],
                   now: str, who: str) -> None:
    connection.execute(insert(answers).values(
        assessment_id=assessment_id, indicator_id=indicator_id, na=bool(answer.get("na", False)),
        **{key: answer.get(key) for key in _FIELDS}, version=1, updated_at=now, updated_by=who))
    items = [{"assessment_id": assessment_id, "indicator_id": indicator_id, "position": position,
              **{key: item.get(key) for key in _EVIDENCE_FIELDS}}
             for position, item in enumerate(answer.get("evidence", ()))]
    if items:
        connection.execute(insert(evidence), items)


