"""The store's tables and the engine that reaches them: SQLite set up for saves that survive a crash.

SQLAlchemy Core only, so one database URL switches the store to PostgreSQL. On SQLite every
connection runs in WAL mode with `synchronous=FULL` (a committed save is on disk when the call
returns), a busy timeout (a writer waits for another instead of failing at once) and foreign keys
on. SQLAlchemy, not the sqlite3 driver, emits BEGIN (the documented pysqlite recipe), so a write
transaction starts with `BEGIN IMMEDIATE`: it takes the write lock first and never fails half-way
on a lock upgrade. Reads use a plain deferred BEGIN and, in WAL mode, never wait for a writer.

On PostgreSQL (`postgresql+psycopg://...`; a bare `postgresql://` gets psycopg too) transactions
run at READ COMMITTED, set explicitly whatever the server's default. That is enough because every
change to an answer is a compare-and-set: `UPDATE ... WHERE version = expected` waits for a
concurrent writer's row lock and then re-checks the version against the committed row, so the
loser updates nothing and gets a `ConflictError`; a first save is an INSERT whose duplicate key
loses the race the same way. SERIALIZABLE would add retries and nothing these writes need. The
few read-then-write steps with no version to compare (creating the tables, seeding the samples)
take `exclusive`, a transaction-scoped advisory lock. `lock_timeout` is the busy timeout: a save
that waits longer for a lock fails with the same "busy" message as on SQLite.

`transaction` is the only way in: it turns database failures (a lock held past the busy timeout,
a full disk) into `StorageError` with a plain message, and rolls back, so nothing is half-written.
Text holding half of a UTF-16 surrogate pair is refused by name before it gets here
(`store_records.whole_text`); should any still reach the driver, which cannot encode it, that too
becomes a `StorageError`.
Times are ISO 8601 text in UTC, so they sort and compare the same way on every database.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Double,
    Engine,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from toolkit.store.records import StorageError

#: The schema this code writes; a database at a higher version was made by newer code.
SCHEMA_VERSION = 1

#: Execution option that makes a transaction a write transaction (`BEGIN IMMEDIATE` on SQLite).
WRITE = "ddmt_write"

#: The PostgreSQL advisory lock key of `exclusive` ("ddmt" in ASCII).
EXCLUSIVE_LOCK = 0x64646D74

metadata = MetaData()


class DuplicateRow(StorageError):
    """Two writers inserted the same key at the same moment (possible on PostgreSQL); this one lost."""


schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String, nullable=False),
)

ministries = Table(
    "ministries", metadata,
    Column("id", String, primary_key=True),
    Column("name", Text, nullable=False),
    Column("country", Text, nullable=False),
    Column("iso3", String),
    Column("region", Text),
    Column("fictional", Boolean, nullable=False, default=False),
    Column("created_at", String, nullable=False),
    Column("created_by", Text, nullable=False),
)

assessments = Table(
    "assessments", metadata,
    Column("id", String, primary_key=True),
    Column("ministry_id", String, ForeignKey("ministries.id"), nullable=False, index=True),
    Column("rubric_id", String, nullable=False),
    Column("rubric_version", String, nullable=False),
    Column("period", Text, nullable=False),
    Column("date", String, nullable=False),
    Column("status", String, nullable=False),
    Column("assessors", JSON, nullable=False),
    Column("language", String),
    Column("notes", Text),
    Column("created_at", String, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("updated_at", String, nullable=False),
    Column("updated_by", Text, nullable=False),
)

answers = Table(
    "answers", metadata,
    Column("assessment_id", String, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String, primary_key=True),
    Column("level", Integer),
    Column("value", Double),
    Column("na", Boolean, nullable=False, default=False),
    Column("na_reason", Text),
    Column("target", Integer),
    Column("confidence", String),
    Column("notes", Text),
    Column("version", Integer, nullable=False),
    Column("updated_at", String, nullable=False),
    Column("updated_by", Text, nullable=False),
)

# A surrogate key and a plain position column, so removing an item never renumbers a unique key.
evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", String, nullable=False),
    Column("indicator_id", String, nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("value", Text),
    Column("name", Text),
    Column("sha256", String(64)),
    Column("description", Text),
    Column("added_by", Text),
    Column("added_at", String),
    Column("sensitivity", String, nullable=False),
    ForeignKeyConstraint(["assessment_id", "indicator_id"], ["answers.assessment_id", "answers.indicator_id"],
                         ondelete="CASCADE"),
    Index("evidence_answer", "assessment_id", "indicator_id", "position"),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String, nullable=False),
    Column("user", Text, nullable=False),
    # No foreign key: the trail outlives whatever it describes.
    Column("assessment_id", String, nullable=False),
    Column("indicator_id", String),
    Column("field", String, nullable=False),
    Column("old", Text),
    Column("new", Text),
    Index("audit_answer", "assessment_id", "indicator_id"),
)

files = Table(
    "files", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("type", String, nullable=False),
    Column("name", Text, nullable=False),  # the first name it was uploaded under, display text only
    Column("created_at", String, nullable=False),
)

# Which ministry holds which stored file (toolkit/store/file_holders.py): a file is readable only through
# a round of a ministry that uploaded it, so a content hash alone never opens a file.
file_holders = Table(
    "file_holders", metadata,
    Column("ministry_id", String, primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("held_since", String, nullable=False),
    Column("held_by", Text, nullable=False),  # who uploaded it into the ministry ("upgrade" for older files)
)

# The bytes of evidence files when the store is PostgreSQL (toolkit/store/file_contents.py), one row per
# holding ministry, so every server behind a load balancer reads them and one backup holds them all.
# Keyed by the holder: the bytes are reached only through the ministry that uploaded them. New table
# only; files that older versions kept in the folder are copied in when a store opens. Empty on SQLite.
file_contents = Table(
    "file_contents", metadata,
    Column("ministry_id", String, primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    ForeignKeyConstraint(["ministry_id", "sha256"], ["file_holders.ministry_id", "file_holders.sha256"],
                         ondelete="CASCADE"),
)

# Sign-in attempts counted per (login, client address) and per client address (toolkit/store/sign_in_limits.py),
# whether or not the login names an account, so a limit neither locks a person out nor tells who exists.
sign_in_attempts = Table(
    "sign_in_attempts", metadata,
    Column("key", String, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_at", String, nullable=False),
    Column("blocked_until", String),
)

# --- access and review (toolkit/access/accounts.py, toolkit/store/review.py). New tables only, so `create_all`
# adds them to a database made before them without a migration.

# Sign-in accounts; `password_hash` is an argon2 hash (None: the account signs in through OIDC only).
users = Table(
    "users", metadata,
    Column("name", String, primary_key=True),
    Column("email", String, unique=True),  # lowercased
    Column("password_hash", Text),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", String),
    Column("created_at", String, nullable=False),
    Column("created_by", Text, nullable=False),
)

# A role held by an account for one ministry (no foreign key: a grant may name a ministry made later).
grants = Table(
    "grants", metadata,
    Column("user_name", String, ForeignKey("users.name", ondelete="CASCADE"), primary_key=True),
    Column("ministry_id", String, primary_key=True),
    Column("role", String, primary_key=True),
    Column("granted_at", String, nullable=False),
    Column("granted_by", Text, nullable=False),
)

# Which version of a round an assessment is; a round without a row is version 1 with no parent.
assessment_versions = Table(
    "assessment_versions", metadata,
    Column("assessment_id", String, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("root_id", String, nullable=False),
    Column("version", Integer, nullable=False),
    Column("parent_id", String, unique=True),  # one reopened version per parent
    Index("assessment_versions_root", "root_id"),
)

# Reviewers' comments per indicator; verdict accept | challenge | comment.
review_comments = Table(
    "review_comments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", String, ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("indicator_id", String, nullable=False),
    Column("user", Text, nullable=False),
    Column("at", String, nullable=False),
    Column("verdict", String, nullable=False),
    Column("text", Text),
    Index("review_comments_answer", "assessment_id", "indicator_id"),
)


# --- migration and carry-forward (toolkit/store/migrate.py, toolkit/store/carry.py). New tables only.

# Answers a migration replaced or dropped, whole (the document form, evidence included), so a move to
# a newer rubric never loses what was answered before; the audit trail says "migrated from <version>".
answer_archive = Table(
    "answer_archive", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", String, nullable=False),  # no foreign key: the archive outlives the round
    Column("indicator_id", String, nullable=False),
    Column("rubric_version", String, nullable=False),  # the version it was answered on
    Column("version", Integer, nullable=False),  # the answer's version when it was archived
    Column("answer", JSON, nullable=False),
    Column("archived_at", String, nullable=False),
    Column("archived_by", Text, nullable=False),
    Column("reason", String, nullable=False),
    Index("answer_archive_answer", "assessment_id", "indicator_id"),
)

# Answers carried into a new round from an earlier one, still to confirm: a row lasts until someone
# confirms the answer or saves it (its version is then above the one carried).
carried_answers = Table(
    "carried_answers", metadata,
    Column("assessment_id", String, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String, primary_key=True),
    Column("from_assessment_id", String, nullable=False),
    Column("from_period", Text, nullable=False),
    Column("version", Integer, nullable=False),  # the answer's version as carried
    Column("carried_at", String, nullable=False),
)


def connect(url: str, *, busy_timeout: float) -> Engine:
    """An engine for `url`; on SQLite, every connection set up for durable, waiting, immediate writes."""
    parsed = make_url(url)
    milliseconds = max(int(busy_timeout * 1000), 0)
    if parsed.get_backend_name() == "postgresql":
        return _postgresql(parsed, milliseconds)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout})
    _WRITE_GATES[engine] = (threading.Lock(), busy_timeout)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy's pysqlite recipe: the driver stops issuing BEGIN itself; `_on_begin` does it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # The busy timeout first, so switching to WAL waits for another process doing the same.
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _postgresql(url: URL, milliseconds: int) -> Engine:
    """A PostgreSQL engine at READ COMMITTED whose sessions wait at most the busy timeout for a lock."""
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # the driver the toolkit installs, not psycopg2
    engine = create_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # a SET outside any transaction lasts for the session
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {milliseconds}")
        finally:
            dbapi_connection.autocommit = autocommit

    return engine


def exclusive(connection: Connection) -> None:
    """Serialise this write transaction with every other that calls this, until it ends.

    SQLite's `BEGIN IMMEDIATE` already holds the database's only write lock; PostgreSQL takes a
    transaction-scoped advisory lock, so two servers starting together create the tables once.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(EXCLUSIVE_LOCK)))


def _hold_files_already_in_evidence(connection: Connection, now: str) -> None:
    """A database made before file holders: each ministry holds the files its rounds' evidence names.

    Those files were uploaded through the app into that ministry, or named by an import before
    imports were checked; the upgrade cannot tell the two apart, so `docs/access.md` says to review
    older imported rounds if a ministry may have named another's files.
    """
    listed = (select(assessments.c.ministry_id, evidence.c.sha256)
              .join(assessments, assessments.c.id == evidence.c.assessment_id)
              .join(files, files.c.sha256 == evidence.c.sha256)
              .where(evidence.c.sha256.is_not(None)).distinct())
    rows = [{"ministry_id": ministry_id, "sha256": sha256, "held_since": now, "held_by": "upgrade"}
            for ministry_id, sha256 in connection.execute(listed)]
    if rows:
        connection.execute(insert(file_holders), rows)


def create_schema(connection: Connection, now: str) -> int:
    """Create missing tables and record the schema version; return the version the database is at."""
    exclusive(connection)
    had_holders = inspect(connection).has_table(file_holders.name)
    metadata.create_all(connection)
    if not had_holders:
        _hold_files_already_in_evidence(connection, now)
    version = connection.scalar(select(func.max(schema_version.c.version)))
    if version is None:
        connection.execute(insert(schema_version).values(version=SCHEMA_VERSION, applied_at=now))
        return SCHEMA_VERSION
    return int(version)


#: Per SQLite engine, a lock that queues one process's write transactions in arrival order, and the
#: busy timeout to wait for it. SQLite's own busy handler polls with growing sleeps, so under many
#: sessions of one server a waiting save was overtaken again and again until it timed out; in a
#: queue every session gets its turn, and only other processes meet the busy handler.
_WRITE_GATES: weakref.WeakKeyDictionary[Engine, tuple[threading.Lock, float]] = weakref.WeakKeyDictionary()


@contextmanager
def _write_gate(engine: Engine, write: bool) -> Iterator[None]:
    gate = _WRITE_GATES.get(engine) if write else None
    if gate is None:
        with nullcontext():
            yield
        return
    lock, timeout = gate
    if not lock.acquire(timeout=max(timeout, 0.001)):
        raise StorageError(_busy(True))
    try:
        yield
    finally:
        lock.release()


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction, committed at the end; any failure rolls it back and database faults become StorageError."""
    try:
        with _write_gate(engine, write), engine.connect() as connection:
            if write:
                connection.execution_options(**{WRITE: True})
            with connection.begin():
                yield connection
    except IntegrityError as error:
        text = str(error.orig).lower()
        if "unique" in text or "duplicate key" in text:
            raise DuplicateRow("someone else made the same change at the same moment; nothing was saved; "
                               "try again") from error
        raise  # any other broken constraint is a bug to see, not a message to show
    except DBAPIError as error:
        raise StorageError(_message(error, write)) from error
    except PoolTimeoutError as error:
        raise StorageError(_busy(write)) from error
    except UnicodeEncodeError as error:
        if "surrogate" not in str(error):
            raise
        raise StorageError("a text given to the database holds half of a UTF-16 surrogate pair, not a character"
                           f"{_outcome(write)}") from error


def _busy(write: bool) -> str:
    return f"the database is busy with other saves and did not answer in time{_outcome(write)}; try again"


def _outcome(write: bool) -> str:
    return "; nothing was saved" if write else ""


def _message(error: DBAPIError, write: bool) -> str:
    """A database failure in words a user can act on; the driver's own text only when nothing fits."""
    original = str(error.orig) if error.orig is not None else type(error).__name__
    text = original.lower()
    if any(sign in text for sign in ("locked", "busy", "lock timeout", "deadlock", "could not serialize")):
        return _busy(write)
    if 'database "' in text and "does not exist" in text:
        return "the database named in the database URL does not exist on the server; create it first (createdb)"
    if any(sign in text for sign in ("connection refused", "could not connect", "connection failed",
                                     "server closed the connection", "terminating connection")):
        return f"the database server cannot be reached{_outcome(write)}; check that it is running and the database URL"
    if "authentication failed" in text or "no pg_hba.conf entry" in text:
        return "the database server refused the login; check the user and password of the database URL"
    if "disk is full" in text or "no space" in text:
        return f"the disk holding the database is full{_outcome(write)}"
    if "readonly" in text or "read-only" in text:
        return f"the database is read-only{_outcome(write)}"
    if "unable to open" in text:
        return "the database file cannot be opened; check the data folder and its permissions"
    detail = (original.splitlines() or [""])[0][:200]
    return f"the database failed ({detail}){_outcome(write)}"
