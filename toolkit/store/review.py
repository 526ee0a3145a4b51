"""The review workflow: draft -> submitted -> reviewed, one way; reviewers' comments; reopened versions.

An assessor submits a draft; a reviewer comments on the submitted round's answers (accept,
challenge, or a plain comment, one indicator at a time) and marks it reviewed. Nothing moves back:
answers change only while a round is a draft, and a submitted or reviewed round that needs more
work is reopened as a new draft version (a copy of its answers and evidence, `<root>-v<n>`,
linked to its parent). The old version stays as it was, read-only, so a report can say which
version it shows and the comments stay with the answers they were about.

The row functions (`check_move`, `versions`, ...) run inside the store's transactions; the
operations (`add_comment`, `reopen`, ...) take a store (`Transactions`: any object that opens
read and write transactions, as `toolkit.store.store.Store` does) and open their own, so this module
needs nothing from the store module, which builds on it. Access is checked
above, in `toolkit.access.workspace`; the rules here hold for every caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import aliased

from toolkit.model.catalogue import find_rubric
from toolkit.store import rows as store_rows
from toolkit.store.records import MAX_TEXT, NotFoundError, StorageError, now_stamp, person_name, whole_text
from toolkit.store.responses import copy_responses
from toolkit.store.tables import answers, assessment_versions, assessments, evidence, review_comments


class Transactions(Protocol):
    """What the review operations need of a store: a read and a write transaction."""

    def _read(self) -> AbstractContextManager[Connection]: ...

    def _write(self) -> AbstractContextManager[Connection]: ...

#: The only moves a round's status makes; reopening (a new version) is the way back to a draft.
MOVES: Mapping[str, tuple[str, ...]] = {"draft": ("submitted",), "submitted": ("reviewed",), "reviewed": ()}
VERDICTS = ("accept", "challenge", "comment")
REOPENABLE = ("submitted", "reviewed")


@dataclass(frozen=True)
class ReviewComment:
    """One reviewer's word on one answer: accept, challenge (text says why) or comment."""

    id: int
    assessment_id: str
    indicator_id: str
    user: str
    at: str
    verdict: str
    text: str | None


@dataclass(frozen=True)
class VersionInfo:
    """Where a round stands among its versions: `superseded_by` names the newer draft reopened from it."""

    assessment_id: str
    root_id: str
    version: int
    parent_id: str | None
    superseded_by: str | None

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None


# ------------------------------------------------------------------------------- row functions

def version_info(connection: Connection, assessment_id: str) -> VersionInfo:
    """The version of one stored round (version 1, its own root, when it was never reopened)."""
    row = connection.execute(select(assessment_versions).where(
        assessment_versions.c.assessment_id == assessment_id)).first()
    child = connection.scalar(select(assessment_versions.c.assessment_id).where(
        assessment_versions.c.parent_id == assessment_id))
    if row is None:
        return VersionInfo(assessment_id, assessment_id, 1, None, child)
    return VersionInfo(assessment_id, row.root_id, int(row.version), row.parent_id, child)


def versions(connection: Connection, ministry_id: str | None = None) -> dict[str, tuple[int, str | None, str | None]]:
    """(version, parent id, superseded by) of every round that was reopened or is a reopened version."""
    child = aliased(assessment_versions)
    query = (select(assessments.c.id, assessment_versions.c.version, assessment_versions.c.parent_id,
                    child.c.assessment_id)
             .outerjoin(assessment_versions, assessment_versions.c.assessment_id == assessments.c.id)
             .outerjoin(child, child.c.parent_id == assessments.c.id)
             .where((assessment_versions.c.assessment_id.is_not(None)) | (child.c.assessment_id.is_not(None))))
    if ministry_id is not None:
        query = query.where(assessments.c.ministry_id == ministry_id)
    return {row[0]: (int(row[1] or 1), row[2], row[3]) for row in connection.execute(query)}


def check_move(connection: Connection, assessment_id: str, old: str, new: str) -> None:
    """StorageError unless `old -> new` is a forward move of a round that was not reopened since."""
    newer = version_info(connection, assessment_id).superseded_by
    if newer is not None:
        raise StorageError(f'"{assessment_id}" was reopened as "{newer}"; this version is kept as it was')
    if new not in MOVES.get(old, ()):
        if new == "draft":
            raise StorageError(f'a {old} round does not go back to draft: reopen it as a new version instead')
        raise StorageError(f'a {old} round cannot become {new}: the status moves draft -> submitted -> reviewed')


def require_draft(connection: Connection, assessment_id: str) -> None:
    """StorageError unless the round is a draft (answers and evidence change only then)."""
    check_draft(assessment_id, connection.scalar(select(assessments.c.status).where(assessments.c.id == assessment_id)))


def check_draft(assessment_id: str, status: str | None) -> None:
    """`require_draft` on a status already read (None: no such round), for a caller reading the row anyway."""
    if status is None:
        raise NotFoundError(f'no assessment with the id "{assessment_id}"')
    if status != "draft":
        raise StorageError(f'"{assessment_id}" is {status}: its answers are kept as they are; '
                           "reopen it as a new version to change them")


# ---------------------------------------------------------------------------------- operations

def info(store: Transactions, assessment_id: str) -> VersionInfo:
    """The version of a stored round; NotFoundError if there is none."""
    with store._read() as connection:
        store_rows.require_assessment(connection, assessment_id)
        return version_info(connection, assessment_id)


def lineage(store: Transactions, assessment_id: str) -> list[str]:
    """The round and the versions it was reopened from, newest first."""
    chain: list[str] = []
    with store._read() as connection:
        current: str | None = assessment_id
        while current is not None and current not in chain:
            chain.append(current)
            current = connection.scalar(select(assessment_versions.c.parent_id).where(
                assessment_versions.c.assessment_id == current))
    return chain


def comments(store: Transactions, assessment_ids: str | list[str]) -> list[ReviewComment]:
    """The review comments on one round (or several), oldest first."""
    ids = [assessment_ids] if isinstance(assessment_ids, str) else list(assessment_ids)
    query = (select(review_comments).where(review_comments.c.assessment_id.in_(ids))
             .order_by(review_comments.c.at, review_comments.c.id))
    with store._read() as connection:
        return [ReviewComment(int(row.id), row.assessment_id, row.indicator_id, row.user, row.at, row.verdict,
                              row.text) for row in connection.execute(query)]


def add_comment(store: Transactions, assessment_id: str, indicator_id: str, verdict: str, text: str | None, *,
                user: str) -> ReviewComment:
    """A reviewer's verdict on one answer of a submitted round; audited. A challenge must say why."""
    if verdict not in VERDICTS:
        raise StorageError(f'"{verdict}" is not a review verdict: use one of {", ".join(VERDICTS)}')
    body = " ".join(text.split()) if isinstance(text, str) else ""
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise StorageError(f"{indicator_id}: the comment is longer than the limit of {MAX_TEXT:,} characters")
    if verdict != "accept" and not body:
        raise StorageError(f"{indicator_id}: a {verdict} needs a text saying why")
    whole_text(indicator_id, "the comment", body)
    now, who = now_stamp(), person_name(user)
    with store._write() as connection:
        row = connection.execute(select(assessments.c.status, assessments.c.rubric_id, assessments.c.rubric_version)
                                 .where(assessments.c.id == assessment_id).with_for_update(key_share=True)).first()
        if row is None:
            raise NotFoundError(f'no assessment with the id "{assessment_id}"')
        newer = version_info(connection, assessment_id).superseded_by
        if newer is not None:
            raise StorageError(f'"{assessment_id}" was reopened as "{newer}"; comment on the new version')
        if row.status != "submitted":
            raise StorageError(f'"{assessment_id}" is {row.status}: reviewers comment on submitted rounds')
        rubric = find_rubric(row.rubric_id, row.rubric_version)
        if indicator_id not in {indicator.id for indicator in rubric.indicators()}:
            raise StorageError(f'"{indicator_id}" is not an indicator of rubric {rubric.id} {rubric.version}')
        new_id = connection.execute(insert(review_comments).values(
            assessment_id=assessment_id, indicator_id=indicator_id, user=who, at=now, verdict=verdict,
            text=body or None).returning(review_comments.c.id)).scalar_one()
        store_rows.record(connection, now, who, assessment_id, indicator_id, "review", None,
                          {"verdict": verdict, "text": body or None})
    return ReviewComment(int(new_id), assessment_id, indicator_id, who, now, verdict, body or None)


def reopen(store: Transactions, assessment_id: str, *, user: str) -> str:
    """Copy a submitted or reviewed round into a new draft version; returns the new round's id.

    The old round is kept as it was (read-only from now on); only the newest version of a round can
    be reopened, once.
    """
    now, who = now_stamp(), person_name(user)
    with store._write() as connection:
        row = connection.execute(select(assessments).where(assessments.c.id == assessment_id)
                                 .with_for_update(key_share=True)).mappings().first()
        if row is None:
            raise NotFoundError(f'no assessment with the id "{assessment_id}"')
        if row["status"] not in REOPENABLE:
            raise StorageError(f'"{assessment_id}" is still a draft: change it as it is')
        current = version_info(connection, assessment_id)
        if current.superseded_by is not None:
            raise StorageError(f'"{assessment_id}" was already reopened as "{current.superseded_by}"')
        version = current.version + 1
        new_id = store_rows.free_id(connection, f"{current.root_id}-v{version}")
        connection.execute(insert(assessments).values({
            **dict(row), "id": new_id, "status": "draft", "date": now[:10], "created_at": now, "created_by": who,
            "updated_at": now, "updated_by": who}))
        copied = [{**dict(item), "assessment_id": new_id} for item in connection.execute(
            select(answers).where(answers.c.assessment_id == assessment_id)).mappings()]
        if copied:
            connection.execute(insert(answers), copied)
        items = [{key: value for key, value in dict(item).items() if key != "id"} | {"assessment_id": new_id}
                 for item in connection.execute(select(evidence).where(evidence.c.assessment_id == assessment_id)
                                                .order_by(evidence.c.id)).mappings()]
        if items:
            connection.execute(insert(evidence), items)
        copy_responses(connection, assessment_id, new_id)  # a team round's respondents go with it
        # The parent is unique: a second reopen of the same round, at the same moment, loses here.
        connection.execute(insert(assessment_versions).values(
            assessment_id=new_id, root_id=current.root_id, version=version, parent_id=assessment_id))
        store_rows.record(connection, now, who, assessment_id, None, "reopened", None, new_id)
        store_rows.record(connection, now, who, new_id, None, "created", None,
                          {"reopened_from": assessment_id, "version": version, "answers": len(copied)})
    return new_id


# -------------------------------------------------------------------------------------- helpers


