"""A stored round moved to a newer version of its rubric, in one write transaction, losing nothing.

The rules are those of `toolkit.model.migration` (SPEC 11), so a file and a stored round migrate the
same way. In the store:

* an answer carried unchanged keeps its row and version;
* an answer whose level was mapped gets a new version (one audit row per changed field);
* an answer moved to a new id is written under that id at the next version, its evidence with it;
* a dropped answer leaves the answers table;
* every answer replaced, moved or dropped is first copied whole into `answer_archive` (its evidence
  included), and the audit trail says "migrated from <old version>" on each, and on the round.

A migration changes answers, so like every change it needs a draft round (a submitted or reviewed
round is reopened first, as a new version); access is checked above, in `toolkit.access.workspace`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from toolkit.model.catalogue import find_rubric
from toolkit.model.migration import MigrationReport, migrate_answers, migration_table
from toolkit.model.rubric import Rubric
from toolkit.store import review
from toolkit.store import rows as store_rows
from toolkit.store.records import NotFoundError, answer_document, now_stamp, person_name
from toolkit.store.review import Transactions
from toolkit.store.tables import answer_archive, answers, assessments, carried_answers, evidence

ARCHIVE_REASON = "migrated"


def migrated_note(version: str) -> str:
    """The audit trail's words for a migration, the same on every answer and on the round."""
    return f"migrated from {version}"


def migrate_round(store: Transactions, assessment_id: str, version: str, *, user: str) -> MigrationReport:
    """Move a draft round to `version` of its rubric; the report says what was carried, remapped, dropped."""
    now, who = now_stamp(), person_name(user)
    with store._write() as connection:
        row = connection.execute(select(assessments.c.rubric_id, assessments.c.rubric_version)
                                 .where(assessments.c.id == assessment_id).with_for_update(key_share=True)).first()
        if row is None:
            raise NotFoundError(f'no assessment with the id "{assessment_id}"')
        review.require_draft(connection, assessment_id)
        source = find_rubric(row.rubric_id, row.rubric_version)
        target = find_rubric(row.rubric_id, version)
        table = migration_table(source, target)  # MigrationError if there is no way from one to the other
        stored = store_rows.stored_answers(connection, assessment_id)
        old = {key: answer_document(item.answer) for key, item in stored.items()}
        new, carried, remapped, dropped = migrate_answers(old, source, target, table)
        note = migrated_note(source.version)
        for item in remapped:
            _archive(connection, assessment_id, item.old_id, source, stored[item.old_id].version, old, now, who)
            if item.new_id == item.old_id:
                _remap_in_place(connection, assessment_id, item.old_id, stored[item.old_id].version,
                                old[item.old_id], new[item.new_id], now, who)
            else:
                _move(connection, assessment_id, item.old_id, item.new_id, stored[item.old_id].version,
                      new[item.new_id], now, who)
            store_rows.record(connection, now, who, assessment_id, item.new_id, "migrated",
                              f"{item.old_id} in {source.version}", note)
        for item in dropped:
            _archive(connection, assessment_id, item.old_id, source, stored[item.old_id].version, old, now, who)
            connection.execute(delete(carried_answers).where(carried_answers.c.assessment_id == assessment_id,
                                                             carried_answers.c.indicator_id == item.old_id))
            connection.execute(delete(answers).where(answers.c.assessment_id == assessment_id,
                                                     answers.c.indicator_id == item.old_id))
            store_rows.record(connection, now, who, assessment_id, item.old_id, "migrated",
                              f"{item.old_id} in {source.version}",
                              f"{note}: not in {target.version} ({item.reason}); kept in the archive")
        connection.execute(update(assessments).where(assessments.c.id == assessment_id)
                           .values(rubric_version=target.version))
        store_rows.touch(connection, assessment_id, now, who)
        store_rows.record(connection, now, who, assessment_id, None, "rubric",
                          f"{source.id} {source.version}", f"{target.id} {target.version} ({note})")
    to_answer = tuple(indicator.id for indicator in target.indicators() if indicator.id not in new)
    return MigrationReport(assessment_id, target.id, source.version, target.version, tuple(carried),
                           tuple(remapped), tuple(dropped), to_answer)


def archived(store: Transactions, assessment_id: str) -> list[dict[str, Any]]:
    """The answers migrations took out of a round, oldest first: indicator, rubric version, answer, when, who."""
    with store._read() as connection:
        return [dict(row) for row in connection.execute(
            select(answer_archive).where(answer_archive.c.assessment_id == assessment_id)
            .order_by(answer_archive.c.id)).mappings()]


def _archive(connection: Connection, assessment_id: str, indicator_id: str, source: Rubric, version: int,
             old: dict[str, Any], now: str, who: str) -> None:
    connection.execute(insert(answer_archive).values(
        assessment_id=assessment_id, indicator_id=indicator_id, rubric_version=source.version, version=version,
        answer=old[indicator_id], archived_at=now, archived_by=who, reason=ARCHIVE_REASON))


def _remap_in_place(connection: Connection, assessment_id: str, indicator_id: str, version: int,
                    before: dict[str, Any], after: dict[str, Any], now: str, who: str) -> None:
    """A new version of the answer with its mapped fields (level, target), each change audited."""
    changed = {key: after.get(key) for key in ("level", "target") if before.get(key) != after.get(key)}
    store_rows.bump(connection, assessment_id, indicator_id, version, now, who, changed)
    for key, value in changed.items():
        store_rows.record(connection, now, who, assessment_id, indicator_id, key, before.get(key), value)
    _follow_carried(connection, assessment_id, indicator_id, indicator_id, version)


def _move(connection: Connection, assessment_id: str, old_id: str, new_id: str, version: int,
          after: dict[str, Any], now: str, who: str) -> None:
    """The answer written under its new id at the next version, its evidence moved with it, the old row gone."""
    fields = {key: after.get(key) for key in ("level", "value", "na_reason", "target", "confidence", "notes")}
    connection.execute(insert(answers).values(
        assessment_id=assessment_id, indicator_id=new_id, na=bool(after.get("na", False)), **fields,
        version=version + 1, updated_at=now, updated_by=who))
    connection.execute(update(evidence).where(evidence.c.assessment_id == assessment_id,
                                              evidence.c.indicator_id == old_id).values(indicator_id=new_id))
    _follow_carried(connection, assessment_id, old_id, new_id, version)
    connection.execute(delete(answers).where(answers.c.assessment_id == assessment_id,
                                             answers.c.indicator_id == old_id))


def _follow_carried(connection: Connection, assessment_id: str, old_id: str, new_id: str, version: int) -> None:
    """An answer carried and not yet confirmed stays so after the migration: the machine confirmed nothing."""
    connection.execute(update(carried_answers).where(
        carried_answers.c.assessment_id == assessment_id, carried_answers.c.indicator_id == old_id,
        carried_answers.c.version == version).values(indicator_id=new_id, version=version + 1))


