"""Persistence for the app: ministries, assessment rounds, versioned answers, evidence, the audit trail.

SQLite in a data folder by default (`DDMT_DATA_DIR`, else `./data`), any SQLAlchemy database URL
through `DDMT_DATABASE_URL` (PostgreSQL for a shared deployment); `toolkit.store.tables` sets up
the tables and SQLite's durable, immediate write transactions. The store holds no user data in
memory: every call reads or writes the database, so one `Store` serves every session.

Each answer row carries a version. A save names the version it was based on and succeeds only if
that is still the stored one (compare-and-set inside the write transaction); otherwise it raises
`ConflictError` with what is stored now, so nothing is silently overwritten. Every change writes
audit rows (who, when in UTC, which field, from what, to what) in the same transaction.

Its errors, beside the `toolkit.errors` family:

    ToolkitError
    ├── StorageError    could not save or read; a message fit to show (busy database, full disk, refused file)
    ├── ConflictError   someone else saved the answer first; `current` is what is stored now
    └── NotFoundError   no such assessment or ministry (also a LookupError)
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, true, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from toolkit.errors import ToolkitError
from toolkit.model.assessment import STATUSES, Assessment, Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_document
from toolkit.model.rubric import Indicator
from toolkit.store import evidence_files, file_contents, file_holders, responses, review
from toolkit.store import records as store_records
from toolkit.store import rows as store_rows
from toolkit.store.records import (
    AssessmentSummary,
    AuditEntry,
    ConflictError,
    NotFoundError,
    StorageError,
    StoredAnswer,
    StoredFile,
    now_stamp,
    person_name,
)
from toolkit.store.round_imports import ImportOutcome, imported_as_draft
from toolkit.store.tables import (
    SCHEMA_VERSION,
    DuplicateRow,
    answers,
    assessment_versions,
    assessments,
    audit,
    connect,
    create_schema,
    exclusive,
    files,
    ministries,
    transaction,
)
from toolkit.store.tables import evidence as evidence_table

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE = 20
BUSY_TIMEOUT = 10.0  # seconds a save waits for another before it gives up with a StorageError
DATABASE_FILE = "ddmt.sqlite3"
SEED_USER = "sample data"
MAX_PERIOD = 60

_SHA256 = re.compile(r"^[0-9a-f]{64}$")

__all__ = ["AssessmentSummary", "AuditEntry", "ConflictError", "NotFoundError", "StorageError", "Store",
           "StoredAnswer", "StoredFile"]


class FileNotReadable(StorageError):
    """The file is not evidence of the round, or the round's ministry does not hold it (one answer for both)."""


class Store:
    """The database and the evidence-file folder behind the app; safe to share between threads."""

    def __init__(self, engine: Engine, files_dir: Path, *, max_file_bytes: int = MAX_FILE_BYTES,
                 max_evidence: int = MAX_EVIDENCE):
        self.engine = engine
        self.files_dir = Path(files_dir)
        self.max_file_bytes = max_file_bytes
        self.max_evidence = max_evidence

    @classmethod
    def open(cls, url: str | None = None, *, data_dir: str | os.PathLike[str] | None = None,
             max_file_bytes: int = MAX_FILE_BYTES, max_evidence: int = MAX_EVIDENCE,
             busy_timeout: float = BUSY_TIMEOUT) -> Store:
        """Open (creating tables and folders as needed) the configured database and file folder."""
        url, folder = locate(url, data_dir)
        parsed = parse_url(url)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"cannot create the data folder {folder}: {_reason(error)}") from error
        try:
            engine = connect(url, busy_timeout=busy_timeout)
        except (NoSuchModuleError, ImportError) as error:
            raise StorageError(f"the database driver for {parsed.drivername} is not installed") from error
        store = cls(engine, folder / "files", max_file_bytes=max_file_bytes, max_evidence=max_evidence)
        try:
            with store._write() as connection:
                version = create_schema(connection, now_stamp())
            if version <= SCHEMA_VERSION and file_contents.in_database(engine):
                with store._write() as connection:  # files an older version left in the folder
                    file_contents.adopt_folder(connection, store.files_dir)
        except BaseException:
            store.close()
            raise
        if version > SCHEMA_VERSION:
            store.close()
            raise StorageError(f"the database was made by a newer version of the toolkit (schema {version}, "
                               f"this one knows {SCHEMA_VERSION}); upgrade the toolkit")
        return store

    def close(self) -> None:
        """Close every pooled connection (a test, or a server shutting down)."""
        self.engine.dispose()

    def _write(self) -> AbstractContextManager[Connection]:
        """A write transaction: BEGIN IMMEDIATE on SQLite, so it holds the write lock from its start."""
        return transaction(self.engine, write=True)

    def _read(self) -> AbstractContextManager[Connection]:
        return transaction(self.engine, write=False)

    # ------------------------------------------------------------------------------ ministries

    def ministries(self) -> list[Ministry]:
        """Every ministry, by name."""
        with self._read() as connection:
            rows = connection.execute(select(ministries).order_by(ministries.c.name, ministries.c.id)).mappings()
            return [store_records.ministry(row) for row in rows]

    def create_ministry(self, ministry: Ministry, *, user: str) -> None:
        """Add a ministry; StorageError if its id is taken or its fields are not valid."""
        store_records.check_ministry(ministry)
        with self._write() as connection:
            if connection.scalar(select(ministries.c.id).where(ministries.c.id == ministry.id)) is not None:
                raise StorageError(f'a ministry with the id "{ministry.id}" already exists')
            connection.execute(insert(ministries).values(**store_records.ministry_row(ministry, now_stamp(), person_name(user))))

    # ----------------------------------------------------------------------------- assessments

    def assessments(self, ministry_id: str | None = None) -> list[AssessmentSummary]:
        """The assessment rounds (of one ministry, if given), by ministry name and period."""
        done = or_(answers.c.na == true(), answers.c.level.is_not(None), answers.c.value.is_not(None))
        counted = (select(answers.c.assessment_id, func.count().label("answered")).where(done)
                   .group_by(answers.c.assessment_id).subquery())
        query = (select(assessments.c.id, assessments.c.ministry_id, ministries.c.name, ministries.c.fictional,
                        assessments.c.period, assessments.c.status, assessments.c.rubric_id,
                        assessments.c.rubric_version, assessments.c.updated_at,
                        func.coalesce(counted.c.answered, 0))
                 .join(ministries, ministries.c.id == assessments.c.ministry_id)
                 .outerjoin(counted, counted.c.assessment_id == assessments.c.id)
                 .order_by(ministries.c.name, assessments.c.period, assessments.c.id))
        if ministry_id is not None:
            query = query.where(assessments.c.ministry_id == ministry_id)
        with self._read() as connection:
            reopened = review.versions(connection, ministry_id)  # (version, parent, superseded by)
            return [AssessmentSummary(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7],
                                      row[8], int(row[9]), *reopened.get(row[0], (1, None, None)))
                    for row in connection.execute(query)]

    def create_assessment(self, ministry_id: str, period: str, *, rubric_id: str, rubric_version: str,
                          user: str, assessors: Sequence[str] = ()) -> str:
        """Start a draft round for a ministry; returns its new id (`<ministry>-<period>`, made unique)."""
        label = " ".join(period.split()) if isinstance(period, str) else ""
        if not label:
            raise StorageError("a round needs a period, e.g. 2026")
        if len(label) > MAX_PERIOD:
            raise StorageError(f"a period is a short label like 2026 or 2026-Q1 (at most {MAX_PERIOD} characters)")
        store_records.visible_label(ministry_id, "the period", label)
        find_rubric(rubric_id, rubric_version)  # RubricNotFoundError names the versions there are
        names = [store_records.whole_text(ministry_id, "an assessor's name", " ".join(name.split()))
                 for name in assessors if isinstance(name, str) and name.strip()]
        now, who = now_stamp(), person_name(user)
        with self._write() as connection:
            if connection.scalar(select(ministries.c.id).where(ministries.c.id == ministry_id)) is None:
                raise NotFoundError(f'no ministry with the id "{ministry_id}"')
            new_id = store_rows.free_id(connection, f"{ministry_id}-{store_records.slug(label)}")
            connection.execute(insert(assessments).values(
                id=new_id, ministry_id=ministry_id, rubric_id=rubric_id, rubric_version=rubric_version,
                period=label, date=now[:10], status="draft", assessors=names, language=None, notes=None,
                created_at=now, created_by=who, updated_at=now, updated_by=who))
            store_rows.record(connection, now, who, new_id, None, "created", None,
                              {"ministry": ministry_id, "period": label, "rubric": f"{rubric_id} {rubric_version}"})
        return new_id

    def set_status(self, assessment_id: str, status: str, *, user: str) -> None:
        """Move a round forward (draft -> submitted -> reviewed, never back; see `toolkit.store.review`); audited."""
        if status not in STATUSES:
            raise StorageError(f'"{status}" is not a status: use one of {", ".join(STATUSES)}')
        now, who = now_stamp(), person_name(user)
        with self._write() as connection:
            # Row-locked (FOR NO KEY UPDATE on PostgreSQL), so the audit row names the status really replaced.
            old = connection.scalar(select(assessments.c.status).where(assessments.c.id == assessment_id)
                                    .with_for_update(key_share=True))
            if old is None:
                raise NotFoundError(f'no assessment with the id "{assessment_id}"')
            if old == status:
                return
            review.check_move(connection, assessment_id, old, status)  # draft -> submitted -> reviewed, one way
            connection.execute(update(assessments).where(assessments.c.id == assessment_id).values(status=status))
            store_rows.touch(connection, assessment_id, now, who)
            store_rows.record(connection, now, who, assessment_id, None, "status", old, status)

    def load(self, assessment_id: str) -> Assessment:
        """The whole assessment, answers and evidence included; NotFoundError if there is none."""
        with self._read() as connection:
            row = connection.execute(
                select(assessments, ministries.c.name, ministries.c.country, ministries.c.iso3,
                       ministries.c.region, ministries.c.fictional, assessment_versions.c.version,
                       assessment_versions.c.parent_id)
                .join(ministries, ministries.c.id == assessments.c.ministry_id)
                .outerjoin(assessment_versions, assessment_versions.c.assessment_id == assessments.c.id)
                .where(assessments.c.id == assessment_id)).mappings().first()
            if row is None:
                raise NotFoundError(f'no assessment with the id "{assessment_id}"')
            stored = store_rows.stored_answers(connection, assessment_id)
            team = responses.responses_in(connection, assessment_id)
        return replace(store_records.assessment(row, {key: value.answer for key, value in stored.items()}),
                       responses=team)

    def answers(self, assessment_id: str) -> dict[str, StoredAnswer]:
        """Every stored answer of an assessment with its version, by indicator id."""
        with self._read() as connection:
            store_rows.require_assessment(connection, assessment_id)
            return store_rows.stored_answers(connection, assessment_id)

    def get_answer(self, assessment_id: str, indicator_id: str) -> StoredAnswer:
        """One stored answer; version 0 and an empty answer if it was never saved."""
        with self._read() as connection:
            store_rows.require_assessment(connection, assessment_id)
            return store_rows.stored_answer(connection, assessment_id, indicator_id)

    # --------------------------------------------------------------------------------- answers

    def save_answer(self, assessment_id: str, indicator_id: str, changes: Mapping[str, Any], *,
                    expected_version: int, user: str) -> StoredAnswer:
        """Change answer fields if the stored version is still `expected_version`; else ConflictError.

        `changes` holds any of level, value, na, na_reason, target, confidence, notes (None clears a
        field). A change to the stored values writes one audit row per field; no change writes nothing.
        """
        now, who = now_stamp(), person_name(user)
        with self._conflicts(assessment_id, indicator_id):
            with self._write() as connection:
                return self._save_fields(connection, assessment_id, indicator_id, changes, expected_version, now, who)

    def add_evidence(self, assessment_id: str, indicator_id: str, evidence: Evidence, *, expected_version: int,
                     user: str) -> StoredAnswer:
        """Append an evidence item (a version bump, audited); URLs must be http(s), files stored first."""
        now, who = now_stamp(), person_name(user)
        row = store_records.evidence_row(evidence, who, now)
        with self._conflicts(assessment_id, indicator_id):
            with self._write() as connection:
                return self._append_evidence(connection, assessment_id, indicator_id, row, expected_version, now, who)

    def consolidate(self, assessment_id: str, indicator_id: str, changes: Mapping[str, Any], *,
                    expected_version: int, carried: Sequence[Evidence] = (), sources: Sequence[str],
                    reason: str | None, user: str) -> StoredAnswer:
        """Set a consolidated answer, add the evidence carried from respondents and record where it came from.

        One transaction (SPEC 12): a refused evidence item, a conflict or a fault midway leaves the
        answer, its evidence and the trail as they were, so the trail never names sources of an
        answer that was not set. The audit row `consolidated` holds `{"from": [...], "reason": ...}`.
        """
        now, who = now_stamp(), person_name(user)
        reason = store_records.whole_text(indicator_id, "the reason", (reason or "").strip()) or None
        rows = [store_records.evidence_row(item, who, now) for item in carried]
        with self._conflicts(assessment_id, indicator_id):
            with self._write() as connection:
                stored = self._save_fields(connection, assessment_id, indicator_id, changes, expected_version, now,
                                           who)
                for row in rows:
                    stored = self._append_evidence(connection, assessment_id, indicator_id, dict(row),
                                                   stored.version, now, who)
                store_rows.record(connection, now, who, assessment_id, indicator_id, "consolidated", None,
                                  {"from": list(sources), **({"reason": reason} if reason else {})})
                return stored

    def _save_fields(self, connection: Connection, assessment_id: str, indicator_id: str, changes: Mapping[str, Any],
                     expected_version: int, now: str, who: str) -> StoredAnswer:
        """`save_answer` inside the caller's transaction."""
        indicator, scale = self._indicator(connection, assessment_id, indicator_id)
        values = store_records.answer_changes(changes, indicator, scale)
        current = store_rows.current(connection, assessment_id, indicator_id, expected_version)
        before = store_records.answer_fields(current.answer)
        changed = {key: value for key, value in values.items() if before[key] != value}
        if not changed:
            return current
        store_rows.bump(connection, assessment_id, indicator_id, expected_version, now, who, changed)
        for key, value in changed.items():
            store_rows.record(connection, now, who, assessment_id, indicator_id, key, before[key], value)
        store_rows.touch(connection, assessment_id, now, who)
        # The saved answer as written, not read back: the row is `before` with `changed`, under this
        # transaction's write lock, so a read would only return the same (two statements fewer while
        # every other session's save waits in the write queue).
        row = {**before, **changed}
        return StoredAnswer(indicator_id, store_records.answer(row, current.answer.evidence),
                            expected_version + 1, now, who)

    def _append_evidence(self, connection: Connection, assessment_id: str, indicator_id: str, row: dict[str, Any],
                         expected_version: int, now: str, who: str) -> StoredAnswer:
        """`add_evidence` inside the caller's transaction, `row` made by `records.evidence_row`."""
        self._indicator(connection, assessment_id, indicator_id)
        current = store_rows.current(connection, assessment_id, indicator_id, expected_version)
        if len(current.answer.evidence) >= self.max_evidence:
            raise StorageError(f"{indicator_id}: an indicator holds at most {self.max_evidence} "
                               "evidence items; remove one first")
        if row["kind"] == "file":
            ministry_id = connection.scalar(select(assessments.c.ministry_id)
                                            .where(assessments.c.id == assessment_id))
            stored = connection.execute(select(files.c.name).where(files.c.sha256 == row["sha256"])).first()
            if stored is None or not file_holders.holds(connection, ministry_id, row["sha256"]):
                raise StorageError(f"{row['name'] or 'the file'}: the file was not uploaded; add it again")
            row["name"] = row["name"] or stored.name
        store_rows.bump(connection, assessment_id, indicator_id, expected_version, now, who, {})
        position = connection.scalar(select(func.coalesce(func.max(evidence_table.c.position) + 1, 0)).where(
            evidence_table.c.assessment_id == assessment_id, evidence_table.c.indicator_id == indicator_id))
        connection.execute(insert(evidence_table).values(
            assessment_id=assessment_id, indicator_id=indicator_id, position=position, **row))
        store_rows.record(connection, now, who, assessment_id, indicator_id, "evidence", None,
                          store_records.evidence_text(row))
        store_rows.touch(connection, assessment_id, now, who)
        return store_rows.stored_answer(connection, assessment_id, indicator_id)

    def remove_evidence(self, assessment_id: str, indicator_id: str, index: int, *, expected_version: int,
                        user: str) -> StoredAnswer:
        """Remove the evidence item at `index` (0-based, in the order shown); a version bump, audited."""
        now, who = now_stamp(), person_name(user)
        with self._conflicts(assessment_id, indicator_id):
            with self._write() as connection:
                self._indicator(connection, assessment_id, indicator_id)
                store_rows.current(connection, assessment_id, indicator_id, expected_version)
                rows = connection.execute(
                    select(evidence_table).where(evidence_table.c.assessment_id == assessment_id,
                                           evidence_table.c.indicator_id == indicator_id)
                    .order_by(evidence_table.c.position, evidence_table.c.id)).mappings().all()
                if not (isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(rows)):
                    raise StorageError(f"{indicator_id}: there is no evidence item {index}")
                store_rows.bump(connection, assessment_id, indicator_id, expected_version, now, who, {})
                connection.execute(delete(evidence_table).where(evidence_table.c.id == rows[index]["id"]))
                store_rows.record(connection, now, who, assessment_id, indicator_id, "evidence",
                                  store_records.evidence_text(rows[index]), None)
                store_rows.touch(connection, assessment_id, now, who)
                return store_rows.stored_answer(connection, assessment_id, indicator_id)

    @contextmanager
    def _conflicts(self, assessment_id: str, indicator_id: str) -> Iterator[None]:
        """Turn a lost race to create an answer (a duplicate key, possible on PostgreSQL) into a ConflictError."""
        try:
            yield
        except DuplicateRow as error:
            raise ConflictError(self.get_answer(assessment_id, indicator_id)) from error

    def _indicator(self, connection: Connection, assessment_id: str,
                   indicator_id: str) -> tuple[Indicator, list[int]]:
        """The rubric indicator an answer belongs to and the rubric's scale; errors if either is unknown."""
        # Row-locked like set_status, so a save never lands after the round was submitted.
        # One statement for the rubric and the status: a save waits in the write queue, so every
        # statement it spares shortens every other session's wait too.
        row = connection.execute(select(assessments.c.rubric_id, assessments.c.rubric_version, assessments.c.status)
                                 .where(assessments.c.id == assessment_id).with_for_update(key_share=True)).first()
        if row is None:
            raise NotFoundError(f'no assessment with the id "{assessment_id}"')
        review.check_draft(assessment_id, row.status)  # answers change only while the round is a draft
        rubric = find_rubric(row.rubric_id, row.rubric_version)
        try:
            indicator = rubric.indicator(indicator_id)
        except KeyError:
            raise StorageError(f'"{indicator_id}" is not an indicator of rubric {rubric.id} {rubric.version}') from None
        return indicator, [level.value for level in rubric.scale]

    # ------------------------------------------------------------------------------------ files

    def put_file(self, data: bytes, name: str, *, ministry_id: str | None = None,
                 user: str = "") -> tuple[str, str]:
        """Keep an evidence file by its content hash, held by `ministry_id`; returns (sha256, type).

        The bytes go to the folder on SQLite and into the database on PostgreSQL, under the holding
        ministry (`toolkit.store.file_contents`), so every server of a shared deployment reads them.

        Refusals name the file. Only a ministry that holds a file can read it through its rounds
        (`toolkit.store.file_holders`); a file uploaded for no ministry is readable by none (on
        PostgreSQL its bytes are not kept at all: only its description is).
        """
        shown = evidence_files.sanitise_name(name)
        data = bytes(data)  # an upload may hand over a bytearray or memoryview
        if not data:
            raise StorageError(f"{shown}: the file is empty")
        if len(data) > self.max_file_bytes:
            raise StorageError(f"{shown}: the file is larger than the limit of {_size(self.max_file_bytes)}")
        kind = evidence_files.detect_type(data)
        if kind is None:
            raise StorageError(f"{shown}: this kind of file is not accepted (accepted: "
                               f"{', '.join(evidence_files.TYPES.values())})")
        sha256 = hashlib.sha256(data).hexdigest()
        in_database = file_contents.in_database(self.engine)
        if not in_database:
            path = self.file_path(sha256)
            try:
                if not (path.is_file() and path.stat().st_size == len(data)):
                    evidence_files.write_atomic(path, data)
            except OSError as error:
                raise StorageError(f"{shown}: the file could not be stored: {_reason(error)}") from error
        who = person_name(user) if ministry_id is not None else ""
        for attempt in (1, 2):
            try:
                with self._write() as connection:
                    now = now_stamp()
                    if connection.scalar(select(files.c.sha256).where(files.c.sha256 == sha256)) is None:
                        connection.execute(insert(files).values(sha256=sha256, size=len(data), type=kind, name=shown,
                                                                created_at=now))
                    if ministry_id is not None:
                        file_holders.hold(connection, ministry_id, sha256, now, who)
                        if in_database:  # PostgreSQL: the bytes in the same transaction as the holder
                            file_contents.keep(connection, ministry_id, sha256, data)
                break
            except DuplicateRow:
                if attempt == 2:  # the same content uploaded at the same moment by someone else, twice over
                    raise
        return sha256, kind

    def evidence_file(self, assessment_id: str, sha256: str) -> bytes:
        """The bytes of a file listed by an answer of this round and held by the round's ministry.

        Every read of an evidence file passes through here; `FileNotReadable` (one message for a file
        that exists elsewhere, nowhere, or is not listed) otherwise.
        """
        digest = sha256.lower() if isinstance(sha256, str) else ""
        if not _SHA256.match(digest):
            raise FileNotReadable(file_holders.NOT_READABLE)
        with self._read() as connection:
            if not file_holders.readable(connection, assessment_id, digest):
                raise FileNotReadable(file_holders.NOT_READABLE)
            data = file_contents.read(connection, assessment_id, digest)
        if data is not None:
            return data
        try:  # SQLite, or a PostgreSQL store's file an older version left in the folder
            return self.file_path(digest).read_bytes()
        except OSError as error:
            raise StorageError(f"the file could not be read: {_reason(error)}") from error

    def held_files(self, assessment_id: str) -> set[str]:
        """The hashes of this round's file evidence that its ministry holds (the others: "file not included")."""
        with self._read() as connection:
            ministry_id = connection.scalar(select(assessments.c.ministry_id)
                                            .where(assessments.c.id == assessment_id))
            if ministry_id is None:
                raise NotFoundError(f'no assessment with the id "{assessment_id}"')
            listed = connection.scalars(select(evidence_table.c.sha256).where(
                evidence_table.c.assessment_id == assessment_id, evidence_table.c.sha256.is_not(None)))
            return file_holders.held(connection, ministry_id, listed)

    def file_path(self, sha256: str) -> Path:
        """Where a file's bytes are in the folder (`files/<sha[:2]>/<sha>`); the hash is checked, never a name.

        SQLite keeps every file there; PostgreSQL only those an older version left (`file_contents`).
        """
        digest = sha256.lower() if isinstance(sha256, str) else ""
        if not _SHA256.match(digest):
            raise StorageError(f"{sha256!r} is not a SHA-256 hash")
        return self.files_dir / digest[:2] / digest

    def file_info(self, sha256: str) -> StoredFile | None:
        """What is known of a stored file (size, type, display name), or None if it was never uploaded."""
        digest = self.file_path(sha256).name
        with self._read() as connection:
            row = connection.execute(select(files).where(files.c.sha256 == digest)).first()
        return None if row is None else StoredFile(row.sha256, int(row.size), row.type, row.name)

    # ------------------------------------------------------------------------------------ audit

    def history(self, assessment_id: str, indicator_id: str | None = None) -> list[AuditEntry]:
        """The audit trail of an assessment (or one of its answers), oldest first."""
        query = select(audit).where(audit.c.assessment_id == assessment_id).order_by(audit.c.id)
        if indicator_id is not None:
            query = query.where(audit.c.indicator_id == indicator_id)
        with self._read() as connection:
            return [AuditEntry(row.at, row.user, row.assessment_id, row.indicator_id, row.field, row.old, row.new)
                    for row in connection.execute(query)]

    # -------------------------------------------------------------------------------- documents

    def to_document(self, assessment_id: str) -> dict[str, Any]:
        """The assessment as a JSON document (the import format), answers in rubric order."""
        assessment = self.load(assessment_id)
        try:
            order = [indicator.id for indicator in find_rubric(assessment.rubric_id,
                                                               assessment.rubric_version).indicators()]
        except ToolkitError:
            order = []
        return store_records.assessment_document(assessment, order)

    def import_document(self, doc: Mapping[str, Any], *, user: str, name: str | None = None) -> str:
        """Validate an assessment document and store it as a draft; returns its id (see `import_round`)."""
        return self.import_round(doc, user=user, name=name).id

    def import_round(self, doc: Mapping[str, Any], *, user: str, name: str | None = None) -> ImportOutcome:
        """Validate an assessment document and store it in one transaction, as a draft of the importer's.

        DocumentError lists every problem (`name` labels them); StorageError if the id is taken or
        does not start with the ministry's id. A ministry already stored is kept as it is; a new one
        is created from the document. What only the workflow sets is not taken from the document
        (`toolkit.store.round_imports`); the outcome names the files the ministry does not hold.
        """
        assessment = store_records.validated_assessment(doc, name)
        store_records.visible_label(assessment.id, "the period", assessment.period)
        store_records.check_ministry(assessment.ministry)
        now, who = now_stamp(), person_name(user)
        draft, claims = imported_as_draft(assessment, who, now)
        with self._write() as connection:
            self._insert(connection, draft, who, now, name, claims=claims)
            held = file_holders.held(connection, draft.ministry.id, _file_hashes(draft))
        missing = tuple((indicator_id, item.name or item.sha256 or "")
                        for indicator_id, answer in draft.answers.items() for item in answer.evidence
                        if item.kind == "file" and item.sha256 and item.sha256.lower() not in held)
        return ImportOutcome(draft.id, missing)

    def seed_samples(self, folder: Path, *, user: str = SEED_USER) -> int:
        """Import every assessment JSON in `folder` if no assessment is stored yet; returns how many."""
        if self._has_assessments():
            return 0
        documents = [(path, load_document(path)) for path in sorted(Path(folder).glob("*.json"))]
        now, who = now_stamp(), person_name(user)
        with self._write() as connection:
            # Checked again under the write lock: two servers starting together seed only once.
            exclusive(connection)
            if connection.scalar(select(assessments.c.id).limit(1)) is not None:
                return 0
            seeded = 0
            for path, document in documents:
                if isinstance(document, Assessment):
                    self._insert(connection, document, who, now, path.name)
                    seeded += 1
        return seeded

    def _has_assessments(self) -> bool:
        with self._read() as connection:
            return connection.scalar(select(assessments.c.id).limit(1)) is not None

    def _insert(self, connection: Connection, assessment: Assessment, who: str, now: str,
                source: str | None, *, claims: Mapping[str, Any] | None = None) -> None:
        """Write a whole validated assessment (and its ministry, if new) inside the caller's transaction."""
        if not (assessment.id == assessment.ministry.id or assessment.id.startswith(f"{assessment.ministry.id}-")):
            raise StorageError(f'the id "{assessment.id}" of a round of {assessment.ministry.id} must start with '
                               f'"{assessment.ministry.id}-"; nothing was imported')
        if connection.scalar(select(assessments.c.id).where(assessments.c.id == assessment.id)) is not None:
            raise StorageError(f'an assessment with the id "{assessment.id}" already exists; nothing was imported')
        for indicator_id, answer in assessment.answers.items():
            if len(answer.evidence) > self.max_evidence:
                raise StorageError(f"{assessment.id}: {indicator_id} has {len(answer.evidence)} evidence items; "
                                   f"the limit is {self.max_evidence}; nothing was imported")
        ministry = assessment.ministry
        if connection.scalar(select(ministries.c.id).where(ministries.c.id == ministry.id)) is None:
            connection.execute(insert(ministries).values(**store_records.ministry_row(ministry, now, who)))
        connection.execute(insert(assessments).values(**store_records.assessment_row(assessment, now, who)))
        answer_rows, evidence_rows = store_records.answer_rows(assessment, now, who)
        if answer_rows:
            connection.execute(insert(answers), answer_rows)
        if evidence_rows:
            connection.execute(insert(evidence_table), evidence_rows)
        responses.insert_responses(connection, assessment, who, now)
        store_rows.record(connection, now, who, assessment.id, None, "imported", None,
                          {"source": evidence_files.sanitise_name(source) if source else None,
                           "answers": len(answer_rows), **({"claimed": dict(claims)} if claims else {})})


# -------------------------------------------------------------------------------------- helpers

def locate(url: str | None = None, data_dir: str | os.PathLike[str] | None = None) -> tuple[str, Path]:
    """The database URL and data folder a store uses: as given, else `DDMT_DATABASE_URL` and
    `DDMT_DATA_DIR`, else SQLite in `./data`; evidence files are always in the folder's `files`."""
    folder = Path(data_dir if data_dir is not None else os.environ.get("DDMT_DATA_DIR") or "data").resolve()
    return url or os.environ.get("DDMT_DATABASE_URL") or f"sqlite:///{folder / DATABASE_FILE}", folder


def parse_url(url: str) -> URL:
    """The parsed database URL; StorageError (never repeating the URL, which may hold a password) if invalid."""
    try:
        return make_url(url)
    except ArgumentError:
        raise StorageError("the database URL is not valid (expected e.g. postgresql+psycopg://host/db)") from None


def _file_hashes(assessment: Assessment) -> set[str]:
    return {item.sha256.lower() for answer in assessment.answers.values() for item in answer.evidence
            if item.kind == "file" and item.sha256}


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    return (error.strerror or type(error).__name__).lower()
