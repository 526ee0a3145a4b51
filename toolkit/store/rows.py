"""Row operations the store composes inside one transaction: stored answers, their versions, the audit trail.

`bump` is the compare-and-set at the heart of "nothing is silently overwritten": it writes only if
the answer row is still at the version the change was based on (an INSERT for version 0, whose
duplicate key loses a race; an UPDATE ... WHERE version = expected, whose row count tells).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from toolkit.model.assessment import Answer, Evidence
from toolkit.store import records as store_records
from toolkit.store.records import ConflictError, NotFoundError, StoredAnswer
from toolkit.store.tables import answers, assessments, audit, evidence


def stored_answers(connection: Connection, assessment_id: str,
                   indicator_id: str | None = None) -> dict[str, StoredAnswer]:
    """The stored answers of an assessment (or just one), evidence in its order, by indicator id."""
    answer_query = select(answers).where(answers.c.assessment_id == assessment_id).order_by(answers.c.indicator_id)
    evidence_query = (select(evidence).where(evidence.c.assessment_id == assessment_id)
                      .order_by(evidence.c.indicator_id, evidence.c.position, evidence.c.id))
    if indicator_id is not None:
        answer_query = answer_query.where(answers.c.indicator_id == indicator_id)
        evidence_query = evidence_query.where(evidence.c.indicator_id == indicator_id)
    items: dict[str, list[Evidence]] = {}
    for row in connection.execute(evidence_query).mappings():
        items.setdefault(row["indicator_id"], []).append(store_records.evidence_item(row))
    return {row["indicator_id"]: StoredAnswer(row["indicator_id"],
                                              store_records.answer(row, items.get(row["indicator_id"], ())),
                                              int(row["version"]), row["updated_at"], row["updated_by"])
            for row in connection.execute(answer_query).mappings()}


def stored_answer(connection: Connection, assessment_id: str, indicator_id: str) -> StoredAnswer:
    """One stored answer; version 0 and an empty answer if it was never saved."""
    found = stored_answers(connection, assessment_id, indicator_id).get(indicator_id)
    return found or StoredAnswer(indicator_id, Answer(), 0, "", "")


def current(connection: Connection, assessment_id: str, indicator_id: str, expected_version: int) -> StoredAnswer:
    """The stored answer, if it is still at the version the change was based on; else ConflictError."""
    if not isinstance(expected_version, int) or isinstance(expected_version, bool) or expected_version < 0:
        raise ValueError(f"expected_version must be a whole number >= 0, not {expected_version!r}")
    found = stored_answer(connection, assessment_id, indicator_id)
    if found.version != expected_version:
        raise ConflictError(found)
    return found


def bump(connection: Connection, assessment_id: str, indicator_id: str, expected_version: int, now: str,
         who: str, values: Mapping[str, Any]) -> None:
    """Compare-and-set: write `values` and the next version only if the row is still at `expected_version`."""
    stamp = {"version": expected_version + 1, "updated_at": now, "updated_by": who}
    if expected_version == 0:
        # A concurrent first save of the same answer fails here on the primary key (a DuplicateRow).
        connection.execute(insert(answers).values(
            **{"assessment_id": assessment_id, "indicator_id": indicator_id, "na": False, **values, **stamp}))
        return
    result = connection.execute(update(answers).where(and_(
        answers.c.assessment_id == assessment_id, answers.c.indicator_id == indicator_id,
        answers.c.version == expected_version)).values(**values, **stamp))
    if result.rowcount != 1:
        raise ConflictError(stored_answer(connection, assessment_id, indicator_id))


def touch(connection: Connection, assessment_id: str, now: str, who: str) -> None:
    """Mark the round as changed; its `date` is the day it was last edited, as the document format says."""
    connection.execute(update(assessments).where(assessments.c.id == assessment_id)
                       .values(updated_at=now, updated_by=who, date=now[:10]))


def record(connection: Connection, now: str, who: str, assessment_id: str, indicator_id: str | None,
           field: str, old: Any, new: Any) -> None:
    """One audit row: who changed which field of what, from what, to what, and when."""
    connection.execute(insert(audit).values(
        at=now, user=who, assessment_id=assessment_id, indicator_id=indicator_id, field=field,
        old=store_records.audit_text(old), new=store_records.audit_text(new)))


def require_assessment(connection: Connection, assessment_id: str) -> None:
    """NotFoundError unless the assessment is stored."""
    if connection.scalar(select(assessments.c.id).where(assessments.c.id == assessment_id)) is None:
        raise NotFoundError(f'no assessment with the id "{assessment_id}"')


def free_id(connection: Connection, base: str) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is not taken yet."""
    candidate, number = base, 1
    while connection.scalar(select(assessments.c.id).where(assessments.c.id == candidate)) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
